import { describe, expect, it } from 'vitest';
import {
  formatBytes,
  formatCount,
  formatEta,
  formatExactSize,
  formatRate,
  formatSpeed,
  percent,
} from './format.ts';

describe('format', () => {
  it('formats bytes in binary units', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(200 * 1024 ** 2)).toBe('200 MB');
    expect(formatBytes(5 * 1024 ** 4)).toBe('5.0 TB');
    expect(formatBytes(-1)).toBe('—');
  });
  it('gives a size exactly: the byte count alone under 1 KB ("1 byte"), else rounded with the count beside it', () => {
    expect(formatExactSize(1)).toBe('1 byte');
    expect(formatExactSize(0)).toBe('0 bytes');
    expect(formatExactSize(1023)).toBe('1023 bytes');
    expect(formatExactSize(1024)).toBe('1.0 KB (1,024 bytes)');
    expect(formatExactSize(6_291_463)).toBe('6.0 MB (6,291,463 bytes)');
    expect(formatExactSize(-1)).toBe('—');
  });
  it('formats ETA and speed, blank when unknown', () => {
    expect(formatEta(null)).toBe('');
    expect(formatEta(41.2)).toBe('42 s');
    expect(formatEta(185)).toBe('3 min 5 s');
    expect(formatEta(7440)).toBe('2 h 4 min');
    expect(formatSpeed(0)).toBe('');
    expect(formatSpeed(2 * 1024 ** 2)).toBe('2.0 MB/s');
    expect(formatRate(2 * 1024 ** 2, 41.2)).toBe('2.0 MB/s · 42 s left');
    expect(formatRate(2 * 1024 ** 2, null)).toBe('2.0 MB/s');
    expect(formatRate(null, 185)).toBe('3 min 5 s left');
    expect(formatRate(0, null)).toBe('');
  });
  it('never shows more than 100%, and an empty file waiting is at 0%', () => {
    expect(percent(5, 10)).toBe(50);
    expect(percent(11, 10)).toBe(100);
    expect(percent(0, 0)).toBe(0);
  });
});

describe('formatCount', () => {
  it('groups thousands as the rest of the page does', () => {
    expect(formatCount(1235)).toBe('1,235');
    expect(formatCount(12)).toBe('12');
    expect(formatCount(1_000_000)).toBe('1,000,000');
  });
});
