import { formatCount } from './format-count.ts';
const UNITS = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];

/** 1536 → "1.5 KB" (binary multiples, one decimal under 100, as file managers show). */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '—';
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return `${value.toFixed(digits)} ${UNITS[unit]}`;
}

/**
 * Two sizes a message sets side by side ("is 12.0 MB; … up to 10.0 MB"), rounded as formatBytes does
 * unless that makes them read the same, as 10 MiB + 1 byte beside 10 MiB would ("10.0 MB" twice):
 * then both as exact byte counts, "10,485,761 bytes" beside "10,485,760 bytes".
 */
export function formatBytesApart(a: number, b: number): [string, string] {
  const [roundedA, roundedB] = [formatBytes(a), formatBytes(b)];
  if (roundedA !== roundedB || a === b) return [roundedA, roundedB];
  const exact = (n: number) => `${formatCount(n)} ${n === 1 ? 'byte' : 'bytes'}`;
  return [exact(a), exact(b)];
}
