import type { DeletedObject, DeletedObjectsPage } from '../../../server/shared/api-types.ts';
import { mapLimit } from '../../../server/shared/map-limit.ts';
import { formatCount } from '../../../server/shared/format-count.ts';
import type { ShownVersion } from '../api/versions.ts';

/** The delete marker on top of a deleted object, as a restore is pinned to it. */
export const shownMarker = (d: DeletedObject): ShownVersion => ({
  versionId: d.markerVersionId,
  etag: null,
  lastModified: d.deletedAt,
});

/** Restores at once while "Restore all" runs: each is a few small requests to the store. */
const RESTORES_AT_ONCE = 4;

/**
 * Every object deleted under a folder, its folders' too (`listDeleted` with `recursive`), page after
 * page: what "Restore all" counts first and asks about. `onCount` hears the running count. Objects
 * with no earlier version (nothing to bring back) are left out.
 */
export async function findDeleted(o: {
  list: (cursor: string | null, signal: AbortSignal) => Promise<DeletedObjectsPage>;
  signal: AbortSignal;
  onCount?: (found: number) => void;
}): Promise<DeletedObject[]> {
  const found: DeletedObject[] = [];
  let cursor: string | null = null;
  do {
    const page: DeletedObjectsPage = await o.list(cursor, o.signal);
    found.push(...page.objects.filter((d) => d.previous !== null));
    o.onCount?.(found.length);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return found;
}

export interface RestoreOutcome {
  restored: number;
  failed: { key: string; message: string }[];
  /** Stopped before every object was asked for. */
  stopped: boolean;
}

/**
 * Restores each of `objects` (the version under its delete marker, pinned to that marker: one written
 * or deleted again since is left, and listed as failed), a few at a time. One failure does not stop
 * the others; Stop (`signal`) leaves the rest as they are.
 */
export async function restoreAll(o: {
  objects: readonly DeletedObject[];
  restore: (key: string, versionId: string, latest: ShownVersion, signal: AbortSignal) => Promise<unknown>;
  signal: AbortSignal;
  onProgress?: (done: number) => void;
}): Promise<RestoreOutcome> {
  let restored = 0;
  let done = 0;
  const failed: RestoreOutcome['failed'] = [];
  await mapLimit(o.objects, RESTORES_AT_ONCE, async (d) => {
    if (o.signal.aborted || !d.previous) return;
    try {
      await o.restore(d.key, d.previous.versionId, shownMarker(d), o.signal);
      restored++;
    } catch (error) {
      if (o.signal.aborted) return;
      failed.push({ key: d.key, message: error instanceof Error ? error.message : String(error) });
    }
    o.onProgress?.(++done);
  });
  return { restored, failed, stopped: o.signal.aborted };
}

const objects = (n: number) => `${formatCount(n)} object${n === 1 ? '' : 's'}`;

/** What a "Restore all" did, in a sentence. Pure. */
export function restoreSummary(outcome: RestoreOutcome, total: number, where: string): string {
  const failed = outcome.failed.length;
  const notBack = failed > 0 ? `; ${formatCount(failed)} could not be, listed below` : '';
  if (outcome.stopped) {
    return `Stopped: restored ${objects(outcome.restored)} of ${formatCount(total)} in ${where} (any under way may be back too)${notBack}; the rest are still deleted.`;
  }
  return `Restored ${objects(outcome.restored)} of ${formatCount(total)} in ${where}${notBack}.`;
}
