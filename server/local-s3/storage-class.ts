/**
 * Storage classes in the embedded store. It keeps the class a client names on an object (and reports it in
 * HeadObject, GetObject, the listings and GetObjectAttributes, as S3 does), so an app that sets one is tried
 * here as on S3. It has one tier: every class it keeps is read at once, as S3's non-archive classes are. The
 * archive classes, whose objects S3 answers 403 InvalidObjectState until they are restored, are refused rather
 * than kept readable: a client must not believe its data archived when it is not. Pure.
 */
import { ARCHIVE_STORAGE_CLASSES, EMBEDDED_STORAGE_CLASSES } from '../shared/storage-classes.ts';
import { S3Error } from './errors.ts';

/** Where the class is kept among an object's stored headers (absent: STANDARD, as S3 leaves it unsaid). */
export const STORAGE_CLASS_HEADER = 'x-amz-storage-class';

/** The classes of S3 whose objects are read at once: kept as named (the list Hoist offers on this store). */
export const KEPT_STORAGE_CLASSES = EMBEDDED_STORAGE_CLASSES;

/** Refuses an x-amz-storage-class the store does not keep, as S3 refuses one it does not know (400). */
export function checkStorageClass(value: string | undefined): void {
  if (value === undefined || KEPT_STORAGE_CLASSES.includes(value)) return;
  throw new S3Error(
    'InvalidStorageClass',
    ARCHIVE_STORAGE_CLASSES.includes(value)
      ? `The storage class you specified is not valid: the local store has no archive tier for ${value} (it keeps ${KEPT_STORAGE_CLASSES.join(', ')}).`
      : `The storage class you specified is not valid (the local store keeps ${KEPT_STORAGE_CLASSES.join(', ')}).`,
    { StorageClassRequested: value },
  );
}

/** An object's stored headers with the class a write named: STANDARD is left unsaid, as S3 answers it. */
export function withStorageClass(
  headers: Readonly<Record<string, string>>,
  storageClass: string | undefined,
): Record<string, string> {
  const { [STORAGE_CLASS_HEADER]: _was, ...rest } = headers;
  return storageClass === undefined || storageClass === 'STANDARD'
    ? rest
    : { ...rest, [STORAGE_CLASS_HEADER]: storageClass };
}

/** The class of an object or upload, as listings name it. */
export function storageClassOf(record: { headers: Readonly<Record<string, string>> }): string {
  return record.headers[STORAGE_CLASS_HEADER] ?? 'STANDARD';
}
