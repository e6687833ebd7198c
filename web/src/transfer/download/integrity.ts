/**
 * Proving the bytes on disk are the object. Size is always compared; a full-object checksum from the
 * link (CRC32, CRC32C, CRC64NVME, SHA1, SHA256, base64 of the raw digest as S3 gives it) is verified
 * when present:
 * - a whole-object GET hashes the stream as it arrives;
 * - a ranged CRC download hashes each range alone and combines them (`wholeChecksum` in
 *   segment-crcs.ts, with server/shared/crc-combine.ts: 32- and 64-bit CRCs alike);
 * - a ranged SHA download re-reads the finished file when the destination can read, else is
 *   'unverifiable';
 * - a composite CRC (multipart "checksum of checksums", "…-N") is recomputed when the link gives the
 *   part layout (uniform or not): the bytes are CRC'd per part, however the ranges fall (segment-crcs.ts); without a
 *   layout, or for SHA composites, the download is 'unverifiable'. S3 has no composite CRC64NVME (it
 *   is always full-object): a CRC64NVME value with "-N" is not one S3 gives, and is left so too.
 * Without a checksum this download can recompute, the ETag is the fallback where it is an MD5
 * (etag-check.ts): as the bytes stream for a whole-object GET, from the file read back for a ranged one
 * (MD5s do not combine across ranges). A download with nothing to compare at all is 'unverified'.
 */
import { createCRC32, createCRC64, createSHA1, createSHA256, type IHasher } from 'hash-wasm';
import type { DownloadLink } from '../../../../server/shared/api-types.ts';
import {
  CRC32_SPEC,
  CRC32C_SPEC,
  CRC64NVME_SPEC,
  type CrcSpec,
} from '../../../../server/shared/crc-combine.ts';
import {
  compositePartCount,
  layoutFits,
  type PartLayout,
  type PartRun,
} from '../../../../server/shared/part-layout.ts';
import { bytesToBase64 } from '../shared/hasher.ts';
import { planEtagCheck } from './etag-check.ts';

export type ObjectChecksum = NonNullable<DownloadLink['checksum']>;
export type ChecksumAlgorithm = ObjectChecksum['algorithm'];
/** The CRCs: a ranged download combines its ranges' values into the object's. */
export type CrcAlgorithm = 'CRC32' | 'CRC32C' | 'CRC64NVME';
/** The CRCs S3 also keeps as a COMPOSITE multipart checksum (the CRC of the parts' CRCs). */
export type CompositeCrcAlgorithm = 'CRC32' | 'CRC32C';

/** Each CRC's width and reflected polynomial, as hash-wasm and crc-combine take them. */
export const CRC_SPECS: Readonly<Record<CrcAlgorithm, CrcSpec>> = {
  CRC32: CRC32_SPEC,
  CRC32C: CRC32C_SPEC,
  CRC64NVME: CRC64NVME_SPEC, // CRC-64/NVME: hash-wasm's default CRC64 polynomial is another one (CRC-64/XZ)
};

export const isCrc = (algorithm: ChecksumAlgorithm): algorithm is CrcAlgorithm => algorithm in CRC_SPECS;
const isCompositeCrc = (algorithm: ChecksumAlgorithm): algorithm is CompositeCrcAlgorithm =>
  algorithm === 'CRC32' || algorithm === 'CRC32C';

/**
 * How a finished download was proved: 'verified' = size and checksum; size only, either for want of a
 * checksum ('unverified') or because the object's checksum cannot be recomputed from this download
 * ('unverifiable': a composite without its part layout or of a SHA, a ranged SHA the destination cannot
 * read back).
 */
export type Verification = 'verified' | 'unverified' | 'unverifiable';

/** What a download's bytes are compared with: the store's checksum, or the ETag as an MD5 of them. */
export type Evidence = 'checksum' | 'md5-etag';

export type VerificationPlan =
  /** `cannot`: the object has this evidence, but this download cannot recompute it. */
  | { kind: 'none'; cannot?: Evidence }
  | { kind: 'stream'; algorithm: ChecksumAlgorithm; expected: string }
  | { kind: 'combine'; algorithm: CrcAlgorithm; expected: string }
  | { kind: 'composite'; algorithm: CompositeCrcAlgorithm; expected: string; layout: PartLayout }
  | { kind: 'read-back'; algorithm: ChecksumAlgorithm; expected: string }
  /** The ETag (etag-check.ts), as the bytes stream or, `readBack`, from the finished file. */
  | {
      kind: 'etag';
      expected: string;
      partSize: number | null;
      runs?: PartRun[];
      guessed: boolean;
      readBack: boolean;
    };

