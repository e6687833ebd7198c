import { S3Error } from './errors.ts';
import type { HandlerContext } from './handler-context.ts';
import { decodeContinuationToken, encodeContinuationToken, listKeys, urlEncodeKey } from './list-keys.ts';
import { MAX_LIST_KEYS } from './limits.ts';
import { OWNER } from './bucket-handlers.ts';
import { sendXml } from './respond.ts';
import type { S3Request } from './s3-request.ts';
import type { XmlNode } from './xml.ts';

/** ListObjects (V1 and V2) and ListMultipartUploads. */

function parseMax(request: S3Request, name: string, limit: number): number {
  const text = request.q.get(name);
  if (text === undefined) return limit;
  if (!/^\d+$/.test(text))
    throw new S3Error('InvalidArgument', 'Provided max-keys not an integer or within integer range', {
      ArgumentName: name,
      ArgumentValue: text,
    });
  return Math.min(Number(text), limit);
}

function encodingOf(request: S3Request): (s: string) => string {
  const type = request.q.get('encoding-type');
  if (type === undefined) return (s) => s;
  if (type !== 'url')
    throw new S3Error('InvalidArgument', 'Invalid Encoding Method specified in Request', {
      ArgumentName: 'encoding-type',
    });
  return urlEncodeKey;
}

export function listObjects(ctx: HandlerContext, request: S3Request, bucket: string): void {
  const state = ctx.store.bucket(bucket);
  const v2 = request.q.get('list-type') === '2';
  const enc = encodingOf(request);
  const prefix = request.q.get('prefix') ?? '';
  const delimiter = request.q.get('delimiter') ?? '';
  const maxKeys = parseMax(request, 'max-keys', MAX_LIST_KEYS);
  const token = request.q.get('continuation-token');
  const startAfter = request.q.get('start-after');
  const marker = request.q.get('marker');
  let after: string | undefined;
  if (v2) {
    if (token !== undefined) {
      after = decodeContinuationToken(token);
      if (after === undefined)
        throw new S3Error('InvalidArgument', 'The continuation token provided is incorrect', {
          ArgumentName: 'continuation-token',
        });
    } else if (startAfter) after = startAfter;
  } else if (marker) after = marker;
  const out = listKeys(state.objects, {
    prefix,
    delimiter,
    maxKeys,
    ...(after !== undefined ? { after } : {}),
  });
  const contents = out.contents.map((e): XmlNode => [
    'Contents',
    [
      ['Key', enc(e.key)],
      ['LastModified', e.value.lastModified],
      ['ETag', e.value.etag],
      ...(e.value.checksum
        ? [
            ['ChecksumAlgorithm', e.value.checksum.algorithm] as const,
            ['ChecksumType', e.value.checksum.type] as const,
          ]
        : []),
      ['Size', e.value.size],
      ...(v2 && request.q.get('fetch-owner') !== 'true' ? [] : [['Owner', [...OWNER]] as const]),
      ['StorageClass', 'STANDARD'],
    ],
  ]);
  const common = out.commonPrefixes.map((p): XmlNode => ['CommonPrefixes', [['Prefix', enc(p)]]]);
  const head: XmlNode[] = [
    ['Name', bucket],
    ['Prefix', enc(prefix)],
    delimiter ? ['Delimiter', enc(delimiter)] : undefined,
    ['MaxKeys', maxKeys],
    request.q.has('encoding-type') ? ['EncodingType', 'url'] : undefined,
    ['IsTruncated', out.isTruncated],
  ];
  if (v2) {
    sendXml(request, 200, 'ListBucketResult', [
      ...head,
      ['KeyCount', out.contents.length + out.commonPrefixes.length],
      token !== undefined ? ['ContinuationToken', token] : undefined,
      out.isTruncated && out.last !== undefined
        ? ['NextContinuationToken', encodeContinuationToken(out.last)]
        : undefined,
      startAfter !== undefined ? ['StartAfter', enc(startAfter)] : undefined,
      ...contents,
      ...common,
    ]);
  } else {
    sendXml(request, 200, 'ListBucketResult', [
      ...head,
      ['Marker', enc(marker ?? '')],
      out.isTruncated && delimiter && out.last !== undefined ? ['NextMarker', enc(out.last)] : undefined,
      ...contents,
      ...common,
    ]);
  }
}

export function listMultipartUploads(ctx: HandlerContext, request: S3Request, bucket: string): void {
  const state = ctx.store.bucket(bucket);
  const enc = encodingOf(request);
  const prefix = request.q.get('prefix') ?? '';
  const keyMarker = request.q.get('key-marker') ?? '';
  const uploadIdMarker = request.q.get('upload-id-marker') ?? '';
  const maxUploads = parseMax(request, 'max-uploads', 1000);
  const sorted = [...state.uploads.values()]
    .filter((u) => u.state !== 'gone' && u.record.key.startsWith(prefix))
    .map((u) => ({ u, bytes: Buffer.from(u.record.key) }))
    .sort(
      (a, b) =>
        Buffer.compare(a.bytes, b.bytes) ||
        a.u.record.initiated.localeCompare(b.u.record.initiated) ||
        a.u.record.uploadId.localeCompare(b.u.record.uploadId),
    );
  let start = 0;
  if (keyMarker !== '') {
    const markerBytes = Buffer.from(keyMarker);
    start = sorted.findIndex((s) => {
      const c = Buffer.compare(s.bytes, markerBytes);
      return c > 0;
    });
    if (start === -1) start = sorted.length;
    if (uploadIdMarker !== '') {
      const at = sorted.findIndex(
        (s) => s.u.record.key === keyMarker && s.u.record.uploadId === uploadIdMarker,
      );
      if (at !== -1) start = at + 1;
    }
  }
  const page = sorted.slice(start, start + maxUploads);
  const isTruncated = start + maxUploads < sorted.length;
  const last = page[page.length - 1];
  sendXml(request, 200, 'ListMultipartUploadsResult', [
    ['Bucket', bucket],
    ['KeyMarker', enc(keyMarker)],
    ['UploadIdMarker', uploadIdMarker],
    ['NextKeyMarker', isTruncated && last ? enc(last.u.record.key) : ''],
    ['NextUploadIdMarker', isTruncated && last ? last.u.record.uploadId : ''],
    ['Prefix', enc(prefix)],
    ['MaxUploads', maxUploads],
    request.q.has('encoding-type') ? ['EncodingType', 'url'] : undefined,
    ['IsTruncated', isTruncated],
    ...page.map(({ u }): XmlNode => [
      'Upload',
      [
        ['Key', enc(u.record.key)],
        ['UploadId', u.record.uploadId],
        ['Initiator', [...OWNER]],
        ['Owner', [...OWNER]],
        ['StorageClass', 'STANDARD'],
        ['Initiated', u.record.initiated],
        u.record.checksumAlgorithm ? ['ChecksumAlgorithm', u.record.checksumAlgorithm] : undefined,
        u.record.checksumType ? ['ChecksumType', u.record.checksumType] : undefined,
      ],
    ]),
  ]);
}
