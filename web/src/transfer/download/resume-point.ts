/**
 * What a ranged download keeps between attempts, so that Retry goes on from where a failed attempt
 * stopped instead of from byte 0 (as a browser resumes an interrupted download). Only ranges written
 * in full count; a range that broke off is fetched again from its start. Pure.
 */
import type { ByteRange } from './plan-ranges.ts';
import type { SegmentCrc } from './segment-crcs.ts';

export interface ResumePoint {
  /** The version the kept bytes belong to: a Retry that finds another ETag or size starts over. */
  readonly etag: string;
  readonly size: number;
  readonly rangeSize: number;
  /**
   * Ranges written in full, by index, with their CRCs when the checksum plan uses CRCs: one for the
   * whole range, or one per piece of the range inside one part (composite checksums).
   */
  readonly done: Map<number, { length: number; crcs: SegmentCrc[] | null }>;
}

export function startResumePoint(version: { etag: string; size: number }, rangeSize: number): ResumePoint {
  return { etag: version.etag, size: version.size, rangeSize, done: new Map() };
}

/** Bytes written in full ranges: what a Retry does not download again. */
export function keptBytes(point: ResumePoint): number {
  let sum = 0;
  for (const { length } of point.done.values()) sum += length;
  return sum;
}

/** The kept bytes are of the object the fresh link points at, cut into the same ranges. */
export function canResume(
  point: ResumePoint,
  version: { etag: string; size: number },
  rangeSize: number,
): boolean {
  return point.etag === version.etag && point.size === version.size && point.rangeSize === rangeSize;
}

/** The ranges still to download. */
export function rangesLeft(point: ResumePoint, ranges: readonly ByteRange[]): ByteRange[] {
  return ranges.filter((r) => !point.done.has(r.index));
}
