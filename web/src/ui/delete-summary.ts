/** What a finished delete says: "Deleted 134 objects." and, if any, which could not be deleted. */
export function deleteSummary(result: {
  deleted: number;
  total: number;
  errors: readonly { key: string; message: string }[];
}): string {
  const { deleted, total, errors } = result;
  const stopped = deleted + errors.length < total ? ` of ${objectCount(total)} (stopped)` : '';
  const failed =
    errors.length === 0
      ? ''
      : ` ${errors.length.toLocaleString('en-US')} could not be deleted: ${errors
          .slice(0, 5)
          .map((e) => `${e.key} (${e.message})`)
          .join(', ')}${errors.length > 5 ? '…' : ''}`;
  return `Deleted ${objectCount(deleted)}${stopped}.${failed}`;
}

/** "1 object", "1,503 objects". */
export function objectCount(n: number): string {
  return `${n.toLocaleString('en-US')} object${n === 1 ? '' : 's'}`;
}
