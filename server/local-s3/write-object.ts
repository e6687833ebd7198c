import type { Readable } from 'node:stream';
import type { Checksum, ChecksumAlgorithm } from './checksum.ts';
import { unquoteEtag } from '../uploads/multipart-etag.ts';
import { removeQuietly } from './durable-fs.ts';
import { S3Error } from './errors.ts';
import type { HandlerContext } from './handler-context.ts';
import { receiveBody, type ReceivedBody } from './receive-body.ts';
import type { ObjectRecord, PartRecord } from './records.ts';
import { header, type S3Request } from './s3-request.ts';

/**
 * The one way bytes become an object or a part, whether they come from the request body (PutObject, UploadPart)
 * or from another object (CopyObject, UploadPartCopy): streamed into a temp file while hashed, checked, fsynced,
 * then renamed into the bucket and published under the key's (or part's) lock.
 */

export interface WriteInput {
  source: Readable;
  /** flexible checksums to compute beside the MD5 */
  algorithms: readonly ChecksumAlgorithm[];
  /** compute the SHA-256 too (to check x-amz-content-sha256) */
  sha256?: boolean;
  maxSize: number;
  /** Checks what arrived (throws an S3Error) and returns the checksum to store, if any. */
  verify(body: Omit<ReceivedBody, 'synced'>): Checksum | undefined;
}

/**
 * Streams `input` into a temp file and checks it (`input.verify`, then `check`); on a failed check the temp
 * file is removed (after its deferred fsync, if any) and the error thrown.
 */
async function receiveChecked(
  ctx: HandlerContext,
  request: S3Request,
  input: WriteInput,
  o: { deferSync: boolean; check?: () => void },
): Promise<{ tmp: string; body: ReceivedBody; checksum: Checksum | undefined }> {
  const tmp = ctx.store.layout.tmpFile();
  const body = await receiveBody(input.source, tmp, {
    algorithms: input.algorithms,
    sha256: input.sha256 ?? false,
    maxSize: input.maxSize,
    signal: request.signal,
    deferSync: o.deferSync,
  });
  try {
    const checksum = input.verify(body);
    o.check?.();
    return { tmp, body, checksum };
  } catch (error) {
    await body.synced.catch(() => undefined);
    await removeQuietly(tmp);
    throw error;
  }
}

/** Writes an object: its ETag is the MD5 of the bytes, its checksum (if any) a FULL_OBJECT one. */
export async function writeObject(
  ctx: HandlerContext,
  request: S3Request,
  bucket: string,
  key: string,
  meta: Pick<ObjectRecord, 'headers' | 'tags'>,
  input: WriteInput,
): Promise<ObjectRecord> {
  // The write conditions are checked again once the bytes are in: another writer may have come first.
  const { tmp, body, checksum } = await receiveChecked(ctx, request, input, {
    deferSync: false,
    check: () => checkWriteConditions(ctx, request, bucket, key),
  });
  return ctx.store.putObject(
    bucket,
    tmp,
    {
      key,
      size: body.size,
      etag: `"${body.md5Hex}"`,
      lastModified: ctx.store.now().toISOString(),
      headers: meta.headers,
      ...(meta.tags?.length ? { tags: meta.tags } : {}),
      ...(checksum ? { checksum: { ...checksum, type: 'FULL_OBJECT' as const } } : {}),
    },
    { signal: request.signal, check: () => checkWriteConditions(ctx, request, bucket, key) },
  );
}

/** Writes a part of an open upload; the fsync of its bytes overlaps the part record's own (Store.commitPart). */
export async function writePart(
  ctx: HandlerContext,
  request: S3Request,
  bucket: string,
  uploadId: string,
  partNumber: number,
  input: WriteInput,
): Promise<PartRecord> {
  const { tmp, body, checksum } = await receiveChecked(ctx, request, input, { deferSync: true });
  return ctx.store.commitPart(
    bucket,
    uploadId,
    tmp,
    body.synced,
    { partNumber, etag: `"${body.md5Hex}"`, size: body.size, ...(checksum ? { checksum } : {}) },
    { signal: request.signal },
  );
}

/**
 * If-None-Match: * and If-Match on the object about to be written (412, or NoSuchKey for If-Match). Writes
 * check first that the headers ask for nothing else (write-headers.ts checkWriteConditionHeaders).
 */
export function checkWriteConditions(
  ctx: HandlerContext,
  request: S3Request,
  bucket: string,
  key: string,
): void {
  const ifNoneMatch = header(request, 'if-none-match');
  const ifMatch = header(request, 'if-match');
  if (ifNoneMatch === undefined && ifMatch === undefined) return;
  const existing = ctx.store.bucket(bucket).objects.get(key);
  if (ifNoneMatch?.trim() === '*' && existing)
    throw new S3Error('PreconditionFailed', undefined, { Condition: 'If-None-Match' });
  if (ifMatch !== undefined) checkIfMatch(ifMatch, existing, key);
}

/**
 * If-Match on the live object at `key` (an If-Match header, or a DeleteObjects entry's `<ETag>`): NoSuchKey when
 * there is none, 412 when it is another object; `*` asks only that there is one.
 */
export function checkIfMatch(ifMatch: string, existing: ObjectRecord | undefined, key: string): void {
  if (!existing) throw new S3Error('NoSuchKey', undefined, { Key: key });
  if (ifMatch.trim() !== '*' && unquoteEtag(ifMatch) !== unquoteEtag(existing.etag))
    throw new S3Error('PreconditionFailed', undefined, { Condition: 'If-Match' });
}
