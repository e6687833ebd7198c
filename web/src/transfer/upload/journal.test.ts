import { describe, expect, it } from 'vitest';
import { sameProperties } from './journal.ts';

describe('sameProperties', () => {
  it('counts unset and empty alike, and metadata and tags in any order', () => {
    expect(sameProperties(undefined, {})).toBe(true);
    expect(sameProperties(undefined, { metadata: {}, tags: {} })).toBe(true);
    expect(sameProperties({ metadata: { a: '1', b: '2' } }, { metadata: { b: '2', a: '1' } })).toBe(true);
  });

  it('tells apart uploads whose objects would get other headers, Content-Disposition and the rest included', () => {
    const base = { contentType: 'text/plain', cacheControl: 'no-cache' };
    expect(sameProperties(base, { ...base })).toBe(true);
    expect(sameProperties(base, { ...base, cacheControl: 'max-age=60' })).toBe(false);
    expect(sameProperties(base, { ...base, contentDisposition: 'attachment' })).toBe(false);
    expect(sameProperties(base, { ...base, contentEncoding: 'gzip' })).toBe(false);
    expect(sameProperties(base, { ...base, contentLanguage: 'fr' })).toBe(false);
    expect(sameProperties({ contentLanguage: 'fr' }, { contentLanguage: 'fr' })).toBe(true);
    expect(sameProperties(base, { ...base, storageClass: 'STANDARD_IA' })).toBe(false);
    expect(sameProperties({ storageClass: 'GLACIER_IR' }, { storageClass: 'GLACIER_IR' })).toBe(true);
  });
});
