import { describe, expect, it } from 'vitest';
import { blockedStore } from './store-blocked.ts';

describe('blockedStore', () => {
  const page = 'http://127.0.0.1:8080';
  const ours = { disposition: 'enforce' as const, sourceFile: `${page}/assets/index-abc.js` };

  it("names the store's origin the page's requests or download frames were refused", () => {
    const part = 'http://127.0.0.1:8089/hoist/big.bin?partNumber=3&uploadId=x&X-Amz-Signature=y';
    expect(blockedStore({ ...ours, effectiveDirective: 'connect-src', blockedURI: part }, page)).toBe(
      'http://127.0.0.1:8089',
    );
    expect(
      blockedStore(
        { ...ours, effectiveDirective: 'frame-src', blockedURI: 'https://s3.example.com/b/k' },
        page,
      ),
    ).toBe('https://s3.example.com');
  });

  it('leaves alone what is no store: other directives, the page itself, inline code', () => {
    expect(
      blockedStore({ ...ours, effectiveDirective: 'img-src', blockedURI: 'https://x.example/a.png' }, page),
    ).toBeNull();
    expect(
      blockedStore({ ...ours, effectiveDirective: 'connect-src', blockedURI: `${page}/api/x` }, page),
    ).toBeNull();
    expect(
      blockedStore({ ...ours, effectiveDirective: 'connect-src', blockedURI: 'inline' }, page),
    ).toBeNull();
    expect(
      blockedStore({ ...ours, effectiveDirective: 'connect-src', blockedURI: 'data:text/plain,x' }, page),
    ).toBeNull();
  });

  it("leaves alone what the page's own scripts did not ask for, or what was only reported", () => {
    const blockedURI = 'http://127.0.0.1:8089/hoist/k';
    // A browser extension's script in the page (a password manager) calling home.
    const extension = { effectiveDirective: 'connect-src', blockedURI, disposition: 'enforce' as const };
    expect(
      blockedStore({ ...extension, sourceFile: 'chrome-extension://abcdef/content.js' }, page),
    ).toBeNull();
    expect(blockedStore({ ...extension, sourceFile: '' }, page)).toBeNull();
    expect(
      blockedStore({ ...ours, disposition: 'report', effectiveDirective: 'connect-src', blockedURI }, page),
    ).toBeNull();
  });
});
