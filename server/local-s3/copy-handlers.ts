import type { Readable } from 'node:stream';
import {
  requestedChecksumAlgorithm,
  type Checksum,
  type ChecksumAlgorithm,
  type ChecksumType,
} from './checksum.ts';
import { conditionHeaders, failedCondition } from './conditions.ts';
import { checkCopySize, parseCopyRange, parseCopySource, parseMetadataDirective } from './copy-source.ts';
import { S3Error } from './errors.ts';
import type { HandlerContext } from './handler-context.ts';
import { MAX_COPY_SIZE } from '../shared/s3-limits.ts';
import { parsePartNumber, uploadFor } from './multipart-handlers.ts';
import { storedHeaders } from './object-headers.ts';
import { STORAGE_CLASS_HEADER, withStorageClass } from './storage-class.ts';
import type { ObjectRecord } from './records.ts';
import { sendXml } from './respond.ts';
import { header, type S3Request } from './s3-request.ts';
import { checkNewObjectRequest } from './new-object-request.ts';
import { checkWriteConditionHeaders, checkWriteHeaders } from './write-headers.ts';
import { checkWriteConditions, writeObject, writePart, type WriteInput } from './write-object.ts';
import { xmlTime, type XmlNode } from './xml.ts';
import { parseTaggingDirective, parseTaggingHeader } from './tagging.ts';
import { versionIdOf, versionIdProblem } from './version-id.ts';
import type { OutgoingHttpHeaders } from 'node:http';

/**
 * CopyObject and UploadPartCopy: the object named by x-amz-copy-source, checked against the
 * x-amz-copy-source-if-* conditions, streamed from its data files into a new object or part by the same path
 * PutObject and UploadPart take (write-object.ts). The bytes are copied, never shared: an object's data files
 * belong to it alone.
 */

const SELF_COPY =
  "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.";

export async function copyObject(
  ctx: HandlerContext,
  request: S3Request,
  bucket: string,
  key: string,
): Promise<void> {
  checkNewObjectRequest(ctx, request, bucket, key);
  const directive = parseMetadataDirective(header(request, 'x-amz-metadata-directive'));
  const requested = requestedChecksumAlgorithm(header(request, 'x-amz-checksum-algorithm'));
  checkWriteConditionHeaders(request.headers);
  checkWriteConditions(ctx, request, bucket, key);
  const source = copySource(ctx, request);
  // Naming a storage class is a change to S3 even when it is the object's own: `aws s3 cp --storage-class STANDARD s3://b/k s3://b/k` rewrites it in place.
  const namesStorageClass = header(request, 'x-amz-storage-class') !== undefined;
  // A version named (an older one copied over the current: a restore) is a change.
  if (
    source.bucket === bucket &&
    source.record.key === key &&
    source.versionId === undefined &&
    directive === 'COPY' &&
    !namesStorageClass
  )
    throw new S3Error('InvalidRequest', SELF_COPY);
  checkCopySize(source.record.size);
  // The source's algorithm carries over, recomputed over the bytes: a COMPOSITE (multipart) value describes
  // parts, not this single-part copy.
  const algorithm = requested ?? source.record.checksum?.algorithm;
  // The class is not copied: a copy is STANDARD unless the request names one, as on S3.
  const headers =
    directive === 'REPLACE'
      ? storedHeaders(request)
      : withStorageClass(source.record.headers, header(request, STORAGE_CLASS_HEADER));
  const tags =
    parseTaggingDirective(header(request, 'x-amz-tagging-directive')) === 'REPLACE'
      ? parseTaggingHeader(header(request, 'x-amz-tagging'))
      : source.record.tags;
  const stream = ctx.store.readObject(source.bucket, source.record);
  await copyThenAnswer(ctx, request, stream, 'CopyObjectResult', source, () =>
    writeObject(
      ctx,
      request,
      bucket,
      key,
      { headers, tags },
      copyInput(stream, source.record.size, algorithm),
    ),
  );
}

export async function uploadPartCopy(
  ctx: HandlerContext,
  request: S3Request,
  bucket: string,
  key: string,
): Promise<void> {
  ctx.store.bucket(bucket);
  const partNumber = parsePartNumber(request.q.get('partNumber'));
  const upload = uploadFor(ctx, request, bucket, key);
  checkWriteHeaders(request.headers);
  const source = copySource(ctx, request);
  const range = parseCopyRange(header(request, 'x-amz-copy-source-range'), source.record.size);
  const length = range ? range.end - range.start + 1 : source.record.size;
  checkCopySize(length);
  const stream = ctx.store.readObject(source.bucket, source.record, range);
  await copyThenAnswer(ctx, request, stream, 'CopyPartResult', source, () =>
    writePart(
      ctx,
      request,
      bucket,
      upload.record.uploadId,
      partNumber,
      copyInput(stream, length, upload.record.checksumAlgorithm),
    ),
  );
}

