import { describe, expect, it } from 'vitest';
import {
  matchesStoredObject,
  multipartProofLayouts,
  proofAlgorithms,
  sameSettingsAsThere,
} from './same-object.ts';

const md5 = '25f9e794323b453885f5181f1b624d0b';
const md5Etag = `"${md5}"`;
const md5Base64 = Buffer.from(md5, 'hex').toString('base64');
const crc = (checksum: string) => ({ algorithm: 'CRC32' as const, checksum });
const ourMd5 = { algorithm: 'MD5' as const, checksum: md5Base64 };

describe('matchesStoredObject', () => {
  it('matches a single PUT by its quoted ETag, the hex of our base64 MD5, and by its CRC32 where the store keeps one', () => {
    expect(matchesStoredObject({ etag: md5Etag }, [ourMd5])).toBe(true);
    const both = { etag: md5Etag, checksum: 'yfQ5Jg==', checksumAlgorithm: 'CRC32' as const };
    expect(matchesStoredObject(both, [ourMd5, crc('yfQ5Jg==')])).toBe(true);
    // An answer that names no algorithm gives the store's own: CRC32.
    expect(matchesStoredObject({ etag: md5Etag, checksum: 'yfQ5Jg==' }, [crc('yfQ5Jg=='), ourMd5])).toBe(
      true,
    );
  });

  it('takes no CRC32 alone for proof: same size and CRC32, other bytes, are easily made', () => {
    // An outside tester forged a file to the CRC32 of the object at its name: it was reported as there.
    const crcOnly = { etag: null, checksum: 'yfQ5Jg==', checksumAlgorithm: 'CRC32' as const };
    expect(matchesStoredObject(crcOnly, [crc('yfQ5Jg==')])).toBe(false);
    // The object's MD5 ETag tells them apart, however its CRC32 matches.
    const both = {
      etag: '"0123456789abcdef0123456789abcdef"',
      checksum: 'yfQ5Jg==',
      checksumAlgorithm: 'CRC32' as const,
    };
    expect(matchesStoredObject(both, [ourMd5, crc('yfQ5Jg==')])).toBe(false);
    // And a CRC32 that was not hashed is not taken as matching.
    expect(matchesStoredObject({ ...both, etag: md5Etag }, [ourMd5])).toBe(false);
  });

  it('never matches a checksum of another algorithm, even of the same length', () => {
    const crc32c = { etag: md5Etag, checksum: 'yfQ5Jg==', checksumAlgorithm: 'CRC32C' as const };
    expect(matchesStoredObject(crc32c, [ourMd5, crc('yfQ5Jg==')])).toBe(true); // the MD5 proves it
    expect(matchesStoredObject({ etag: md5Etag }, [crc(md5Base64)])).toBe(false);
  });

  it('does not match another object', () => {
    expect(matchesStoredObject({ etag: '"0123456789abcdef0123456789abcdef"' }, [ourMd5])).toBe(false);
    expect(matchesStoredObject({ etag: md5Etag, checksum: 'AAAAAA==' }, [ourMd5, crc('yfQ5Jg==')])).toBe(
      false,
    );
    expect(matchesStoredObject({ etag: null }, [ourMd5])).toBe(false);
  });
});

describe('proofAlgorithms', () => {
  it("hashes as the object there can be proved: a single PUT's MD5 ETag, with its CRC32 where the store keeps it", () => {
    expect(proofAlgorithms({ etag: md5Etag })).toEqual(['MD5']);
    expect(proofAlgorithms({ etag: md5Etag, checksum: 'yfQ5Jg==', checksumAlgorithm: 'CRC32' })).toEqual([
      'MD5',
      'CRC32',
    ]);
    expect(proofAlgorithms({ etag: md5Etag, checksum: 'yfQ5Jg==' })).toEqual(['MD5', 'CRC32']);
    // A checksum Hoist does not hash (CRC32C here) is left aside: the MD5 proves it.
    expect(proofAlgorithms({ etag: md5Etag, checksum: 'AAAAAA==', checksumAlgorithm: 'CRC32C' })).toEqual([
      'MD5',
    ]);
  });

  it('has nothing to prove it with: a multipart ETag, a CRC32 alone, nothing known', () => {
    expect(proofAlgorithms({ etag: '"25f9e794323b453885f5181f1b624d0b-3"' })).toEqual([]);
    expect(proofAlgorithms({ etag: '"25f9e794323b453885f5181f1b624d0b-3"', checksum: 'yfQ5Jg==' })).toEqual(
      [],
    );
    expect(proofAlgorithms({ etag: null, checksum: 'yfQ5Jg==', checksumAlgorithm: 'CRC32' })).toEqual([]);
    expect(proofAlgorithms({ etag: null })).toEqual([]);
  });
});

