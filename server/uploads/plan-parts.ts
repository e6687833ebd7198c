import { MAX_PARTS, MAX_PART_SIZE, MIN_PART_SIZE } from '../shared/s3-limits.ts';

/**
 * Part size for parallel uploads: S3's minimum. `fetch` reports no upload progress, so progress
 * moves one confirmed part at a time; with the engine's slow start the first part arrives after
 * 5 MiB / link speed (2.6 s at 2 MB/s). The cost is more requests per file (205 for 1 GiB), which
 * the batched signing keeps cheap. Parts stay equal-sized (R2 requires it), growing for files over
 * 10,000 × 5 MiB.
 */
export const PREFERRED_PART_SIZE = MIN_PART_SIZE;

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
