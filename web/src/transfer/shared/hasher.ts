/**
 * Part checksums. The engine depends on `Hasher`; `inThreadHasher` streams `blob.stream()` through
 * hash-wasm (tests, and the worker itself), `createWorkerHasher` keeps the page responsive.
 */
import { createCRC32, createMD5 } from 'hash-wasm';

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

export async function hashBlob(
  blob: Blob,
  algorithm: HashAlgorithm,
  o: { signal?: AbortSignal } = {},
): Promise<string> {
  const hasher = algorithm === 'MD5' ? await createMD5() : await createCRC32();
  hasher.init();
  const reader = blob.stream().getReader();
  try {
    for (;;) {
      o.signal?.throwIfAborted();
      const { done, value } = await reader.read();
      if (done) break;
      hasher.update(value);
    }
  } finally {
    reader.releaseLock();
  }
  o.signal?.throwIfAborted();
  return bytesToBase64(hasher.digest('binary'));
}

export const inThreadHasher: Hasher = { hash: hashBlob };
