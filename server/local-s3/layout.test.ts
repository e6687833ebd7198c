import { describe, expect, it } from 'vitest';
import { isValidBucketName, Layout, objectMetaName, validateKey } from './layout.ts';

describe('layout', () => {
  it('names object files by a hash of the key, so no key can escape the data dir', () => {
    const layout = new Layout('/data');
    for (const key of [
      '../../etc/passwd',
      '/abs',
      'a/../../b',
      '..',
      './x',
      'ü 😀',
      'a\\b',
      'x'.repeat(1024),
    ]) {
      const path = layout.objectMeta('bucket', key);
      expect(path).toMatch(/^\/data\/buckets\/bucket\/objects\/[0-9a-f]{64}\.json$/);
    }
    expect(objectMetaName('a')).not.toBe(objectMetaName('a/'));
  });

  it('refuses non-id data file and upload names', () => {
    const layout = new Layout('/data');
    expect(() => layout.dataFile('b', '../x')).toThrow();
    expect(() => layout.uploadDir('b', '../../x')).toThrow();
  });

  it('validates bucket names as S3 does', () => {
    for (const ok of ['hoist', 'my.bucket-1', 'abc']) expect(isValidBucketName(ok)).toBe(true);
    for (const bad of ['ab', 'A-b', '..', 'a..b', '-ab', '192.168.0.1', 'a'.repeat(64), 'a/b', 'xn--ab'])
      expect(isValidBucketName(bad)).toBe(false);
  });

  it('limits keys to 1,024 UTF-8 bytes', () => {
    expect(() => validateKey('x'.repeat(1024))).not.toThrow();
    expect(() => validateKey('ü'.repeat(513))).toThrow(expect.objectContaining({ code: 'KeyTooLongError' }));
  });
});