describe('sameSettingsAsThere', () => {
  it('takes no settings, or a storage class alone that is the object’s own', () => {
    expect(sameSettingsAsThere(undefined, {})).toBe(true);
    expect(sameSettingsAsThere({ storageClass: 'STANDARD_IA' }, { storageClass: 'STANDARD_IA' })).toBe(true);
    expect(sameSettingsAsThere({ storageClass: 'STANDARD' }, {})).toBe(true);
    expect(sameSettingsAsThere({ storageClass: 'STANDARD_IA' }, {})).toBe(false);
    expect(
      sameSettingsAsThere({ storageClass: 'STANDARD_IA', tags: { a: '1' } }, { storageClass: 'STANDARD_IA' }),
    ).toBe(false);
    expect(sameSettingsAsThere({ cacheControl: 'no-cache' }, {})).toBe(false);
  });
});

describe('multipartProofLayouts', () => {
  const MiB = 1024 ** 2;
  const etag = (parts: number) => `"${'a'.repeat(32)}-${parts}"`;

  it("is Hoist's own layout for the part count it gives, else a common uploader's", () => {
    expect(multipartProofLayouts({ etag: etag(20) }, 100 * MiB)).toEqual([{ partSize: 5 * MiB, count: 20 }]);
    // 13 parts of 100 MiB: the AWS CLI's 8 MiB.
    expect(multipartProofLayouts({ etag: etag(13) }, 100 * MiB)).toEqual([{ partSize: 8 * MiB, count: 13 }]);
  });

  it('is the whole file for a one-part ETag (the AWS CLI sends a file of exactly 8 MiB so)', () => {
    expect(multipartProofLayouts({ etag: etag(1) }, 8 * MiB)).toEqual([{ partSize: 8 * MiB, count: 1 }]);
  });

  it('is every common layout of that part count, once each, most likely first', () => {
    // 10 MiB in 2 parts: Hoist's 5 MiB and the AWS CLI's 8 MiB (MinIO's 16 MiB and s3cmd's 15 MiB make 1).
    expect(multipartProofLayouts({ etag: etag(2) }, 10 * MiB)).toEqual([
      { partSize: 5 * MiB, count: 2 },
      { partSize: 8 * MiB, count: 2 },
    ]);
    // 100 MiB in 7 parts: MinIO's 16 MiB and s3cmd's 15 MiB.
    expect(multipartProofLayouts({ etag: etag(7) }, 100 * MiB)).toEqual([
      { partSize: 16 * MiB, count: 7 },
      { partSize: 15 * MiB, count: 7 },
    ]);
  });

  it('is none for a count no common layout gives, an empty file, a single-PUT ETag, or no MD5 form', () => {
    expect(multipartProofLayouts({ etag: etag(3) }, 100 * MiB)).toEqual([]);
    expect(multipartProofLayouts({ etag: etag(1) }, 0)).toEqual([]);
    expect(multipartProofLayouts({ etag: `"${'a'.repeat(32)}"` }, 100 * MiB)).toEqual([]);
    expect(multipartProofLayouts({ etag: '"r2-opaque-tag"' }, 100 * MiB)).toEqual([]);
    expect(multipartProofLayouts({ etag: null }, 100 * MiB)).toEqual([]);
  });
});
