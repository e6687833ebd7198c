import { describe, expect, it } from 'vitest';
import { checkCopySize, parseCopyRange, parseCopySource, parseMetadataDirective } from './copy-source.ts';

const failure = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    const e = error as { code: string; message: string; details: Record<string, string> };
    return { code: e.code, message: e.message, argument: e.details['ArgumentName'] };
  }
  throw new Error('expected a failure');
};

describe('parseCopySource', () => {
  it('takes bucket/key with or without the leading slash', () => {
    expect(parseCopySource('/b/k')).toEqual({ bucket: 'b', key: 'k' });
    expect(parseCopySource('b/dir/k.txt')).toEqual({ bucket: 'b', key: 'dir/k.txt' });
  });

  it('URL-decodes the whole value, after splitting off the query at the first literal ?', () => {
    expect(parseCopySource('/b/%C3%BCn%C3%AF%20c%C3%B6d%C3%A9%20%F0%9F%98%80.bin')).toEqual({
      bucket: 'b',
      key: 'ünï cödé 😀.bin',
    });
    expect(parseCopySource('b/what%3Fnot%2Fa%26b')).toEqual({ bucket: 'b', key: 'what?not/a&b' });
    expect(parseCopySource('b/a+b')).toEqual({ bucket: 'b', key: 'a+b' });
    expect(parseCopySource('b/..%2F..%2Fetc%2Fpasswd')).toEqual({ bucket: 'b', key: '../../etc/passwd' });
  });

  it("takes versionId=null and ids of the store's form, and names the version", () => {
    expect(parseCopySource('/b/k?versionId=null')).toEqual({ bucket: 'b', key: 'k', versionId: 'null' });
    const id = 'AbCdEfGhIjKlMnOpQrStUvWxYz012-_9';
    expect(parseCopySource(`/b/k?versionId=${id}`)).toEqual({ bucket: 'b', key: 'k', versionId: id });
    expect(failure(() => parseCopySource('/b/k?versionId=3HL4kqtJlcpXroDTDmJ%2BrmSpXd3dIbrHY'))).toEqual({
      code: 'InvalidArgument',
      message: 'Invalid version id specified',
      argument: 'x-amz-copy-source',
    });
    expect(failure(() => parseCopySource('/b/k?versionId=')).message).toBe(
      'Version id cannot be the empty string',
    );
  });

  it('answers InvalidArgument for a missing bucket or key and for bad percent-encoding', () => {
    expect(failure(() => parseCopySource('')).message).toBe('Invalid copy source bucket name');
    expect(failure(() => parseCopySource('//k')).message).toBe('Invalid copy source bucket name');
    expect(failure(() => parseCopySource('/b')).message).toBe('Invalid copy source object key');
    expect(failure(() => parseCopySource('b/')).message).toBe('Invalid copy source object key');
    expect(failure(() => parseCopySource('b/%zz'))).toEqual({
      code: 'InvalidArgument',
      message: 'Invalid copy source encoding',
      argument: 'x-amz-copy-source',
    });
  });
});

describe('parseCopyRange', () => {
  it('copies the whole source without a range, else bytes=first-last inclusive', () => {
    expect(parseCopyRange(undefined, 10)).toBeUndefined();
    expect(parseCopyRange('bytes=0-9', 10)).toEqual({ start: 0, end: 9 });
    expect(parseCopyRange('bytes=4-4', 10)).toEqual({ start: 4, end: 4 });
  });

  it('rejects any other form with InvalidArgument naming the header', () => {
    for (const value of ['bytes=2-', 'bytes=-3', 'bytes=0-1,3-4', 'items=0-1', '0-1', 'bytes=a-b', ''])
      expect(failure(() => parseCopyRange(value, 10))).toEqual({
        code: 'InvalidArgument',
        message: expect.stringContaining('must be of the form bytes=first-last') as string,
        argument: 'x-amz-copy-source-range',
      });
  });

  it('rejects a range not inside the source (or reversed) with InvalidArgument, not 416', () => {
    for (const value of ['bytes=0-10', 'bytes=10-12', 'bytes=5-3'])
      expect(failure(() => parseCopyRange(value, 10))).toEqual({
        code: 'InvalidArgument',
        message: 'Range specified is not valid for source object of size: 10',
        argument: 'x-amz-copy-source-range',
      });
    expect(failure(() => parseCopyRange('bytes=0-0', 0)).code).toBe('InvalidArgument');
  });
});

describe('checkCopySize', () => {
  it('allows up to 5 GiB in one copy and names the limit beyond', () => {
    expect(() => checkCopySize(5 * 1024 ** 3)).not.toThrow();
    expect(failure(() => checkCopySize(5 * 1024 ** 3 + 1))).toEqual({
      code: 'InvalidRequest',
      message:
        'The specified copy source is larger than the maximum allowable size for a copy source: 5368709120',
      argument: undefined,
    });
  });
});

describe('parseMetadataDirective', () => {
  it('defaults to COPY, takes COPY or REPLACE, and rejects anything else', () => {
    expect(parseMetadataDirective(undefined)).toBe('COPY');
    expect(parseMetadataDirective('COPY')).toBe('COPY');
    expect(parseMetadataDirective('REPLACE')).toBe('REPLACE');
    expect(failure(() => parseMetadataDirective('MOVE'))).toEqual({
      code: 'InvalidArgument',
      message: 'Unknown metadata directive.',
      argument: 'x-amz-metadata-directive',
    });
  });
});
