import { describe, expect, it } from 'vitest';
import { matchesStoredObject } from './same-object.ts';

describe('matchesStoredObject', () => {
  const md5 = '25f9e794323b453885f5181f1b624d0b';
  const md5Base64 = Buffer.from(md5, 'hex').toString('base64');

  it('matches by the stored checksum', () => {
    expect(matchesStoredObject({ etag: null, checksum: 'yfQ5Jg==' }, 'yfQ5Jg==')).toBe(true);
  });

  it('matches a single PUT by its quoted ETag, the hex of our base64 MD5', () => {
    expect(matchesStoredObject({ etag: `"${md5}"` }, md5Base64)).toBe(true);
  });

  it('does not match another object', () => {
    expect(matchesStoredObject({ etag: '"0123456789abcdef0123456789abcdef"' }, md5Base64)).toBe(false);
    expect(matchesStoredObject({ etag: null, checksum: 'AAAAAA==' }, 'yfQ5Jg==')).toBe(false);
    expect(matchesStoredObject({ etag: null }, md5Base64)).toBe(false);
  });
});
