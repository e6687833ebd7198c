import { createHash, type Hash } from 'node:crypto';
import { crc32, crc32c, crcToBase64 } from './crc.ts';
import { combineCrcs, CRC32_SPEC, CRC32C_SPEC, CRC64NVME_SPEC, type CrcSpec } from '../shared/crc-combine.ts';
import { Crc64Nvme } from './crc64nvme.ts';
import { S3Error } from './errors.ts';

export const CHECKSUM_ALGORITHMS = ['CRC32', 'CRC32C', 'CRC64NVME', 'SHA1', 'SHA256'] as const;
export type ChecksumAlgorithm = (typeof CHECKSUM_ALGORITHMS)[number];
export type ChecksumType = 'COMPOSITE' | 'FULL_OBJECT';

const DIGEST_BYTES: Record<ChecksumAlgorithm, number> = {
  CRC32: 4,
  CRC32C: 4,
  CRC64NVME: 8,
  SHA1: 20,
  SHA256: 32,
};

export interface Checksum {
  algorithm: ChecksumAlgorithm;
  /** base64, as on the wire; for a composite checksum ends with `-N`. */
  value: string;
}

/** `x-amz-checksum-crc32` ↔ `CRC32`. */
export function checksumHeaderName(algorithm: ChecksumAlgorithm): string {
  return `x-amz-checksum-${algorithm.toLowerCase()}`;
}

export function parseChecksumAlgorithm(value: string | undefined): ChecksumAlgorithm | undefined {
  if (value === undefined || value === '') return undefined;
  const upper = value.toUpperCase();
  return (CHECKSUM_ALGORITHMS as readonly string[]).includes(upper)
    ? (upper as ChecksumAlgorithm)
    : undefined;
}

/** The x-amz-checksum-algorithm header of a request: absent, or an algorithm computed here; else InvalidRequest. */
export function requestedChecksumAlgorithm(value: string | undefined): ChecksumAlgorithm | undefined {
  const algorithm = parseChecksumAlgorithm(value);
  if (value !== undefined && !algorithm)
    throw new S3Error(
      'InvalidRequest',
      'Checksum algorithm provided is unsupported. Please try again with any of the valid types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]',
    );
  return algorithm;
}

export function algorithmFromHeaderName(name: string): ChecksumAlgorithm | undefined {
  const match = /^x-amz-checksum-([a-z0-9]+)$/i.exec(name);
  return match ? parseChecksumAlgorithm(match[1]) : undefined;
}

/** True when `value` is the base64 encoding of exactly as many bytes as the algorithm's digest. */
export function isWellFormedChecksum(algorithm: ChecksumAlgorithm, value: string): boolean {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(value) || value.length % 4 !== 0) return false;
  return Buffer.from(value, 'base64').length === DIGEST_BYTES[algorithm];
}

export interface Hasher {
  update(chunk: Uint8Array): void;
  /** base64 digest */
  digest(): string;
}

class CrcHasher implements Hasher {
  #value = 0;
  constructor(private readonly fn: (data: Uint8Array, previous?: number) => number) {}
  update(chunk: Uint8Array): void {
    this.#value = this.fn(chunk, this.#value);
  }
  digest(): string {
    return crcToBase64(this.#value);
  }
}

class NodeHasher implements Hasher {
  readonly #hash: Hash;
  constructor(algorithm: string) {
    this.#hash = createHash(algorithm);
  }
  update(chunk: Uint8Array): void {
    this.#hash.update(chunk);
  }
  digest(): string {
    return this.#hash.digest('base64');
  }
}

export function createHasher(algorithm: ChecksumAlgorithm): Hasher {
  switch (algorithm) {
    case 'CRC32':
      return new CrcHasher(crc32);
    case 'CRC32C':
      return new CrcHasher(crc32c);
    case 'CRC64NVME': {
      const crc = new Crc64Nvme();
      return { update: (chunk) => crc.update(chunk), digest: () => crc.digest().toString('base64') };
    }
    case 'SHA1':
      return new NodeHasher('sha1');
    case 'SHA256':
      return new NodeHasher('sha256');
  }
}

/** Checksum of checksums, as S3 computes a COMPOSITE multipart checksum: `base64(H(raw1 ‖ raw2 ‖ …))-N`. */
export function compositeChecksum(algorithm: ChecksumAlgorithm, partValues: readonly string[]): string {
  const hasher = createHasher(algorithm);
  for (const value of partValues) hasher.update(Buffer.from(value, 'base64'));
  return `${hasher.digest()}-${partValues.length}`;
}

const CRC_SPECS: Partial<Record<ChecksumAlgorithm, CrcSpec>> = {
  CRC32: CRC32_SPEC,
  CRC32C: CRC32C_SPEC,
  CRC64NVME: CRC64NVME_SPEC,
};

/** True for the algorithms a FULL_OBJECT multipart checksum can use: the CRCs, whose part values combine. */
export function combinesParts(algorithm: ChecksumAlgorithm): boolean {
  return CRC_SPECS[algorithm] !== undefined;
}

/**
 * The FULL_OBJECT checksum of a multipart object, as S3 computes it: the CRC of all its bytes, combined from
 * each part's CRC (base64) and size without reading the parts again.
 */
export function fullObjectChecksum(
  algorithm: ChecksumAlgorithm,
  parts: readonly { value: string; size: number }[],
): string {
  const spec = CRC_SPECS[algorithm];
  if (!spec) throw new Error(`${algorithm} values do not combine into a full-object checksum`);
  const bytes = spec.width / 8;
  const crc = combineCrcs(
    spec,
    parts.map((p) => ({
      crc: BigInt(`0x${Buffer.from(p.value, 'base64').toString('hex') || '0'}`),
      size: p.size,
    })),
  );
  return Buffer.from(crc.toString(16).padStart(bytes * 2, '0'), 'hex').toString('base64');
}
