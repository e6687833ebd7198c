import { describe, expect, it } from 'vitest';
import { overrideHeaderValue, shownSafely } from './object-headers.ts';

describe('overrideHeaderValue', () => {
  it('sends ASCII, tabs and an RFC 5987 file name as they are', () => {
    for (const value of [
      'text/csv',
      'attachment; filename="r 1.csv"',
      "attachment; filename*=UTF-8''caf%C3%A9",
      'a\tb',
      '',
    ])
      expect(overrideHeaderValue('response-content-disposition', value)).toBe(value);
  });

  it('sends anything past ASCII as its UTF-8 bytes (a Latin-1 string Node writes byte for byte)', () => {
    for (const value of ['attachment; filename="ü.txt"', 'café', '文件', 'x\u{1F600}']) {
      const sent = overrideHeaderValue('response-content-disposition', value);
      expect(Buffer.from(sent, 'latin1')).toEqual(Buffer.from(value, 'utf8'));
    }
  });

  it('refuses CR/LF, other control characters and half a surrogate pair with 400 InvalidArgument naming the parameter', () => {
    for (const value of [
      'a\r\nX-Injected: 1',
      'a\nb',
      'a\u0000b',
      'a\u007fb',
      'a\u0085b',
      'x\ud83d',
      '\ude00y',
    ])
      expect(() => overrideHeaderValue('response-content-type', value)).toThrow(
        expect.objectContaining({
          code: 'InvalidArgument',
          status: 400,
          details: { ArgumentName: 'response-content-type' },
        }),
      );
  });
});

describe('shownSafely', () => {
  it('sandboxes markup a browser would run scripts in, and never lets a type be sniffed', () => {
    for (const type of [
      'text/html',
      'TEXT/HTML; charset=utf-8',
      'image/svg+xml',
      'application/xhtml+xml',
      'text/xml',
      'application/rss+xml',
    ])
      expect(shownSafely(type)).toEqual({
        'X-Content-Type-Options': 'nosniff',
        'Content-Security-Policy': 'sandbox',
      });
    for (const type of [
      'text/plain',
      'image/png',
      'application/pdf',
      'application/unknown',
      'binary/octet-stream',
      '',
    ])
      expect(shownSafely(type)).toEqual({ 'X-Content-Type-Options': 'nosniff' });
  });
});
