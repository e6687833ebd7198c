import { describe, expect, it } from 'vitest';
import { matchesStoredObject } from './same-object.ts';

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
