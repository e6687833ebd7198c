import { describe, expect, it } from 'vitest';
import { isLoopbackUrl } from './loopback-url.ts';

describe('isLoopbackUrl', () => {
  it('knows links to this machine only', () => {
    expect(isLoopbackUrl('http://127.0.0.1:9000/hoist/a.pdf?X-Amz-Expires=60')).toBe(true);
    expect(isLoopbackUrl('http://127.1.2.3/a')).toBe(true);
    expect(isLoopbackUrl('http://localhost:9000/a')).toBe(true);
    expect(isLoopbackUrl('http://LOCALHOST/a')).toBe(true);
    expect(isLoopbackUrl('http://store.localhost/a')).toBe(true);
    expect(isLoopbackUrl('http://[::1]:9000/a')).toBe(true);
    expect(isLoopbackUrl('http://[::ffff:127.0.0.1]:9000/a')).toBe(true);
  });

  it('takes any other host for one that others may reach', () => {
    expect(isLoopbackUrl('https://my-bucket.s3.eu-west-1.amazonaws.com/a.pdf')).toBe(false);
    expect(isLoopbackUrl('http://192.168.1.20:9000/a')).toBe(false);
    expect(isLoopbackUrl('http://128.0.0.1/a')).toBe(false);
    expect(isLoopbackUrl('http://localhost.example.com/a')).toBe(false);
    expect(isLoopbackUrl('http://[2001:db8::1]/a')).toBe(false);
    expect(isLoopbackUrl('not a url')).toBe(false);
  });
});
