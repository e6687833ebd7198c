import { describe, expect, it } from 'vitest';
import { crc32, crc32c, crc32Js, crcToBase64 } from './crc.ts';

const ascii = (s: string) => Buffer.from(s, 'latin1');

describe('crc32', () => {
  it.each([
    ['', 0],
    ['123456789', 0xcbf43926],
    ['The quick brown fox jumps over the lazy dog', 0x414fa339],
  ])('matches the IEEE check value for %j', (input, expected) => {
    expect(crc32(ascii(input))).toBe(expected);
    expect(crc32Js(ascii(input))).toBe(expected);
  });

  it('continues a running checksum across chunks', () => {
    const data = Buffer.from(Array.from({ length: 1000 }, (_, i) => (i * 7) & 0xff));
    expect(crc32Js(data.subarray(300), crc32Js(data.subarray(0, 300)))).toBe(crc32(data));
  });

  it('encodes as S3 does: big-endian base64', () => {
    expect(crcToBase64(crc32(ascii('')))).toBe('AAAAAA==');
    expect(crcToBase64(crc32(ascii('hello world')))).toBe('DUoRhQ==');
  });
});

describe('crc32c', () => {
  it.each([
    ['', 0],
    ['123456789', 0xe3069283],
    ['hello world', 0xc99465aa],
  ])('matches the Castagnoli check value for %j', (input, expected) => {
    expect(crc32c(ascii(input))).toBe(expected);
  });

  it('matches RFC 3720 vectors (32 zero bytes, 32 0xff bytes)', () => {
    expect(crc32c(Buffer.alloc(32))).toBe(0x8a9136aa);
    expect(crc32c(Buffer.alloc(32, 0xff))).toBe(0x62a8ab43);
  });
});
