import { formatBytes } from '../../../server/shared/format-bytes.ts';
import { formatCount } from '../../../server/shared/format-count.ts';

export { formatBytes, formatCount };

export function formatSpeed(bytesPerSecond: number | null): string {
  if (bytesPerSecond === null || !Number.isFinite(bytesPerSecond) || bytesPerSecond <= 0) return '';
  return `${formatBytes(bytesPerSecond)}/s`;
}

/**
 * A size exactly, as Details shows it: "1 byte", "512 bytes" (under 1 KB the count is the size), else
 * rounded with the count beside it, "1.2 KB (1,234 bytes)".
 */
export function formatExactSize(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return formatBytes(bytes);
  if (bytes < 1024) return bytes === 1 ? '1 byte' : `${bytes} bytes`;
  return `${formatBytes(bytes)} (${formatCount(bytes)} bytes)`;
}

/** Seconds → "42 s", "3 min 5 s", "2 h 4 min". */
export function formatEta(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds) || seconds < 0) return '';
  const s = Math.ceil(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

/**
 * A transfer's pace as Uppy's status bar and the AWS CLI say it: "1.8 MB/s · 7 s left", either half
 * alone when only it is known, "" when neither is.
 */
export function formatRate(bytesPerSecond: number | null, etaSeconds: number | null): string {
  const eta = formatEta(etaSeconds);
  return [formatSpeed(bytesPerSecond), eta && `${eta} left`].filter(Boolean).join(' · ');
}

export function formatDate(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : d.toLocaleString();
}

/** How far along, 0–100. An empty file has no bytes to count: 0 until its caller knows it is done. */
export function percent(done: number, total: number): number {
  if (total <= 0) return 0;
  return Math.min(100, Math.floor((done / total) * 100));
}
