/**
 * Proving the bytes on disk are the object. Size is always compared; a full-object checksum from the
 * link (CRC32, CRC32C, SHA1, SHA256, base64 of the raw digest as S3 gives it) is verified when present:
 * - a whole-object GET hashes the stream as it arrives;
 * - a ranged CRC download hashes each range alone and combines them (`wholeChecksum` in
 *   segment-crcs.ts, with `crc32Combine`);
 * - a ranged SHA download re-reads the finished file when the destination can read, else stays
 *   unverified;
 * - a composite CRC (multipart "checksum of checksums", "…-N") is recomputed when the link gives the
 *   part layout: the bytes are CRC'd per part, however the ranges fall (segment-crcs.ts); without a
 *   layout, or for SHA composites, the download is 'unverified'.
 */
import { createCRC32, createSHA1, createSHA256, type IHasher } from 'hash-wasm';
import type { DownloadLink } from '../../../../server/shared/api-types.ts';
import { compositePartCount, layoutFits, type PartLayout } from '../../../../server/shared/part-layout.ts';
import { bytesToBase64 } from '../shared/hasher.ts';
import { CRC32_POLY, CRC32C_POLY } from './crc32-combine.ts';

export type ObjectChecksum = NonNullable<DownloadLink['checksum']>;
export type ChecksumAlgorithm = ObjectChecksum['algorithm'];

/** How a finished download was proved: 'verified' = size and checksum; 'unverified' = size only. */
export type Verification = 'verified' | 'unverified';

export type VerificationPlan =
  | { kind: 'none' }
  | { kind: 'stream'; algorithm: ChecksumAlgorithm; expected: string }
  | { kind: 'combine'; algorithm: 'CRC32' | 'CRC32C'; expected: string }
  | { kind: 'composite'; algorithm: 'CRC32' | 'CRC32C'; expected: string; layout: PartLayout }
  | { kind: 'read-back'; algorithm: ChecksumAlgorithm; expected: string };

export function planVerification(
  checksum: ObjectChecksum | undefined,
  o: { ranged: boolean; canReadBack: boolean; size: number },
): VerificationPlan {
  if (!checksum) return { kind: 'none' };
  const { algorithm, value: expected, parts: layout } = checksum;
  if (checksum.composite || expected.includes('-')) {
    const usable =
      (algorithm === 'CRC32' || algorithm === 'CRC32C') &&
      layout !== undefined &&
      compositePartCount(expected) === layout.count &&
      layoutFits(layout, o.size);
    return usable ? { kind: 'composite', algorithm, expected, layout } : { kind: 'none' };
  }
  if (!o.ranged) return { kind: 'stream', algorithm, expected };
  if (algorithm === 'CRC32' || algorithm === 'CRC32C') return { kind: 'combine', algorithm, expected };
  return o.canReadBack ? { kind: 'read-back', algorithm, expected } : { kind: 'none' };
}

/** The 4 big-endian bytes of a CRC, base64 (x-amz-checksum-crc32 form). */
export function crcToBase64(crc: number): string {
  return bytesToBase64(new Uint8Array([crc >>> 24, (crc >>> 16) & 255, (crc >>> 8) & 255, crc & 255]));
}

export async function createHasher(algorithm: ChecksumAlgorithm): Promise<IHasher> {
  switch (algorithm) {
    case 'CRC32':
      return (await createCRC32(CRC32_POLY)).init();
    case 'CRC32C':
      return (await createCRC32(CRC32C_POLY)).init();
    case 'SHA1':
      return (await createSHA1()).init();
    case 'SHA256':
      return (await createSHA256()).init();
  }
}

/** Base64 of the raw digest, comparable with the link's value. */
export function digestBase64(hasher: IHasher): string {
  return bytesToBase64(hasher.digest('binary'));
}

/** A CRC hasher's value as an unsigned number (for combining). */
export function crcValue(hasher: IHasher): number {
  return Number.parseInt(hasher.digest('hex'), 16) >>> 0;
}

/** Hashes a stream (the re-read of a finished file). */
export async function hashStream(
  stream: ReadableStream<Uint8Array>,
  algorithm: ChecksumAlgorithm,
  o: { signal?: AbortSignal } = {},
): Promise<string> {
  const hasher = await createHasher(algorithm);
  const reader = stream.getReader();
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
  return digestBase64(hasher);
}
