import { checksumHeaderName } from './checksum.ts';
import { conditionHeaders, evaluateConditions } from './conditions.ts';
import { S3Error } from './errors.ts';
import type { HandlerContext } from './handler-context.ts';
import { validateKey } from './layout.ts';
import { MAX_PUT_SIZE } from '../shared/s3-limits.ts';
import { objectHeaders, storedHeaders } from './object-headers.ts';
import { parsePartNumber } from './multipart-handlers.ts';
import { parseRange, partRange, type ByteRange } from './range.ts';
import type { ObjectRecord } from './records.ts';
import { unquoteEtag } from '../uploads/multipart-etag.ts';
import type { OutgoingHttpHeaders } from 'node:http';
import { planBody, readSmallBody, verifyBody } from './request-body.ts';
import { baseHeaders, sendEmpty, sendXml } from './respond.ts';
import { header, type S3Request } from './s3-request.ts';
import { storageClassOf } from './storage-class.ts';
import { checkNewObjectRequest } from './new-object-request.ts';
import { pipeline } from 'node:stream/promises';
import { checkWriteConditionHeaders } from './write-headers.ts';
import { checkIfMatch, checkWriteConditions, writeObject } from './write-object.ts';
import { childElements, childText, parseXml, type XmlNode } from './xml.ts';
import { parseTaggingHeader, parseTaggingXml, tagSetXml, type Tag } from './tagging.ts';
import { versionIdProblem } from './version-id.ts';
import { versionHeader } from './versioning-handlers.ts';
import type { DeleteOutcome } from './store.ts';

/**
 * PutObject, GetObject, HeadObject, GetObjectAttributes, Get/Put/DeleteObjectTagging, DeleteObject, DeleteObjects.
 */

export async function putObject(
  ctx: HandlerContext,
  request: S3Request,
  bucket: string,
  key: string,
): Promise<void> {
  checkNewObjectRequest(ctx, request, bucket, key);
  checkWriteConditionHeaders(request.headers);
  checkWriteConditions(ctx, request, bucket, key);
  const plan = planBody(request);
  if (plan.declaredSize !== undefined && plan.declaredSize > MAX_PUT_SIZE)
    throw new S3Error('EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size');
  const tags = parseTaggingHeader(header(request, 'x-amz-tagging'));
  const record = await writeObject(
    ctx,
    request,
    bucket,
    key,
    { headers: storedHeaders(request), tags },
    {
      source: plan.stream,
      algorithms: plan.algorithms,
      sha256: plan.sha256Hex !== undefined,
      maxSize: MAX_PUT_SIZE,
      verify: (body) => verifyBody(plan, body),
    },
  );
  const checksum = record.checksum;
  sendEmpty(request, 200, {
    ETag: record.etag,
    ...versionHeader(ctx, bucket, record),
    ...(checksum
      ? { [checksumHeaderName(checksum.algorithm)]: checksum.value, 'x-amz-checksum-type': 'FULL_OBJECT' }
      : {}),
  });
}

export async function getObject(
  ctx: HandlerContext,
  request: S3Request,
  bucket: string,
  key: string,
): Promise<void> {
  const record = ctx.store.getVersion(bucket, key, request.q.get('versionId'));
  const version = versionHeader(ctx, bucket, record);
  const condition = evaluateConditions(
    conditionHeaders((name) => header(request, name)),
    record.etag,
    new Date(record.lastModified),
  );
  if (typeof condition === 'object')
    throw new S3Error('PreconditionFailed', undefined, { Condition: condition.failed });
  if (condition === 'not-modified') {
    request.res.writeHead(304, {
      ...baseHeaders(request),
      ETag: record.etag,
      'Last-Modified': new Date(record.lastModified).toUTCString(),
      ...version,
    });
    request.res.end();
    return;
  }
  const part = partOf(request, record);
  const range = part ? part.range : parseRange(header(request, 'range'), record.size);
  // The whole-object checksum goes with the whole object: no Range, or one that covers every byte (as S3).
  // A part's checksum is partOf's to give.
  const headers = objectHeaders(
    request,
    record,
    !part && (range === undefined || isWhole(range, record.size)),
  );
  if (part) Object.assign(headers, part.headers);
  Object.assign(headers, version);
  const length = part ? part.length : range ? range.end - range.start + 1 : record.size;
  const status = range ? 206 : 200;
  if (range) headers['Content-Range'] = `bytes ${range.start}-${range.end}/${record.size}`;
  request.res.writeHead(status, { ...baseHeaders(request), ...headers, 'Content-Length': length });
  if (request.method === 'HEAD' || length === 0) {
    request.res.end();
    return;
  }
  const stream = ctx.store.readObject(bucket, record, range);
  await pipeline(stream, request.res).catch((error: unknown) => {
    stream.destroy();
    request.res.destroy(error as Error);
  });
}

