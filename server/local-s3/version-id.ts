import { S3Error } from './errors.ts';

/**
 * The store keeps no versions: as in an unversioned S3 bucket, the only version id that names an object is
 * "null" (ListObjectVersions lists each object so). Any other id names nothing, and is refused rather than
 * ignored: a DELETE of some version must never remove the live object.
 */
export function versionIdProblem(versionId: string | undefined): string | undefined {
  if (versionId === undefined || versionId === 'null') return undefined;
  return versionId === '' ? 'Version id cannot be the empty string' : 'Invalid version id specified';
}

/** `?versionId=` of a GET, HEAD or DELETE on an object (and its sub-resources): InvalidArgument unless "null". */
export function checkVersionIdParam(versionId: string | undefined): void {
  const problem = versionIdProblem(versionId);
  if (problem)
    throw new S3Error('InvalidArgument', problem, {
      ArgumentName: 'versionId',
      ArgumentValue: versionId ?? '',
    });
}
