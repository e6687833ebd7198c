import { GetBucketVersioningCommand, S3ServiceException, type S3Client } from '@aws-sdk/client-s3';
import type { BucketVersioning } from '../shared/api-types.ts';

/** GetBucketVersioning's `Status`: none at all when versioning was never enabled. Pure. */
export function versioningOf(status: string | undefined): BucketVersioning {
  if (status === undefined || status === '') return 'never';
  if (status === 'Enabled') return 'enabled';
  if (status === 'Suspended') return 'suspended';
  return 'unknown';
}

/**
 * The bucket's versioning, or 'unknown' when the store answers with an S3 error instead (no
 * s3:GetBucketVersioning permission, a store without the call: AccessDenied, NotImplemented,
 * MethodNotAllowed…). A network failure or an abort is thrown.
 */
export async function readBucketVersioning(
  api: Pick<S3Client, 'send'>,
  bucket: string,
  o?: { signal?: AbortSignal },
): Promise<BucketVersioning> {
  try {
    const r = await api.send(new GetBucketVersioningCommand({ Bucket: bucket }), { abortSignal: o?.signal });
    return versioningOf(r.Status);
  } catch (error) {
    // An abort (the caller's, or the store not answering in time) is thrown as the SDK threw it.
    if (error instanceof S3ServiceException && !o?.signal?.aborted) return 'unknown';
    throw error;
  }
}