const isWhole = (range: ByteRange, size: number) => range.start === 0 && range.end === size - 1;

/**
 * GET/HEAD `?partNumber=n`, as S3 answers it: part n's bytes as a 206 with their Content-Range in the
 * object, `x-amz-mp-parts-count` for a multipart object, and (with checksum mode) the part's own
 * checksum instead of the object's for a COMPOSITE one; a FULL_OBJECT one keeps no part checksums, so
 * only a part that is the whole object has one (the object's). An object not uploaded in parts is one part.
 */
function partOf(
  request: S3Request,
  record: ObjectRecord,
): { range: ByteRange | undefined; length: number; headers: OutgoingHttpHeaders } | undefined {
  const text = request.q.get('partNumber');
  if (text === undefined) return undefined;
  const partNumber = parsePartNumber(text);
  if (header(request, 'range') !== undefined)
    throw new S3Error('InvalidRequest', 'Cannot specify both Range header and partNumber query parameter');
  const multipart = record.partsCount !== undefined;
  const sizes = multipart ? record.segments.map((s) => s.size) : [record.size];
  const bytes = partRange(sizes, partNumber);
  // An empty part (an empty object, or an empty last part) has no bytes a Content-Range could name: 200, none.
  const range = bytes.end < bytes.start ? undefined : bytes;
  const headers: OutgoingHttpHeaders = {};
  if (multipart) headers['x-amz-mp-parts-count'] = String(record.partsCount);
  const checksum =
    record.checksum?.type === 'COMPOSITE'
      ? record.partChecksums?.[partNumber - 1]
      : isWhole(bytes, record.size)
        ? record.checksum?.value
        : undefined;
  if (record.checksum && checksum && header(request, 'x-amz-checksum-mode')?.toUpperCase() === 'ENABLED') {
    headers[checksumHeaderName(record.checksum.algorithm)] = checksum;
    headers['x-amz-checksum-type'] = record.checksum.type;
  }
  return { range, length: bytes.end - bytes.start + 1, headers };
}

const OBJECT_ATTRIBUTES = ['ETag', 'Checksum', 'ObjectParts', 'StorageClass', 'ObjectSize'];

/**
 * GetObjectAttributes (`GET ?attributes`): the attributes named in x-amz-object-attributes. ObjectParts
 * lists a multipart object's parts (number, size, checksum) a page at a time, and, as on S3, only for
 * an object stored with part checksums (COMPOSITE); other multipart objects give their parts count alone.
 */
