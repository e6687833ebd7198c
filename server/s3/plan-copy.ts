/**
 * How a server-side copy is done: one CopyObject up to S3's 5 GiB limit, else UploadPartCopy over
 * ranges big enough that the parts stay within S3's 10,000 (and each part within 5 GiB).
 */
import { MAX_PARTS, MAX_PART_SIZE } from '../shared/s3-limits.ts';

export const SINGLE_COPY_LIMIT = 5 * 1024 ** 3;
export const COPY_PART_SIZE = 512 * 1024 ** 2;

export interface CopyRange {
  partNumber: number;
  /** Inclusive, as in `x-amz-copy-source-range: bytes=first-last`. */
  first: number;
  last: number;
}

export type CopyPlan = { kind: 'single' } | { kind: 'multipart'; ranges: CopyRange[] };

export function planCopy(size: number, o: { singleLimit?: number; partSize?: number } = {}): CopyPlan {
  const singleLimit = o.singleLimit ?? SINGLE_COPY_LIMIT;
  if (size <= singleLimit) return { kind: 'single' };
  const partSize = Math.min(
    MAX_PART_SIZE,
    Math.max(o.partSize ?? COPY_PART_SIZE, Math.ceil(size / MAX_PARTS)),
  );
  const ranges: CopyRange[] = [];
  for (let first = 0, n = 1; first < size; first += partSize, n++) {
    ranges.push({ partNumber: n, first, last: Math.min(size, first + partSize) - 1 });
  }
  return { kind: 'multipart', ranges };
}
