import { MAX_PARTS, MAX_PART_SIZE, MIN_PART_SIZE } from './s3-limits.ts';

/**
 * Part size for parallel uploads. 8 MiB keeps a part short enough that `fetch` (which reports no
 * upload progress) shows progress every few seconds on a slow link, and long enough that the
 * per-request cost stays small on a fast one.
 */
export const PREFERRED_PART_SIZE = 8 * 1024 ** 2;

export interface PartPlan {
  kind: 'single' | 'multipart';
  partSize: number;
  partCount: number;
}

/** Decides how a file of `size` bytes is uploaded. Pure; throws RangeError for an impossible size. */
export function planParts(size: number, preferredPartSize = PREFERRED_PART_SIZE): PartPlan {
  if (!Number.isSafeInteger(size) || size < 0) throw new RangeError(`size must be a whole number of bytes`);
  if (size <= preferredPartSize) return { kind: 'single', partSize: size, partCount: 1 };
  const mib = 1024 ** 2;
  // The smallest whole-MiB part size that fits in MAX_PARTS, never below the preferred size.
  const needed = Math.ceil(size / MAX_PARTS / mib) * mib;
  const partSize = Math.max(preferredPartSize, needed, MIN_PART_SIZE);
  if (partSize > MAX_PART_SIZE)
    throw new RangeError(`size exceeds ${MAX_PARTS} parts of ${MAX_PART_SIZE} bytes`);
  return { kind: 'multipart', partSize, partCount: Math.ceil(size / partSize) };
}

/** Byte length of part `partNumber` (1-based) in a plan. */
export function partLength(size: number, partSize: number, partNumber: number): number {
  const start = (partNumber - 1) * partSize;
  return Math.max(0, Math.min(partSize, size - start));
}
