/**
 * End to end against the embedded S3-compatible store: presigned GETs from the server's gateway (as
 * `POST /api/objects/download` makes them), real `fetch`, Range + If-Match on a SigV4 query-signed
 * URL, and the store's own CRC32 full-object checksum verified on the downloaded bytes.
 */
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DownloadLink } from '../../../../server/shared/api-types.ts';
import { LOCAL_S3_TEST_CREDENTIALS, startLocalS3, type LocalS3 } from '../../../../server/local-s3/index.ts';
import { createS3Gateway, type ObjectStore } from '../../../../server/s3/s3-gateway.ts';
import type { DownloadApi } from './download-api.ts';
import { DownloadManager } from './download-manager.ts';
import { MemoryDestination } from './memory-destination.ts';
import { bytes } from './testing/fake-api.ts';

let s3: LocalS3;
let dataDir: string;
let client: S3Client;
let store: ObjectStore;
const BUCKET = 'downloads';

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'hoist-download-'));
  s3 = await startLocalS3({ dataDir, port: 0, credentials: LOCAL_S3_TEST_CREDENTIALS, buckets: [BUCKET] });
  client = new S3Client({
    endpoint: s3.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { ...LOCAL_S3_TEST_CREDENTIALS },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  store = createS3Gateway({ api: client, presign: client }, BUCKET);
}, 30_000);

afterAll(async () => {
  client?.destroy();
  await s3?.close();
  await rm(dataDir, { recursive: true, force: true });
});

const put = (key: string, body: Uint8Array) =>
  client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body, ChecksumAlgorithm: 'CRC32' }));

/** What the server's download route does. */
const api: DownloadApi = {
  async link(key): Promise<DownloadLink> {
    const head = await store.head(key);
    if (!head) throw Object.assign(new Error(`"${key}" does not exist`), { status: 404, code: 'not-found' });
    return {
      key,
      url: await store.presignGet(key, { filename: key.split('/').pop() ?? 'download', ttlSeconds: 300 }),
      size: head.size,
      etag: head.etag,
      ...(head.checksum ? { checksum: head.checksum } : {}),
      expiresAt: Date.now() + 300_000,
    };
  },
};

// The SDK's first presign loads lazily and can take seconds on a busy machine.
describe('download from the embedded S3 store', { timeout: 30_000 }, () => {
  it('downloads whole and ranged objects through presigned URLs, checksums verified', async () => {
    const small = bytes(5_000, 11);
    const large = bytes(300_000, 12);
    await put('in/small.bin', small);
    await put('in/large.bin', large);
    const link = await api.link('in/large.bin');
    expect(link.checksum).toMatchObject({ algorithm: 'CRC32', composite: false });

    const dest = new MemoryDestination();
    const manager = new DownloadManager(api, { rangeThreshold: 64 * 1024, rangeSize: 48 * 1024 });
    manager.start(
      ['in/small.bin', 'in/large.bin'].map((key) => ({ key, size: 0, etag: '' })),
      dest,
      { prefix: 'in/' },
    );
    await manager.whenIdle();
    const snap = manager.getSnapshot();
    expect(snap.failed).toEqual([]);
    expect(snap.items.map((i) => [i.status, i.verification])).toEqual([
      ['done', 'verified'],
      ['done', 'verified'],
    ]);
    expect(dest.files.get('small.bin')).toEqual(small);
    expect(dest.files.get('large.bin')).toEqual(large);
    manager.destroy();
  });

  it("fails as 'changed' when the object is overwritten between ranges", async () => {
    await put('moving.bin', bytes(200_000, 1));
    let overwritten = false;
    const manager = new DownloadManager(api, {
      rangeThreshold: 64 * 1024,
      rangeSize: 64 * 1024,
      rangeConcurrency: 1,
      fetch: async (url, init) => {
        const res = await fetch(url, init);
        if (!overwritten && res.status === 206) {
          overwritten = true;
          await put('moving.bin', bytes(200_000, 2));
        }
        return res;
      },
    });
    const dest = new MemoryDestination();
    manager.start([{ key: 'moving.bin', size: 200_000, etag: '' }], dest);
    await manager.whenIdle();
    expect(manager.getSnapshot().failed[0]?.error?.code).toBe('changed');
    expect(dest.open.size + dest.files.size).toBe(0);
    manager.destroy();
  });
});