export function getObjectAttributes(
  ctx: HandlerContext,
  request: S3Request,
  bucket: string,
  key: string,
): void {
  const record = ctx.store.getVersion(bucket, key, request.q.get('versionId'));
  const wanted = new Set(
    (header(request, 'x-amz-object-attributes') ?? '')
      .split(',')
      .map((a) => a.trim())
      .filter((a) => a !== ''),
  );
  if (wanted.size === 0 || [...wanted].some((a) => !OBJECT_ATTRIBUTES.includes(a)))
    throw new S3Error('InvalidArgument', 'Invalid attribute name specified.', {
      ArgumentName: 'x-amz-object-attributes',
    });
  const maxParts = Math.min(1000, Number(header(request, 'x-amz-max-parts') ?? 1000) || 1000);
  const marker = Number(header(request, 'x-amz-part-number-marker') ?? 0) || 0;
  const checksum = record.checksum;
  const children: XmlNode[] = [];
  if (wanted.has('ETag')) children.push(['ETag', unquoteEtag(record.etag)]);
  // As on S3, a composite checksum without its "-N" part count (HeadObject and Complete keep it; the
  // count is in ObjectParts here), and the ETag without quotes.
  if (wanted.has('Checksum') && checksum)
    children.push([
      'Checksum',
      [
        [`Checksum${checksum.algorithm}`, checksum.value.replace(/-\d+$/, '')],
        ['ChecksumType', checksum.type],
      ],
    ]);
  if (wanted.has('ObjectParts') && record.partsCount !== undefined && !(checksum && record.partChecksums))
    children.push(['ObjectParts', [['PartsCount', record.partsCount]]]);
  else if (wanted.has('ObjectParts') && record.partsCount !== undefined && checksum && record.partChecksums) {
    const page = record.segments
      .map((segment, i) => ({ partNumber: i + 1, size: segment.size, checksum: record.partChecksums?.[i] }))
      .filter((p) => p.partNumber > marker)
      .slice(0, maxParts);
    const last = page[page.length - 1]?.partNumber ?? marker;
    children.push([
      'ObjectParts',
      [
        ['PartsCount', record.partsCount],
        ['PartNumberMarker', marker],
        ['NextPartNumberMarker', last],
        ['MaxParts', maxParts],
        ['IsTruncated', last < record.partsCount],
        ...page.map((p): XmlNode => [
          'Part',
          [
            ['PartNumber', p.partNumber],
            ['Size', p.size],
            p.checksum ? [`Checksum${checksum.algorithm}`, p.checksum] : undefined,
          ],
        ]),
      ],
    ]);
  }
  if (wanted.has('StorageClass')) children.push(['StorageClass', storageClassOf(record)]);
  if (wanted.has('ObjectSize')) children.push(['ObjectSize', record.size]);
  sendXml(request, 200, 'GetObjectAttributesResponse', children, {
    'Last-Modified': new Date(record.lastModified).toUTCString(),
    ...versionHeader(ctx, bucket, record),
  });
}

/** GetObjectTagging: the tags stored with the object (an empty TagSet when it has none). */
export function getObjectTagging(ctx: HandlerContext, request: S3Request, bucket: string, key: string): void {
  const record = ctx.store.getVersion(bucket, key, request.q.get('versionId'));
  sendXml(request, 200, 'Tagging', tagSetXml(record.tags), versionHeader(ctx, bucket, record));
}

/** PutObjectTagging: replaces the object's whole tag set (its bytes, ETag and Last-Modified stay). */
export async function putObjectTagging(
  ctx: HandlerContext,
  request: S3Request,
  bucket: string,
  key: string,
): Promise<void> {
  const versionId = request.q.get('versionId');
  ctx.store.getVersion(bucket, key, versionId);
  const tags = parseTaggingXml(parseXml((await readSmallBody(request, 64 * 1024)).toString('utf8')));
  const record = await ctx.store.updateObject(bucket, key, (r) => withTags(r, tags), {
    signal: request.signal,
    versionId,
  });
  sendEmpty(request, 200, versionHeader(ctx, bucket, record));
}

/** DeleteObjectTagging: 204, the object keeps no tags. */
export async function deleteObjectTagging(
  ctx: HandlerContext,
  request: S3Request,
  bucket: string,
  key: string,
): Promise<void> {
  const versionId = request.q.get('versionId');
  ctx.store.getVersion(bucket, key, versionId);
  const record = await ctx.store.updateObject(bucket, key, (r) => withTags(r, []), {
    signal: request.signal,
    versionId,
  });
  sendEmpty(request, 204, versionHeader(ctx, bucket, record));
}

function withTags(record: ObjectRecord, tags: readonly Tag[]): ObjectRecord {
  const { tags: _old, ...rest } = record;
  return tags.length > 0 ? { ...rest, tags } : rest;
}

