import { describe, expect, it } from 'vitest';
import { corsPatternMatches, hasSeveralWildcards, headerAllowed, originAllowed } from './cors-match.ts';

describe('originAllowed', () => {
  it('takes an exact origin, and "*" for any', () => {
    expect(originAllowed(['https://hoist.example.com'], 'https://hoist.example.com')).toBe(true);
    expect(originAllowed(['https://hoist.example.com'], 'https://other.example.com')).toBe(false);
    expect(originAllowed(['*'], 'http://127.0.0.1:8080')).toBe(true);
    expect(originAllowed([], 'http://127.0.0.1:8080')).toBe(false);
    expect(originAllowed(undefined, 'http://127.0.0.1:8080')).toBe(false);
  });

  it('takes one "*" anywhere in the entry, as S3 does: any port, any subdomain', () => {
    expect(originAllowed(['http://127.0.0.1:*'], 'http://127.0.0.1:18301')).toBe(true);
    expect(originAllowed(['http://127.0.0.1:*'], 'http://127.0.0.10:18301')).toBe(false);
    expect(originAllowed(['http://127.0.0.1:*'], 'https://127.0.0.1:18301')).toBe(false);
    expect(originAllowed(['https://*.example.com'], 'https://hoist.example.com')).toBe(true);
    expect(originAllowed(['https://*.example.com'], 'https://a.b.example.com')).toBe(true);
    expect(originAllowed(['https://*.example.com'], 'https://example.com')).toBe(false);
    expect(originAllowed(['https://*.example.com'], 'https://evil-example.com')).toBe(false);
    expect(originAllowed(['https://*.example.com'], 'http://hoist.example.com')).toBe(false);
    expect(originAllowed(['*://hoist.example.com'], 'http://hoist.example.com')).toBe(true);
  });

  it('matches origins case-sensitively, and the head and tail of a "*" may not overlap', () => {
    expect(originAllowed(['https://Hoist.example.com'], 'https://hoist.example.com')).toBe(false);
    expect(corsPatternMatches('ab*ba', 'aba', { ignoreCase: false })).toBe(false);
    expect(corsPatternMatches('ab*ba', 'abba', { ignoreCase: false })).toBe(true);
  });

  it('reads a second "*" (which S3 refuses) as itself', () => {
    expect(originAllowed(['https://*.*.com'], 'https://a.b.com')).toBe(false);
    expect(originAllowed(['https://*.*.com'], 'https://a.*.com')).toBe(true);
  });
});

describe('headerAllowed', () => {
  it('takes header names in any case, with one "*" anywhere', () => {
    expect(headerAllowed(['Content-Type'], 'content-type')).toBe(true);
    expect(headerAllowed(['x-amz-*'], 'X-Amz-Meta-Owner')).toBe(true);
    expect(headerAllowed(['*-md5'], 'content-md5')).toBe(true);
    expect(headerAllowed(['*'], 'range')).toBe(true);
    expect(headerAllowed(['x-amz-*'], 'range')).toBe(false);
    expect(headerAllowed(undefined, 'range')).toBe(false);
  });
});

describe('hasSeveralWildcards', () => {
  it('flags an entry S3 refuses', () => {
    expect(hasSeveralWildcards('*')).toBe(false);
    expect(hasSeveralWildcards('https://*.example.com')).toBe(false);
    expect(hasSeveralWildcards('https://*.*.example.com')).toBe(true);
  });
});
