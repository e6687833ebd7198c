import { S3Error } from './errors.ts';
import type { HandlerContext } from './handler-context.ts';
import { decodeContinuationToken, encodeContinuationToken, listKeys, urlEncodeKey } from './list-keys.ts';
import { MAX_LIST_KEYS } from '../shared/s3-limits.ts';
import { listUploads } from './list-uploads.ts';
import { OWNER } from './bucket-handlers.ts';
import { sendXml } from './respond.ts';
import { storageClassOf } from './storage-class.ts';
import type { S3Request } from './s3-request.ts';
import { xmlTime, type XmlNode } from './xml.ts';

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
    // An empty token is no token (the first page), as before tokens were checked.
    if (token !== undefined && token !== '') {
      after = decodeContinuationToken(token, prefix);
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
      ['LastModified', xmlTime(e.value.lastModified)],
      ['ETag', e.value.etag],
      ...(e.value.checksum
        ? [
            ['ChecksumAlgorithm', e.value.checksum.algorithm] as const,
            ['ChecksumType', e.value.checksum.type] as const,
          ]
        : []),
      ['Size', e.value.size],
      ...(v2 && request.q.get('fetch-owner') !== 'true' ? [] : [['Owner', [...OWNER]] as const]),
      ['StorageClass', storageClassOf(e.value)],
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
        ? ['NextContinuationToken', encodeContinuationToken(out.last, prefix)]
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
  const delimiter = request.q.get('delimiter') ?? '';
  const keyMarker = request.q.get('key-marker') ?? '';
  const uploadIdMarker = request.q.get('upload-id-marker') ?? '';
  const maxUploads = parseMax(request, 'max-uploads', 1000);
  const out = listUploads(
    [...state.uploads.values()].filter((u) => u.state !== 'gone').map((u) => u.record),
    { prefix, delimiter, keyMarker, uploadIdMarker, maxUploads },
  );
  const truncated = out.isTruncated;
  sendXml(request, 200, 'ListMultipartUploadsResult', [
    ['Bucket', bucket],
    ['KeyMarker', enc(keyMarker)],
    ['UploadIdMarker', uploadIdMarker],
    ['NextKeyMarker', truncated ? enc(out.nextKeyMarker ?? '') : ''],
    ['NextUploadIdMarker', truncated ? (out.nextUploadIdMarker ?? '') : ''],
    ['Prefix', enc(prefix)],
    delimiter ? ['Delimiter', enc(delimiter)] : undefined,
    ['MaxUploads', maxUploads],
    request.q.has('encoding-type') ? ['EncodingType', 'url'] : undefined,
    ['IsTruncated', truncated],
    ...out.uploads.map((u): XmlNode => [
      'Upload',
      [
        ['Key', enc(u.key)],
        ['UploadId', u.uploadId],
        ['Initiator', [...OWNER]],
        ['Owner', [...OWNER]],
        ['StorageClass', storageClassOf(u)],
        ['Initiated', xmlTime(u.initiated)],
        u.checksumAlgorithm ? ['ChecksumAlgorithm', u.checksumAlgorithm] : undefined,
        u.checksumType ? ['ChecksumType', u.checksumType] : undefined,
      ],
    ]),
    ...out.commonPrefixes.map((p): XmlNode => ['CommonPrefixes', [['Prefix', enc(p)]]]),
  ]);
}
