import { createHash, randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { GetObjectCommand, ListMultipartUploadsCommand, S3Client } from '@aws-sdk/client-s3';
import { hc } from 'hono/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppType } from '../../server/app.ts';
import { LOCAL_S3_TEST_CREDENTIALS } from '../../server/local-s3/index.ts';
import type { SignedPart, UploadPlan } from '../../server/shared/api-types.ts';
import { launchHoist, memoryOf, type HoistProcess } from '../e2e/support/processes.ts';

// 50 uploads of 20 MiB at once from a Node client over the same HTTP API as the browser (create, sign,
// presigned part PUTs, complete) against `npm start`'s process: Hoist + the embedded store in one process.

const MiB = 1024 ** 2;
const UPLOADS = 50;
const SIZE = 20 * MiB;
const MEMORY_BOUND = 1024 * MiB;
const BUCKET = 'hoist';

let app: HoistProcess;
let s3: S3Client;

beforeAll(async () => {
  app = await launchHoist();
  s3 = new S3Client({
    endpoint: app.storeEndpoint,
    region: 'us-east-1',
    credentials: { ...LOCAL_S3_TEST_CREDENTIALS },
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
});
afterAll(async () => {
  s3?.destroy();
  await app?.dispose();
});

function crc32Of(bytes: Uint8Array): string {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(crc32(bytes) >>> 0);
  return b.toString('base64');
}

/** One upload the way the page does it, parts generated as they are sent; returns key and SHA-256. */
async function upload(api: ReturnType<typeof hc<AppType>>, name: string) {
  const created = await api.uploads.$post({
    json: { name, size: SIZE, type: 'application/octet-stream', lastModified: 0 },
  });
  expect(created.status).toBe(200);
  const plan = (await created.json()) as UploadPlan;
  const hash = createHash('sha256');
  const parts = [];
  for (let n = 1; n <= plan.partCount; n++) {
    const body = randomBytes(Math.min(plan.partSize, SIZE - (n - 1) * plan.partSize));
    hash.update(body);
    const signed = await api.uploads.sign.$post({
      json: { token: plan.token, parts: [{ partNumber: n, checksum: crc32Of(body) }] },
    });
    const [part] = ((await signed.json()) as { parts: SignedPart[] }).parts;
    const res = await fetch(part!.url, { method: 'PUT', headers: part!.headers, body });
    expect(res.status, await res.clone().text()).toBe(200);
    await res.arrayBuffer();
    parts.push({ partNumber: n, etag: res.headers.get('etag')! });
  }
  const done = await api.uploads.complete.$post({ json: { token: plan.token, parts } });
  expect(done.status).toBe(200);
  expect(await done.json()).toMatchObject({ key: plan.key, size: SIZE });
  return { key: plan.key, sha256: hash.digest('hex') };
}

async function storedSha256(key: string): Promise<string> {
  const r = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  const hash = createHash('sha256');
  for await (const chunk of r.Body as AsyncIterable<Uint8Array>) hash.update(chunk);
  return hash.digest('hex');
}

describe(`${UPLOADS} concurrent uploads of 20 MiB`, () => {
  it('all complete with the right bytes, leave no upload behind, and server memory stays bounded', async () => {
    const pid = app.pid()!;
    const baseline = await memoryOf(pid);
    let sampledPeak = baseline.rss;
    const sampler = setInterval(() => {
      void memoryOf(pid).then(
        (m) => (sampledPeak = Math.max(sampledPeak, m.rss)),
        () => undefined,
      );
    }, 200);
    const api = hc<AppType>(`${app.baseURL}/api`);
    let results;
    try {
      results = await Promise.all(
        Array.from({ length: UPLOADS }, (_, i) => upload(api, `load/${String(i).padStart(2, '0')}.bin`)),
      );
    } finally {
      clearInterval(sampler);
    }
    const end = await memoryOf(pid);
    const peak = Math.max(sampledPeak, end.peak);
    console.log(
      `[load] ${UPLOADS} × 20 MiB: server+store RSS baseline ${(baseline.rss / MiB).toFixed(0)} MiB, ` +
        `peak ${(peak / MiB).toFixed(0)} MiB (VmHWM), after ${(end.rss / MiB).toFixed(0)} MiB`,
    );

    // Every object, byte for byte (8 reads at a time).
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < results.length) {
          const r = results[next++]!;
          expect(await storedSha256(r.key), r.key).toBe(r.sha256);
        }
      }),
    );
    const left = await s3.send(new ListMultipartUploadsCommand({ Bucket: BUCKET }));
    expect(left.Uploads ?? []).toEqual([]);
    const uploadsDir = join(app.dataDir, 'store', 'buckets', BUCKET, 'uploads');
    expect(await readdir(uploadsDir)).toEqual([]);
    // Buffering whole bodies (1 GiB went through) or a leak per upload would break this; streaming stays far below.
    expect(peak).toBeLessThan(MEMORY_BOUND);
    // 1 GiB through the store: in CI the run against Ceph RGW goes at the lowest CPU priority beside the
    // browser suite's two workers, and took 147 s there. A load test, timed by nothing but this limit.
  }, 300_000);
});
