import { describe, expect, it } from 'vitest';
import { etagHidesMd5, normalEtag, parseEtag } from './etag.ts';

const MD5 = '5d41402abc4b2a76b9719d911017c592'; // of "hello"

describe('parseEtag', () => {
  it('reads a single-part ETag as the MD5 of the bytes, quoted or not, in either case', () => {
    for (const etag of [`"${MD5}"`, MD5, `W/"${MD5}"`, ` "${MD5.toUpperCase()}" `]) {
      expect(parseEtag(etag)).toEqual({ kind: 'md5', md5: MD5 });
    }
  });

  it('reads a multipart ETag as the MD5 of the part MD5s and the part count', () => {
    expect(parseEtag(`"${MD5}-2"`)).toEqual({ kind: 'multipart', md5: MD5, parts: 2 });
    expect(parseEtag(`${MD5}-10000`)).toEqual({ kind: 'multipart', md5: MD5, parts: 10_000 });
    expect(parseEtag(`${MD5}-1`)).toEqual({ kind: 'multipart', md5: MD5, parts: 1 });
  });

  it('says nothing of an ETag that is no MD5: a store tag, another length, an impossible part count', () => {
    for (const etag of [
      '',
      '"v1"',
      `"${MD5.slice(1)}"`,
      `"${MD5}0"`,
      `"${'a'.repeat(40)}"`, // a SHA-1 length
      `"${MD5.replace('5', 'g')}"`,
      `"${MD5}-0"`,
      `"${MD5}-10001"`,
      `"${MD5}-"`,
      `"${MD5}-2-3"`,
    ]) {
      expect(parseEtag(etag), etag).toBeNull();
    }
  });

  it('normalises an ETag for comparison', () => {
    expect(normalEtag(`W/"${MD5.toUpperCase()}-3"`)).toBe(`${MD5}-3`);
  });
});

describe('etagHidesMd5', () => {
  it('is true under SSE-KMS (also dual-layer) and SSE-C, false without encryption or under SSE-S3', () => {
    expect(etagHidesMd5({ serverSideEncryption: 'aws:kms' })).toBe(true);
    expect(etagHidesMd5({ serverSideEncryption: 'aws:kms:dsse' })).toBe(true);
    expect(etagHidesMd5({ sseCustomerAlgorithm: 'AES256' })).toBe(true);
    expect(etagHidesMd5({ serverSideEncryption: 'AES256' })).toBe(false);
    expect(etagHidesMd5({})).toBe(false);
  });
});
