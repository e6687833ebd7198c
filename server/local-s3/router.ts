import {
  createBucket,
  deleteBucket,
  deleteBucketCors,
  getBucketCors,
  getBucketLocation,
  headBucket,
  listBuckets,
  putBucketCors,
} from './bucket-handlers.ts';
import {
  deleteUnsetSetting,
  getBucketAcl,
  getObjectAcl,
  getOwnershipControls,
  getPublicAccessBlock,
  getUnsetSetting,
  putAcl,
  unsetSettingOf,
} from './compat-handlers.ts';
import { copyObject, uploadPartCopy } from './copy-handlers.ts';
import { S3Error } from './errors.ts';
import type { HandlerContext } from './handler-context.ts';
import { listMultipartUploads, listObjects } from './list-handlers.ts';
import {
  abortMultipartUpload,
  completeMultipartUpload,
  createMultipartUpload,
  listParts,
  uploadPart,
} from './multipart-handlers.ts';
import {
  deleteObject,
  deleteObjects,
  deleteObjectTagging,
  getObject,
  getObjectAttributes,
  getObjectTagging,
  putObject,
  putObjectTagging,
} from './object-handlers.ts';
import { header, type S3Request } from './s3-request.ts';
import { checkVersionIdParam } from './version-id.ts';
import { getBucketVersioning, listObjectVersions, putBucketVersioning } from './versioning-handlers.ts';

/**
 * POST Object (a browser form upload: multipart/form-data to /bucket, authenticated by fields in the body), which
 * the store does not implement; recognised before authentication so the answer says so instead of AccessDenied.
 */
export function isBrowserFormUpload(
  request: Pick<S3Request, 'method' | 'bucket' | 'key' | 'headers'>,
): boolean {
  return (
    request.method === 'POST' &&
    request.bucket !== undefined &&
    request.key === undefined &&
    (header(request, 'content-type') ?? '').toLowerCase().startsWith('multipart/form-data')
  );
}

/** Picks the S3 operation from method, path and sub-resource query parameters. */
export async function route(ctx: HandlerContext, request: S3Request): Promise<void> {
  const { method, bucket, key, q } = request;
  if (bucket === undefined) {
    if (method === 'GET') return listBuckets(ctx, request);
    throw new S3Error('MethodNotAllowed');
  }
  if (key === undefined) {
    const unset = unsetSettingOf(q);
    switch (method) {
      case 'PUT':
        if (q.has('cors')) return putBucketCors(ctx, request, bucket);
        if (q.has('acl')) return putAcl(ctx, request, bucket);
        if (q.has('versioning')) return putBucketVersioning(ctx, request, bucket);
        if (q.size === 0) return createBucket(ctx, request, bucket);
        break;
      case 'GET':
        if (q.has('cors')) return getBucketCors(ctx, request, bucket);
        if (q.has('uploads')) return listMultipartUploads(ctx, request, bucket);
        if (q.has('location')) return getBucketLocation(ctx, request, bucket);
        if (q.has('versioning')) return getBucketVersioning(ctx, request, bucket);
        if (q.has('acl')) return getBucketAcl(ctx, request, bucket);
        if (q.has('versions')) return listObjectVersions(ctx, request, bucket);
        if (q.has('ownershipControls')) return getOwnershipControls(ctx, request, bucket);
        if (q.has('publicAccessBlock')) return getPublicAccessBlock(ctx, request, bucket);
        if (unset !== undefined) return getUnsetSetting(ctx, bucket, unset);
        if (
          [...q.keys()].some((k) =>
            [
              'acl',
              'policy',
              'versioning',
              'lifecycle',
              'tagging',
              'website',
              'versions',
              'object-lock',
              'encryption',
              'replication',
              'notification',
              'logging',
              'ownershipControls',
              'publicAccessBlock',
              'accelerate',
              'requestPayment',
              'analytics',
              'metrics',
              'inventory',
              'intelligent-tiering',
            ].includes(k),
          )
        )
          break;
        return listObjects(ctx, request, bucket);
      case 'HEAD':
        return headBucket(ctx, request, bucket);
      case 'DELETE':
        if (q.has('cors')) return deleteBucketCors(ctx, request, bucket);
        if (unset !== undefined && unset !== 'object-lock') return deleteUnsetSetting(ctx, request, bucket);
        if (q.size === 0) return deleteBucket(ctx, request, bucket);
        break;
      case 'POST':
        if (q.has('delete')) return deleteObjects(ctx, request, bucket);
        break;
    }
    throw new S3Error('NotImplemented', 'This operation is not implemented by the local store');
  }
  // A version id that cannot name a version (any but "null" in a bucket never versioned) is refused before
  // anything reads, changes or deletes the object.
  if (
    q.has('versionId') &&
    (method === 'GET' || method === 'HEAD' || method === 'DELETE' || (method === 'PUT' && q.has('tagging')))
  )
    checkVersionIdParam(q.get('versionId'), ctx.store.isVersioned(bucket));
  switch (method) {
    case 'PUT': {
      const copy = header(request, 'x-amz-copy-source') !== undefined;
      if (q.has('uploadId') || q.has('partNumber'))
        return copy ? uploadPartCopy(ctx, request, bucket, key) : uploadPart(ctx, request, bucket, key);
      if (q.has('tagging')) return putObjectTagging(ctx, request, bucket, key);
      if (q.has('acl')) return putAcl(ctx, request, bucket, key);
      if (q.has('retention') || q.has('legal-hold')) break;
      return copy ? copyObject(ctx, request, bucket, key) : putObject(ctx, request, bucket, key);
    }
    case 'GET':
    case 'HEAD':
      if (q.has('uploadId') && method === 'GET') return listParts(ctx, request, bucket, key);
      if (q.has('tagging') && method === 'GET') return getObjectTagging(ctx, request, bucket, key);
      if (q.has('attributes') && method === 'GET') return getObjectAttributes(ctx, request, bucket, key);
      if (q.has('acl') && method === 'GET') return getObjectAcl(ctx, request, bucket, key);
      if (q.has('tagging') || q.has('acl') || q.has('attributes') || q.has('torrent')) break;
      return getObject(ctx, request, bucket, key);
    case 'DELETE':
      if (q.has('uploadId')) return abortMultipartUpload(ctx, request, bucket, key);
      if (q.has('tagging')) return deleteObjectTagging(ctx, request, bucket, key);
      return deleteObject(ctx, request, bucket, key);
    case 'POST':
      if (q.has('uploads')) return createMultipartUpload(ctx, request, bucket, key);
      if (q.has('uploadId')) return completeMultipartUpload(ctx, request, bucket, key);
      break;
  }
  throw new S3Error('NotImplemented', 'This operation is not implemented by the local store');
}
