/**
 * Downloads proved by the ETag, over a real store: objects the store keeps no checksum of (all of
 * them on Ceph RGW 16, which ignores flexible checksums) come down with the page's DownloadManager
 * (Node's fetch on the presigned URLs, a MemoryDestination) and are verified against their ETag,
 * which the store makes as the MD5 of the bytes, or of the parts' MD5s.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { crc32 as zlibCrc32 } from 'node:zlib';
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  type S3Client,
  UploadPartCommand,
  type ChecksumAlgorithm,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DownloadLink, SignedPart, UploadPlan } from '../../server/shared/api-types.ts';
import { multipartEtag } from '../../server/uploads/multipart-etag.ts';
import { planParts } from '../../server/uploads/plan-parts.ts';
import type { DownloadApi } from '../../web/src/transfer/download/download-api.ts';
import {
  DownloadManager,
  type DownloadManagerOptions,
} from '../../web/src/transfer/download/download-manager.ts';
import { MemoryDestination } from '../../web/src/transfer/download/memory-destination.ts';
import { apiOver } from './api/harness.ts';
import { presignClient } from './support/presign.ts';
import { putSignedParts } from './support/put-parts.ts';
import { getTarget, type S3Target } from './support/target.ts';

const MiB = 1024 ** 2;
const md5 = (bytes: Uint8Array, encoding: 'hex' | 'base64' = 'hex') =>
  createHash('md5').update(bytes).digest(encoding);

let target: S3Target;
let h: Awaited<ReturnType<typeof apiOver>>;
/** Sends no checksum unless told (the SDK's default adds a CRC32 the store would keep). */
let client: S3Client;
let prefix: string;

beforeAll(async () => {
  target = await getTarget();
  prefix = `etag-${randomUUID().slice(0, 8)}/`;
  h = await apiOver(target, { HOIST_KEY_PREFIX: prefix, HOIST_MAX_OBJECT_SIZE: '100MiB' });
  // No checksum of its own on what it writes: the objects here have only their ETags.
  client = presignClient(target);
});
afterAll(async () => {
  client?.destroy();
  await target?.close();
});

/** Downloads `key` whole and in ranges: both come out verified by the MD5 ETag, the bytes as stored. */
async function verifiedByEtag(key: string, saved: string, bytes: Uint8Array) {
  for (const ranged of [false, true]) {
    const { items, dest } = await download([key], ranged);
    expect(items[0]).toMatchObject({ status: 'done', verification: 'verified', verifiedAgainst: 'md5-etag' });
    expect(md5(dest.files.get(saved)!)).toBe(md5(bytes));
  }
}

/** As the page asks: POST /api/objects/download. */
const api: DownloadApi = {
  async link(key, o) {
    const res = await h.api.objects.download.$post({ json: { key } }, { init: { signal: o?.signal } });
    if (res.status !== 200) throw Object.assign(new Error(`link ${res.status}`), { status: res.status });
    return (await res.json()) as DownloadLink;
  },
};

async function linkOf(key: string): Promise<DownloadLink> {
  return api.link(key);
}

/** Downloads `keys` into memory: whole GETs, or ranged GETs (the file read back) with `ranged`. */
async function download(keys: string[], ranged = false) {
  const options: Partial<DownloadManagerOptions> = ranged
    ? { rangeThreshold: 4 * MiB, rangeSize: 3 * MiB }
    : { rangeThreshold: 64 * MiB };
  const manager = new DownloadManager(api, options);
  const dest = new MemoryDestination();
  manager.start(
    keys.map((key) => ({ key, size: 0, etag: '' })),
    dest,
    { prefix },
  );
  await manager.whenIdle();
  const items = manager.getSnapshot().items;
  manager.destroy();
  return { items, dest };
}

/**
 * A multipart object of `partSize` parts (or of the sizes listed, the last taking the rest) with
 * Content-MD5 each (as Hoist uploads where only that is checked).
 */
async function putInParts(
  key: string,
  bytes: Uint8Array,
  partSize: number | number[],
  checksum?: ChecksumAlgorithm,
  checksumType?: 'FULL_OBJECT',
): Promise<string[]> {
  const { UploadId } = await client.send(
    new CreateMultipartUploadCommand({
      Bucket: target.bucket,
      Key: key,
      ChecksumAlgorithm: checksum,
      ChecksumType: checksumType,
    }),
  );
  const parts = [];
  const md5s: string[] = [];
  const sizeOf = (n: number) => (typeof partSize === 'number' ? partSize : (partSize[n - 1] ?? bytes.length));
  for (let at = 0, n = 1; at < bytes.length; at += sizeOf(n), n++) {
    const body = bytes.subarray(at, at + sizeOf(n));
    md5s.push(md5(body));
    const out = await client.send(
      new UploadPartCommand({
        Bucket: target.bucket,
        Key: key,
        UploadId,
        PartNumber: n,
        Body: body,
        ContentMD5: md5(body, 'base64'),
        ChecksumAlgorithm: checksum,
      }),
    );
    parts.push({
      PartNumber: n,
      ETag: out.ETag,
      ChecksumSHA256: out.ChecksumSHA256,
      ChecksumCRC32: out.ChecksumCRC32,
    });
  }
  await client.send(
    new CompleteMultipartUploadCommand({
      Bucket: target.bucket,
      Key: key,
      UploadId,
      MultipartUpload: { Parts: parts },
    }),
  );
  return md5s;
}

