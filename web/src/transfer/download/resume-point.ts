/**
 * What a download keeps between attempts, so that a retry goes on from the last byte written instead
 * of from byte 0 (as a browser resumes an interrupted download): the ranges written in full, and for a
 * range that broke off midway, the bytes written from its start with the checksum state of exactly
 * those bytes. A plain (unranged) download is one range, index 0, spanning the object. Pure.
 */
import type { IHasher } from 'hash-wasm';
import type { EtagHasher } from './etag-hasher.ts';
import { rangeLength, type ByteRange } from './plan-ranges.ts';
import type { SegmentCrc } from './segment-crcs.ts';
import type { SegmentHasher } from './segment-hasher.ts';

/** A range broken off midway. */
export interface StartedRange {
  /** Bytes written from the range's first byte on. */
  written: number;
  /** Has seen exactly those bytes (null: the checksum plan hashes nothing). */
  readonly hasher: IHasher | SegmentHasher | EtagHasher | null;
}

export interface ResumePoint {
  /** The version the kept bytes belong to: a Retry that finds another ETag or size starts over. */
  readonly etag: string;
  readonly size: number;
  readonly rangeSize: number;
  /**
   * How the bytes are checked (`planKey`: the verification plan, with the part size or layout its
   * hashers cut by): the hash state kept is of that plan, so a Retry that would check otherwise (a
   * layout the server learnt only now, say) starts over rather than compare it with the new plan.
   */
  readonly check: string;
  /**
   * Ranges written in full, by index, with their CRCs when the checksum plan uses CRCs: one for the
   * whole range, or one per piece of the range inside one part (composite checksums).
   */
  readonly done: Map<number, { length: number; crcs: SegmentCrc[] | null }>;
  /** Ranges begun and not finished, by index. */
  readonly started: Map<number, StartedRange>;
}

export function startResumePoint(
  version: { etag: string; size: number },
  rangeSize: number,
  check: string,
): ResumePoint {
  return { etag: version.etag, size: version.size, rangeSize, check, done: new Map(), started: new Map() };
}

/** Bytes already written: what a Retry does not download again. */
export function keptBytes(point: ResumePoint): number {
  let sum = 0;
  for (const { length } of point.done.values()) sum += length;
  for (const { written } of point.started.values()) sum += written;
  return sum;
}

/** The kept bytes are of the object the fresh link points at, cut into the same ranges, checked alike. */
export function canResume(
  point: ResumePoint,
  version: { etag: string; size: number },
  rangeSize: number,
  check: string,
): boolean {
  return (
    point.etag === version.etag &&
    point.size === version.size &&
    point.rangeSize === rangeSize &&
    point.check === check
  );
}

/** The ranges still to download (in full or, for those started, their rest). */
export function rangesLeft(point: ResumePoint, ranges: readonly ByteRange[]): ByteRange[] {
  return ranges.filter((r) => !point.done.has(r.index));
}

/** `range` is written in full (`crcs`: its CRCs, when the checksum plan needs them): no longer started. */
export function finishRange(point: ResumePoint, range: ByteRange, crcs: SegmentCrc[] | null): void {
  point.started.delete(range.index);
  point.done.set(range.index, { length: rangeLength(range), crcs });
}

/** What is left of `range` once `written` of its bytes are on disk. */
export function restOf(range: ByteRange, written: number): ByteRange {
  return { index: range.index, start: range.start + written, end: range.end };
}
