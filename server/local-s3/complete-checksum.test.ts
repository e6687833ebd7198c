import { describe, expect, it } from 'vitest';
import { checkClaimedChecksum, parseClaimedChecksum } from './complete-checksum.ts';

const headers = (h: Record<string, string | undefined>) => (name: string) => h[name];
const code = (code: string) => expect.objectContaining({ code });

describe('parseClaimedChecksum', () => {
  it('reads the object checksum and its type, and nothing when there is none', () => {
    expect(parseClaimedChecksum(headers({}))).toEqual({});
    expect(
      parseClaimedChecksum(
        headers({ 'x-amz-checksum-crc32': 'DUoRhQ==', 'x-amz-checksum-type': 'full_object' }),
      ),
    ).toEqual({ checksum: { algorithm: 'CRC32', value: 'DUoRhQ==' }, type: 'FULL_OBJECT' });
    expect(parseClaimedChecksum(headers({ 'x-amz-checksum-crc32c': 'yZRlqg==-3' }))).toEqual({
      checksum: { algorithm: 'CRC32C', value: 'yZRlqg==-3' },
    });
  });

  it('refuses malformed values, two algorithms and unknown types with InvalidRequest', () => {
    for (const h of [
      { 'x-amz-checksum-crc32': 'AAAA' },
      { 'x-amz-checksum-crc64nvme': 'DUoRhQ==' },
      { 'x-amz-checksum-crc32': 'DUoRhQ==-x' },
      { 'x-amz-checksum-crc32': 'DUoRhQ==', 'x-amz-checksum-crc32c': 'yZRlqg==' },
      { 'x-amz-checksum-type': 'WHOLE' },
    ])
      expect(() => parseClaimedChecksum(headers(h))).toThrow(code('InvalidRequest'));
  });
});

describe('checkClaimedChecksum', () => {
  const full = { algorithm: 'CRC32' as const, value: 'DUoRhQ==', type: 'FULL_OBJECT' as const };
  const upload = { checksumAlgorithm: 'CRC32' as const, checksumType: 'FULL_OBJECT' as const };

  it('accepts no claim, the right value, and the right type alone', () => {
    expect(() => checkClaimedChecksum(upload, full, {})).not.toThrow();
    expect(() =>
      checkClaimedChecksum(upload, full, {
        checksum: { algorithm: 'CRC32', value: 'DUoRhQ==' },
        type: 'FULL_OBJECT',
      }),
    ).not.toThrow();
    expect(() => checkClaimedChecksum(upload, full, { type: 'FULL_OBJECT' })).not.toThrow();
  });

  it('answers BadDigest for another value, or another checksum type than the upload’s', () => {
    expect(() =>
      checkClaimedChecksum(upload, full, { checksum: { algorithm: 'CRC32', value: 'AAAAAA==' } }),
    ).toThrow(
      expect.objectContaining({
        code: 'BadDigest',
        message: 'The crc32 you specified did not match the calculated checksum.',
      }),
    );
    expect(() => checkClaimedChecksum(upload, full, { type: 'COMPOSITE' })).toThrow(code('BadDigest'));
    expect(() =>
      checkClaimedChecksum(
        { checksumAlgorithm: 'CRC32' },
        { ...full, value: 'x-2', type: 'COMPOSITE' },
        {
          type: 'FULL_OBJECT',
        },
      ),
    ).toThrow(code('BadDigest'));
  });

  it('takes a COMPOSITE value with or without its part count', () => {
    const composite = { algorithm: 'CRC32' as const, value: 'DUoRhQ==-2', type: 'COMPOSITE' as const };
    for (const value of ['DUoRhQ==-2', 'DUoRhQ=='])
      expect(() =>
        checkClaimedChecksum({ checksumAlgorithm: 'CRC32' }, composite, {
          checksum: { algorithm: 'CRC32', value },
        }),
      ).not.toThrow();
    expect(() =>
      checkClaimedChecksum({ checksumAlgorithm: 'CRC32' }, composite, {
        checksum: { algorithm: 'CRC32', value: 'DUoRhQ==-3' },
      }),
    ).toThrow(code('BadDigest'));
  });

  it('refuses a value for another algorithm, and one it cannot check (upload without an algorithm)', () => {
    expect(() =>
      checkClaimedChecksum(upload, full, { checksum: { algorithm: 'CRC32C', value: 'yZRlqg==' } }),
    ).toThrow(code('InvalidRequest'));
    expect(() =>
      checkClaimedChecksum({}, undefined, { checksum: { algorithm: 'CRC64NVME', value: 'AAAAAAAAAAA=' } }),
    ).toThrow(code('NotImplemented'));
    // S3's default for such an upload is FULL_OBJECT: that type alone holds, COMPOSITE does not.
    expect(() => checkClaimedChecksum({}, undefined, { type: 'FULL_OBJECT' })).not.toThrow();
    expect(() => checkClaimedChecksum({}, undefined, { type: 'COMPOSITE' })).toThrow(code('BadDigest'));
  });
});
