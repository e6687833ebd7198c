import {
  CHECKSUM_ALGORITHMS,
  checksumHeaderName,
  combinesParts,
  requestedChecksumAlgorithm,
  type ChecksumAlgorithm,
  type ChecksumType,
} from './checksum.ts';
import { versionHeader } from './versioning-handlers.ts';
import { checkClaimedChecksum, parseClaimedChecksum } from './complete-checksum.ts';
import { isCompleteRetry } from './complete-retry.ts';
import { S3Error } from './errors.ts';
import type { HandlerContext } from './handler-context.ts';
import { MAX_PART_SIZE, MAX_PARTS } from '../shared/s3-limits.ts';
import { OWNER } from './bucket-handlers.ts';
import { storedHeaders } from './object-headers.ts';
import { storageClassOf } from './storage-class.ts';
import { parseTaggingHeader } from './tagging.ts';
import type { ObjectRecord } from './records.ts';
import { planBody, readSmallBody, verifyBody } from './request-body.ts';
import { sendEmpty, sendXml } from './respond.ts';
import { header, type S3Request } from './s3-request.ts';
import { checkNewObjectRequest } from './new-object-request.ts';
import type { CompletePart } from './store.ts';
import { checkWriteConditionHeaders, checkWriteHeaders } from './write-headers.ts';
import { checkWriteConditions } from './write-object.ts';
import { writePart } from './write-object.ts';
import { childElements, childText, parseXml, xmlTime, type XmlNode } from './xml.ts';

/** CreateMultipartUpload, UploadPart, CompleteMultipartUpload, AbortMultipartUpload, ListParts. */

export async function createMultipartUpload(
  ctx: HandlerContext,
  request: S3Request,
  bucket: string,
  key: string,
): Promise<void> {
  checkNewObjectRequest(ctx, request, bucket, key);
  const checksumAlgorithm = requestedChecksumAlgorithm(header(request, 'x-amz-checksum-algorithm'));
  const checksumType = multipartChecksumType(
    checksumAlgorithm,
    header(request, 'x-amz-checksum-type')?.toUpperCase(),
  );
  const tags = parseTaggingHeader(header(request, 'x-amz-tagging'));
  const upload = await ctx.store.createUpload(
    bucket,
    {
      key,
      headers: storedHeaders(request),
      ...(tags?.length ? { tags } : {}),
      ...(checksumAlgorithm ? { checksumAlgorithm } : {}),
      ...(checksumType ? { checksumType } : {}),
    },
    { signal: request.signal },
  );
  sendXml(
    request,
    200,
    'InitiateMultipartUploadResult',
    [
      ['Bucket', bucket],
      ['Key', key],
      ['UploadId', upload.uploadId],
    ],
    checksumAlgorithm
      ? { 'x-amz-checksum-algorithm': checksumAlgorithm, 'x-amz-checksum-type': checksumType ?? 'COMPOSITE' }
      : {},
  );
}

/**
 * The checksum type of a new upload, as S3 decides it: COMPOSITE by default, FULL_OBJECT when asked (CRCs only,
 * their part values combine) and always for CRC64NVME; a type needs an algorithm. FULL_OBJECT uploads get the
 * whole object's CRC on Complete, combined from the parts' (checksum.ts fullObjectChecksum).
 */
export function multipartChecksumType(
  algorithm: ChecksumAlgorithm | undefined,
  typeText: string | undefined,
): ChecksumType | undefined {
  if (typeText !== undefined && typeText !== 'COMPOSITE' && typeText !== 'FULL_OBJECT')
    throw new S3Error('InvalidRequest', 'Value for x-amz-checksum-type header is invalid.');
  if (!algorithm) {
    if (typeText !== undefined)
      throw new S3Error(
        'InvalidRequest',
        'The x-amz-checksum-type header can only be used with the x-amz-checksum-algorithm header.',
      );
    return undefined;
  }
  const type = typeText ?? (algorithm === 'CRC64NVME' ? 'FULL_OBJECT' : 'COMPOSITE');
  if (type === 'FULL_OBJECT' && !combinesParts(algorithm))
    throw new S3Error(
      'InvalidRequest',
      `The FULL_OBJECT checksum type cannot be used with the ${algorithm.toLowerCase()} checksum algorithm.`,
    );
  if (type === 'COMPOSITE' && algorithm === 'CRC64NVME')
    throw new S3Error(
      'InvalidRequest',
      'The COMPOSITE checksum type cannot be used with the crc64nvme checksum algorithm.',
    );
  return type;
}

export function parsePartNumber(text: string | undefined): number {
  if (text === undefined || !/^\d+$/.test(text) || Number(text) < 1 || Number(text) > MAX_PARTS)
    throw new S3Error(
      'InvalidArgument',
      `Part number must be an integer between 1 and ${MAX_PARTS}, inclusive`,
      {
        ArgumentName: 'partNumber',
        ArgumentValue: text ?? '',
      },
    );
  return Number(text);
}

