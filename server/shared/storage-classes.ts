/**
 * S3 storage classes as the S3 console names them, and which ones a store offers by default. The page
 * offers the server's list in the upload settings and "Edit properties"; the server refuses any other.
 * Pure.
 */

/** The S3 console's names, in its order. */
const NAMES: Readonly<Record<string, string>> = {
  STANDARD: 'Standard',
  INTELLIGENT_TIERING: 'Intelligent-Tiering',
  STANDARD_IA: 'Standard-IA',
  ONEZONE_IA: 'One Zone-IA',
  GLACIER_IR: 'Glacier Instant Retrieval',
  GLACIER: 'Glacier Flexible Retrieval',
  DEEP_ARCHIVE: 'Glacier Deep Archive',
  REDUCED_REDUNDANCY: 'Reduced redundancy',
};

/** What the embedded store keeps (server/local-s3/storage-class.ts): every class S3 reads at once. */
export const EMBEDDED_STORAGE_CLASSES: readonly string[] = [
  'STANDARD',
  'INTELLIGENT_TIERING',
  'STANDARD_IA',
  'ONEZONE_IA',
  'GLACIER_IR',
  'REDUCED_REDUNDANCY',
];

/** What AWS S3 offers for new objects, as its console's upload does (Reduced redundancy is not advised). */
export const AWS_STORAGE_CLASSES: readonly string[] = [
  'STANDARD',
  'INTELLIGENT_TIERING',
  'STANDARD_IA',
  'ONEZONE_IA',
  'GLACIER_IR',
  'GLACIER',
  'DEEP_ARCHIVE',
];

/** Classes whose objects S3 must restore before they can be read (403 InvalidObjectState until then). */
export const ARCHIVE_STORAGE_CLASSES: readonly string[] = ['GLACIER', 'DEEP_ARCHIVE'];

/** How a storage class is written: S3's are upper case with "_"; a store's own (Ceph RGW placements) alike. */
export const STORAGE_CLASS_NAME = /^[A-Z][A-Z0-9_]{0,63}$/;

/** "Standard-IA", as the S3 console says it; a class of a store's own by its name. */
export function storageClassLabel(storageClass: string): string {
  const name = NAMES[storageClass];
  return name ?? storageClass;
}

/**
 * Why `storageClass` cannot be given to an object here, said for a person; null when it can.
 * `offered`: the server's list (HOIST_STORAGE_CLASSES or the store's default).
 */
export function storageClassProblem(storageClass: string, offered: readonly string[]): string | null {
  if (offered.includes(storageClass)) return null;
  const names = offered.map(storageClassLabel).join(', ');
  return offered.length <= 1
    ? `This storage keeps every object in its default storage class; "${storageClass}" cannot be chosen (HOIST_STORAGE_CLASSES lists the classes a store offers).`
    : `"${storageClass}" is not a storage class this storage offers (${names}).`;
}
