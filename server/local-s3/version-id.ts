import { randomBytes } from 'node:crypto';
import { S3Error } from './errors.ts';
import type { VersionStamp } from './records.ts';

/**
 * Version ids. In a bucket whose versioning was never set, the only version id that names an object is "null"
 * (ListObjectVersions lists each object so); once set, a version is "null" (written while unversioned or
 * Suspended) or has an id of the store's own form: 32 URL-safe characters, random. Any other id names nothing,
 * and is refused rather than ignored: a DELETE of some version must never remove the live object.
 */

export const NULL_VERSION_ID = 'null';

const VERSION_ID = /^[A-Za-z0-9_-]{32}$/;

/** A fresh id: 24 random bytes, base64url. Unique, opaque; the order of a key's versions is kept apart (`seq`). */
export function newVersionId(): string {
  return randomBytes(24).toString('base64url');
}

/** The id a version answers to on the wire: its own, or "null". */
export function versionIdOf(version: VersionStamp): string {
  return version.versionId ?? NULL_VERSION_ID;
}

/** What is wrong with `versionId` as S3 words it, if anything; `versioned`: the bucket's versioning was ever set. */
export function versionIdProblem(versionId: string | undefined, versioned = false): string | undefined {
  if (versionId === undefined || versionId === NULL_VERSION_ID) return undefined;
  if (versionId === '') return 'Version id cannot be the empty string';
  return versioned && VERSION_ID.test(versionId) ? undefined : 'Invalid version id specified';
}

/** `?versionId=` of a request on an object (and its sub-resources): InvalidArgument unless it can name a version. */
export function checkVersionIdParam(versionId: string | undefined, versioned = false): void {
  const problem = versionIdProblem(versionId, versioned);
  if (problem)
    throw new S3Error('InvalidArgument', problem, {
      ArgumentName: 'versionId',
      ArgumentValue: versionId ?? '',
    });
}
