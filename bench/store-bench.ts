// Store throughput: 1 GiB multipart upload in 8 MiB parts, 6 at a time, over presigned URLs; read back; complete time;
// beside a raw disk write + fsync of the same bytes. `tsx bench/store-bench.ts` prints JSON.
import { randomBytes } from 'node:crypto';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { getSignedUrl, presignClient } from '../test/contract/support/presign.ts';
import { getTarget } from '../test/contract/support/target.ts';

export interface StoreBenchOptions {
  totalBytes?: number;
  partBytes?: number;
  concurrency?: number;
  signal?: AbortSignal;
}

export interface StoreBenchResult {
  target: string;
  totalBytes: number;
  partBytes: number;
  concurrency: number;
  ingestMiBps: number;
  readMiBps: number;
  completeMs: number;
  rawDiskWriteFsyncMiBps: number;
}

const MiB = 1024 * 1024;

async function pool<T>(count: number, concurrency: number, fn: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array<T>(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        out[i] = await fn(i);
      }
    }),
  );
  return out;
}

export async function runStoreBench(opts: StoreBenchOptions = {}): Promise<StoreBenchResult> {
  const totalBytes = opts.totalBytes ?? 1024 * MiB;
  const partBytes = opts.partBytes ?? 8 * MiB;
  const concurrency = opts.concurrency ?? 6;
  const signal = opts.signal;
  const parts = Math.ceil(totalBytes / partBytes);
  const part = randomBytes(partBytes);
  const target = await getTarget();
  const presigner = presignClient(target);
  const key = `bench/${Date.now()}.bin`;
  try {
    const { UploadId } = await target.client.send(
      new CreateMultipartUploadCommand({ Bucket: target.bucket, Key: key }),
    );
    const t0 = performance.now();
    const etags = await pool(parts, concurrency, async (i) => {
      signal?.throwIfAborted();
      const url = await getSignedUrl(
        presigner,
        new UploadPartCommand({ Bucket: target.bucket, Key: key, UploadId, PartNumber: i + 1 }),
        { expiresIn: 3600 },
      );
      const res = await fetch(url, {
        method: 'PUT',
        body: new Uint8Array(part),
        ...(signal ? { signal } : {}),
      });
      if (!res.ok) throw new Error(`part ${i + 1}: ${res.status} ${await res.text()}`);
      return res.headers.get('etag')!;
    });
    const ingestMs = performance.now() - t0;
    const t1 = performance.now();
    await target.client.send(
      new CompleteMultipartUploadCommand({
        Bucket: target.bucket,
        Key: key,
        UploadId,
        MultipartUpload: { Parts: etags.map((ETag, i) => ({ ETag, PartNumber: i + 1 })) },
      }),
    );
    const completeMs = performance.now() - t1;
    const url = await getSignedUrl(presigner, new GetObjectCommand({ Bucket: target.bucket, Key: key }), {
      expiresIn: 3600,
    });
    const t2 = performance.now();
    await pool(parts, concurrency, async (i) => {
      const end = Math.min(totalBytes, (i + 1) * partBytes) - 1;
      const res = await fetch(url, {
        headers: { Range: `bytes=${i * partBytes}-${end}` },
        ...(signal ? { signal } : {}),
      });
      await res.arrayBuffer();
    });
    const readMs = performance.now() - t2;
    await target.client.send(new DeleteObjectCommand({ Bucket: target.bucket, Key: key }));

    const dir = await mkdtemp(join(tmpdir(), 'hoist-rawdisk-'));
    const t3 = performance.now();
    const handle = await open(join(dir, 'raw.bin'), 'w');
    for (let i = 0; i < parts; i++) await handle.write(part);
    await handle.sync();
    await handle.close();
    const rawMs = performance.now() - t3;
    await rm(dir, { recursive: true, force: true });

    const mibps = (ms: number) => Math.round((parts * partBytes) / MiB / (ms / 1000));
    return {
      target: target.kind,
      totalBytes: parts * partBytes,
      partBytes,
      concurrency,
      ingestMiBps: mibps(ingestMs),
      readMiBps: mibps(readMs),
      completeMs: Math.round(completeMs),
      rawDiskWriteFsyncMiBps: mibps(rawMs),
    };
  } finally {
    presigner.destroy();
    await target.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await runStoreBench(), null, 2));
}
