import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { crc32 } from 'node:zlib';
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  PutObjectCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MAX_CREATES_PER_CALL,
  MAX_LINKS_PER_CALL,
  SHARE_LINK_MAX_SECONDS,
  type ChecksumAlgorithm,
  type DownloadLink,
  type DownloadLinks,
  type ObjectPage,
  type ShareLink,
  type SignedPart,
  type UploadPlan,
} from '../../server/shared/api-types.ts';
import { sweepStaleUploads } from '../../server/janitor.ts';
import { apiOver } from './api/harness.ts';
import { getTarget, targetKind, type S3Target } from './support/target.ts';

const MiB = 1024 ** 2;

function checksumOf(bytes: Uint8Array, algorithm: ChecksumAlgorithm): string {
  if (algorithm === 'MD5') return createHash('md5').update(bytes).digest('base64');
  const b = Buffer.alloc(4);
  b.writeUInt32BE(crc32(bytes) >>> 0);
  return b.toString('base64');
}

async function putPart(part: SignedPart, body: Uint8Array<ArrayBuffer>, signal?: AbortSignal) {
  const res = await fetch(part.url, { method: 'PUT', headers: part.headers, body, signal });
  const text = await res.text();
  return { status: res.status, etag: res.headers.get('etag'), text };
}

let target: S3Target;
let h: Awaited<ReturnType<typeof apiOver>>;

beforeAll(async () => {
  target = await getTarget();
  h = await apiOver(target, {
    HOIST_KEY_PREFIX: `api-${randomUUID().slice(0, 8)}/`,
    HOIST_MAX_OBJECT_SIZE: '100MiB',
  });
});
afterAll(async () => {
  await target?.close();
});

async function create(name: string, size: number, extra: Record<string, unknown> = {}) {
  const res = await h.api.uploads.$post({
    json: { name, size, type: 'application/octet-stream', lastModified: 0, ...extra },
  });
  return res;
}

async function createPlan(name: string, size: number, extra: Record<string, unknown> = {}) {
  const res = await create(name, size, extra);
  expect(res.status).toBe(200);
  return (await res.json()) as UploadPlan;
}

async function uploadAll(plan: UploadPlan, bytes: Uint8Array<ArrayBuffer>) {
  const numbers = Array.from({ length: plan.partCount }, (_, i) => i + 1);
  const slices = numbers.map((n) => bytes.subarray((n - 1) * plan.partSize, n * plan.partSize));
  const signRes = await h.api.uploads.sign.$post({
    json: {
      token: plan.token,
      parts: numbers.map((n, i) => ({
        partNumber: n,
        checksum: checksumOf(slices[i]!, plan.checksumAlgorithm),
      })),
    },
  });
  expect(signRes.status).toBe(200);
  const { parts } = (await signRes.json()) as { parts: SignedPart[] };
  const done = [];
  for (const [i, part] of parts.entries()) {
    const r = await putPart(part, slices[i]!);
    expect(r.status, r.text).toBe(200);
    expect(r.etag).toBeTruthy();
    done.push({ partNumber: part.partNumber, etag: r.etag!, checksum: part.headers['x-amz-checksum-crc32'] });
  }
  return done;
}

async function readBack(key: string) {
  const r = await target.client.send(new GetObjectCommand({ Bucket: target.bucket, Key: key }));
  return Buffer.from(await r.Body!.transformToByteArray());
}

