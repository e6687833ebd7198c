import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnv } from './support/cli-env.ts';
import { getTarget, targetKind, type S3Target } from './support/target.ts';

// SigV2 query-string presigned URLs (?AWSAccessKeyId=&Expires=&Signature=), made by botocore's HmacV1QueryAuth
// (boto3 1.43 with signature_version='s3'), fetched as a browser or curl would. AWS us-east-1 and RGW accept them.

const run = promisify(execFile);
const PYTHON = '/root/.pyenv/shims/python3';
const hasPython = existsSync(PYTHON);

const PRESIGN = `
import sys, json, boto3
from botocore.config import Config
endpoint, bucket, requests = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
s3 = boto3.client('s3', endpoint_url=endpoint, config=Config(signature_version='s3', s3={'addressing_style': 'path'}))
out = [s3.generate_presigned_url(r['op'], Params=dict(Bucket=bucket, **r['params']), ExpiresIn=r.get('expires', 300), HttpMethod=r.get('method')) for r in requests]
print(json.dumps(out))
`;

const HEADER_SIGNED = `
import sys, boto3
from botocore.config import Config
endpoint, bucket, key = sys.argv[1:4]
s3 = boto3.client('s3', endpoint_url=endpoint, config=Config(signature_version='s3', s3={'addressing_style': 'path'}))
try:
    s3.get_object(Bucket=bucket, Key=key)['Body'].read()
    print('ok')
except Exception as e:
    print(e.response['ResponseMetadata']['HTTPStatusCode'], e.response['Error']['Code'], e.response['Error']['Message'])
`;

interface Presign {
  op: string;
  params: Record<string, unknown>;
  expires?: number;
}

