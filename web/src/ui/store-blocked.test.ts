import { describe, expect, it } from 'vitest';
import { blockedStore } from './store-blocked.ts';

describe('blockedStore', () => {
  const page = 'http://127.0.0.1:8080';

  it("names the store's origin the page's requests or download frames were refused", () => {
    const part = 'http://127.0.0.1:8089/hoist/big.bin?partNumber=3&uploadId=x&X-Amz-Signature=y';
    expect(blockedStore({ effectiveDirective: 'connect-src', blockedURI: part }, page)).toBe(
      'http://127.0.0.1:8089',
    );
    expect(
      blockedStore({ effectiveDirective: 'frame-src', blockedURI: 'https://s3.example.com/b/k' }, page),
    ).toBe('https://s3.example.com');
  });

  it('leaves alone what is no store: other directives, the page itself, inline code', () => {
    expect(
      blockedStore({ effectiveDirective: 'img-src', blockedURI: 'https://x.example/a.png' }, page),
    ).toBeNull();
    expect(blockedStore({ effectiveDirective: 'connect-src', blockedURI: `${page}/api/x` }, page)).toBeNull();
    expect(blockedStore({ effectiveDirective: 'connect-src', blockedURI: 'inline' }, page)).toBeNull();
    expect(
      blockedStore({ effectiveDirective: 'connect-src', blockedURI: 'data:text/plain,x' }, page),
    ).toBeNull();
  });
});