export function uploadFor(ctx: HandlerContext, request: S3Request, bucket: string, key: string) {
  const uploadId = request.q.get('uploadId') ?? '';
  const upload = ctx.store.upload(bucket, uploadId);
  if (upload.record.key !== key) throw new S3Error('NoSuchUpload', undefined, { UploadId: uploadId });
  return upload;
}

export async function uploadPart(
  ctx: HandlerContext,
  request: S3Request,
  bucket: string,
  key: string,
): Promise<void> {
  ctx.store.bucket(bucket);
  const partNumber = parsePartNumber(request.q.get('partNumber'));
  const upload = uploadFor(ctx, request, bucket, key);
  checkWriteHeaders(request.headers);
  const uploadAlgorithm = upload.record.checksumAlgorithm;
  const plan = planBody(request, uploadAlgorithm);
  checkPartChecksumAlgorithm(uploadAlgorithm, [plan.given?.algorithm, plan.trailer]);
  if (plan.declaredSize !== undefined && plan.declaredSize > MAX_PART_SIZE)
    throw new S3Error('EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size');
  const part = await writePart(ctx, request, bucket, upload.record.uploadId, partNumber, {
    source: plan.stream,
    algorithms: plan.algorithms,
    sha256: plan.sha256Hex !== undefined,
    maxSize: MAX_PART_SIZE,
    verify: (body) => verifyBody(plan, body, uploadAlgorithm),
  });
  const checksum = part.checksum;
  sendEmpty(request, 200, {
    ETag: part.etag,
    ...(checksum ? { [checksumHeaderName(checksum.algorithm)]: checksum.value } : {}),
  });
}

/**
 * A part of an upload created with a checksum algorithm may carry only that algorithm's checksum (header,
 * presigned query or trailer), as S3 checks it: another one would leave the part without the checksum its
 * Complete needs (a FULL_OBJECT object without its CRC, a COMPOSITE Complete failing late with InvalidPart).
 * An upload created without one takes parts with any checksum.
 */
export function checkPartChecksumAlgorithm(
  uploadAlgorithm: ChecksumAlgorithm | undefined,
  named: readonly (ChecksumAlgorithm | undefined)[],
): void {
  if (!uploadAlgorithm) return;
  const other = named.find((a) => a !== undefined && a !== uploadAlgorithm);
  if (other)
    throw new S3Error(
      'InvalidRequest',
      `Checksum Type mismatch occurred, expected checksum Type: ${uploadAlgorithm.toLowerCase()}, actual checksum Type: ${other.toLowerCase()}`,
    );
}

export async function completeMultipartUpload(
  ctx: HandlerContext,
  request: S3Request,
  bucket: string,
  key: string,
): Promise<void> {
  ctx.store.bucket(bucket);
  const uploadId = request.q.get('uploadId') ?? '';
  let upload: ReturnType<typeof uploadFor>;
  try {
    upload = uploadFor(ctx, request, bucket, key);
  } catch (error) {
    if (!(error instanceof S3Error && error.code === 'NoSuchUpload')) throw error;
    const parts = await readCompleteParts(request);
    return sendCompleted(
      ctx,
      request,
      bucket,
      key,
      completedBefore(ctx, bucket, key, uploadId, parts, error),
    );
  }
  checkWriteConditionHeaders(request.headers);
  checkWriteConditions(ctx, request, bucket, key);
  const claim = parseClaimedChecksum((name) => header(request, name));
  const parts = await readCompleteParts(request);
  // S3's answer to part 0 (it is not a part out of order).
  if (parts.some((p) => p.partNumber < 1)) throw new S3Error('InvalidArgument', 'PartNumber must be >= 1');
  // The same Complete sent twice at once (a client's retry after a timeout): the second waits for the first,
  // then finds the upload gone and the object it made, and is answered as a Complete sent again.
  const record = await ctx.completes.run(`${bucket}\0${uploadId}`, async () => {
    try {
      return await ctx.store.completeUpload(bucket, uploadId, parts, {
        signal: request.signal,
        check: () => checkWriteConditions(ctx, request, bucket, key),
        verify: (checksum) => checkClaimedChecksum(upload.record, checksum, claim),
      });
    } catch (error) {
      return completedBefore(ctx, bucket, key, uploadId, parts, error);
    }
  });
  sendCompleted(ctx, request, bucket, key, record);
}

/**
 * The object a Complete of `uploadId` with these parts made, for that Complete sent again after it succeeded
 * (its answer lost on the way): answered as it was, while the object is still that one. Else `error` stands.
 */
