import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_S3_TEST_CREDENTIALS } from '../../server/local-s3/index.ts';
import { launchStore, type StoreProcess } from '../e2e/support/processes.ts';

// The embedded store in its own process, killed with SIGKILL in the middle of writes: after a
// restart every object is either absent or whole, never torn. (Always the embedded store: this is
// about its own files, whatever S3_ENDPOINT the rest of the suite runs against.)

const MiB = 1024 * 1024;
let store: StoreProcess;
let client: S3Client;
const Bucket = 'hoist';

beforeAll(async () => {
  store = await launchStore();
  client = new S3Client({
    endpoint: store.endpoint,
    region: 'us-east-1',
    credentials: { ...LOCAL_S3_TEST_CREDENTIALS },
    forcePathStyle: true,
    maxAttempts: 1,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
});
afterAll(async () => {
  client?.destroy();
  await store?.dispose();
});

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

async function read(key: string): Promise<string | null> {
  try {
    const r = await client.send(new GetObjectCommand({ Bucket, Key: key }));
    return sha(await r.Body!.transformToByteArray());
  } catch (error) {
    if ((error as { name?: string }).name === 'NoSuchKey') return null;
    throw error;
  }
}

async function crash(afterMs: number) {
  await new Promise((r) => setTimeout(r, afterMs));
  process.kill(store.pid()!, 'SIGKILL');
  await new Promise((r) => setTimeout(r, 200));
  await store.start();
}

describe('the embedded store killed mid-write', () => {
  it('never shows a torn object after Complete or PutObject is interrupted (3 rounds)', async () => {
    let interrupted = 0;
    for (let round = 0; round < 3; round++) {
      // Uploads with all parts in place, then many Completes and PUTs of new versions at once.
      const uploads = [];
      for (let i = 0; i < 6; i++) {
        const key = `crash/${round}/mp-${i}`;
        const parts = [randomBytes(5 * MiB), randomBytes(1 * MiB + i)];
        const { UploadId } = await client.send(new CreateMultipartUploadCommand({ Bucket, Key: key }));
        const etags = [];
        for (const [n, body] of parts.entries()) {
          const r = await client.send(
            new UploadPartCommand({ Bucket, Key: key, UploadId, PartNumber: n + 1, Body: body }),
          );
          etags.push(r.ETag!);
        }
        uploads.push({ key, UploadId: UploadId!, etags, sha: sha(Buffer.concat(parts)) });
      }
      const old = randomBytes(3 * MiB);
      const next = randomBytes(20 * MiB);
      await client.send(new PutObjectCommand({ Bucket, Key: `crash/${round}/put`, Body: old }));

      const inFlight = [
        ...uploads.map((u) =>
          client
            .send(
              new CompleteMultipartUploadCommand({
                Bucket,
                Key: u.key,
                UploadId: u.UploadId,
                MultipartUpload: { Parts: u.etags.map((ETag, n) => ({ ETag, PartNumber: n + 1 })) },
              }),
            )
            .catch(() => null),
        ),
        client
          .send(new PutObjectCommand({ Bucket, Key: `crash/${round}/put`, Body: next }))
          .catch(() => null),
      ];
      await crash(5 + round * 15);
      interrupted += (await Promise.all(inFlight)).filter((r) => r === null).length;

      for (const u of uploads) {
        const got = await read(u.key);
        expect([null, u.sha], `${u.key} after the crash`).toContain(got);
      }
      expect([sha(old), sha(next)]).toContain(await read(`crash/${round}/put`));
    }
    // The kills did land in the middle of requests (otherwise this test would prove nothing).
    expect(interrupted).toBeGreaterThan(0);
  });
});
