import type { UploadPlan } from '../../../../server/shared/api-types.ts';

/** The bytes of the file that part `partNumber` (1-based) of the plan carries; the last part is the rest. */
export function partRange(
  plan: Pick<UploadPlan, 'size' | 'partSize'>,
  partNumber: number,
): { start: number; end: number; size: number } {
  const start = (partNumber - 1) * plan.partSize;
  const end = Math.min(plan.size, start + plan.partSize);
  return { start, end, size: end - start };
}
