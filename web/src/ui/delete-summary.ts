import { formatCount } from './format.ts';
/**
 * What a finished delete says: "Deleted 134 objects.", if any, which could not be deleted, and, for
 * folders, what was written under them since they were counted (added, or a counted key written
 * again: `rewritten` of them, kept by a delete pinned to the ETag counted) and so is still there
 * (`late`).
 */
export function deleteSummary(result: {
  deleted: number;
  total: number;
  errors: readonly { key: string; message: string }[];
  late?: readonly { name: string; count: number }[];
  rewritten?: number;
}): string {
  const { deleted, total, errors, late = [], rewritten = 0 } = result;
  const stopped = deleted + errors.length + rewritten < total ? ` of ${objectCount(total)} (stopped)` : '';
  const failed =
    errors.length === 0
      ? ''
      : ` ${formatCount(errors.length)} could not be deleted: ${errors
          .slice(0, 5)
          .map((e) => `${e.key} (${e.message})`)
          .join(', ')}${errors.length > 5 ? '…' : ''}`;
  return `Deleted ${objectCount(deleted)}${stopped}.${lateNote(late)}${failed}`;
}

/** " 1 object written since the count is still in “many/”." (nothing when nothing was written). */
export function lateNote(late: readonly { name: string; count: number }[]): string {
  const count = late.reduce((sum, l) => sum + l.count, 0);
  if (count === 0) return '';
  const names = late.map((l) => `“${l.name}”`);
  const where = names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
  return ` ${objectCount(count)} written since the count ${count === 1 ? 'is' : 'are'} still in ${where}.`;
}

/** "1 object", "1,503 objects". */
export function objectCount(n: number): string {
  return `${formatCount(n)} object${n === 1 ? '' : 's'}`;
}
