import type { UploadPlan } from '../../../../server/shared/api-types.ts';
import { partLength } from '../../../../server/uploads/plan-parts.ts';

/**
 * The bytes from `start` to `end` of the file: the file itself when that is all of it. In Chromium
 * each `slice` registers a new blob with the browser process (about 1 ms of the page's time), which
 * a folder of small files, each one part hashed and sent, would pay twice per file.
 */
export function fileBytes(file: Blob, start: number, end: number): Blob {
  return start === 0 && end === file.size ? file : file.slice(start, end);
}

/** The bytes of the file that part `partNumber` (1-based) of the plan carries; the last part is the rest. */
export function partRange(
  plan: Pick<UploadPlan, 'size' | 'partSize'>,
  partNumber: number,
): { start: number; end: number; size: number } {
  const start = (partNumber - 1) * plan.partSize;
  const size = partLength(plan.size, plan.partSize, partNumber);
  return { start, end: start + size, size };
}
