import { isDeleteMarker, type ObjectRecord, type VersionRecord } from './records.ts';
import { versionIdOf } from './version-id.ts';

/**
 * The versions of one key in a versioned bucket, newest first: the first is the current one (an object, or a
 * delete marker the key reads as absent behind). Pure: the store writes what these decide.
 */

export type KeyVersions = readonly VersionRecord[];

/** The `seq` of a version written now: one more than the newest's. */
export function nextSeq(versions: KeyVersions): number {
  return (versions[0]?.seq ?? 0) + 1;
}

/** The version `versionId` ("null" included) names, and where it is. */
export function findVersion(
  versions: KeyVersions,
  versionId: string,
): { version: VersionRecord; index: number } | undefined {
  const index = versions.findIndex((v) => versionIdOf(v) === versionId);
  return index === -1 ? undefined : { version: versions[index]!, index };
}

/**
 * A new current version: `version` on top; a version with its id (the "null" one, rewritten while Suspended
 * or unversioned) is replaced, wherever it was.
 */
export function placeVersion(
  versions: KeyVersions,
  version: VersionRecord,
): { versions: KeyVersions; replaced?: VersionRecord } {
  const same = findVersion(versions, versionIdOf(version));
  const rest = same ? versions.filter((_, i) => i !== same.index) : versions;
  return { versions: [version, ...rest], ...(same ? { replaced: same.version } : {}) };
}

/** The data files of `gone` that no version in `kept` still names: theirs to remove. */
export function unusedFiles(gone: VersionRecord | undefined, kept: KeyVersions): string[] {
  if (!gone || isDeleteMarker(gone)) return [];
  const used = new Set(kept.flatMap((v) => (isDeleteMarker(v) ? [] : v.segments.map((s) => s.file))));
  return gone.segments.map((s) => s.file).filter((f) => !used.has(f));
}

/** The current version as a live object: undefined when there is none or it is a delete marker. */
export function liveObject(versions: KeyVersions | undefined): ObjectRecord | undefined {
  const current = versions?.[0];
  return current && !isDeleteMarker(current) ? current : undefined;
}

export interface StoredVersion {
  version: VersionRecord;
  /** read from the key's current manifest (objects/), not from versions/ */
  current: boolean;
}

/**
 * A key's versions as read from disk, newest first. A write cut short by a crash can leave a version twice
 * (a current one already copied to versions/, a version promoted to current not yet removed from there):
 * each id is kept once, the copy in the current manifest first; the others are returned to be removed.
 */
export function loadKeyVersions(stored: readonly StoredVersion[]): {
  versions: KeyVersions;
  duplicates: StoredVersion[];
} {
  const ordered = [...stored].sort(
    (a, b) => (b.version.seq ?? 0) - (a.version.seq ?? 0) || Number(b.current) - Number(a.current),
  );
  const seen = new Set<string>();
  const versions: VersionRecord[] = [];
  const duplicates: StoredVersion[] = [];
  for (const s of ordered) {
    const id = versionIdOf(s.version);
    if (seen.has(id)) duplicates.push(s);
    else {
      seen.add(id);
      versions.push(s.version);
    }
  }
  return { versions, duplicates };
}
