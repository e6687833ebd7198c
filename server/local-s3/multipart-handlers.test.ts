import { describe, expect, it } from 'vitest';
import { checkPartChecksumAlgorithm, multipartChecksumType } from './multipart-handlers.ts';

const code = (code: string) => expect.objectContaining({ code });

describe('multipartChecksumType', () => {
  it('is COMPOSITE by default, FULL_OBJECT when asked for a CRC, and always for CRC64NVME', () => {
    expect(multipartChecksumType(undefined, undefined)).toBeUndefined();
    expect(multipartChecksumType('CRC32', undefined)).toBe('COMPOSITE');
    expect(multipartChecksumType('SHA256', 'COMPOSITE')).toBe('COMPOSITE');
    expect(multipartChecksumType('CRC32', 'FULL_OBJECT')).toBe('FULL_OBJECT');
    expect(multipartChecksumType('CRC32C', 'FULL_OBJECT')).toBe('FULL_OBJECT');
    expect(multipartChecksumType('CRC64NVME', undefined)).toBe('FULL_OBJECT');
    expect(multipartChecksumType('CRC64NVME', 'FULL_OBJECT')).toBe('FULL_OBJECT');
  });

  it('refuses what S3 refuses with InvalidRequest, naming the algorithm as S3 does', () => {
    expect(() => multipartChecksumType('SHA1', 'FULL_OBJECT')).toThrow(
      expect.objectContaining({
        code: 'InvalidRequest',
        message: 'The FULL_OBJECT checksum type cannot be used with the sha1 checksum algorithm.',
      }),
    );
    expect(() => multipartChecksumType('SHA256', 'FULL_OBJECT')).toThrow(code('InvalidRequest'));
    expect(() => multipartChecksumType('CRC64NVME', 'COMPOSITE')).toThrow(code('InvalidRequest'));
    expect(() => multipartChecksumType(undefined, 'FULL_OBJECT')).toThrow(code('InvalidRequest'));
    expect(() => multipartChecksumType('CRC32', 'WHOLE')).toThrow(code('InvalidRequest'));
  });
});

describe('checkPartChecksumAlgorithm', () => {
  it("refuses a part checksum of another algorithm than the upload's, naming both as S3 does", () => {
    expect(() => checkPartChecksumAlgorithm('CRC32', ['CRC32C', undefined])).toThrow(
      expect.objectContaining({
        code: 'InvalidRequest',
        message:
          'Checksum Type mismatch occurred, expected checksum Type: crc32, actual checksum Type: crc32c',
      }),
    );
    expect(() => checkPartChecksumAlgorithm('SHA256', [undefined, 'CRC32'])).toThrow(code('InvalidRequest'));
  });

  it("takes the upload's own algorithm, no checksum, and any checksum on an upload created without one", () => {
    expect(() => checkPartChecksumAlgorithm('CRC32', ['CRC32', 'CRC32'])).not.toThrow();
    expect(() => checkPartChecksumAlgorithm('CRC32', [undefined, undefined])).not.toThrow();
    expect(() => checkPartChecksumAlgorithm(undefined, ['CRC32C', 'SHA1'])).not.toThrow();
  });
});
