import { createHash } from 'node:crypto';
import { open, type FileHandle } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { createHasher, type ChecksumAlgorithm } from './checksum.ts';
import { removeQuietly } from './durable-fs.ts';
import { S3Error } from './errors.ts';

/**
 * Streams a (decoded) request body into a file, hashing as it goes; memory stays flat.
 *
 * Chunks are hashed as they arrive and gathered into ~1 MiB batches, each written with one positioned writev
 * (no copies). Up to MAX_IN_FLIGHT batches are written on libuv's thread pool while the socket keeps being read
 * and hashed; beyond that the loop waits, so a slow disk pushes back on the socket.
 */

const BATCH_BYTES = 1024 * 1024;
const MAX_IN_FLIGHT = 4;

export interface ReceivedBody {
  size: number;
  md5Hex: string;
  sha256Hex?: string;
  /** base64 per algorithm asked for */
  checksums: Map<ChecksumAlgorithm, string>;
  /**
   * Settles once the file's bytes are on disk (fsync) and its handle is closed. Awaited by receiveBody itself
   * unless `deferSync` was set, so the caller can overlap it with its own durable writes.
   */
  synced: Promise<void>;
}

export interface ReceiveOptions {
  algorithms: readonly ChecksumAlgorithm[];
  sha256: boolean;
  maxSize: number;
  signal?: AbortSignal;
  /** return before the fsync finishes; the caller must await `synced` before publishing the file */
  deferSync?: boolean;
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
  let position = 0;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const inflight: Promise<void>[] = [];
  let handle: FileHandle | undefined;
  const flush = async () => {
    if (pendingBytes === 0) return;
    const batch = pending;
    const bytes = pendingBytes;
    const write = handle!.writev(batch, position).then(({ bytesWritten }) => {
      if (bytesWritten !== bytes) throw new Error(`short write to ${path}: ${bytesWritten} of ${bytes}`);
    });
    write.catch(() => undefined);
    inflight.push(write);
    position += bytes;
    pending = [];
    pendingBytes = 0;
    if (inflight.length >= MAX_IN_FLIGHT) await inflight.shift();
  };
  try {
    handle = await open(path, 'w');
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
    while (inflight.length > 0) await inflight.shift();
  } catch (error) {
    await Promise.allSettled(inflight);
    await handle?.close().catch(() => undefined);
    await removeQuietly(path);
    throw error;
  }
  const file = handle;
  const synced = file.sync().finally(() => file.close());
  if (options.deferSync) synced.catch(() => undefined);
  else
    await synced.catch(async (error: unknown) => {
      await removeQuietly(path);
      throw error;
    });
  return {
    size,
    md5Hex: md5.digest('hex'),
    ...(sha256 ? { sha256Hex: sha256.digest('hex') } : {}),
    checksums: new Map(hashers.map(([a, h]) => [a, h.digest()])),
    synced,
  };
}
