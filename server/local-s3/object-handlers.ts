import { checksumHeaderName, unquoteEtag } from './checksum.ts';
import { evaluateConditions } from './conditions.ts';
import { S3Error } from './errors.ts';
import type { HandlerContext } from './handler-context.ts';
import { validateKey } from './layout.ts';
import { MAX_PUT_SIZE } from './limits.ts';
import { objectHeaders, storedHeaders } from './object-headers.ts';
import { parseRange } from './range.ts';
import { receiveBody } from './receive-body.ts';
import { planBody, readSmallBody, verifyBody } from './request-body.ts';
import { baseHeaders, sendEmpty, sendXml } from './respond.ts';
import { header, type S3Request } from './s3-request.ts';
import { pipeline } from 'node:stream/promises';
import { childElements, childText, parseXml, type XmlNode } from './xml.ts';

/** PutObject, GetObject, HeadObject, DeleteObject, DeleteObjects. */

export async function putObject(
  ctx: HandlerContext,
  request: S3Request,
  bucket: string,
  key: string,
): Promise<void> {
  const { store } = ctx;
  store.bucket(bucket);
  validateKey(key);
  if (header(request, 'x-amz-copy-source') !== undefined)
    throw new S3Error('NotImplemented', 'CopyObject is not implemented');
  checkWriteConditions(ctx, request, bucket, key);
  const plan = planBody(request);
  if (plan.declaredSize !== undefined && plan.declaredSize > MAX_PUT_SIZE)
    throw new S3Error('EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size');
  const tmp = store.layout.tmpFile();
  const body = await receiveBody(plan.stream, tmp, {
    algorithms: plan.algorithms,
    sha256: plan.sha256Hex !== undefined,
    maxSize: MAX_PUT_SIZE,
    signal: request.signal,
  });
  let checksum;
  try {
    checksum = verifyBody(plan, body);
    checkWriteConditions(ctx, request, bucket, key);
  } catch (error) {
    const { removeQuietly } = await import('./durable-fs.ts');
    await removeQuietly(tmp);
    throw error;
  }
  const record = await store.putObject(
    bucket,
    tmp,
    {
      key,
      size: body.size,
      etag: `"${body.md5Hex}"`,
      lastModified: new Date().toISOString(),
      headers: storedHeaders(request),
      ...(checksum ? { checksum: { ...checksum, type: 'FULL_OBJECT' as const } } : {}),
    },
    { signal: request.signal },
  );
  sendEmpty(request, 200, {
    ETag: record.etag,
    ...(checksum
      ? { [checksumHeaderName(checksum.algorithm)]: checksum.value, 'x-amz-checksum-type': 'FULL_OBJECT' }
      : {}),
  });
}

function checkWriteConditions(ctx: HandlerContext, request: S3Request, bucket: string, key: string): void {
  const ifNoneMatch = header(request, 'if-none-match');
  const ifMatch = header(request, 'if-match');
  if (ifNoneMatch === undefined && ifMatch === undefined) return;
  const existing = ctx.store.bucket(bucket).objects.get(key);
  if (ifNoneMatch?.trim() === '*' && existing)
    throw new S3Error('PreconditionFailed', undefined, { Condition: 'If-None-Match' });
  if (ifMatch !== undefined) {
    if (!existing) throw new S3Error('NoSuchKey', undefined, { Key: key });
    if (ifMatch.trim() !== '*' && unquoteEtag(ifMatch) !== unquoteEtag(existing.etag))
      throw new S3Error('PreconditionFailed', undefined, { Condition: 'If-Match' });
  }
}

export async function getObject(
  ctx: HandlerContext,
  request: S3Request,
  bucket: string,
  key: string,
): Promise<void> {
  const record = ctx.store.getObject(bucket, key);
  const condition = evaluateConditions(
    {
      ifMatch: header(request, 'if-match'),
      ifNoneMatch: header(request, 'if-none-match'),
      ifModifiedSince: header(request, 'if-modified-since'),
      ifUnmodifiedSince: header(request, 'if-unmodified-since'),
    },
    record.etag,
    new Date(record.lastModified),
  );
  if (condition === 'precondition-failed')
    throw new S3Error('PreconditionFailed', undefined, { Condition: 'If-Match' });
  if (condition === 'not-modified') {
    request.res.writeHead(304, {
      ...baseHeaders(request),
      ETag: record.etag,
      'Last-Modified': new Date(record.lastModified).toUTCString(),
    });
    request.res.end();
    return;
  }
  const range = parseRange(header(request, 'range'), record.size);
  const headers = objectHeaders(request, record, range === undefined);
  if (record.partsCount !== undefined && request.q.has('partNumber'))
    headers['x-amz-mp-parts-count'] = String(record.partsCount);
  const length = range ? range.end - range.start + 1 : record.size;
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

export async function deleteObject(
  ctx: HandlerContext,
  request: S3Request,
  bucket: string,
  key: string,
): Promise<void> {
  ctx.store.bucket(bucket);
  await ctx.store.deleteObject(bucket, key);
  sendEmpty(request, 204);
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
  const objects = childElements(doc, 'Object').map((o) => childText(o, 'Key') ?? '');
  if (objects.length === 0 || objects.length > 1000) throw new S3Error('MalformedXML');
  const results: XmlNode[] = [];
  for (const key of objects) {
    try {
      validateKey(key);
      await ctx.store.deleteObject(bucket, key);
      if (!quiet) results.push(['Deleted', [['Key', key]]]);
    } catch (error) {
      const e = error instanceof S3Error ? error : new S3Error('InternalError');
      results.push([
        'Error',
        [
          ['Key', key],
          ['Code', e.wireCode],
          ['Message', e.message],
        ],
      ]);
    }
  }
  sendXml(request, 200, 'DeleteResult', results);
}