let target: S3Target;
let work: string;
beforeAll(async () => {
  target = await getTarget();
  work = await mkdtemp(join(tmpdir(), 'hoist-sigv2-'));
  await writeFile(join(work, 'presign.py'), PRESIGN);
  await writeFile(join(work, 'header.py'), HEADER_SIGNED);
});
afterAll(async () => {
  await target?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

const env = () => cliEnv(target, work);

async function presign(...requests: Presign[]): Promise<string[]> {
  const { stdout } = await run(
    PYTHON,
    [join(work, 'presign.py'), target.endpoint, target.bucket, JSON.stringify(requests)],
    { env: env() },
  );
  const urls = JSON.parse(stdout) as string[];
  for (const url of urls) expect(url).toMatch(/[?&]AWSAccessKeyId=.*&Signature=|[?&]Signature=/);
  return urls;
}

const errorCode = async (res: Response) => /<Code>([^<]*)<\/Code>/.exec(await res.text())?.[1];

describe.runIf(hasPython)('SigV2 presigned URLs (boto3 signature_version="s3")', () => {
  it('PUT then GET, HEAD and DELETE an object through presigned URLs', async () => {
    const key = `sigv2/plain ${randomBytes(3).toString('hex')}+ü.bin`;
    const body = randomBytes(64 * 1024);
    const [put, get, head, del] = await presign(
      { op: 'put_object', params: { Key: key } },
      { op: 'get_object', params: { Key: key } },
      { op: 'head_object', params: { Key: key } },
      { op: 'delete_object', params: { Key: key } },
    );
    const putRes = await fetch(put!, { method: 'PUT', body });
    expect(putRes.status).toBe(200);
    const got = await fetch(get!);
    expect(got.status).toBe(200);
    expect(Buffer.from(await got.arrayBuffer())).toEqual(body);
    const headRes = await fetch(head!, { method: 'HEAD' });
    expect([headRes.status, headRes.headers.get('content-length')]).toEqual([200, String(body.length)]);
    expect((await fetch(del!, { method: 'DELETE' })).status).toBe(204);
    expect((await fetch(get!)).status).toBe(404);
  });

  it('signs response-content-* overrides and the multipart sub-resources (uploadId, partNumber)', async () => {
    const key = `sigv2/multipart-${randomBytes(3).toString('hex')}`;
    const { client, bucket } = target;
    const { UploadId } = await client.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key }));
    const part = randomBytes(1024);
    const [upload, get] = await presign(
      { op: 'upload_part', params: { Key: key, UploadId, PartNumber: 1 } },
      {
        op: 'get_object',
        params: { Key: key, ResponseContentType: 'text/x-hoist', ResponseContentDisposition: 'attachment' },
      },
    );
    const putRes = await fetch(upload!, { method: 'PUT', body: part });
    expect(putRes.status).toBe(200);
    await client.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key: key,
        UploadId,
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag: putRes.headers.get('etag')! }] },
      }),
    );
    const got = await fetch(get!);
    expect(got.status).toBe(200);
    expect([got.headers.get('content-type'), got.headers.get('content-disposition')]).toEqual([
      'text/x-hoist',
      'attachment',
    ]);
    expect(Buffer.from(await got.arrayBuffer())).toEqual(part);
    // The overrides are signed: changing one breaks the signature.
    const tampered = await fetch(get!.replace('text%2Fx-hoist', 'text%2Fhtml'));
    expect([tampered.status, await errorCode(tampered)]).toEqual([403, 'SignatureDoesNotMatch']);
  });

  // Ceph RGW 16 refuses these (SignatureDoesNotMatch): it takes the path as sent, not botocore's "/bucket/".
  it.runIf(targetKind() === 'embedded')(
    'signs requests to the bucket itself: ListObjectsV2, ListObjects, ListMultipartUploads',
    async () => {
      const prefix = `sigv2/bucket-${randomBytes(3).toString('hex')}/`;
      const { client, bucket } = target;
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: `${prefix}a.txt`, Body: 'a' }));
      const urls = await presign(
        { op: 'list_objects_v2', params: { Prefix: prefix } },
        { op: 'list_objects', params: { Prefix: prefix } },
        { op: 'list_multipart_uploads', params: { Prefix: prefix } },
      );
      // botocore signs the bucket's resource as "/bucket/" and sends the path as "/bucket".
      expect(new URL(urls[0]!).pathname).toBe(`/${bucket}`);
      const bodies = await Promise.all(
        urls.map(async (url) => {
          const res = await fetch(url);
          return [res.status, await res.text()] as const;
        }),
      );
      expect(bodies.map(([status]) => status)).toEqual([200, 200, 200]);
      // (botocore asks for encoding-type=url: the key's "/" may come as %2F)
      for (const [, body] of bodies.slice(0, 2))
        expect(decodeURIComponent(body)).toContain(`<Key>${prefix}a.txt</Key>`);
      expect(bodies[2]![1]).toContain('ListMultipartUploadsResult');
    },
  );

  it('answers 403 AccessDenied "Request has expired" past Expires, and SignatureDoesNotMatch for a bad signature', async () => {
    const key = 'sigv2/expiry.txt';
    await target.client.send(new PutObjectCommand({ Bucket: target.bucket, Key: key, Body: 'x' }));
    const [expired, fresh] = await presign(
      { op: 'get_object', params: { Key: key }, expires: -60 },
      { op: 'get_object', params: { Key: key } },
    );
    const old = await fetch(expired!);
    const text = await old.text();
    expect(old.status).toBe(403);
    expect(text).toContain('<Code>AccessDenied</Code>');
    if (target.kind === 'embedded') expect(text).toContain('Request has expired');
    const bad = new URL(fresh!);
    bad.searchParams.set('Signature', Buffer.alloc(20, 7).toString('base64'));
    const badRes = await fetch(bad);
    expect([badRes.status, await errorCode(badRes)]).toEqual([403, 'SignatureDoesNotMatch']);
    // Another key under the same signature is another resource.
    const other = await fetch(fresh!.replace('expiry.txt', 'expiry.txx'));
    expect([other.status, await errorCode(other)]).toEqual([403, 'SignatureDoesNotMatch']);
  });

  it('still refuses SigV2 in the Authorization header, with a clear message (RGW 16 accepts it)', async () => {
    const key = 'sigv2/header.txt';
    await target.client.send(new PutObjectCommand({ Bucket: target.bucket, Key: key, Body: 'x' }));
    const { stdout } = await run(PYTHON, [join(work, 'header.py'), target.endpoint, target.bucket, key], {
      env: env(),
    });
    if (target.kind === 'rgw') expect(stdout.trim()).toBe('ok');
    else
      expect(stdout.trim()).toBe(
        '400 InvalidRequest Signature Version 2 in the Authorization header is not supported; use AWS4-HMAC-SHA256 (SigV2 presigned URLs are accepted).',
      );
  });
});
