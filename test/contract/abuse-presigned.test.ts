import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { crc32 } from 'node:zlib';
import {
  CreateBucketCommand,
  ListMultipartUploadsCommand,
  ListPartsCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SignedPart, UploadPlan } from '../../server/shared/api-types.ts';
import { apiOver } from './api/harness.ts';
import { getTarget, uniqueBucketName, type S3Target } from './support/target.ts';

// What api-rejections.test.ts does not cover: a presigned URL edited to reach something else, a part
// body longer than signed, another upload's token on Complete/Abort, and one key for two spellings.

const MiB = 1024 ** 2;
let target: S3Target;
let h: Awaited<ReturnType<typeof apiOver>>;
let otherBucket: string;

beforeAll(async () => {
  target = await getTarget();
  h = await apiOver(target, {
    HOIST_KEY_PREFIX: `abuse-${randomUUID().slice(0, 8)}/`,
    HOIST_MAX_OBJECT_SIZE: '1GiB',
  });
  otherBucket = uniqueBucketName('hoist-other');
  await target.client.send(new CreateBucketCommand({ Bucket: otherBucket }));
});
afterAll(async () => {
  await target?.close();
});

/** The part checksum in the algorithm the server chose (CRC32, or MD5 on stores that ignore CRC32). */
function checksumOf(p: UploadPlan, bytes: Uint8Array): string {
  if (p.checksumAlgorithm === 'MD5') return createHash('md5').update(bytes).digest('base64');
  const b = Buffer.alloc(4);
  b.writeUInt32BE(crc32(bytes) >>> 0);
  return b.toString('base64');
}

async function plan(name: string, size: number): Promise<UploadPlan> {
  const res = await h.api.uploads.$post({
    json: { name, size, type: 'application/octet-stream', lastModified: 0 },
  });
  expect(res.status).toBe(200);
  return (await res.json()) as UploadPlan;
}

async function sign(p: UploadPlan, parts: { partNumber: number; checksum?: string }[]) {
  const res = await h.api.uploads.sign.$post({ json: { token: p.token, parts } });
  expect(res.status).toBe(200);
  return ((await res.json()) as { parts: SignedPart[] }).parts;
}

async function put(url: string, headers: Record<string, string>, body: Uint8Array<ArrayBuffer>) {
  const res = await fetch(url, { method: 'PUT', headers, body });
  return { status: res.status, text: await res.text() };
}

async function partsOf(key: string, uploadId: string) {
  const r = await target.client.send(
    new ListPartsCommand({ Bucket: target.bucket, Key: key, UploadId: uploadId }),
  );
  return (r.Parts ?? []).map((p) => p.PartNumber);
}

/** The presigned URL with its path or one query parameter replaced; the signature left as it was. */
function edited(url: string, change: { path?: (p: string) => string; param?: [string, string] }): string {
  const u = new URL(url);
  if (change.path) u.pathname = change.path(u.pathname);
  if (change.param) u.searchParams.set(change.param[0], change.param[1]);
  return u.toString();
}

describe('a presigned part URL is good for exactly what was signed', () => {
  it('edited to another key, bucket, part number or upload: 403, and nothing is stored', async () => {
    const a = await plan('victim.bin', 12 * MiB);
    const b = await plan('other.bin', 12 * MiB);
    const body = randomBytes(5 * MiB);
    const [part] = await sign(a, [{ partNumber: 1, checksum: checksumOf(a, body) }]);
    const url = part!.url;
    const attempts = {
      'another key': edited(url, { path: (p) => p.replace(/victim\.bin$/, 'other.bin') }),
      'another bucket': edited(url, { path: (p) => p.replace(`/${target.bucket}/`, `/${otherBucket}/`) }),
      'another part number': edited(url, { param: ['partNumber', '2'] }),
      "another upload's id": edited(url, { param: ['uploadId', b.uploadId!] }),
      'a longer expiry': edited(url, { param: ['X-Amz-Expires', '604800'] }),
    };
    for (const [label, tampered] of Object.entries(attempts)) {
      const r = await put(tampered, part!.headers, body);
      expect(r.status, `${label}: ${r.text}`).toBe(403);
      expect(r.text, label).toMatch(/SignatureDoesNotMatch|AccessDenied/);
    }
    expect(await partsOf(a.key, a.uploadId!)).toEqual([]);
    expect(await partsOf(b.key, b.uploadId!)).toEqual([]);
    const inOther = await target.client.send(new ListMultipartUploadsCommand({ Bucket: otherBucket }));
    expect(inOther.Uploads ?? []).toEqual([]);
    // The untouched URL still works: the refusals were about the edits.
    expect((await put(url, part!.headers, body)).status).toBe(200);
    await h.api.uploads.abort.$post({ json: { token: a.token } });
    await h.api.uploads.abort.$post({ json: { token: b.token } });
  });

  it('a single-PUT URL edited to another key is refused', async () => {
    const p = await plan('single.txt', 11);
    const body = Buffer.from('hello world');
    const [part] = await sign(p, [{ partNumber: 1, checksum: checksumOf(p, body) }]);
    const r = await put(
      edited(part!.url, { path: (x) => x.replace(/single\.txt$/, 'elsewhere.txt') }),
      part!.headers,
      body,
    );
    expect(r.status).toBe(403);
    const head = await h.store.head(`${h.config.keyPrefix}elsewhere.txt`);
    expect(head).toBeNull();
  });

  it('a part body longer than the signed length is refused (403), like a shorter one', async () => {
    const p = await plan('longer.bin', 9 * MiB);
    const [part] = await sign(p, [{ partNumber: 2 }]);
    expect(part!.size).toBe(4 * MiB);
    const r = await put(part!.url, part!.headers, randomBytes(4 * MiB + 1));
    expect(r.status).toBe(403);
    expect(await partsOf(p.key, p.uploadId!)).toEqual([]);
    await h.api.uploads.abort.$post({ json: { token: p.token } });
  });
});

