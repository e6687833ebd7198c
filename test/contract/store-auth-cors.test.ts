import { randomBytes } from 'node:crypto';
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteBucketCorsCommand,
  DeleteObjectCommand,
  GetBucketCorsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  ListBucketsCommand,
  PutBucketCorsCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorOf } from './support/error-of.ts';
import { getSignedUrl, presignClient } from './support/presign.ts';
import { getTarget, uniqueBucketName, type S3Target } from './support/target.ts';

let target: S3Target;
let s3: S3Client;
let presigner: S3Client;
beforeAll(async () => {
  target = await getTarget();
  s3 = target.client;
  presigner = presignClient(target);
  await s3.send(new PutObjectCommand({ Bucket: target.bucket, Key: 'public.txt', Body: 'hi' }));
});
afterAll(async () => {
  presigner?.destroy();
  await target?.close();
});

const xmlCode = (text: string) => /<Code>([^<]+)<\/Code>/.exec(text)?.[1];

function clientWith(overrides: Partial<ConstructorParameters<typeof S3Client>[0]>): S3Client {
  return new S3Client({
    endpoint: target.endpoint,
    region: target.region,
    credentials: target.credentials,
    forcePathStyle: true,
    maxAttempts: 1,
    ...overrides,
  });
}

describe('SigV4', () => {
  it('accepts a presigned PUT and GET (UNSIGNED-PAYLOAD)', async () => {
    const put = await getSignedUrl(
      presigner,
      new PutObjectCommand({ Bucket: target.bucket, Key: 'auth/p.txt' }),
      { expiresIn: 60 },
    );
    expect((await fetch(put, { method: 'PUT', body: 'presigned body' })).status).toBe(200);
    const get = await getSignedUrl(
      presigner,
      new GetObjectCommand({ Bucket: target.bucket, Key: 'auth/p.txt' }),
      { expiresIn: 60 },
    );
    const res = await fetch(get);
    expect(await res.text()).toBe('presigned body');
    expect(res.headers.get('x-amz-request-id')).toBeTruthy();
  });

  it('refuses an expired presigned URL with 403 AccessDenied "Request has expired"', async () => {
    const url = await getSignedUrl(
      presigner,
      new GetObjectCommand({ Bucket: target.bucket, Key: 'public.txt' }),
      {
        expiresIn: 1,
        signingDate: new Date(Date.now() - 60_000),
      },
    );
    const res = await fetch(url);
    expect(res.status).toBe(403);
    const body = await res.text();
    expect(xmlCode(body)).toBe('AccessDenied');
    // RGW 16 quirk: the message is empty.
    if (target.kind !== 'rgw') expect(body).toContain('Request has expired');
  });

  it('refuses a tampered signature with SignatureDoesNotMatch and an unknown key with InvalidAccessKeyId', async () => {
    const url = await getSignedUrl(
      presigner,
      new GetObjectCommand({ Bucket: target.bucket, Key: 'public.txt' }),
      { expiresIn: 60 },
    );
    const tampered = url.replace(
      /X-Amz-Signature=([0-9a-f])/,
      (_, c: string) => `X-Amz-Signature=${c === '0' ? '1' : '0'}`,
    );
    const res = await fetch(tampered);
    expect(res.status).toBe(403);
    expect(xmlCode(await res.text())).toBe('SignatureDoesNotMatch');
    const wrongSecret = clientWith({
      credentials: { ...target.credentials, secretAccessKey: 'wrong-secret' },
    });
    expect(
      (await errorOf(wrongSecret.send(new GetObjectCommand({ Bucket: target.bucket, Key: 'public.txt' }))))
        .name,
    ).toBe('SignatureDoesNotMatch');
    const unknown = clientWith({
      credentials: { accessKeyId: 'AKIDUNKNOWN000000000', secretAccessKey: 'x' },
    });
    expect(
      (await errorOf(unknown.send(new GetObjectCommand({ Bucket: target.bucket, Key: 'public.txt' })))).name,
    ).toBe('InvalidAccessKeyId');
    wrongSecret.destroy();
    unknown.destroy();
  });

  it('refuses header auth from a skewed clock with RequestTimeTooSkewed', async () => {
    const skewed = clientWith({ systemClockOffset: -3_600_000 });
    const e = await errorOf(skewed.send(new GetObjectCommand({ Bucket: target.bucket, Key: 'public.txt' })));
    expect(e.name).toBe('RequestTimeTooSkewed');
    expect(e.$metadata.httpStatusCode).toBe(403);
    skewed.destroy();
  });

  it('enforces a signed content-length: a body of another length is refused', async () => {
    const url = await getSignedUrl(
      presigner,
      new PutObjectCommand({ Bucket: target.bucket, Key: 'auth/len.txt', ContentLength: 5 }),
      { expiresIn: 60, signableHeaders: new Set(['content-length']) },
    );
    expect(url).toMatch(/X-Amz-SignedHeaders=content-length%3Bhost/);
    const wrong = await fetch(url, { method: 'PUT', body: '123456' });
    expect(wrong.status).toBe(403);
    expect(xmlCode(await wrong.text())).toBe('SignatureDoesNotMatch');
    expect((await fetch(url, { method: 'PUT', body: '12345' })).status).toBe(200);
  });

  it('verifies a signed payload sha256 (XAmzContentSHA256Mismatch)', async () => {
    const client = clientWith({ requestChecksumCalculation: 'WHEN_REQUIRED' });
    client.middlewareStack.add(
      (next) => async (args) => {
        const request = args.request as { body?: unknown };
        if (typeof request.body === 'string') request.body = request.body.replace('original', 'tampered');
        return next(args);
      },
      { step: 'deserialize', name: 'tamperBodyAfterSigning' },
    );
    const e = await errorOf(
      client.send(new PutObjectCommand({ Bucket: target.bucket, Key: 'auth/sha.txt', Body: 'original' })),
    );
    expect(e.name).toBe('XAmzContentSHA256Mismatch');
    client.destroy();
  });

  it('refuses unsigned x-amz-* headers on a presigned request', async () => {
    const url = await getSignedUrl(
      presigner,
      new PutObjectCommand({ Bucket: target.bucket, Key: 'auth/unsigned.txt' }),
      { expiresIn: 60 },
    );
    const res = await fetch(url, { method: 'PUT', body: 'x', headers: { 'x-amz-meta-sneaky': 'yes' } });
    // RGW 16 quirk: accepts unsigned x-amz-* headers on presigned requests.
    expect(res.status).toBe(target.kind === 'rgw' ? 200 : 403);
  });

  it('refuses anonymous requests with AccessDenied', async () => {
    const res = await fetch(`${target.endpoint}/${target.bucket}/public.txt`);
    expect(res.status).toBe(403);
    expect(xmlCode(await res.text())).toBe('AccessDenied');
  });
});

