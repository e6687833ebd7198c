/** What a file's row says about how its upload ended or went on (the `note` under it), and the add notice. */

export const SAME_BYTES_NOTE = 'This file was already at its key (the answer to its upload was lost).';
export const IDENTICAL_NOTE = 'Already in the bucket with the same bytes, so it was not sent again.';

export const STARTED_OVER_NOTE = 'The unfinished upload had expired, so it started again from the beginning.';
export const OTHER_SETTINGS_NOTE =
  'Picked with other upload settings than its unfinished upload, so it was sent as a new upload with them; the unfinished one is discarded (its parts removed from the storage) once this one is done.';
export const KEPT_SETTINGS_NOTE =
  'Went on with the upload settings it was started with (upload settings are not kept across a reload).';
export const STARTED_OVER_GONE_NOTE =
  'The unfinished upload was no longer on the server, so it started again from the beginning.';
export const STARTED_OVER_FOREIGN_NOTE =
  'The server no longer accepts the unfinished upload (its HOIST_SECRET changed), so it started again from the beginning.';
export const CANCELLED_FOREIGN_NOTE =
  'Cancelled here. The server no longer accepts this upload (its HOIST_SECRET changed), so it removes what was sent once the upload has been idle for a while.';
export const DISCARDED_EXPIRED_NOTE =
  'The unfinished upload had expired; the server removes what was sent of it by itself.';
export const DISCARDED_UNCONFIRMED_NOTE =
  'Discarded here, but the server could not be told; it removes what was sent once the upload has been idle for a while';

export const COMPLETED_BEFORE_NOTE =
  'The upload had been completed before (the page was closed or lost the answer), so nothing was sent again.';

export const SENT_BY_OTHER_TAB_NOTE =
  'Another tab of this page uploaded this file meanwhile (the object at its key is made of its bytes), so it was not sent again.';

export const TAKEN_OVER_NOTE =
  'Cancelled here only: another tab of this page took this upload over while it was paused, and goes on sending it.';

export const COMPLETED_LATE_NOTE =
  'The upload finished before the cancel reached the server, so the file was kept.';

/**
 * The snapshot's `notice` after an add that left out files already in the list (named by path),
 * `retried` ones, in the list as failed, that are tried again instead (a row each, not two), and
 * `unreadable` ones, dropped items the browser could not read (a file moved, deleted or not allowed,
 * a folder that cannot be listed), else null.
 */
/** Said when a pick or a drop held no file at all (an empty folder): otherwise nothing would change. */
export const NOTHING_PICKED_NOTICE =
  'Nothing to upload: what was picked or dropped holds no files (S3 keeps no empty folders; "New folder" makes one).';

export function alreadyInListNotice(
  again: readonly string[],
  retried: readonly string[] = [],
  unreadable: readonly string[] = [],
  /** How many files and unreadable items the pick or drop held, when known: none is said. */
  picked?: number,
): string | null {
  if (picked === 0) return NOTHING_PICKED_NOTICE;
  const parts = [
    again.length === 0
      ? null
      : again.length === 1
        ? `“${again[0]}” is already in the list, so it was not added again.`
        : `${again.length} files are already in the list, so they were not added again.`,
    retried.length === 0
      ? null
      : retried.length === 1
        ? `“${retried[0]}” had failed: it is tried again in its row, going on from what was sent.`
        : `${retried.length} files had failed: they are tried again in their rows, going on from what was sent.`,
    unreadableNotice(unreadable),
  ].filter((p) => p !== null);
  return parts.length === 0 ? null : parts.join(' ');
}

/** How many names a notice lists before "and n more". */
const NAMED = 3;

function unreadableNotice(paths: readonly string[]): string | null {
  if (paths.length === 0) return null;
  const why = 'could not be read (moved, deleted, or not allowed to be opened?)';
  if (paths.length === 1) return `“${paths[0]}” ${why}, so it was not added.`;
  const named = paths.slice(0, NAMED).map((p) => `“${p}”`);
  const more = paths.length - named.length;
  return `${paths.length} dropped items ${why}, so they were not added: ${named.join(', ')}${more > 0 ? ` and ${more} more` : ''}.`;
}
