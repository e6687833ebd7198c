import { describe, expect, it } from 'vitest';
import { hostAllowed } from './host-guard.ts';

describe('hostAllowed', () => {
  it('takes this machine by number or as localhost, with or without a port', () => {
    for (const host of [
      '127.0.0.1:8080',
      '127.0.0.1',
      '[::1]:8080',
      '10.0.0.5:8080',
      'localhost:8080',
      'app.localhost',
    ])
      expect(hostAllowed(host, ['127.0.0.1'])).toBe(true);
  });

  it('takes the names it was given (HOST, HOIST_PUBLIC_URL), in any case', () => {
    expect(hostAllowed('Files.Example.com:8443', ['127.0.0.1', 'files.example.com'])).toBe(true);
    expect(hostAllowed('box.lan:8080', ['box.lan'])).toBe(true);
  });

  it('refuses any other name: a page that rebinds its own name to 127.0.0.1', () => {
    for (const host of ['evil.example:8080', 'localhost.evil.example', '127.0.0.1.nip.io', '', 'a b'])
      expect(hostAllowed(host, ['127.0.0.1', 'files.example.com'])).toBe(false);
  });
});
