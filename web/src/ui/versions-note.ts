import type { BucketVersioning } from '../../../server/shared/api-types.ts';

/**
 * What a change made by copying inside S3 leaves behind on a versioned bucket, said before it is made
 * (as the delete prompts say what a delete leaves: delete-warning.ts). A rename or move copies each
 * object to its new name and deletes the old one, and a delete there only adds a delete marker: the
 * old name keeps its versions, stored and billed. Edit properties copies the object onto itself: the
 * copy is a new version, and the one shown stays as an earlier one, a second full copy. Suspended,
 * writes and deletes replace a key's "null" version, so only versions saved while versioning was on
 * stay. An upload's Replace writes a new version over the key the same way. Without versioning, or when
 * Hoist could not tell, nothing is said (nothing is kept).
 */
export type CopyChange = 'rename' | 'move' | 'edit' | 'replace';

export function versionsNote(versioning: BucketVersioning | undefined, change: CopyChange): string | null {
  const remove = '“Deleted objects” above the list brings them back, or deletes them for good.';
  if (versioning === 'enabled') {
    switch (change) {
      case 'rename':
        return `Versioning is on: the old name keeps its earlier versions behind a delete marker (and they are still stored) — ${remove}`;
      case 'move':
        return `Versioning is on: the old names keep their earlier versions behind delete markers (and they are still stored) — ${remove}`;
      case 'edit':
        return 'Versioning is on: a change of type, headers, metadata or storage class is saved as a new version, and the version shown stays as an earlier one (a second full copy, still stored).';
      case 'replace':
        return 'Versioning is on: Replace keeps the object there as an earlier version, which its Details → Versions can restore.';
    }
  }
  if (versioning === 'suspended') {
    switch (change) {
      case 'rename':
      case 'move':
        return `Versioning is suspended: versions saved at the old ${change === 'rename' ? 'name' : 'names'} while it was on stay in the bucket (and are still stored) — ${remove}`;
      case 'edit':
        return 'Versioning is suspended: if the version shown was saved while versioning was on, it stays as an earlier one (a second full copy, still stored).';
      case 'replace':
        return 'Versioning is suspended: Replace keeps the object there only if it was saved while versioning was on.';
    }
  }
  return null;
}
