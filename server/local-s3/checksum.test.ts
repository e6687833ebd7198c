import { createHash, randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  algorithmFromHeaderName,
  combinesParts,
  compositeChecksum,
  createHasher,
  fullObjectChecksum,
  isWellFormedChecksum,
  requestedChecksumAlgorithm,
  type ChecksumAlgorithm,
} from './checksum.ts';
import { loadCrc64Nvme } from './crc64nvme.ts';
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

describe('fullObjectChecksum', () => {
  beforeAll(() => loadCrc64Nvme());

  const digest = (algorithm: ChecksumAlgorithm, data: Uint8Array) => {
    const h = createHasher(algorithm);
    h.update(data);
    return h.digest();
  };

  it.each(['CRC32', 'CRC32C', 'CRC64NVME'] as const)(
    'is the %s of all the bytes, from the parts’ values and sizes',
    (algorithm) => {
      const parts = [randomBytes(70_000), randomBytes(70_000), randomBytes(1), Buffer.alloc(0)];
      const value = fullObjectChecksum(
        algorithm,
        parts.map((p) => ({ value: digest(algorithm, p), size: p.length })),
      );
      expect(value).toBe(digest(algorithm, Buffer.concat(parts)));
      expect(combinesParts(algorithm)).toBe(true);
    },
  );

  it('keeps leading zero bytes (fixed width, as S3 encodes it)', () => {
    const zero = { value: 'AAAAAA==', size: 0 };
    expect(fullObjectChecksum('CRC32', [zero])).toBe('AAAAAA==');
    expect(fullObjectChecksum('CRC64NVME', [{ value: 'AAAAAAAAAAA=', size: 0 }])).toBe('AAAAAAAAAAA=');
    expect(fullObjectChecksum('CRC32', [{ value: 'AAAAAQ==', size: 3 }])).toBe('AAAAAQ==');
  });

  it('refuses the SHAs, whose part digests do not combine', () => {
    expect(combinesParts('SHA256')).toBe(false);
    expect(() => fullObjectChecksum('SHA1', [])).toThrow();
  });
});
