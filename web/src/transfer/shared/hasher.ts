/**
 * Part checksums. The engine depends on `Hasher`; `inThreadHasher` streams `blob.stream()` through
 * hash-wasm (tests, and the worker itself), `createWorkerHasher` keeps the page responsive.
 */
import { createCRC32, createMD5, type IHasher } from 'hash-wasm';
import { shortRead } from './file-gone.ts';

export type HashAlgorithm = 'CRC32' | 'MD5';

export interface Hasher {
  /**
   * Base64 of the raw digest: MD5 → the 16 bytes (Content-MD5); CRC32 → the 4 big-endian bytes
   * (x-amz-checksum-crc32).
   */
  hash(blob: Blob, algorithm: HashAlgorithm, o?: { signal?: AbortSignal }): Promise<string>;
}

export function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i]!);
  return btoa(binary);
}

// hash-wasm instances are reusable after init(); keeping idle ones spares a WASM instantiation per
// part (which dominates for many small files).
const idle: Record<HashAlgorithm, IHasher[]> = { CRC32: [], MD5: [] };

async function takeHasher(algorithm: HashAlgorithm): Promise<IHasher> {
  return idle[algorithm].pop() ?? (algorithm === 'MD5' ? createMD5() : createCRC32());
}

export async function hashBlob(
  blob: Blob,
  algorithm: HashAlgorithm,
  o: { signal?: AbortSignal } = {},
): Promise<string> {
  o.signal?.throwIfAborted(); // cancelled while queued: no hasher taken, no reader opened
  const hasher = await takeHasher(algorithm);
  hasher.init();
  const reader = blob.stream().getReader();
  try {
    let read = 0;
    for (;;) {
      o.signal?.throwIfAborted();
      const { done, value } = await reader.read();
      if (done) break;
      hasher.update(value);
      read += value.length;
    }
    o.signal?.throwIfAborted();
    // A picked file deleted before it was read streams no bytes in Chromium: not a checksum of anything.
    if (read !== blob.size) throw shortRead(read, blob.size);
    const digest = bytesToBase64(hasher.digest('binary'));
    if (idle[algorithm].length < 4) idle[algorithm].push(hasher);
    return digest;
  } finally {
    reader.releaseLock();
  }
}

export const inThreadHasher: Hasher = { hash: hashBlob };
