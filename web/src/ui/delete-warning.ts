import type { BucketVersioning } from '../../../server/shared/api-types.ts';

/**
 * What a delete confirmation says of undoing it, true of the bucket at hand: without versioning a
 * delete is for good; with it (on, or suspended after being on) S3 only adds delete markers and the
 * earlier versions stay, stored and billed, until removed by other means. Unknown (the store would
 * not say, or the page has not heard yet): a sentence true either way.
 */
export function deleteWarning(versioning: BucketVersioning | undefined): string {
  switch (versioning) {
    case 'never':
      return 'This cannot be undone.';
    case 'enabled':
      return 'Versioning is on: this adds delete markers; earlier versions stay in the bucket (and are still stored) — remove them with the S3 console or the CLI.';
    case 'suspended':
      return 'Versioning is suspended: this adds delete markers; versions saved while it was on stay in the bucket (and are still stored) — remove them with the S3 console or the CLI.';
    default:
      return 'Unless the bucket keeps earlier versions (Hoist could not check), this cannot be undone.';
  }
}