/**
 * What a download of `link` is proved with: the stored checksum where this download can recompute it,
 * else the ETag where it is an MD5 (a checksum that can be recomputed always wins: never two passes
 * over the bytes), else size only.
 */
export function planObjectVerification(
  link: Pick<
    DownloadLink,
    | 'checksum'
    | 'etag'
    | 'size'
    | 'firstPart'
    | 'partLayout'
    | 'serverSideEncryption'
    | 'sseCustomerAlgorithm'
  >,
  o: { ranged: boolean; canReadBack: boolean },
): VerificationPlan {
  const byChecksum = planVerification(link.checksum, { ...o, size: link.size });
  if (byChecksum.kind !== 'none') return byChecksum;
  const byEtag = planEtagCheck(link);
  if (byEtag.kind === 'recompute' && (!o.ranged || o.canReadBack)) {
    const { expected, partSize, runs, guessed } = byEtag;
    return { kind: 'etag', expected, partSize, ...(runs && { runs }), guessed, readBack: o.ranged };
  }
  if (link.checksum) return { kind: 'none', cannot: 'checksum' };
  return byEtag.kind === 'none' ? { kind: 'none' } : { kind: 'none', cannot: 'md5-etag' };
}

/** The evidence a plan compares with (for a 'none' plan, the one it could not). */
export function evidenceOf(plan: VerificationPlan): Evidence | null {
  if (plan.kind === 'none') return plan.cannot ?? null;
  return plan.kind === 'etag' ? 'md5-etag' : 'checksum';
}

export function planVerification(
  checksum: ObjectChecksum | undefined,
  o: { ranged: boolean; canReadBack: boolean; size: number },
): VerificationPlan {
  if (!checksum) return { kind: 'none' };
  const { algorithm, value: expected, parts: layout } = checksum;
  if (checksum.composite || expected.includes('-')) {
    const usable =
      layout !== undefined && compositePartCount(expected) === layout.count && layoutFits(layout, o.size);
    return usable && isCompositeCrc(algorithm)
      ? { kind: 'composite', algorithm, expected, layout }
      : { kind: 'none' };
  }
  if (!o.ranged) return { kind: 'stream', algorithm, expected };
  if (isCrc(algorithm)) return { kind: 'combine', algorithm, expected };
  return o.canReadBack ? { kind: 'read-back', algorithm, expected } : { kind: 'none' };
}

/** The big-endian bytes of a `width`-bit CRC, base64 (the x-amz-checksum-crc32 and -crc64nvme form). */
export function crcToBase64(crc: number | bigint, width: 32 | 64 = 32): string {
  const bytes = new Uint8Array(width / 8);
  let rest = BigInt(crc);
  for (let i = bytes.length - 1; i >= 0; i--, rest >>= 8n) bytes[i] = Number(rest & 0xffn);
  return bytesToBase64(bytes);
}

export async function createHasher(algorithm: ChecksumAlgorithm): Promise<IHasher> {
  switch (algorithm) {
    case 'CRC32':
    case 'CRC32C':
      return (await createCRC32(Number(CRC_SPECS[algorithm].poly))).init();
    case 'CRC64NVME':
      return (await createCRC64(CRC_SPECS.CRC64NVME.poly.toString(16).padStart(16, '0'))).init();
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

/** A CRC hasher's value, unsigned (for combining; 32- and 64-bit alike). */
export function crcValue(hasher: IHasher): bigint {
  return BigInt(`0x${hasher.digest('hex')}`);
}

/** Hashes a stream (the re-read of a finished file). */
export async function hashStream(
  stream: ReadableStream<Uint8Array>,
  algorithm: ChecksumAlgorithm,
  o: { signal?: AbortSignal } = {},
): Promise<string> {
  const hasher = await createHasher(algorithm);
  await feedStream(stream, hasher, o);
  return digestBase64(hasher);
}

/**
 * Passes every chunk of a stream to `sink`, in order. An abort stops it at once, a read in progress
 * included (reading back tens of GB is stopped by Cancel, not finished first).
 */
export async function feedStream(
  stream: ReadableStream<Uint8Array>,
  sink: { update(chunk: Uint8Array): unknown },
  o: { signal?: AbortSignal } = {},
): Promise<void> {
  const reader = stream.getReader();
  const stop = new AbortController();
  o.signal?.addEventListener('abort', () => void reader.cancel(o.signal?.reason).catch(() => {}), {
    once: true,
    signal: stop.signal,
  });
  try {
    for (;;) {
      o.signal?.throwIfAborted();
      const { done, value } = await reader.read();
      // A read cut short by the abort ends as `done`: that is no end of the stream.
      o.signal?.throwIfAborted();
      if (done) break;
      sink.update(value);
    }
  } finally {
    stop.abort();
    reader.releaseLock();
  }
}
