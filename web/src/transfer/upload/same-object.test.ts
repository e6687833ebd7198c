import { describe, expect, it } from 'vitest';
import { comparableAlgorithm, matchesStoredObject, sameSettingsAsThere } from './same-object.ts';

describe('matchesStoredObject', () => {
  const md5 = '25f9e794323b453885f5181f1b624d0b';
  const md5Base64 = Buffer.from(md5, 'hex').toString('base64');
  const crc = (checksum: string) => ({ algorithm: 'CRC32' as const, checksum });

  it('matches by the stored checksum of the same algorithm', () => {
    expect(
      matchesStoredObject({ etag: null, checksum: 'yfQ5Jg==', checksumAlgorithm: 'CRC32' }, crc('yfQ5Jg==')),
    ).toBe(true);
    expect(matchesStoredObject({ etag: null, checksum: 'yfQ5Jg==' }, crc('yfQ5Jg=='))).toBe(true);
  });

  it('never matches a checksum of another algorithm, even of the same length', () => {
    expect(
      matchesStoredObject({ etag: null, checksum: 'yfQ5Jg==', checksumAlgorithm: 'CRC32C' }, crc('yfQ5Jg==')),
    ).toBe(false);
  });

  it('matches a single PUT by its quoted ETag, the hex of our base64 MD5', () => {
    expect(matchesStoredObject({ etag: `"${md5}"` }, { algorithm: 'MD5', checksum: md5Base64 })).toBe(true);
  });

  it('does not match another object', () => {
    const ours = { algorithm: 'MD5' as const, checksum: md5Base64 };
    expect(matchesStoredObject({ etag: '"0123456789abcdef0123456789abcdef"' }, ours)).toBe(false);
    expect(matchesStoredObject({ etag: null, checksum: 'AAAAAA==' }, crc('yfQ5Jg=='))).toBe(false);
    expect(matchesStoredObject({ etag: null }, ours)).toBe(false);
    expect(matchesStoredObject({ etag: `"${md5}"` }, crc(md5Base64))).toBe(false);
  });
});

describe('comparableAlgorithm', () => {
  const md5Etag = '"25f9e794323b453885f5181f1b624d0b"';

  it("hashes as the object there can be compared: its CRC32, else a single PUT's MD5 ETag", () => {
    expect(comparableAlgorithm({ etag: null, checksum: 'yfQ5Jg==', checksumAlgorithm: 'CRC32' })).toBe(
      'CRC32',
    );
    expect(comparableAlgorithm({ etag: null, checksum: 'yfQ5Jg==' })).toBe('CRC32');
    expect(comparableAlgorithm({ etag: md5Etag })).toBe('MD5');
    expect(comparableAlgorithm({ etag: md5Etag, checksum: 'yfQ5Jg==', checksumAlgorithm: 'CRC32' })).toBe(
      'CRC32',
    );
  });

  it('keeps the algorithm already hashed when the object there can be compared by it', () => {
    const both = { etag: md5Etag, checksum: 'yfQ5Jg==', checksumAlgorithm: 'CRC32' as const };
    expect(comparableAlgorithm(both, 'MD5')).toBe('MD5');
    expect(comparableAlgorithm(both, 'CRC32')).toBe('CRC32');
    expect(comparableAlgorithm({ etag: md5Etag }, 'CRC32')).toBe('MD5');
  });

  it('has nothing to compare with: a multipart ETag, another algorithm, nothing known', () => {
    expect(comparableAlgorithm({ etag: '"25f9e794323b453885f5181f1b624d0b-3"' })).toBeNull();
    expect(comparableAlgorithm({ etag: null, checksum: 'AAAAAA==', checksumAlgorithm: 'CRC32C' })).toBeNull();
    expect(comparableAlgorithm({ etag: null })).toBeNull();
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
