import type { BucketVersioning, ObjectVersionEntry } from '../../../server/shared/api-types.ts';
import { formatDate } from './format.ts';

/** What one row of an object's versions offers. Pure. */
export interface VersionActions {
  /** A version's bytes, through the browser's download manager (a delete marker has none). */
  download: boolean;
  /** Made the current version again: any version but the current one (a delete marker has nothing to bring back). */
  restore: boolean;
  /** Deleted for good, as the S3 console's "Permanently delete": any version or delete marker. */
  deleteForGood: boolean;
}

export function versionActions(v: Pick<ObjectVersionEntry, 'isLatest' | 'deleteMarker'>): VersionActions {
  return { download: !v.deleteMarker, restore: !v.isLatest && !v.deleteMarker, deleteForGood: true };
}

/**
 * What "Delete for good" of `v` does, said before it is done: `below` is the version listed under it
 * (null: none listed).
 */
export function deleteForGoodText(
  v: Pick<ObjectVersionEntry, 'isLatest' | 'deleteMarker'>,
  below: Pick<ObjectVersionEntry, 'deleteMarker'> | null,
): string {
  if (v.deleteMarker) {
    return v.isLatest && below && !below.deleteMarker
      ? 'Deleting this delete marker brings back the version under it as the current one.'
      : 'This delete marker goes; no bytes are deleted.';
  }
  const gone = 'Its bytes are deleted for good: this cannot be undone.';
  if (!v.isLatest) return gone;
  if (below === null) return `${gone} It is the only version, so the object is gone.`;
  return below.deleteMarker
    ? `${gone} The delete marker under it becomes the current one: the object reads as deleted.`
    : `${gone} The version under it becomes the current one.`;
}

/** What Restore does, said beside the versions. Under suspended versioning, the copy replaces the "null" version. */
export function restoreNote(versioning: BucketVersioning | undefined): string {
  const how =
    'Restore brings an earlier version back as the current one. A deleted object’s last version comes back as it was, once the delete markers above it go; any other version is copied on top, and what it replaces stays as history.';
  return versioning === 'suspended'
    ? `${how} Versioning is suspended: a copy replaces the version whose id is "null", if the object has one.`
    : how;
}

/**
 * What each row's buttons name it by ("version of 12/7/2026, 6:25:24 PM"): its kind and date, "current"
 * for the current one, and where two rows would read alike (dated to the same second), the start of
 * its version id too. Pure but for the locale's date format.
 */
export function versionLabels(
  versions: readonly Pick<ObjectVersionEntry, 'versionId' | 'isLatest' | 'deleteMarker' | 'lastModified'>[],
): string[] {
  const plain = versions.map(
    (v) =>
      `${v.isLatest ? 'current ' : ''}${v.deleteMarker ? 'delete marker' : 'version'} of ${
        v.lastModified ? formatDate(v.lastModified) : 'an unknown date'
      }`,
  );
  const seen = new Map<string, number>();
  for (const label of plain) seen.set(label, (seen.get(label) ?? 0) + 1);
  return plain.map((label, i) =>
    seen.get(label)! > 1 ? `${label}, id ${versions[i]!.versionId.slice(0, 8)}` : label,
  );
}
