import type { BucketVersioning } from '../../../server/shared/api-types.ts';

/**
 * What a delete confirmation says of undoing it, true of the bucket at hand: without versioning a
 * delete is for good; with it on, S3 only adds delete markers and the earlier versions stay, stored
 * and billed, until removed by other means. Suspended, a write or delete replaces the key's "null"
 * version, so what was written since versioning was suspended goes for good, while the versions saved
 * while it was on stay. Unknown (the store would not say, or the page has not heard yet): a sentence
 * true either way.
 */
export function deleteWarning(versioning: BucketVersioning | undefined): string {
  switch (versioning) {
    case 'never':
      return 'This cannot be undone.';
    case 'enabled':
      return 'Versioning is on: this adds delete markers; earlier versions stay in the bucket (and are still stored) — “Deleted objects” above the list brings them back, or deletes them for good.';
    case 'suspended':
      return 'Versioning is suspended: what was written since it was suspended is deleted for good (this cannot be undone); versions saved while it was on stay in the bucket (and are still stored) — “Deleted objects” above the list brings them back, or deletes them for good.';
    default:
      return 'Unless the bucket keeps earlier versions (Hoist could not check), this cannot be undone.';
  }
}
