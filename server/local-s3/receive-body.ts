import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { createHasher, type ChecksumAlgorithm } from './checksum.ts';
import { removeQuietly } from './durable-fs.ts';
import { S3Error } from './errors.ts';

/** Streams a (decoded) request body into a file, hashing as it goes; memory stays flat. */

const BATCH_BYTES = 1024 * 1024;

export interface ReceivedBody {
  size: number;
  md5Hex: string;
  sha256Hex?: string;
  /** base64 per algorithm asked for */
  checksums: Map<ChecksumAlgorithm, string>;
}

export interface ReceiveOptions {
  algorithms: readonly ChecksumAlgorithm[];
  sha256: boolean;
  maxSize: number;
  signal?: AbortSignal;
}

export async function receiveBody(
  source: Readable,
  path: string,
  options: ReceiveOptions,
): Promise<ReceivedBody> {
  const md5 = createHash('md5');
  const sha256 = options.sha256 ? createHash('sha256') : undefined;
  const hashers = options.algorithms.map((a) => [a, createHasher(a)] as const);
  let size = 0;
  const handle = await open(path, 'w');
  try {
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    const flush = async () => {
      if (pendingBytes === 0) return;
      const batch = pending;
      pending = [];
      pendingBytes = 0;
      await handle.writev(batch);
    };
    const onAbort = () => source.destroy(options.signal?.reason as Error);
    options.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      for await (const piece of source) {
        const chunk = piece as Buffer;
        size += chunk.length;
        if (size > options.maxSize)
          throw new S3Error('EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size', {
            MaxSizeAllowed: String(options.maxSize),
          });
        md5.update(chunk);
        sha256?.update(chunk);
        for (const [, h] of hashers) h.update(chunk);
        pending.push(chunk);
        pendingBytes += chunk.length;
        if (pendingBytes >= BATCH_BYTES) await flush();
      }
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
    }
    options.signal?.throwIfAborted();
    await flush();
    await handle.sync();
  } catch (error) {
    await handle.close().catch(() => undefined);
    await removeQuietly(path);
    throw error;
  }
  await handle.close();
  return {
    size,
    md5Hex: md5.digest('hex'),
    ...(sha256 ? { sha256Hex: sha256.digest('hex') } : {}),
    checksums: new Map(hashers.map(([a, h]) => [a, h.digest()])),
  };
}