describe('downloads verified by the ETag where the store keeps no checksum', () => {
  it('verifies a single-part object by its ETag, the MD5 of its bytes', async () => {
    const key = `${prefix}one.bin`;
    const bytes = randomBytes(300_001);
    await client.send(
      new PutObjectCommand({
        Bucket: target.bucket,
        Key: key,
        Body: bytes,
        ContentMD5: md5(bytes, 'base64'),
      }),
    );
    const link = await linkOf(key);
    // What the link carries: no checksum, no encryption, and an ETag that is the MD5 of the bytes.
    expect(link.checksum).toBeUndefined();
    expect(link.serverSideEncryption).toBeUndefined();
    expect(link.sseCustomerAlgorithm).toBeUndefined();
    expect(link.etag).toBe(`"${md5(bytes)}"`);

    await verifiedByEtag(key, 'one.bin', bytes);
  });

  it("verifies an object in parts of Hoist's own size by its multipart ETag, with no checksum kept", async () => {
    const key = `${prefix}hoist-parts.bin`;
    const bytes = randomBytes(12 * MiB + 3);
    const { partSize, partCount } = planParts(bytes.length);
    const md5s = await putInParts(key, bytes, partSize);
    const link = await linkOf(key);
    expect(partCount).toBe(3);
    expect(link.checksum).toBeUndefined();
    expect(link.etag).toBe(multipartEtag(md5s));

    await verifiedByEtag(key, 'hoist-parts.bin', bytes);
  });

  it("verifies an object in another tool's parts (aws-cli's 8 MiB) by its ETag, with part 1's size or the CLI's", async () => {
    const key = `${prefix}cli-parts.bin`;
    // 8 + 8 + 1 MiB: Hoist would cut 4 parts of 5 MiB; the store keeps no checksum, so lists no parts.
    const bytes = randomBytes(17 * MiB);
    const md5s = await putInParts(key, bytes, 8 * MiB);
    const link = await linkOf(key);
    expect(link.checksum).toBeUndefined();
    expect(link.etag).toBe(multipartEtag(md5s));
    // RGW 16 answers HEAD ?partNumber=1 with the whole object and no parts count: the AWS CLI's part
    // size is the guess that gives 3 parts.
    expect(link.firstPart).toEqual(target.kind === 'rgw' ? undefined : { size: 8 * MiB, count: 3 });
    // Where the store tells part 1, it tells every part: the layout is known, not guessed.
    expect(link.partLayout).toEqual(target.kind === 'rgw' ? undefined : { partSize: 8 * MiB, count: 3 });

    await verifiedByEtag(key, 'cli-parts.bin', bytes);
  });

  it('verifies an object in parts of uneven sizes with no checksum by its ETag, with every part size HeadObject tells', async () => {
    // 6, 5 and 4 MiB: 3 parts, as part 1's 6 MiB would make too, and Hoist's 5 MiB; neither gives it back.
    const key = `${prefix}other-parts.bin`;
    const bytes = randomBytes(15 * MiB);
    const md5s = await putInParts(key, bytes, [6 * MiB, 5 * MiB]);
    const link = await linkOf(key);
    expect(link.checksum).toBeUndefined();
    expect(link.etag).toBe(multipartEtag(md5s));
    if (target.kind === 'rgw') {
      // RGW 16 tells no part's size: a guessed layout that misses is no failure, the download is size checked.
      expect(link.firstPart).toBeUndefined();
      expect(link.partLayout).toBeUndefined();
      for (const ranged of [false, true]) {
        const { items, dest } = await download([key], ranged);
        expect(items[0]).toMatchObject({
          status: 'done',
          verification: 'unverifiable',
          verifiedAgainst: 'md5-etag',
          error: null,
        });
        expect(md5(dest.files.get('other-parts.bin')!)).toBe(md5(bytes));
      }
      return;
    }
    expect(link.firstPart).toEqual({ size: 6 * MiB, count: 3 });
    expect(link.partLayout).toEqual({
      partSize: 6 * MiB,
      count: 3,
      runs: [
        [6 * MiB, 1],
        [5 * MiB, 1],
        [4 * MiB, 1],
      ],
    });
    await verifiedByEtag(key, 'other-parts.bin', bytes);
  });

  it('asks nothing of part 1 for an object with a full-object checksum: it verifies the bytes without a layout', async () => {
    const key = `${prefix}full-object.bin`;
    await putInParts(key, randomBytes(13 * MiB), 8 * MiB, 'CRC32', 'FULL_OBJECT');
    const link = await linkOf(key);
    // RGW 16 keeps no checksum (and answers no part numbers): nothing to tell there.
    if (target.kind !== 'rgw') expect(link.checksum).toMatchObject({ algorithm: 'CRC32', composite: false });
    expect(link.firstPart).toBeUndefined();
  });

  it('asks nothing of part 1 for a single-part ETag', async () => {
    const key = `${prefix}one-more.bin`;
    const bytes = randomBytes(1000);
    await client.send(new PutObjectCommand({ Bucket: target.bucket, Key: key, Body: bytes }));
    expect((await linkOf(key)).firstPart).toBeUndefined();
  });

  it('verifies a composite CRC32 and the ETag of parts of uneven sizes, with every part size listed', async () => {
    // As a streaming uploader cuts them: 6, 5, 7 MiB and 12,345 B.
    const sizes = [6 * MiB, 5 * MiB, 7 * MiB];
    const bytes = randomBytes(18 * MiB + 12_345);
    const crcKey = `${prefix}uneven-crc32.bin`;
    const shaKey = `${prefix}uneven-sha256.bin`;
    await putInParts(crcKey, bytes, sizes, 'CRC32');
    await putInParts(shaKey, bytes, sizes, 'SHA256');
    const crcLink = await linkOf(crcKey);
    if (target.kind === 'rgw') {
      // RGW 16 keeps no checksum and lists no parts: part 1's size is a guess that misses.
      expect(crcLink.checksum).toBeUndefined();
      return;
    }
    const runs = [
      [6 * MiB, 1],
      [5 * MiB, 1],
      [7 * MiB, 1],
      [12_345, 1],
    ];
    expect(crcLink.checksum).toMatchObject({
      algorithm: 'CRC32',
      composite: true,
      parts: { partSize: 6 * MiB, count: 4, runs },
    });
    expect(crcLink.firstPart).toBeUndefined();
    expect((await linkOf(shaKey)).checksum).toMatchObject({ parts: { count: 4, runs } });
    for (const ranged of [false, true]) {
      const { items, dest } = await download([crcKey, shaKey], ranged);
      expect(items.map((i) => [i.status, i.verification, i.verifiedAgainst])).toEqual([
        ['done', 'verified', 'checksum'],
        ['done', 'verified', 'md5-etag'],
      ]);
      expect(md5(dest.files.get('uneven-crc32.bin')!)).toBe(md5(bytes));
      expect(md5(dest.files.get('uneven-sha256.bin')!)).toBe(md5(bytes));
    }
  });

  it('verifies the multipart ETag of a composite SHA-256 object with the part layout the store lists', async () => {
    const key = `${prefix}sha-parts.bin`;
    const bytes = randomBytes(9 * MiB);
    await putInParts(key, bytes, 6 * MiB, 'SHA256');
    const link = await linkOf(key);
    const { items } = await download([key]);
    if (target.kind === 'rgw') {
      // RGW 16 keeps no checksum (and has no GetObjectAttributes): parts of another size than Hoist's.
      expect(link.checksum).toBeUndefined();
      expect(items[0]).toMatchObject({ status: 'done', verification: 'unverifiable' });
      return;
    }
    expect(link.checksum).toMatchObject({
      algorithm: 'SHA256',
      composite: true,
      parts: { partSize: 6 * MiB, count: 2 },
    });
    expect(items[0]).toMatchObject({ status: 'done', verification: 'verified', verifiedAgainst: 'md5-etag' });
  });

  it('verifies a file Hoist uploaded: by its CRC32, or by its ETag where the store only checks Content-MD5', async () => {
    const bytes = randomBytes(6 * MiB + 7);
    const created = await h.api.uploads.$post({
      json: { name: 'uploaded.bin', size: bytes.length, type: 'application/octet-stream', lastModified: 0 },
    });
    expect(created.status).toBe(200);
    const plan = (await created.json()) as UploadPlan;
    const slices = Array.from({ length: plan.partCount }, (_, i) =>
      bytes.subarray(i * plan.partSize, (i + 1) * plan.partSize),
    );
    const checksums = slices.map((s) =>
      plan.checksumAlgorithm === 'MD5' ? md5(s, 'base64') : crc32Base64(s),
    );
    const signed = await h.api.uploads.sign.$post({
      json: {
        token: plan.token,
        parts: slices.map((_, i) => ({ partNumber: i + 1, checksum: checksums[i] })),
      },
    });
    const { parts } = (await signed.json()) as { parts: SignedPart[] };
    const done = await putSignedParts(parts, slices);
    const completed = await h.api.uploads.complete.$post({ json: { token: plan.token, parts: done } });
    expect(completed.status).toBe(200);

    const { items } = await download([plan.key]);
    expect(items[0]).toMatchObject({
      status: 'done',
      verification: 'verified',
      verifiedAgainst: plan.checksumAlgorithm === 'MD5' ? 'md5-etag' : 'checksum',
    });
    expect(plan.checksumAlgorithm).toBe(target.kind === 'rgw' ? 'MD5' : 'CRC32');
  });
});

function crc32Base64(bytes: Uint8Array): string {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(zlibCrc32(bytes) >>> 0);
  return b.toString('base64');
}