describe('CORS', () => {
  const origin = 'http://app.example';

  it('answers a matching preflight with the allowed origin, methods, headers and max age', async () => {
    const res = await fetch(`${target.endpoint}/${target.bucket}/some/key`, {
      method: 'OPTIONS',
      headers: {
        Origin: origin,
        'Access-Control-Request-Method': 'PUT',
        'Access-Control-Request-Headers': 'content-type',
      },
    });
    expect(res.status).toBe(200);
    // RGW 16 quirk: a preflight echoes the origin where AWS answers `*` for an AllowedOrigin of `*`.
    expect(res.headers.get('access-control-allow-origin')).toBe(target.kind === 'rgw' ? origin : '*');
    expect(res.headers.get('access-control-allow-methods')).toContain('PUT');
    expect(res.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('content-type');
    expect(res.headers.get('access-control-max-age')).toBe('600');
  });

  it('puts CORS headers on answers, including errors, with Vary: Origin and exposed ETag', async () => {
    const url = await getSignedUrl(
      presigner,
      new GetObjectCommand({ Bucket: target.bucket, Key: 'public.txt' }),
      { expiresIn: 60 },
    );
    const ok = await fetch(url, { headers: { Origin: origin } });
    expect(ok.headers.get('access-control-allow-origin')).toBe('*');
    expect(ok.headers.get('access-control-expose-headers')?.toLowerCase()).toContain('etag');
    // RGW 16 quirk: no Vary: Origin.
    if (target.kind !== 'rgw') expect(ok.headers.get('vary')?.toLowerCase()).toContain('origin');
    const missing = await getSignedUrl(
      presigner,
      new GetObjectCommand({ Bucket: target.bucket, Key: 'nope' }),
      { expiresIn: 60 },
    );
    const notFound = await fetch(missing, { headers: { Origin: origin } });
    expect(notFound.status).toBe(404);
    expect(notFound.headers.get('access-control-allow-origin')).toBe('*');
    const expired = await getSignedUrl(
      presigner,
      new GetObjectCommand({ Bucket: target.bucket, Key: 'public.txt' }),
      {
        expiresIn: 1,
        signingDate: new Date(Date.now() - 60_000),
      },
    );
    const forbidden = await fetch(expired, { headers: { Origin: origin } });
    expect(forbidden.status).toBe(403);
    // RGW 16 quirk: 403 answers carry no CORS headers.
    expect(forbidden.headers.get('access-control-allow-origin')).toBe(target.kind === 'rgw' ? null : '*');
  });

  it('refuses preflights that match no rule (403) and manages the configuration', async () => {
    const bucket = uniqueBucketName('hoist-cors');
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    try {
      const preflight = (o: string, method: string) =>
        fetch(`${target.endpoint}/${bucket}/k`, {
          method: 'OPTIONS',
          headers: { Origin: o, 'Access-Control-Request-Method': method },
        });
      expect((await preflight(origin, 'PUT')).status).toBe(403);
      expect((await errorOf(s3.send(new GetBucketCorsCommand({ Bucket: bucket })))).name).toBe(
        'NoSuchCORSConfiguration',
      );
      const rules = [
        {
          AllowedOrigins: [origin],
          AllowedMethods: ['GET', 'PUT'],
          AllowedHeaders: ['*'],
          ExposeHeaders: ['ETag'],
          MaxAgeSeconds: 30,
        },
      ];
      await s3.send(new PutBucketCorsCommand({ Bucket: bucket, CORSConfiguration: { CORSRules: rules } }));
      const got = await s3.send(new GetBucketCorsCommand({ Bucket: bucket }));
      expect(got.CORSRules?.[0]).toMatchObject({
        AllowedOrigins: [origin],
        AllowedMethods: ['GET', 'PUT'],
        MaxAgeSeconds: 30,
      });
      const allowed = await preflight(origin, 'PUT');
      expect(allowed.status).toBe(200);
      expect(allowed.headers.get('access-control-allow-origin')).toBe(origin);
      expect((await preflight('http://evil.example', 'PUT')).status).toBe(403);
      expect((await preflight(origin, 'DELETE')).status).toBe(403);
      await s3.send(new DeleteBucketCorsCommand({ Bucket: bucket }));
      expect((await preflight(origin, 'PUT')).status).toBe(403);
    } finally {
      await s3.send(new DeleteBucketCommand({ Bucket: bucket }));
    }
  });
});

describe('buckets', () => {
  it('creates, heads, lists and deletes a bucket; BucketNotEmpty while it holds objects', async () => {
    const bucket = uniqueBucketName('hoist-b');
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await s3.send(new HeadBucketCommand({ Bucket: bucket }));
    const list = await s3.send(new ListBucketsCommand({}));
    expect(list.Buckets?.map((b) => b.Name)).toContain(bucket);
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'x', Body: randomBytes(10) }));
    expect((await errorOf(s3.send(new DeleteBucketCommand({ Bucket: bucket })))).name).toBe('BucketNotEmpty');
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'x' }));
    await s3.send(new DeleteBucketCommand({ Bucket: bucket }));
    const gone = await errorOf(s3.send(new HeadBucketCommand({ Bucket: bucket })));
    expect(gone.$metadata.httpStatusCode).toBe(404);
  });
});