export async function deleteObject(
  ctx: HandlerContext,
  request: S3Request,
  bucket: string,
  key: string,
): Promise<void> {
  ctx.store.bucket(bucket);
  // If-Match (AWS DeleteObject conditional delete): 412 when the object is another version now. In a versioned
  // bucket it is the current version that must match, and the delete then makes a delete marker.
  const done = await ctx.store.deleteObject(bucket, key, {
    check: () => checkWriteConditions(ctx, request, bucket, key),
    versionId: request.q.get('versionId'),
  });
  sendEmpty(request, 204, {
    ...(done.versionId !== undefined ? { 'x-amz-version-id': done.versionId } : {}),
    ...(done.deleteMarker ? { 'x-amz-delete-marker': 'true' } : {}),
  });
}

/**
 * A DeleteObjects `<Deleted>` entry, as S3 words it: the version named, and for a delete marker made or removed
 * `<DeleteMarker>` with its id.
 */
function deletedXml(key: string, versionId: string | undefined, done: DeleteOutcome): XmlNode {
  return [
    'Deleted',
    [
      ['Key', key],
      versionId !== undefined ? ['VersionId', versionId] : undefined,
      done.deleteMarker ? ['DeleteMarker', true] : undefined,
      done.deleteMarker && done.versionId !== undefined
        ? ['DeleteMarkerVersionId', done.versionId]
        : undefined,
    ],
  ];
}

export async function deleteObjects(ctx: HandlerContext, request: S3Request, bucket: string): Promise<void> {
  ctx.store.bucket(bucket);
  const hasDigest =
    header(request, 'content-md5') !== undefined ||
    [...request.headers.keys()].some((h) => h.startsWith('x-amz-checksum-') || h === 'x-amz-trailer');
  if (!hasDigest)
    throw new S3Error(
      'InvalidRequest',
      'Missing required header for this request: Content-MD5 OR x-amz-checksum-*',
    );
  const doc = parseXml((await readSmallBody(request, 2 * 1024 * 1024)).toString('utf8'));
  if (doc.name !== 'Delete') throw new S3Error('MalformedXML');
  const quiet = childText(doc, 'Quiet')?.trim() === 'true';
  const objects = childElements(doc, 'Object').map((o) => ({
    key: childText(o, 'Key') ?? '',
    versionId: childText(o, 'VersionId'),
    etag: childText(o, 'ETag'),
    // Conditions S3 takes for directory buckets only: refused rather than ignored (the object would go).
    directoryOnly: ['LastModifiedTime', 'Size'].find((name) => childText(o, name) !== undefined),
  }));
  if (objects.length === 0 || objects.length > 1000) throw new S3Error('MalformedXML');
  const results: XmlNode[] = [];
  const versioned = ctx.store.isVersioned(bucket);
  for (const { key, versionId, etag, directoryOnly } of objects) {
    const version: XmlNode = versionId !== undefined ? ['VersionId', versionId] : undefined;
    try {
      validateKey(key);
      // A version id that names nothing here: that key's entry fails, the live object stays.
      const problem = versionIdProblem(versionId, versioned);
      if (problem) throw new S3Error('InvalidArgument', problem);
      if (directoryOnly)
        throw new S3Error('NotImplemented', `${directoryOnly} conditions are for directory buckets only`);
      // <ETag>: a conditional delete of this key (as If-Match on DeleteObject), checked under the key's lock.
      const check =
        etag === undefined
          ? undefined
          : () => checkIfMatch(etag, ctx.store.bucket(bucket).objects.get(key), key);
      const done = await ctx.store.deleteObject(bucket, key, { check, versionId });
      if (!quiet) results.push(deletedXml(key, versionId, done));
    } catch (error) {
      const e = error instanceof S3Error ? error : new S3Error('InternalError');
      results.push(['Error', [['Key', key], version, ['Code', e.wireCode], ['Message', e.message]]]);
    }
  }
  sendXml(request, 200, 'DeleteResult', results);
}