describe("another upload's token", () => {
  it('completing or aborting with it acts on that upload only; the first keeps its parts', async () => {
    const a = await plan('mine.bin', 6 * MiB);
    const b = await plan('theirs.bin', 6 * MiB);
    const body = randomBytes(5 * MiB);
    const [part] = await sign(a, [{ partNumber: 1, checksum: checksumOf(a, body) }]);
    const landed = await fetch(part!.url, { method: 'PUT', headers: part!.headers, body });
    expect(landed.status).toBe(200);
    const etag = landed.headers.get('etag')!;

    // B's token with A's parts: B has none of them.
    const wrongComplete = await h.api.uploads.complete.$post({
      json: { token: b.token, parts: [{ partNumber: 1, etag }] },
    });
    expect(wrongComplete.status).toBe(409);
    expect(await wrongComplete.json()).toMatchObject({ error: { code: 'parts-missing' }, missing: [1, 2] });
    const wrongAbort = await h.api.uploads.abort.$post({ json: { token: b.token } });
    expect(wrongAbort.status).toBe(200);
    expect(await wrongAbort.json()).toMatchObject({ key: b.key });

    expect(await partsOf(a.key, a.uploadId!)).toEqual([1]);
    await h.api.uploads.abort.$post({ json: { token: a.token } });
  });
});

describe('unicode normalisation', () => {
  it('a name in NFC and the same name in NFD land on one key, stored in NFC', async () => {
    const nfc = 'Café Übersicht ñ.txt'.normalize('NFC');
    const nfd = nfc.normalize('NFD');
    expect(nfd).not.toBe(nfc);
    const first = await plan(nfd, 3);
    expect(first.key).toBe(`${h.config.keyPrefix}${nfc}`);
    const body = Buffer.from('abc');
    const [part] = await sign(first, [{ partNumber: 1, checksum: checksumOf(first, body) }]);
    expect((await put(part!.url, part!.headers, body)).status).toBe(200);
    const done = await h.api.uploads.complete.$post({
      json: { token: first.token, parts: [{ partNumber: 1, etag: 'x' }] },
    });
    expect(done.status).toBe(200);

    // The other spelling finds the same object, in a folder path too.
    const clash = await h.api.uploads.$post({
      json: { name: nfc, size: 4, type: 'text/plain', lastModified: 0 },
    });
    expect(clash.status).toBe(409);
    expect(await clash.json()).toMatchObject({ error: { code: 'key-exists' }, key: first.key });
    const inFolder = await h.api.uploads.$post({
      json: { name: nfc, size: 4, type: 'text/plain', lastModified: 0, relativePath: `Ordner/${nfd}` },
    });
    expect(((await inFolder.json()) as UploadPlan).key).toBe(`${h.config.keyPrefix}Ordner/${nfc}`);

    const listed = await h.api.objects.$get({ query: { prefix: h.config.keyPrefix } });
    const keys = ((await listed.json()) as { objects: { key: string }[] }).objects.map((o) => o.key);
    expect(keys.filter((k) => k.normalize('NFC') === first.key)).toEqual([first.key]);
  });

  it('a name another tool wrote in NFD (aws s3 sync keeps the bytes) is that object, not a look-alike beside it', async () => {
    const nfc = 'Résumé ä.txt'.normalize('NFC');
    const nfd = nfc.normalize('NFD');
    const stored = `${h.config.keyPrefix}Sync/${nfd}`;
    await target.client.send(new PutObjectCommand({ Bucket: target.bucket, Key: stored, Body: 'hello' }));
    // Picked with either spelling (a browser may give either), into the folder or as a folder's path.
    for (const json of [
      { name: nfd, folder: 'Sync/', relativePath: `Sync/${nfd}` },
      { name: nfc, folder: 'Sync/', relativePath: `Sync/${nfc}` },
      { name: nfd, relativePath: `Sync/${nfd}` },
    ]) {
      const res = await h.api.uploads.$post({
        json: { ...json, size: 5, type: 'text/plain', lastModified: 0 },
      });
      expect(res.status, JSON.stringify(json)).toBe(409);
      expect(await res.json()).toMatchObject({ error: { code: 'key-exists' }, key: stored });
    }
    const replace = await h.api.uploads.$post({
      json: {
        name: nfc,
        size: 5,
        type: 'text/plain',
        lastModified: 0,
        onConflict: 'replace',
        relativePath: `Sync/${nfc}`,
      },
    });
    expect(((await replace.json()) as UploadPlan).key).toBe(stored);
    const keepBoth = await h.api.uploads.$post({
      json: {
        name: nfc,
        size: 5,
        type: 'text/plain',
        lastModified: 0,
        onConflict: 'keep-both',
        relativePath: `Sync/${nfc}`,
      },
    });
    expect(((await keepBoth.json()) as UploadPlan).key).toBe(
      `${h.config.keyPrefix}Sync/${'Résumé ä (1).txt'.normalize('NFD')}`,
    );
    // No object under either spelling: Hoist's own key is NFC, as before.
    const fresh = await plan(`Neu ${nfd}`, 5);
    expect(fresh.key).toBe(`${h.config.keyPrefix}Neu ${nfc}`);
  });
});
