import { createHash } from 'node:crypto';
import { open, type FileHandle } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { idleLimited } from './body-idle.ts';
import { bodySlots, type Slot } from './body-slots.ts';
import { createHasher, type ChecksumAlgorithm } from './checksum.ts';
import { removeQuietly } from './durable-fs.ts';
import { S3Error } from './errors.ts';
import { hashPool, type HashAlgorithm, type HashJob } from './hash-pool.ts';
import { loadCrc64Nvme } from './crc64nvme.ts';

/**
 * Streams a (decoded) request body into a file, hashing as it goes; memory stays flat.
 *
 * Chunks are copied into 1 MiB shared slots (body-slots.ts). A full slot is written with one positioned write
 * on libuv's thread pool and, at the same time, hashed (MD5, SHA-256, SHA-1) by a worker thread (hash-pool.ts):
 * on the main thread MD5 was what capped ingest. Up to MAX_IN_FLIGHT slots per body are out at once while the
 * socket keeps being read; beyond that the loop waits, so a slow disk or a slow hash pushes back on the socket.
 * A body that fits in its first slot is hashed here instead: a round trip to a worker would cost more.
 * CRCs stay on the main thread (zlib's CRC-32 is cheap).
 */

const MAX_IN_FLIGHT = 4;

/** Flexible checksums that are plain digests, computed by the hash worker beside the MD5. */
const DIGEST_CHECKSUMS: Partial<Record<ChecksumAlgorithm, HashAlgorithm>> = {
  SHA1: 'sha1',
  SHA256: 'sha256',
};

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
  // A SHA-256 flexible checksum and x-amz-content-sha256 are the same digest: computed once.
  const digestNames = [
    ...new Set<HashAlgorithm>([
      'md5',
      ...(options.sha256 ? (['sha256'] as const) : []),
      ...options.algorithms.flatMap((a) => DIGEST_CHECKSUMS[a] ?? []),
    ]),
  ];
  if (options.algorithms.includes('CRC64NVME')) await loadCrc64Nvme();
  const crcs = new Map(
    options.algorithms.filter((a) => DIGEST_CHECKSUMS[a] === undefined).map((a) => [a, createHasher(a)]),
  );
  let size = 0;
  let position = 0;
  /** the slot being filled, owned by this function alone */
  let slot: Slot | undefined;
  let filled = 0;
  /** opened with the first full slot; a body that never fills one is hashed inline */
  let job: HashJob | undefined;
  const inflight: Promise<void>[] = [];
  let handle: FileHandle | undefined;
  // Sends the filled slot to the file and to the hash worker; it is freed once both are done with it.
  const dispatch = async () => {
    const full = slot!;
    const bytes = full.bytes.subarray(0, filled);
    for (const h of crcs.values()) h.update(bytes);
    job ??= hashPool.open(digestNames);
    const hashed = job.update(full.sab, bytes.length);
    const written = writeAt(handle!, bytes, position, path);
    slot = undefined;
    filled = 0;
    position += bytes.length;
    const done = Promise.allSettled([written, hashed]).then((results) => {
      bodySlots.give(full);
      for (const r of results) if (r.status === 'rejected') throw r.reason;
    });
    done.catch(() => undefined);
    inflight.push(done);
    if (inflight.length >= MAX_IN_FLIGHT) await inflight.shift();
  };
  let hex: string[];
  try {
    handle = await open(path, 'w');
    const onAbort = () => source.destroy(options.signal?.reason as Error);
    options.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      for await (const piece of idleLimited(source)) {
        const chunk = piece as Buffer;
        size += chunk.length;
        if (size > options.maxSize)
          throw new S3Error('EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size', {
            MaxSizeAllowed: String(options.maxSize),
          });
        // A chunk spanning two slots is split between them.
        for (let offset = 0; offset < chunk.length;) {
          slot ??= bodySlots.take();
          const copied = Math.min(chunk.length - offset, slot.bytes.length - filled);
          // Not chunk.copy(): into shared memory, V8 copies byte by byte (data-race safe) whenever source and
          // target offsets differ in alignment, as socket chunks do: ~1 GiB/s, most of the main thread's time.
          // fill() with a value exactly as long as the range is one memcpy.
          slot.bytes.fill(chunk.subarray(offset, offset + copied), filled, filled + copied);
          filled += copied;
          offset += copied;
          if (filled === slot.bytes.length) await dispatch();
        }
      }
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
    }
    options.signal?.throwIfAborted();
    if (job) {
      if (filled > 0) await dispatch();
      const digests = job.digest();
      digests.catch(() => undefined);
      while (inflight.length > 0) await inflight.shift();
      hex = await digests;
    } else {
      const bytes = slot ? slot.bytes.subarray(0, filled) : Buffer.alloc(0);
      for (const h of crcs.values()) h.update(bytes);
      hex = digestNames.map((name) => createHash(name).update(bytes).digest('hex'));
      if (bytes.length > 0) await writeAt(handle, bytes, 0, path);
      if (slot) bodySlots.give(slot);
      slot = undefined;
    }
  } catch (error) {
    job?.drop();
    await Promise.allSettled(inflight);
    if (slot) bodySlots.give(slot);
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
  const digest = (name: HashAlgorithm) => hex[digestNames.indexOf(name)]!;
  return {
    size,
    md5Hex: digest('md5'),
    ...(options.sha256 ? { sha256Hex: digest('sha256') } : {}),
    checksums: new Map(
      options.algorithms.map((a) => {
        const name = DIGEST_CHECKSUMS[a];
        return [a, name ? Buffer.from(digest(name), 'hex').toString('base64') : crcs.get(a)!.digest()];
      }),
    ),
    synced,
  };
}

async function writeAt(handle: FileHandle, bytes: Buffer, position: number, path: string): Promise<void> {
  const { bytesWritten } = await handle.write(bytes, 0, bytes.length, position);
  // A regular file written short has run out of space (or quota): the next write would say ENOSPC.
  if (bytesWritten !== bytes.length)
    throw Object.assign(new Error(`short write to ${path}: ${bytesWritten} of ${bytes.length}`), {
      code: 'ENOSPC',
    });
}
