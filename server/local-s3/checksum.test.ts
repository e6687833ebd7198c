import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  algorithmFromHeaderName,
  compositeChecksum,
  createHasher,
  isWellFormedChecksum,
  requestedChecksumAlgorithm,
} from './checksum.ts';
import { multipartEtag } from '../uploads/multipart-etag.ts';

describe('checksums', () => {
  it('computes each algorithm as base64', () => {
    const data = Buffer.from('hello world');
    const digest = (alg: 'CRC32' | 'CRC32C' | 'SHA1' | 'SHA256') => {
      const h = createHasher(alg);
      h.update(data.subarray(0, 5));
      h.update(data.subarray(5));
      return h.digest();
    };
    expect(digest('CRC32')).toBe('DUoRhQ==');
    expect(digest('CRC32C')).toBe('yZRlqg==');
    expect(digest('SHA1')).toBe(createHash('sha1').update(data).digest('base64'));
    expect(digest('SHA256')).toBe(createHash('sha256').update(data).digest('base64'));
  });

  it('recognises malformed values', () => {
    expect(isWellFormedChecksum('CRC32', 'AAAAAA==')).toBe(true);
    expect(isWellFormedChecksum('CRC32', 'AAAA')).toBe(false);
    expect(isWellFormedChecksum('CRC32', 'not base64!')).toBe(false);
    expect(isWellFormedChecksum('SHA256', 'AAAAAA==')).toBe(false);
  });

  it('maps header names to algorithms', () => {
    expect(algorithmFromHeaderName('x-amz-checksum-crc32c')).toBe('CRC32C');
    expect(algorithmFromHeaderName('x-amz-checksum-md5')).toBeUndefined();
  });

  it('builds composite checksums and multipart ETags from the parts', () => {
    const p1 = createHash('md5').update('a').digest('hex');
    const p2 = createHash('md5').update('b').digest('hex');
    const expected = createHash('md5')
      .update(Buffer.concat([Buffer.from(p1, 'hex'), Buffer.from(p2, 'hex')]))
      .digest('hex');
    expect(multipartEtag([`"${p1}"`, p2])).toBe(`"${expected}-2"`);
    const c = createHasher('CRC32');
    c.update(Buffer.from('DUoRhQ==', 'base64'));
    c.update(Buffer.from('AAAAAA==', 'base64'));
    expect(compositeChecksum('CRC32', ['DUoRhQ==', 'AAAAAA=='])).toBe(`${c.digest()}-2`);
  });

  it('takes x-amz-checksum-algorithm in any case, absent as none, and refuses the rest with InvalidRequest', () => {
    expect(requestedChecksumAlgorithm(undefined)).toBeUndefined();
    expect(requestedChecksumAlgorithm('crc32c')).toBe('CRC32C');
    expect(requestedChecksumAlgorithm('crc64nvme')).toBe('CRC64NVME');
    for (const value of ['', 'CRC64', 'MD5'])
      expect(() => requestedChecksumAlgorithm(value)).toThrow(
        expect.objectContaining({ code: 'InvalidRequest' }),
      );
  });
});
