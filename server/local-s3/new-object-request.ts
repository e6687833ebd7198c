import type { HandlerContext } from './handler-context.ts';
import { validateKey } from './layout.ts';
import type { S3Request } from './s3-request.ts';
import { checkNewObjectHeaders, checkWriteHeaders } from './write-headers.ts';

/**
 * What a request that makes an object (PutObject, CopyObject, CreateMultipartUpload) is checked for
 * first: the bucket is there, the key is one S3 takes, and its headers ask for nothing the store
 * does not do (write-headers.ts).
 */
export function checkNewObjectRequest(
  ctx: HandlerContext,
  request: S3Request,
  bucket: string,
  key: string,
): void {
  ctx.store.bucket(bucket);
  validateKey(key);
  checkWriteHeaders(request.headers);
  checkNewObjectHeaders(request.headers);
}