/**
 * Runs the write that reads `stream` (closed whatever happens), then answers with `root`'s XML, and the version
 * ids: of the source (x-amz-copy-source-version-id) and of the object written (x-amz-version-id), each where its
 * bucket's versioning was ever set.
 */
async function copyThenAnswer(
  ctx: HandlerContext,
  request: S3Request,
  stream: Readable,
  root: 'CopyObjectResult' | 'CopyPartResult',
  source: ResolvedSource,
  write: () => Promise<{
    lastModified: string;
    etag: string;
    checksum?: (Checksum & { type?: ChecksumType }) | undefined;
    versionId?: string;
  }>,
): Promise<void> {
  let written;
  try {
    written = await write();
  } finally {
    stream.destroy();
  }
  const headers: OutgoingHttpHeaders = {};
  if (source.versioned) headers['x-amz-copy-source-version-id'] = versionIdOf(source.record);
  if (root === 'CopyObjectResult' && request.bucket !== undefined && ctx.store.isVersioned(request.bucket))
    headers['x-amz-version-id'] = versionIdOf(written);
  sendXml(
    request,
    200,
    root,
    [
      ['LastModified', xmlTime(written.lastModified)],
      ['ETag', written.etag],
      ...checksumNodes(written.checksum),
    ],
    headers,
  );
}

interface ResolvedSource {
  bucket: string;
  record: ObjectRecord;
  /** the version the request named, if any */
  versionId?: string;
  /** the source bucket's versioning was ever set */
  versioned: boolean;
}

/**
 * The source object as it is now, its preconditions checked. Synchronous on purpose: the caller opens its data
 * (Store.readObject) before anything else can replace it.
 */
function copySource(ctx: HandlerContext, request: S3Request): ResolvedSource {
  const { bucket, key, versionId } = parseCopySource(header(request, 'x-amz-copy-source') ?? '');
  const versioned = ctx.store.isVersioned(bucket);
  const problem = versionIdProblem(versionId, versioned);
  if (problem)
    throw new S3Error('InvalidArgument', problem, {
      ArgumentName: 'x-amz-copy-source',
      ArgumentValue: header(request, 'x-amz-copy-source') ?? '',
    });
  const record = sourceVersion(ctx, bucket, key, versionId);
  const failed = failedCondition(
    conditionHeaders((name) => header(request, name), 'x-amz-copy-source-'),
    record.etag,
    new Date(record.lastModified),
  );
  // A copy never answers 304: every condition that does not hold is a 412.
  if (failed)
    throw new S3Error('PreconditionFailed', undefined, { Condition: `x-amz-copy-source-${failed}` });
  return { bucket, record, versioned, ...(versionId !== undefined ? { versionId } : {}) };
}

/** The version to copy: a delete marker named by its id is S3's 400 InvalidRequest, not the 405 a GET gets. */
function sourceVersion(
  ctx: HandlerContext,
  bucket: string,
  key: string,
  versionId: string | undefined,
): ObjectRecord {
  try {
    return ctx.store.getVersion(bucket, key, versionId);
  } catch (error) {
    if (error instanceof S3Error && error.code === 'MethodNotAllowed')
      throw new S3Error(
        'InvalidRequest',
        'The source of a copy request may not specifically refer to a delete marker by version id.',
      );
    throw error;
  }
}

/** Copies exactly `length` bytes, computing `algorithm`'s checksum (if any) on the way. */
function copyInput(source: Readable, length: number, algorithm: ChecksumAlgorithm | undefined): WriteInput {
  return {
    source,
    algorithms: algorithm ? [algorithm] : [],
    maxSize: MAX_COPY_SIZE,
    verify(body): Checksum | undefined {
      // Only a data file that changed under the store would do this.
      if (body.size !== length)
        throw new S3Error('InternalError', `copy read ${body.size} of ${length} source bytes`);
      const value = algorithm ? body.checksums.get(algorithm) : undefined;
      return algorithm && value ? { algorithm, value } : undefined;
    },
  };
}

function checksumNodes(checksum: (Checksum & { type?: ChecksumType }) | undefined): XmlNode[] {
  if (!checksum) return [];
  return [
    checksum.type ? ['ChecksumType', checksum.type] : undefined,
    [`Checksum${checksum.algorithm}`, checksum.value],
  ];
}