describe('upload API over a real S3 endpoint', () => {
  it('uploads a multipart file: create, sign, PUT parts, complete, download matches', async () => {
    const bytes = randomBytes(17 * MiB + 5);
    const plan = await createPlan('big file ü.bin', bytes.length);
    expect(plan).toMatchObject({ kind: 'multipart', partSize: 5 * MiB, partCount: 4 });
    expect(plan.checksumAlgorithm).toBe(
      target.kind === 'rgw' ? 'MD5' /* RGW 16 ignores flexible checksums */ : 'CRC32',
    );
    const parts = await uploadAll(plan, bytes);

    const listed = await h.api.uploads.parts.$post({ json: { token: plan.token } });
    expect(((await listed.json()) as { parts: unknown[] }).parts).toHaveLength(4);

    const done = await h.api.uploads.complete.$post({ json: { token: plan.token, parts } });
    expect(done.status).toBe(200);
    const body = (await done.json()) as { key: string; size: number; etag: string };
    expect(body).toMatchObject({ key: plan.key, size: bytes.length });
    expect(body.etag).toMatch(/-4"$/);
    expect((await readBack(plan.key)).equals(bytes)).toBe(true);

    const link = await h.api.objects.download.$post({ json: { key: plan.key } });
    expect(link.status).toBe(200);
    const { url, checksum } = (await link.json()) as DownloadLink;
    if (plan.checksumAlgorithm === 'CRC32') {
      // A composite checksum comes with the part layout that recomputes it, from both routes (a
      // folder download asks for its links in batches).
      expect(checksum).toMatchObject({ composite: true, parts: { partSize: 5 * MiB, count: 4 } });
      expect(checksum?.value).toMatch(/-4$/);
      const batch = await h.api.objects['download-links'].$post({ json: { keys: [plan.key] } });
      const [batched] = ((await batch.json()) as DownloadLinks).links;
      expect(batched?.checksum).toEqual(checksum);
    }
    const got = await fetch(url);
    expect(got.headers.get('content-disposition')).toContain("filename*=UTF-8''big%20file%20%C3%BC.bin");
    expect(Buffer.from(await got.arrayBuffer()).equals(bytes)).toBe(true);

    // A Complete whose answer was lost is retried: the object is reported, nothing is harmed.
    const again = await h.api.uploads.complete.$post({ json: { token: plan.token, parts } });
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ key: plan.key, alreadyCompleted: true });
    // And it cannot be aborted any more.
    const abort = await h.api.uploads.abort.$post({ json: { token: plan.token } });
    expect(abort.status).toBe(409);
    expect(await abort.json()).toMatchObject({ error: { code: 'already-completed' } });
  });

  it('a Complete with check: true only says whether the upload was completed as parts hashed from the file (another tab sent it)', async () => {
    const bytes = randomBytes(11 * MiB);
    const plan = await createPlan('sent by another tab.bin', bytes.length);
    expect(plan.kind).toBe('multipart');
    const sent = await uploadAll(plan, bytes);
    // What a second tab knows: the file's bytes, hashed as that upload's parts; not the PUTs' ETags.
    const hashedFrom = (file: Uint8Array) =>
      Array.from({ length: plan.partCount }, (_, i) => {
        const checksum = checksumOf(
          file.subarray(i * plan.partSize, (i + 1) * plan.partSize),
          plan.checksumAlgorithm,
        );
        const etag =
          plan.checksumAlgorithm === 'MD5'
            ? `"${Buffer.from(checksum, 'base64').toString('hex')}"`
            : 'not-known';
        return { partNumber: i + 1, etag, checksum };
      });
    const check = (parts: { partNumber: number; etag: string; checksum?: string }[]) =>
      h.api.uploads.complete.$post({ json: { token: plan.token, parts, check: true } });

    // Still open: a check never completes it.
    const early = await check(hashedFrom(bytes));
    expect(early.status).toBe(404);
    expect(await early.json()).toMatchObject({ error: { code: 'no-such-upload' } });
    const listed = await h.api.uploads.parts.$post({ json: { token: plan.token } });
    expect(((await listed.json()) as { parts: unknown[] }).parts).toHaveLength(plan.partCount);

    const done = await h.api.uploads.complete.$post({ json: { token: plan.token, parts: sent } });
    expect(done.status).toBe(200);
    const yes = await check(hashedFrom(bytes));
    expect(yes.status).toBe(200);
    expect(await yes.json()).toMatchObject({ key: plan.key, size: bytes.length, alreadyCompleted: true });

    // Another file of the same size (one byte differs): not this upload.
    const other = Buffer.from(bytes);
    other[6 * MiB] = other[6 * MiB]! ^ 0xff;
    const no = await check(hashedFrom(other));
    expect(no.status).toBe(404);
    expect(await no.json()).toMatchObject({ error: { code: 'no-such-upload' } });
  });

  it('uploads a small file with one presigned PUT', async () => {
    const bytes = randomBytes(1000);
    const plan = await createPlan('small.txt', bytes.length);
    expect(plan).toMatchObject({ kind: 'single', uploadId: null, partCount: 1 });
    const parts = await uploadAll(plan, bytes);
    const done = await h.api.uploads.complete.$post({ json: { token: plan.token, parts } });
    expect(done.status).toBe(200);
    expect((await readBack(plan.key)).equals(bytes)).toBe(true);
    // A cancel that arrives after the PUT landed is told so, rather than "cancelled".
    const late = await h.api.uploads.abort.$post({ json: { token: plan.token } });
    expect(late.status).toBe(409);
    expect(await late.json()).toMatchObject({ error: { code: 'already-completed' } });
  });

  it("stores a file the browser gave no type as its extension's type (as Uppy and the AWS CLI), on a single PUT and a multipart upload", async () => {
    for (const [name, size, type] of [
      ['site.webmanifest', 300, 'application/manifest+json'],
      ['notes.md', 6 * MiB, 'text/markdown'],
      ['Makefile', 10, 'application/octet-stream'],
    ] as const) {
      const bytes = randomBytes(size);
      const plan = await createPlan(name, size, { type: '' });
      const done = await h.api.uploads.complete.$post({
        json: { token: plan.token, parts: await uploadAll(plan, bytes) },
      });
      expect(done.status).toBe(200);
      const head = await target.client.send(new HeadObjectCommand({ Bucket: target.bucket, Key: plan.key }));
      expect(head.ContentType, name).toBe(type);
    }
  });

  it('looks a moment longer for a single PUT the page says it sent and aborted: one landing meanwhile is already-completed', async () => {
    // The page's fetch was aborted after the body went out; the store writes the object a moment later.
    const bytes = randomBytes(1000);
    const plan = await createPlan('landing.txt', bytes.length);
    const abort = h.api.uploads.abort.$post({ json: { token: plan.token, sent: true } });
    await new Promise((r) => setTimeout(r, 150));
    await uploadAll(plan, bytes);
    const res = await abort;
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ error: { code: 'already-completed' } });
    // Not said sent (nothing went out): confirmed at once, whatever lands after.
    const other = await createPlan('not-sent.txt', bytes.length);
    const quick = await h.api.uploads.abort.$post({ json: { token: other.token } });
    expect([quick.status, await quick.json()]).toEqual([
      200,
      { key: other.key, partsRemoved: 0, confirmed: true },
    ]);
  });

  it('the same file uploaded at once from two browsers: the one completing second is done too, and its own parts are aborted', async () => {
    const bytes = randomBytes(11 * MiB + 3);
    const name = `twice-${randomUUID().slice(0, 8)}.bin`;
    // Both created before either completes (two profiles: no tab lock, no shared journal).
    const first = await createPlan(name, bytes.length);
    const second = await createPlan(name, bytes.length);
    expect(second.key).toBe(first.key);
    const firstParts = await uploadAll(first, bytes);
    const secondParts = await uploadAll(second, bytes);
    const done = await h.api.uploads.complete.$post({ json: { token: first.token, parts: firstParts } });
    expect(done.status).toBe(200);
    const late = await h.api.uploads.complete.$post({ json: { token: second.token, parts: secondParts } });
    expect(late.status).toBe(200);
    expect(await late.json()).toMatchObject({ key: first.key, size: bytes.length, alreadyCompleted: true });
    expect((await readBack(first.key)).equals(bytes)).toBe(true);
    const left = await target.client.send(
      new ListMultipartUploadsCommand({ Bucket: target.bucket, Prefix: first.key }),
    );
    expect(left.Uploads ?? []).toEqual([]);
  });

  it('sets the content type, Cache-Control, Content-Disposition, -Encoding, -Language, metadata and tags asked for, on a single PUT and a multipart upload', async () => {
    const properties = {
      contentType: 'text/markdown',
      cacheControl: 'public, max-age=3600',
      contentDisposition: 'attachment; filename="notes.md"',
      contentEncoding: 'gzip',
      contentLanguage: 'en-GB',
      // "José" as the page sends other letters (RFC 2047), and as S3 answers them.
      metadata: { project: 'apollo', 'reviewed-by': 'qa team', author: '=?UTF-8?B?Sm9zw6k=?=' },
      tags: { team: 'data', 'retention days': '30' },
    };
    for (const size of [1234, 11 * MiB + 1]) {
      const plan = await createPlan(`props-${size}.md`, size, { properties });
      const parts = await uploadAll(plan, randomBytes(size));
      if (plan.kind === 'multipart') {
        const done = await h.api.uploads.complete.$post({ json: { token: plan.token, parts } });
        expect(done.status).toBe(200);
      }
      const head = await target.client.send(new HeadObjectCommand({ Bucket: target.bucket, Key: plan.key }));
      expect(head).toMatchObject({
        ContentLength: size,
        ContentType: 'text/markdown',
        CacheControl: 'public, max-age=3600',
        ContentDisposition: 'attachment; filename="notes.md"',
        ContentEncoding: 'gzip',
        ContentLanguage: 'en-GB',
        Metadata: { project: 'apollo', 'reviewed-by': 'qa team', author: '=?UTF-8?B?Sm9zw6k=?=' },
      });
      const tagging = await target.client.send(
        new GetObjectTaggingCommand({ Bucket: target.bucket, Key: plan.key }),
      );
      expect(Object.fromEntries((tagging.TagSet ?? []).map((t) => [t.Key, t.Value]))).toEqual(
        properties.tags,
      );
    }
  });

  // Ceph RGW 16 as set up here has no class but STANDARD (store-storage-class.test.ts).
  it.runIf(targetKind() === 'embedded')(
    'gives a single PUT and a multipart upload the storage class asked for, and lists it',
    async () => {
      for (const [size, storageClass] of [
        [1234, 'STANDARD_IA'],
        [11 * MiB + 1, 'GLACIER_IR'],
      ] as const) {
        const plan = await createPlan(`class-${size}.bin`, size, { properties: { storageClass } });
        const parts = await uploadAll(plan, randomBytes(size));
        if (plan.kind === 'multipart') {
          const done = await h.api.uploads.complete.$post({ json: { token: plan.token, parts } });
          expect(done.status).toBe(200);
        }
        const head = await target.client.send(
          new HeadObjectCommand({ Bucket: target.bucket, Key: plan.key }),
        );
        expect([plan.kind, head.StorageClass]).toEqual([
          size > 5 * MiB ? 'multipart' : 'single',
          storageClass,
        ]);
        const listed = await h.api.objects.$get({ query: { prefix: plan.key } });
        expect(((await listed.json()) as ObjectPage).objects).toMatchObject([
          { key: plan.key, storageClass },
        ]);
        // The name asked for again: the object there says its class (the page skips an unchanged file
        // only when it would get that class again).
        const again = await create(`class-${size}.bin`, size, { properties: { storageClass } });
        expect([again.status, await again.json()]).toMatchObject([409, { existing: { storageClass } }]);
      }
      // STANDARD is not said in a listing, as it is no choice.
      const plain = await createPlan('class-plain.bin', 10);
      await uploadAll(plain, randomBytes(10));
      const listed = await h.api.objects.$get({ query: { prefix: plain.key } });
      expect(((await listed.json()) as ObjectPage).objects[0]).not.toHaveProperty('storageClass');
    },
  );

  it('refuses a storage class the server does not offer, saying which it offers, and creates nothing', async () => {
    const refused = async (storageClass: string) => {
      const res = await create('class-refused.bin', 12 * MiB, { properties: { storageClass } });
      expect(res.status).toBe(400);
      return ((await res.json()) as { error: { code: string; message: string } }).error;
    };
    // The embedded store's list (this server has no S3_ENDPOINT), which has no archive class.
    expect(await refused('GLACIER')).toEqual({
      code: 'invalid-properties',
      message: expect.stringMatching(
        /^"GLACIER" is not a storage class this storage offers \(Standard, .*Standard-IA/,
      ),
    });
    expect((await refused('standard_ia')).message).toMatch(/is not a storage class \(like STANDARD_IA/);
    const uploads = await target.client.send(
      new ListMultipartUploadsCommand({
        Bucket: target.bucket,
        Prefix: `${h.config.keyPrefix}class-refused`,
      }),
    );
    expect(uploads.Uploads ?? []).toEqual([]);
  });

  it('carries the most properties S3 takes through sign and abort (the token holds them)', async () => {
    const tags = Object.fromEntries(
      Array.from({ length: 10 }, (_, i) => [`k${i}`.padEnd(128, 'k'), 'v'.repeat(256)]),
    );
    const plan = await createPlan('big-tags.bin', 12 * MiB, { properties: { tags } });
    expect(plan.kind).toBe('multipart');
    const signed = await h.api.uploads.sign.$post({
      json: { token: plan.token, parts: [{ partNumber: 2 }] },
    });
    expect(signed.status).toBe(200);
    const listed = await h.api.uploads.parts.$post({ json: { token: plan.token } });
    expect(listed.status).toBe(200);
    const abort = await h.api.uploads.abort.$post({ json: { token: plan.token } });
    expect(abort.status).toBe(200);
    const uploads = await target.client.send(
      new ListMultipartUploadsCommand({ Bucket: target.bucket, Prefix: plan.key }),
    );
    expect(uploads.Uploads ?? []).toEqual([]);
  });

  it('refuses properties S3 would not take, saying which', async () => {
    const refused = async (properties: unknown) => {
      const res = await create('bad-props.txt', 10, { properties });
      expect(res.status).toBe(400);
      return ((await res.json()) as { error: { code: string; message: string } }).error;
    };
    expect(await refused({ metadata: { 'Has Space': 'x' } })).toMatchObject({
      code: 'invalid-properties',
      message: expect.stringContaining('x-amz-meta-Has Space'),
    });
    expect(
      (await refused({ tags: Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`k${i}`, 'v'])) }))
        .message,
    ).toMatch(/at most 10/);
    expect((await refused({ contentType: 'not a type' })).message).toMatch(/not a content type/);
    expect((await refused({ metadata: { note: 'naïve' } })).message).toMatch(/printable ASCII/);
    expect((await refused({ contentLanguage: 'x'.repeat(257) })).message).toMatch(
      /Content-Language must be printable ASCII of up to 256/,
    );
  });

  it('signs part 1 in the create answer when the client hashed it already, and only then', async () => {
    const algorithm = h.selfTest.checksumAlgorithm();
    for (const size of [6 * MiB + 1, 3000]) {
      const bytes = randomBytes(size);
      const first = bytes.subarray(0, Math.min(size, 5 * MiB));
      const plan = await createPlan(`first-part-${size}.bin`, size, {
        firstPart: {
          size: first.length,
          checksumAlgorithm: algorithm,
          checksum: checksumOf(first, algorithm),
        },
      });
      expect(plan.firstPart).toMatchObject({ partNumber: 1, size: first.length, method: 'PUT' });
      const put = await putPart(plan.firstPart!, first);
      expect(put.status, put.text).toBe(200);
      // The URL carries the checksum: other bytes of the same size are refused by S3.
      const other = await createPlan(`first-part-other-${size}.bin`, size, {
        firstPart: {
          size: first.length,
          checksumAlgorithm: algorithm,
          checksum: checksumOf(first, algorithm),
        },
      });
      const wrong = Buffer.from(first);
      wrong[0] = wrong[0]! ^ 0xff;
      expect((await putPart(other.firstPart!, wrong)).status).toBe(400);
      await h.api.uploads.abort.$post({ json: { token: other.token } });
      if (plan.kind === 'multipart') {
        const rest = bytes.subarray(5 * MiB);
        const sign = await h.api.uploads.sign.$post({
          json: { token: plan.token, parts: [{ partNumber: 2, checksum: checksumOf(rest, algorithm) }] },
        });
        const [second] = ((await sign.json()) as { parts: SignedPart[] }).parts;
        const r2 = await putPart(second!, rest);
        expect(r2.status, r2.text).toBe(200);
        const parts = [
          { partNumber: 1, etag: put.etag! },
          { partNumber: 2, etag: r2.etag! },
        ];
        expect((await h.api.uploads.complete.$post({ json: { token: plan.token, parts } })).status).toBe(200);
      } else {
        const parts = [{ partNumber: 1, etag: put.etag! }];
        expect((await h.api.uploads.complete.$post({ json: { token: plan.token, parts } })).status).toBe(200);
      }
      expect((await readBack(plan.key)).equals(bytes)).toBe(true);
    }
    // A guess that does not match the plan (size or algorithm) is ignored: signed later as usual.
    const other = algorithm === 'CRC32' ? 'MD5' : 'CRC32';
    const bytes = randomBytes(6 * MiB);
    for (const firstPart of [
      {
        size: 4 * MiB,
        checksumAlgorithm: algorithm,
        checksum: checksumOf(bytes.subarray(0, 4 * MiB), algorithm),
      },
      { size: 5 * MiB, checksumAlgorithm: other, checksum: checksumOf(bytes.subarray(0, 5 * MiB), other) },
    ]) {
      const plan = await createPlan(
        `first-part-ignored-${firstPart.size}-${firstPart.checksumAlgorithm}.bin`,
        bytes.length,
        {
          firstPart,
        },
      );
      expect(plan.firstPart).toBeUndefined();
      await h.api.uploads.abort.$post({ json: { token: plan.token } });
    }
  });

  it('gives download links for many keys in one call; missing keys are listed, not fatal', async () => {
    const keys = [];
    for (const name of ['batch a.txt', 'batch b.txt']) {
      const bytes = Buffer.from(`contents of ${name}`);
      const plan = await createPlan(name, bytes.length);
      const parts = await uploadAll(plan, bytes);
      expect((await h.api.uploads.complete.$post({ json: { token: plan.token, parts } })).status).toBe(200);
      keys.push(plan.key);
    }
    const missing = `${h.config.keyPrefix}batch-missing.txt`;
    const res = await h.api.objects['download-links'].$post({ json: { keys: [...keys, missing] } });
    expect(res.status).toBe(200);
    const answer = (await res.json()) as DownloadLinks;
    expect(answer.missing).toEqual([missing]);
    expect(answer.links.map((l) => l.key)).toEqual(keys);
    for (const link of answer.links) {
      const body = await (await fetch(link.url)).text();
      expect(body).toBe(`contents of ${link.key.slice(link.key.lastIndexOf('/') + 1)}`);
      expect(link.size).toBe(body.length);
    }
    const tooMany = Array.from({ length: MAX_LINKS_PER_CALL + 1 }, (_, i) => `${h.config.keyPrefix}k${i}`);
    expect((await h.api.objects['download-links'].$post({ json: { keys: tooMany } })).status).toBe(400);
    const outside = await h.api.objects['download-links'].$post({ json: { keys: ['elsewhere/x'] } });
    expect(outside.status).toBe(400);
  });

  it('shares an object with a link valid for the time asked, within what SigV4 allows', async () => {
    const bytes = Buffer.from('shared contents');
    const plan = await createPlan('shared.txt', bytes.length);
    const parts = await uploadAll(plan, bytes);
    expect((await h.api.uploads.complete.$post({ json: { token: plan.token, parts } })).status).toBe(200);
    const before = Date.now();
    const res = await h.api.objects.share.$post({ json: { key: plan.key, expiresInSeconds: 86_400 } });
    expect(res.status).toBe(200);
    const link = (await res.json()) as ShareLink;
    expect(new URL(link.url).searchParams.get('X-Amz-Expires')).toBe('86400');
    expect(link.endsWithCredentials).toBeUndefined(); // keys that last
    expect(link.expiresAt).toBeGreaterThanOrEqual(before + 86_400_000);
    expect(link.expiresAt).toBeLessThanOrEqual(Date.now() + 86_400_000);
    const got = await fetch(link.url);
    expect(got.status).toBe(200);
    expect(Buffer.from(await got.arrayBuffer()).equals(bytes)).toBe(true);
    expect(got.headers.get('content-disposition')).toContain('shared.txt');

    const share = (json: { key: string; expiresInSeconds: number }) => h.api.objects.share.$post({ json });
    expect((await share({ key: plan.key, expiresInSeconds: SHARE_LINK_MAX_SECONDS + 1 })).status).toBe(400);
    expect((await share({ key: plan.key, expiresInSeconds: 59 })).status).toBe(400);
    expect((await share({ key: 'elsewhere/x', expiresInSeconds: 3600 })).status).toBe(400);
    const gone = await share({ key: `${h.config.keyPrefix}never-there.txt`, expiresInSeconds: 3600 });
    expect(gone.status).toBe(404);
    expect(await gone.json()).toMatchObject({ error: { code: 'not-found' } });
  });

  it('a download or share link saves the object under the file name its stored Content-Disposition gives, as an attachment', async () => {
    const key = `${h.config.keyPrefix}exports/0f3a9c.bin`;
    const stored = `inline; filename="Quarterly report.pdf"; filename*=UTF-8''Quarterly%20r%C3%A9port.pdf`;
    await target.client.send(
      new PutObjectCommand({
        Bucket: target.bucket,
        Key: key,
        Body: 'pdf bytes',
        ContentDisposition: stored,
      }),
    );
    const download = (await (await h.api.objects.download.$post({ json: { key } })).json()) as DownloadLink;
    const share = (await (
      await h.api.objects.share.$post({ json: { key, expiresInSeconds: 3600 } })
    ).json()) as ShareLink;
    for (const url of [download.url, share.url]) {
      const got = await fetch(url);
      expect(got.status).toBe(200);
      expect(await got.text()).toBe('pdf bytes');
      const disposition = got.headers.get('content-disposition') ?? '';
      expect(disposition).toMatch(/^attachment; /);
      expect(disposition).toContain("filename*=UTF-8''Quarterly%20r%C3%A9port.pdf");
    }
    // Stored without a file name: the key's last segment, as before.
    await target.client.send(
      new PutObjectCommand({
        Bucket: target.bucket,
        Key: key,
        Body: 'pdf bytes',
        ContentDisposition: 'inline',
      }),
    );
    const plain = (await (await h.api.objects.download.$post({ json: { key } })).json()) as DownloadLink;
    expect((await fetch(plain.url)).headers.get('content-disposition')).toContain('filename="0f3a9c.bin"');
    // A name with a right-to-left override ("invoice‮fdp.exe" reads "invoiceexe.pdf"): saved with "_" for it.
    await target.client.send(
      new PutObjectCommand({
        Bucket: target.bucket,
        Key: key,
        Body: 'pdf bytes',
        ContentDisposition: "attachment; filename*=UTF-8''invoice%E2%80%AEfdp.exe",
      }),
    );
    const disguised = (await (await h.api.objects.download.$post({ json: { key } })).json()) as DownloadLink;
    expect((await fetch(disguised.url)).headers.get('content-disposition')).toContain(
      "filename*=UTF-8''invoice_fdp.exe",
    );
    await target.client.send(new DeleteObjectCommand({ Bucket: target.bucket, Key: key }));
  });

  it('a share link signed with temporary credentials says it ends with them, when that is sooner', async () => {
    const temporary = await apiOver(
      target,
      { HOIST_KEY_PREFIX: h.config.keyPrefix },
      {},
      { credentialsEndIn: 600_000 },
    );
    const bytes = Buffer.from('shared for a while');
    const plan = await createPlan('temporary.txt', bytes.length);
    const parts = await uploadAll(plan, bytes);
    expect((await h.api.uploads.complete.$post({ json: { token: plan.token, parts } })).status).toBe(200);
    const week = await temporary.api.objects.share.$post({
      json: { key: plan.key, expiresInSeconds: 604_800 },
    });
    const link = (await week.json()) as ShareLink;
    expect(link.endsWithCredentials).toBe(true);
    expect(link.expiresAt).toBeLessThanOrEqual(Date.now() + 600_000);
    expect(link.expiresAt).toBeGreaterThan(Date.now() + 500_000);
    expect((await fetch(link.url)).status).toBe(200);
    // Asked for less than the credentials have left: the time asked, said plainly.
    const short = await temporary.api.objects.share.$post({ json: { key: plan.key, expiresInSeconds: 60 } });
    const shortLink = (await short.json()) as ShareLink;
    expect(shortLink.endsWithCredentials).toBeUndefined();
    expect(shortLink.expiresAt).toBeLessThanOrEqual(Date.now() + 60_000);
  });

  it('cancels a single-PUT upload that never landed', async () => {
    const plan = await createPlan('never.txt', 10);
    const res = await h.api.uploads.abort.$post({ json: { token: plan.token } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ confirmed: true, partsRemoved: 0 });
  });

  it('signs the exact length: a part of another size is refused by S3', async () => {
    const plan = await createPlan('exact.bin', 9 * MiB);
    const res = await h.api.uploads.sign.$post({ json: { token: plan.token, parts: [{ partNumber: 2 }] } });
    const [part] = ((await res.json()) as { parts: SignedPart[] }).parts;
    expect(part!.size).toBe(4 * MiB);
    const r = await putPart(part!, randomBytes(4 * MiB - 1));
    expect(r.status).toBe(403);
    await h.api.uploads.abort.$post({ json: { token: plan.token } });
  });

  it('signs the checksum: bytes that do not match it are refused by S3', async () => {
    const plan = await createPlan('digest.bin', 9 * MiB);
    const good = randomBytes(4 * MiB);
    const res = await h.api.uploads.sign.$post({
      json: {
        token: plan.token,
        parts: [{ partNumber: 2, checksum: checksumOf(good, plan.checksumAlgorithm) }],
      },
    });
    const [part] = ((await res.json()) as { parts: SignedPart[] }).parts;
    const corrupted = Buffer.from(good);
    corrupted[100] = corrupted[100]! ^ 0xff;
    const r = await putPart(part!, corrupted);
    expect(r.status).toBe(400);
    expect(r.text).toContain('BadDigest');
    expect((await putPart(part!, good)).status).toBe(200);
    await h.api.uploads.abort.$post({ json: { token: plan.token } });
  });

  it('reads the largest Complete the API allows (10,000 parts, ETags of 200 characters: ~3 MB of JSON) and answers it', async () => {
    const big = await apiOver(target, {
      HOIST_KEY_PREFIX: `api-big-${randomUUID().slice(0, 8)}/`,
      HOIST_MAX_OBJECT_SIZE: '1TiB',
    });
    const res = await big.api.uploads.$post({
      json: {
        name: `${'n'.repeat(900)}.bin`,
        size: 10_000 * 5 * MiB,
        type: 'application/octet-stream',
        lastModified: 0,
        // What S3 allows beside the key (2 KB of metadata, 10 tags): the token carries it to Complete.
        properties: {
          metadata: { note: 'm'.repeat(1800) },
          tags: Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`tag${i}`, 'v'.repeat(200)])),
        },
      },
    });
    expect(res.status).toBe(200);
    const plan = (await res.json()) as UploadPlan;
    expect(plan.partCount).toBe(10_000);
    const md5 = (n: number) => createHash('md5').update(String(n));
    const parts = Array.from({ length: 10_000 }, (_, i) => ({
      partNumber: i + 1,
      // An MD5 ETag is 34 characters with its quotes; any form of up to 200 is taken.
      etag: `"${md5(i).digest('hex')}"`.padEnd(200, '-'),
      checksum: md5(i).digest('base64'),
    }));
    const body = JSON.stringify({ token: plan.token, parts });
    expect(body.length).toBeGreaterThan(2.5 * MiB);
    const done = await big.app.request('/uploads/complete', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    // Read and checked against the store, not refused for its size: no part was sent.
    expect(done.status).toBe(409);
    const answer = (await done.json()) as { error: { code: string }; missing: number[] };
    expect(answer.error.code).toBe('parts-missing');
    expect(answer.missing).toHaveLength(10_000);
    await big.api.uploads.abort.$post({ json: { token: plan.token } });
  });

  it('refuses a Complete whose ETags are not those of the parts on the store, naming every one', async () => {
    const bytes = randomBytes(11 * MiB);
    const plan = await createPlan('mismatch.bin', bytes.length);
    expect(plan.partCount).toBe(3);
    const parts = await uploadAll(plan, bytes);
    const wrong = parts.map((p) =>
      p.partNumber === 2 ? p : { ...p, etag: '"0123456789abcdef0123456789abcdef"' },
    );
    const done = await h.api.uploads.complete.$post({ json: { token: plan.token, parts: wrong } });
    expect(done.status).toBe(409);
    expect(await done.json()).toMatchObject({ error: { code: 'part-mismatch' }, missing: [1, 3] });
    await h.api.uploads.abort.$post({ json: { token: plan.token } });
  });

  it('refuses to complete while parts are missing, naming them', async () => {
    const bytes = randomBytes(17 * MiB);
    const plan = await createPlan('partial.bin', bytes.length);
    const res = await h.api.uploads.sign.$post({ json: { token: plan.token, parts: [{ partNumber: 1 }] } });
    const [part] = ((await res.json()) as { parts: SignedPart[] }).parts;
    const put = await putPart(part!, bytes.subarray(0, 5 * MiB));
    const done = await h.api.uploads.complete.$post({
      json: { token: plan.token, parts: [{ partNumber: 1, etag: put.etag! }] },
    });
    expect(done.status).toBe(409);
    expect(await done.json()).toMatchObject({ error: { code: 'parts-missing' }, missing: [2, 3, 4] });
    await h.api.uploads.abort.$post({ json: { token: plan.token } });
  });

  it('aborts with a part in flight and confirms nothing is left', async () => {
    const plan = await createPlan('cancel me.bin', 40 * MiB);
    const signed = await h.api.uploads.sign.$post({
      json: { token: plan.token, parts: [1, 2, 3, 4, 5].map((partNumber) => ({ partNumber })) },
    });
    const { parts } = (await signed.json()) as { parts: SignedPart[] };
    await putPart(parts[0]!, randomBytes(5 * MiB));
    // Parts race the abort: some land before it, some after.
    const inFlight = parts.slice(1).map((p) => putPart(p, randomBytes(5 * MiB)).catch(() => null));
    const abort = await h.api.uploads.abort.$post({ json: { token: plan.token } });
    expect(abort.status).toBe(200);
    expect(await abort.json()).toMatchObject({ key: plan.key, confirmed: true });
    await Promise.all(inFlight);
    const again = await h.api.uploads.abort.$post({ json: { token: plan.token } });
    expect(again.status).toBe(200); // idempotent
    const uploads = await target.client.send(
      new ListMultipartUploadsCommand({ Bucket: target.bucket, Prefix: plan.key }),
    );
    expect(uploads.Uploads ?? []).toEqual([]);
    const listed = await h.api.uploads.parts.$post({ json: { token: plan.token } });
    expect(listed.status).toBe(404);
  });

  it('plans many files in one call, each answered as it would be alone', async () => {
    const taken = await createPlan('many-taken.txt', 3);
    await h.api.uploads.complete.$post({
      json: { token: taken.token, parts: await uploadAll(taken, Buffer.from('abc')) },
    });
    const file = (name: string, size: number, extra: Record<string, unknown> = {}) => ({
      name,
      size,
      type: 'text/plain',
      lastModified: 0,
      ...extra,
    });
    const res = await h.api.uploads.many.$post({
      json: {
        files: [
          file('many-a.txt', 5),
          file('many-taken.txt', 4),
          file('many-big.bin', 200 * MiB),
          file('many-taken.txt', 4, { onConflict: 'keep-both' }),
          file('../escape.txt', 1),
          file('many-multi.bin', 6 * MiB),
          // Refused by the schema, alone: the others are planned all the same.
          file('many-deep.txt', 1, { relativePath: `${'d/'.repeat(2100)}many-deep.txt` }),
        ],
      },
    });
    expect(res.status).toBe(200);
    const { results } = (await res.json()) as { results: Record<string, unknown>[] };
    expect(results).toHaveLength(7);
    expect(results[6]).toMatchObject({ status: 400, error: { code: 'invalid-request' } });
    expect((results[6] as { error: { message: string } }).error.message).toMatch(/^relativePath: /);
    const [a, clash, big, both, bad, multi] = results as [
      { plan: UploadPlan },
      { keyExists: { error: { code: string }; existing: { size: number }; suggestedKey: string } },
      { error: { code: string; message: string }; status: number },
      { plan: UploadPlan },
      { error: { code: string }; status: number; details: { problem: string } },
      { plan: UploadPlan },
    ];
    // The plans work as those of POST /api/uploads do.
    expect(a.plan).toMatchObject({ kind: 'single', key: `${h.config.keyPrefix}many-a.txt` });
    await uploadAll(a.plan, Buffer.from('hello'));
    expect((await readBack(a.plan.key)).toString()).toBe('hello');
    expect(clash.keyExists).toMatchObject({
      error: { code: 'key-exists' },
      existing: { size: 3 },
      suggestedKey: `${h.config.keyPrefix}many-taken (1).txt`,
    });
    expect(big).toMatchObject({ status: 413, error: { code: 'too-large' } });
    expect(big.error.message).toContain('many-big.bin');
    expect(both.plan.key).toBe(`${h.config.keyPrefix}many-taken (1).txt`);
    expect(bad).toMatchObject({ status: 400, error: { code: 'invalid-key' } });
    expect(bad.details.problem).toBeTruthy();
    expect(multi.plan).toMatchObject({ kind: 'multipart', partCount: 2 });
    const bytes = randomBytes(6 * MiB);
    const parts = await uploadAll(multi.plan, bytes);
    const done = await h.api.uploads.complete.$post({ json: { token: multi.plan.token, parts } });
    expect(done.status).toBe(200);
    expect((await readBack(multi.plan.key)).equals(bytes)).toBe(true);
    // A call of nothing, or of more than MAX_CREATES_PER_CALL files, is refused as a whole.
    expect((await h.api.uploads.many.$post({ json: { files: [] } })).status).toBe(400);
    const tooMany = Array.from({ length: MAX_CREATES_PER_CALL + 1 }, (_, i) => file(`n${i}.txt`, 1));
    expect((await h.api.uploads.many.$post({ json: { files: tooMany } })).status).toBe(400);
  });

  it('says when the key exists and lets the client replace it or keep both', async () => {
    const plan = await createPlan('dup.txt', 3);
    await h.api.uploads.complete.$post({
      json: { token: plan.token, parts: await uploadAll(plan, Buffer.from('abc')) },
    });
    const clash = await create('dup.txt', 4);
    expect(clash.status).toBe(409);
    const body = (await clash.json()) as {
      error: { code: string };
      suggestedKey: string;
      existing: { size: number; checksum?: string; checksumAlgorithm?: string };
    };
    expect(body.error.code).toBe('key-exists');
    expect(body.existing.size).toBe(3);
    // The stored checksum says its algorithm, so the page can tell the same bytes from others. (A store
    // that only checks Content-MD5, as RGW 16, keeps none: the page compares the ETag then.)
    if (plan.checksumAlgorithm === 'CRC32')
      expect(body.existing).toMatchObject({ checksum: 'NSRBwg==', checksumAlgorithm: 'CRC32' });
    else expect(body.existing.checksum).toBeUndefined();
    expect(body.suggestedKey).toBe(`${h.config.keyPrefix}dup (1).txt`);
    const both = await createPlan('dup.txt', 4, { onConflict: 'keep-both' });
    expect(both.key).toBe(`${h.config.keyPrefix}dup (1).txt`);
    const replace = await createPlan('dup.txt', 4, { onConflict: 'replace' });
    expect(replace.key).toBe(`${h.config.keyPrefix}dup.txt`);
  });

  it('never overwrites an object written while the upload ran, unless the client says replace', async () => {
    // Multipart: Complete answers 409 key-exists; the parts stay, and Complete with replace uses them.
    const bytes = randomBytes(11 * MiB);
    const plan = await createPlan('race.bin', bytes.length);
    const parts = await uploadAll(plan, bytes);
    await target.client.send(new PutObjectCommand({ Bucket: target.bucket, Key: plan.key, Body: 'theirs' }));
    const refused = await h.api.uploads.complete.$post({ json: { token: plan.token, parts } });
    expect(refused.status).toBe(409);
    expect(await refused.json()).toMatchObject({
      error: { code: 'key-exists' },
      key: plan.key,
      existing: { size: 6 },
      suggestedKey: `${h.config.keyPrefix}race (1).bin`,
    });
    expect((await readBack(plan.key)).toString()).toBe('theirs');
    const replaced = await h.api.uploads.complete.$post({
      json: { token: plan.token, parts, replace: true },
    });
    expect(replaced.status).toBe(200);
    expect((await readBack(plan.key)).equals(bytes)).toBe(true);

    // Single PUT: signed with If-None-Match: *, so S3 itself refuses it once the key exists.
    const small = Buffer.from('mine!');
    const single = await createPlan('race.txt', small.length);
    const sign = async (replace: boolean) => {
      const res = await h.api.uploads.sign.$post({
        json: {
          token: single.token,
          parts: [{ partNumber: 1, checksum: checksumOf(small, single.checksumAlgorithm) }],
          ...(replace && { replace }),
        },
      });
      return ((await res.json()) as { parts: SignedPart[] }).parts[0]!;
    };
    const conditional = await sign(false);
    expect(conditional.headers['if-none-match']).toBe('*');
    await target.client.send(
      new PutObjectCommand({ Bucket: target.bucket, Key: single.key, Body: 'theirs' }),
    );
    expect((await putPart(conditional, small)).status).toBe(412);
    expect((await readBack(single.key)).toString()).toBe('theirs');
    const unconditional = await sign(true);
    expect(unconditional.headers['if-none-match']).toBeUndefined();
    expect((await putPart(unconditional, small)).status).toBe(200);
    expect((await readBack(single.key)).equals(small)).toBe(true);
  });

  it('"Replace" replaces the object the user was shown, not one written at the key after the choice', async () => {
    const shown = await target.client.send(
      new PutObjectCommand({ Bucket: target.bucket, Key: `${h.config.keyPrefix}chosen.bin`, Body: 'shown' }),
    );
    // Multipart: Complete with replace and the ETag shown refuses once another object is there.
    const bytes = randomBytes(11 * MiB);
    const plan = await createPlan('chosen.bin', bytes.length, { onConflict: 'replace' });
    const parts = await uploadAll(plan, bytes);
    await target.client.send(new PutObjectCommand({ Bucket: target.bucket, Key: plan.key, Body: 'later' }));
    const complete = (replaceIf: string) =>
      h.api.uploads.complete.$post({ json: { token: plan.token, parts, replace: true, replaceIf } });
    const refused = await complete(shown.ETag!);
    expect(refused.status).toBe(409);
    expect(await refused.json()).toMatchObject({ error: { code: 'key-exists' }, existing: { size: 5 } });
    expect((await readBack(plan.key)).toString()).toBe('later');
    // Asked again, the user replaces what is there now.
    const later = await target.client.send(new HeadObjectCommand({ Bucket: target.bucket, Key: plan.key }));
    expect((await complete(later.ETag!)).status).toBe(200);
    expect((await readBack(plan.key)).equals(bytes)).toBe(true);

    // Single PUT: signed If-Match the ETag shown, so the store refuses it (412) once it changed.
    const small = Buffer.from('mine!');
    const single = await createPlan('chosen.txt', small.length);
    const first = await target.client.send(
      new PutObjectCommand({ Bucket: target.bucket, Key: single.key, Body: 'shown' }),
    );
    const signReplacing = async (replaceIf: string) => {
      const res = await h.api.uploads.sign.$post({
        json: {
          token: single.token,
          parts: [{ partNumber: 1, checksum: checksumOf(small, single.checksumAlgorithm) }],
          replace: true,
          replaceIf,
        },
      });
      return ((await res.json()) as { parts: SignedPart[] }).parts[0]!;
    };
    // The ETag as the store compares it, learned by the self-test: quoted, as S3 takes it; Ceph RGW 16
    // compares it without the quotes (a quoted one is refused 412 though the object is the same).
    expect(h.selfTest.ifMatchForm()).toBe(target.kind === 'rgw' ? 'unquoted' : 'quoted');
    const signed = await signReplacing(first.ETag!);
    expect(signed.headers['if-match']).toBe(
      target.kind === 'rgw' ? first.ETag!.replaceAll('"', '') : first.ETag,
    );
    await target.client.send(new PutObjectCommand({ Bucket: target.bucket, Key: single.key, Body: 'later' }));
    expect((await putPart(signed, small)).status).toBe(412);
    expect((await readBack(single.key)).toString()).toBe('later');
    // Removed since: no object to match. S3 answers 404 NoSuchKey (the page creates again, and asks
    // only if a name is taken then); Ceph RGW 16 answers 412 (the page asks again: nothing is lost).
    await target.client.send(new DeleteObjectCommand({ Bucket: target.bucket, Key: single.key }));
    const gone = await putPart(signed, small);
    if (target.kind === 'rgw') expect(gone.status).toBe(412);
    else {
      expect(gone.status).toBe(404);
      expect(gone.text).toContain('<Code>NoSuchKey</Code>');
    }
    await expect(readBack(single.key)).rejects.toMatchObject({ name: 'NoSuchKey' });
    // Still the object shown: replaced.
    const again = await target.client.send(
      new PutObjectCommand({ Bucket: target.bucket, Key: single.key, Body: 'shown again' }),
    );
    expect((await putPart(await signReplacing(again.ETag!), small)).status).toBe(200);
    expect((await readBack(single.key)).equals(small)).toBe(true);
  });

  /**
   * A "Replace" of `name` whose object shown is deleted after the server's HEAD found it, right before
   * the store's Complete; `beforeAnother` runs before any Complete after that one.
   */
  async function replaceOfVanished(name: string, beforeAnother?: (key: string) => Promise<unknown>) {
    const shown = await target.client.send(
      new PutObjectCommand({ Bucket: target.bucket, Key: `${h.config.keyPrefix}${name}`, Body: 'shown' }),
    );
    const bytes = randomBytes(6 * MiB);
    const plan = await createPlan(name, bytes.length, { onConflict: 'replace' });
    const parts = await uploadAll(plan, bytes);
    const racing = await apiOver(
      target,
      { HOIST_KEY_PREFIX: h.config.keyPrefix, HOIST_MAX_OBJECT_SIZE: '100MiB' },
      {},
      {
        wrapStore: (store) => ({
          ...store,
          complete: async (...args: Parameters<typeof store.complete>) => {
            if (args[4]?.ifMatch !== undefined)
              await target.client.send(new DeleteObjectCommand({ Bucket: target.bucket, Key: plan.key }));
            else await beforeAnother?.(plan.key);
            return store.complete(...args);
          },
        }),
      },
    );
    const res = await racing.api.uploads.complete.$post({
      json: { token: plan.token, parts, replace: true, replaceIf: shown.ETag! },
    });
    return { res, bytes, key: plan.key };
  }

  it('"Replace" of an object made of the very same parts writes it, with the properties the upload asked for', async () => {
    // The file uploaded again with other upload settings, and Replace chosen: the same bytes cut the same
    // way (the same multipart ETag), but the object is to get the new type, metadata and tags.
    const bytes = randomBytes(11 * MiB + 5);
    const first = await createPlan('again.bin', bytes.length);
    const firstDone = await h.api.uploads.complete.$post({
      json: { token: first.token, parts: await uploadAll(first, bytes) },
    });
    expect(firstDone.status).toBe(200);
    const { etag: shown } = (await firstDone.json()) as { etag: string };
    const properties = { contentType: 'text/x-new', metadata: { owner: 'carol' }, tags: { x: '1' } };
    const plan = await createPlan('again.bin', bytes.length, { onConflict: 'replace', properties });
    expect(plan.key).toBe(first.key);
    const parts = await uploadAll(plan, bytes);
    const done = await h.api.uploads.complete.$post({
      json: { token: plan.token, parts, replace: true, replaceIf: shown },
    });
    expect(done.status).toBe(200);
    expect(await done.json()).not.toHaveProperty('alreadyCompleted');
    const head = await target.client.send(new HeadObjectCommand({ Bucket: target.bucket, Key: plan.key }));
    expect(head).toMatchObject({
      ContentLength: bytes.length,
      ContentType: 'text/x-new',
      Metadata: { owner: 'carol' },
    });
    const tagging = await target.client.send(
      new GetObjectTaggingCommand({ Bucket: target.bucket, Key: plan.key }),
    );
    expect(tagging.TagSet).toEqual([{ Key: 'x', Value: '1' }]);
    expect((await readBack(plan.key)).equals(bytes)).toBe(true);
    const left = await target.client.send(
      new ListMultipartUploadsCommand({ Bucket: target.bucket, Prefix: plan.key }),
    );
    expect(left.Uploads ?? []).toEqual([]);
  });

  it('"Replace" of an object deleted just before Complete completes (nothing is left to overwrite unasked)', async () => {
    const { res, bytes, key } = await replaceOfVanished('vanished.bin');
    expect(res.status).toBe(200);
    expect((await readBack(key)).equals(bytes)).toBe(true);
  });

  // Ceph RGW 16 ignores conditions on Complete (the HEADs around it catch only what came before).
  it.runIf(targetKind() !== 'rgw')(
    '"Replace" of an object deleted just before Complete, then written again by another: a name conflict, never overwritten',
    async () => {
      const { res, key } = await replaceOfVanished('again.bin', (k) =>
        target.client.send(new PutObjectCommand({ Bucket: target.bucket, Key: k, Body: 'newcomer' })),
      );
      expect(res.status).toBe(409);
      expect(await res.json()).toMatchObject({ error: { code: 'key-exists' } });
      expect((await readBack(key)).toString()).toBe('newcomer');
    },
  );

  it('a Complete retried while the first was still assembling is answered done, not a name conflict with its own object', async () => {
    const plan = await createPlan('retried-complete.bin', 12 * MiB);
    const parts = await uploadAll(plan, randomBytes(12 * MiB));
    const pending = await target.client.send(
      new ListMultipartUploadsCommand({ Bucket: target.bucket, Prefix: plan.key }),
    );
    const listing = await h.store.listParts(plan.key, pending.Uploads![0]!.UploadId!);
    const first = await h.api.uploads.complete.$post({ json: { token: plan.token, parts } });
    expect(first.status).toBe(200);
    const { etag } = (await first.json()) as { etag: string };
    // The retry's ListParts still sees the upload, as it does while the store assembles the first.
    const racing = await apiOver(
      target,
      { HOIST_KEY_PREFIX: h.config.keyPrefix, HOIST_MAX_OBJECT_SIZE: '100MiB' },
      {},
      { wrapStore: (store) => ({ ...store, listParts: async () => listing }) },
    );
    const retried = await racing.api.uploads.complete.$post({ json: { token: plan.token, parts } });
    expect(retried.status).toBe(200);
    expect(await retried.json()).toMatchObject({ key: plan.key, etag, size: 12 * MiB });
  });

  it('an upload that is gone is not reported done because another multipart object of its size sits at the key', async () => {
    const bytes = randomBytes(6 * MiB);
    const plan = await createPlan('gone.bin', bytes.length);
    const parts = await uploadAll(plan, bytes);
    expect((await h.api.uploads.abort.$post({ json: { token: plan.token } })).status).toBe(200);
    // Someone else's object, also in two parts, of the same size.
    const theirs = randomBytes(bytes.length);
    const { UploadId } = await target.client.send(
      new CreateMultipartUploadCommand({ Bucket: target.bucket, Key: plan.key }),
    );
    const etags = [];
    for (const [i, chunk] of [theirs.subarray(0, 5 * MiB), theirs.subarray(5 * MiB)].entries()) {
      const r = await target.client.send(
        new UploadPartCommand({
          Bucket: target.bucket,
          Key: plan.key,
          UploadId,
          PartNumber: i + 1,
          Body: chunk,
        }),
      );
      etags.push({ PartNumber: i + 1, ETag: r.ETag });
    }
    await target.client.send(
      new CompleteMultipartUploadCommand({
        Bucket: target.bucket,
        Key: plan.key,
        UploadId,
        MultipartUpload: { Parts: etags },
      }),
    );
    const res = await h.api.uploads.complete.$post({ json: { token: plan.token, parts } });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: 'no-such-upload' } });
    expect((await readBack(plan.key)).equals(theirs)).toBe(true);
  });

  it('keeps folder paths from folder uploads under the prefix', async () => {
    const plan = await createPlan('a.txt', 1, { relativePath: 'trip/day 1/a.txt' });
    expect(plan.key).toBe(`${h.config.keyPrefix}trip/day 1/a.txt`);
  });

  it('lists folders and objects page by page and deletes many', async () => {
    for (const name of ['l/one.txt', 'l/two.txt', 'l/three.txt', 'l/sub/four.txt']) {
      const plan = await createPlan('x', 2, { relativePath: name });
      await h.api.uploads.complete.$post({
        json: { token: plan.token, parts: await uploadAll(plan, Buffer.from('hi')) },
      });
    }
    const prefix = `${h.config.keyPrefix}l/`;
    const first = await h.api.objects.$get({ query: { prefix, limit: '2' } });
    const page1 = (await first.json()) as {
      folders: string[];
      objects: { key: string }[];
      nextCursor: string | null;
    };
    expect(page1.nextCursor).not.toBeNull();
    const second = await h.api.objects.$get({ query: { prefix, limit: '2', cursor: page1.nextCursor! } });
    const page2 = (await second.json()) as typeof page1;
    const keys = [...page1.objects, ...page2.objects].map((o) => o.key.slice(prefix.length));
    expect(keys.sort()).toEqual(['one.txt', 'three.txt', 'two.txt']);
    expect([...page1.folders, ...page2.folders]).toEqual([`${prefix}sub/`]);

    const del = await h.api.objects.delete.$post({
      json: { keys: [`${prefix}one.txt`, `${prefix}two.txt`] },
    });
    expect(((await del.json()) as { deleted: string[] }).deleted.sort()).toEqual([
      `${prefix}one.txt`,
      `${prefix}two.txt`,
    ]);
    const after = await h.api.objects.$get({ query: { prefix } });
    expect(((await after.json()) as typeof page1).objects.map((o) => o.key)).toEqual([`${prefix}three.txt`]);
  });

  it('deletes each key at the ETag the page counted it at: one written again since is kept, its error "changed" (RGW 16 deletes it)', async () => {
    // The form the self-test learned, deleting its probe pinned to its ETag (RGW 16: deleted, as it
    // ignores the ETag).
    expect(h.selfTest.deleteIfMatchForm()).toBe('quoted');
    const key = (name: string) => `${h.config.keyPrefix}pinned-delete/${name}`;
    const put = (name: string, body: string) =>
      target.client.send(new PutObjectCommand({ Bucket: target.bucket, Key: key(name), Body: body }));
    const counted = {
      a: (await put('a.txt', 'a')).ETag!,
      b: (await put('b.txt', 'b')).ETag!,
      c: (await put('c.txt', 'c')).ETag!,
    };
    await put('b.txt', 'b written again');
    // Deleted by another tool since the count: gone, as asked, and no failure (S3 says NoSuchKey).
    await target.client.send(new DeleteObjectCommand({ Bucket: target.bucket, Key: key('c.txt') }));
    const res = await h.api.objects.delete.$post({
      json: {
        keys: [key('a.txt'), key('b.txt'), key('c.txt')],
        etags: { [key('a.txt')]: counted.a, [key('b.txt')]: counted.b, [key('c.txt')]: counted.c },
      },
    });
    const answer = (await res.json()) as {
      deleted: string[];
      errors: { key: string; changed?: boolean }[];
    };
    const still = await readBack(key('b.txt')).then(
      (bytes) => bytes.toString(),
      () => null,
    );
    if (target.kind === 'rgw') {
      expect([answer.deleted.sort(), still]).toEqual([[key('a.txt'), key('b.txt'), key('c.txt')], null]);
      return;
    }
    expect(answer.deleted.sort()).toEqual([key('a.txt'), key('c.txt')]);
    expect(answer.errors).toMatchObject([{ key: key('b.txt'), changed: true }]);
    expect(still).toBe('b written again');
  });

  it("a token's expiry slides with each sign and parts call: an upload that keeps going never expires", async () => {
    let clock = Date.now();
    const slow = await apiOver(
      target,
      { HOIST_KEY_PREFIX: `slide-${randomUUID().slice(0, 8)}/`, HOIST_STALE_UPLOAD_TTL: '1h' },
      {},
      { now: () => clock },
    );
    const res = await slow.api.uploads.$post({
      json: { name: 'long.bin', size: 12 * MiB, type: 'application/octet-stream', lastModified: 0 },
    });
    const plan = (await res.json()) as UploadPlan;
    expect(plan.expiresAt).toBe(clock + 3_600_000);
    // 50 minutes later the upload is still going: the sign answer carries a token good for another hour.
    clock += 50 * 60_000;
    const signed = await slow.api.uploads.sign.$post({
      json: { token: plan.token, parts: [{ partNumber: 2 }] },
    });
    expect(signed.status).toBe(200);
    const afterSign = (await signed.json()) as { token: string; expiresAt: number };
    expect(afterSign.expiresAt).toBe(clock + 3_600_000);
    // 70 minutes after create: the first token has run out, the refreshed one has not.
    clock += 20 * 60_000;
    const old = await slow.api.uploads.sign.$post({
      json: { token: plan.token, parts: [{ partNumber: 2 }] },
    });
    expect(old.status).toBe(410);
    const listed = await slow.api.uploads.parts.$post({ json: { token: afterSign.token } });
    expect(listed.status).toBe(200);
    const afterList = (await listed.json()) as { parts: unknown[]; token: string; expiresAt: number };
    expect(afterList).toMatchObject({ parts: [], expiresAt: clock + 3_600_000 });
    const abort = await slow.api.uploads.abort.$post({ json: { token: afterList.token } });
    expect(abort.status).toBe(200);
  });

  it('an expired token is still honoured while its upload receives parts (the janitor keeps it too)', async () => {
    let clock = Date.now() - 70 * 60_000; // created 70 minutes ago, with a one-hour TTL
    const slow = await apiOver(
      target,
      { HOIST_KEY_PREFIX: `active-${randomUUID().slice(0, 8)}/`, HOIST_STALE_UPLOAD_TTL: '1h' },
      {},
      { now: () => clock },
    );
    const res = await slow.api.uploads.$post({
      json: { name: 'active.bin', size: 12 * MiB, type: 'application/octet-stream', lastModified: 0 },
    });
    const plan = (await res.json()) as UploadPlan;
    const bytes = randomBytes(plan.partSize);
    const signRes = await slow.api.uploads.sign.$post({
      json: {
        token: plan.token,
        parts: [{ partNumber: 1, checksum: checksumOf(bytes, plan.checksumAlgorithm) }],
      },
    });
    const { parts } = (await signRes.json()) as { parts: SignedPart[] };
    clock = Date.now();
    // Its token ran out 10 minutes ago; idle, it is refused.
    expect((await slow.api.uploads.parts.$post({ json: { token: plan.token } })).status).toBe(410);
    // A part arrives now: the upload is going on, so the same token works again.
    expect((await putPart(parts[0]!, bytes)).status).toBe(200);
    const listed = await slow.api.uploads.parts.$post({ json: { token: plan.token } });
    expect(listed.status).toBe(200);
    expect(((await listed.json()) as { parts: unknown[] }).parts).toHaveLength(1);
    expect((await slow.api.uploads.abort.$post({ json: { token: plan.token } })).status).toBe(200);
  });

  it('the store says when each part arrived (the janitor keeps uploads still receiving parts)', async () => {
    const plan = await createPlan('dated.bin', 10 * MiB);
    // The part arrives over a second after the upload began (stores date to the second).
    await new Promise((r) => setTimeout(r, 1_100));
    const bytes = randomBytes(plan.partSize);
    const signRes = await h.api.uploads.sign.$post({
      json: {
        token: plan.token,
        parts: [{ partNumber: 1, checksum: checksumOf(bytes, plan.checksumAlgorithm) }],
      },
    });
    const [part] = ((await signRes.json()) as { parts: SignedPart[] }).parts;
    expect((await putPart(part!, bytes)).status).toBe(200);
    const uploadId = plan.uploadId!;
    const [listed] = (await h.store.listParts(plan.key, uploadId))!;
    expect(Math.abs(Date.parse(listed!.lastModified!) - Date.now())).toBeLessThan(5 * 60_000);
    // Half a TTL after the part: the upload began over a TTL ago, but its part came in within it.
    const kept = await sweepStaleUploads({
      store: h.store,
      prefix: plan.key,
      ttlMs: 1_000,
      now: () => Date.parse(listed!.lastModified!) + 500,
    });
    expect(kept).toEqual([]);
    const removed = await sweepStaleUploads({
      store: h.store,
      prefix: plan.key,
      ttlMs: 60_000,
      now: () => Date.now() + 120_000,
    });
    expect(removed.map((r) => r.key)).toEqual([plan.key]);
  });

  it('the janitor aborts uploads older than the TTL and leaves fresh ones', async () => {
    const plan = await createPlan('stale.bin', 10 * MiB);
    const fresh = await sweepStaleUploads({ store: h.store, prefix: plan.key, ttlMs: 60_000 });
    expect(fresh).toEqual([]);
    const removed = await sweepStaleUploads({
      store: h.store,
      prefix: plan.key,
      ttlMs: 60_000,
      now: () => Date.now() + 120_000,
    });
    expect(removed.map((r) => r.key)).toEqual([plan.key]);
    expect((await h.api.uploads.parts.$post({ json: { token: plan.token } })).status).toBe(404);
  });
});