function completedBefore(
  ctx: HandlerContext,
  bucket: string,
  key: string,
  uploadId: string,
  parts: readonly CompletePart[],
  error: unknown,
): ObjectRecord {
  if (error instanceof S3Error && error.code === 'NoSuchUpload') {
    const record = ctx.store.bucket(bucket).objects.get(key);
    if (record && isCompleteRetry(record, uploadId, parts)) return record;
  }
  throw error;
}

/** The CompleteMultipartUpload document: the parts to publish, in the client's order. */
async function readCompleteParts(request: S3Request): Promise<CompletePart[]> {
  const doc = parseXml(
    (await readSmallBody(request, 10 * 1024 * 1024, { checksumHeadersDescribeObject: true })).toString(
      'utf8',
    ),
  );
  if (doc.name !== 'CompleteMultipartUpload') throw new S3Error('MalformedXML');
  return childElements(doc, 'Part').map((el): CompletePart => {
    const numberText = childText(el, 'PartNumber')?.trim();
    const etag = childText(el, 'ETag');
    if (numberText === undefined || !/^\d+$/.test(numberText) || etag === undefined)
      throw new S3Error('MalformedXML');
    const checksums: Partial<Record<ChecksumAlgorithm, string>> = {};
    for (const algorithm of CHECKSUM_ALGORITHMS) {
      const value = childText(el, `Checksum${algorithm}`);
      if (value !== undefined) checksums[algorithm] = value.trim();
    }
    return { partNumber: Number(numberText), etag, checksums };
  });
}

function sendCompleted(
  ctx: HandlerContext,
  request: S3Request,
  bucket: string,
  key: string,
  record: ObjectRecord,
): void {
  const host = header(request, 'host') ?? 'localhost';
  const checksum = record.checksum;
  sendXml(
    request,
    200,
    'CompleteMultipartUploadResult',
    [
      // Each segment encoded whole: encodeURI would leave ?, # and & in a key to end the path.
      ['Location', `http://${host}/${bucket}/${key.split('/').map(encodeURIComponent).join('/')}`],
      ['Bucket', bucket],
      ['Key', key],
      ['ETag', record.etag],
      checksum ? [`Checksum${checksum.algorithm}`, checksum.value] : undefined,
      checksum ? ['ChecksumType', checksum.type] : undefined,
    ],
    versionHeader(ctx, bucket, record),
  );
}

export async function abortMultipartUpload(
  ctx: HandlerContext,
  request: S3Request,
  bucket: string,
  key: string,
): Promise<void> {
  ctx.store.bucket(bucket);
  const upload = uploadFor(ctx, request, bucket, key);
  await ctx.store.abortUpload(bucket, upload.record.uploadId);
  sendEmpty(request, 204);
}

export function listParts(ctx: HandlerContext, request: S3Request, bucket: string, key: string): void {
  ctx.store.bucket(bucket);
  const upload = uploadFor(ctx, request, bucket, key);
  const markerText = request.q.get('part-number-marker') ?? '0';
  const maxText = request.q.get('max-parts') ?? '1000';
  if (!/^\d+$/.test(markerText) || !/^\d+$/.test(maxText))
    throw new S3Error('InvalidArgument', 'Invalid part-number-marker or max-parts');
  const marker = Number(markerText);
  const maxParts = Math.min(Number(maxText), 1000);
  const all = [...upload.parts.values()]
    .filter((p) => p.partNumber > marker)
    .sort((a, b) => a.partNumber - b.partNumber);
  const page = all.slice(0, maxParts);
  // max-parts=0: an empty page, not truncated (as S3; a truncated empty page would loop a client).
  const isTruncated = maxParts > 0 && all.length > page.length;
  const { checksumAlgorithm, checksumType } = upload.record;
  sendXml(request, 200, 'ListPartsResult', [
    ['Bucket', bucket],
    ['Key', key],
    ['UploadId', upload.record.uploadId],
    ['Initiator', [...OWNER]],
    ['Owner', [...OWNER]],
    ['StorageClass', storageClassOf(upload.record)],
    ['PartNumberMarker', marker],
    ['NextPartNumberMarker', page[page.length - 1]?.partNumber ?? 0],
    ['MaxParts', maxParts],
    ['IsTruncated', isTruncated],
    checksumAlgorithm ? ['ChecksumAlgorithm', checksumAlgorithm] : undefined,
    checksumType ? ['ChecksumType', checksumType] : undefined,
    ...page.map((p): XmlNode => [
      'Part',
      [
        ['PartNumber', p.partNumber],
        ['LastModified', xmlTime(p.lastModified)],
        ['ETag', p.etag],
        ['Size', p.size],
        p.checksum ? [`Checksum${p.checksum.algorithm}`, p.checksum.value] : undefined,
      ],
    ]),
  ]);
}
