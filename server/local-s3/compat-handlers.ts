import type { HandlerContext } from './handler-context.ts';
import { OWNER } from './bucket-handlers.ts';
import { listKeys, urlEncodeKey } from './list-keys.ts';
import { MAX_LIST_KEYS } from './limits.ts';
import { S3Error } from './errors.ts';
import { readSmallBody } from './request-body.ts';
import { sendEmpty, sendXml } from './respond.ts';
import { header, type S3Request } from './s3-request.ts';
import { checkAclHeaders } from './write-headers.ts';
import type { XmlNode } from './xml.ts';

/**
 * Read-only answers tools probe for, true of a store without versioning or ACLs: GetBucketVersioning (never
 * enabled), Get{Bucket,Object}Acl (the owner has FULL_CONTROL), ListObjectVersions (each object is its only
 * version, "null"); Put{Bucket,Object}Acl as S3 answers them on a bucket with ACLs disabled.
 */

export function getBucketVersioning(ctx: HandlerContext, request: S3Request, bucket: string): void {
  ctx.store.bucket(bucket);
  sendXml(request, 200, 'VersioningConfiguration', []);
}

const OWNER_FULL_CONTROL: XmlNode[] = [
  ['Owner', [...OWNER]],
  [
    'AccessControlList',
    [
      [
        'Grant',
        [
          ['Grantee', [...OWNER]],
          ['Permission', 'FULL_CONTROL'],
        ],
      ],
    ],
  ],
];

export function getBucketAcl(ctx: HandlerContext, request: S3Request, bucket: string): void {
  ctx.store.bucket(bucket);
  sendXml(request, 200, 'AccessControlPolicy', OWNER_FULL_CONTROL);
}

export function getObjectAcl(ctx: HandlerContext, request: S3Request, bucket: string, key: string): void {
  ctx.store.getObject(bucket, key);
  sendXml(request, 200, 'AccessControlPolicy', OWNER_FULL_CONTROL);
}

/**
 * Put{Bucket,Object}Acl: a canned private or bucket-owner-full-control changes nothing (the owner alone has
 * access already) and is taken; any other ACL, as a header or an XML body, is refused with 400
 * AccessControlListNotSupported, as S3 refuses it on a bucket with ACLs disabled.
 */
export async function putAcl(
  ctx: HandlerContext,
  request: S3Request,
  bucket: string,
  key?: string,
): Promise<void> {
  ctx.store.bucket(bucket);
  if (key !== undefined) ctx.store.getObject(bucket, key);
  checkAclHeaders(request.headers);
  const body = await readSmallBody(request, 64 * 1024);
  if (body.length > 0 || header(request, 'x-amz-acl') === undefined)
    throw new S3Error('AccessControlListNotSupported');
  sendEmpty(request, 200);
}

export function listObjectVersions(ctx: HandlerContext, request: S3Request, bucket: string): void {
  const state = ctx.store.bucket(bucket);
  const url = request.q.get('encoding-type') === 'url';
  const enc = url ? urlEncodeKey : (s: string) => s;
  const prefix = request.q.get('prefix') ?? '';
  const delimiter = request.q.get('delimiter') ?? '';
  const keyMarker = request.q.get('key-marker') ?? '';
  const maxText = request.q.get('max-keys');
  if (maxText !== undefined && !/^\d+$/.test(maxText))
    throw new S3Error('InvalidArgument', 'Provided max-keys not an integer or within integer range', {
      ArgumentName: 'max-keys',
      ArgumentValue: maxText,
    });
  const maxKeys = Math.min(Number(maxText ?? MAX_LIST_KEYS), MAX_LIST_KEYS);
  const out = listKeys(state.objects, {
    prefix,
    delimiter,
    maxKeys,
    ...(keyMarker !== '' ? { after: keyMarker } : {}),
  });
  sendXml(request, 200, 'ListVersionsResult', [
    ['Name', bucket],
    ['Prefix', enc(prefix)],
    ['KeyMarker', enc(keyMarker)],
    ['VersionIdMarker', request.q.get('version-id-marker') ?? ''],
    out.isTruncated && out.last !== undefined ? ['NextKeyMarker', enc(out.last)] : undefined,
    out.isTruncated ? ['NextVersionIdMarker', 'null'] : undefined,
    ['MaxKeys', maxKeys],
    delimiter ? ['Delimiter', enc(delimiter)] : undefined,
    url ? ['EncodingType', 'url'] : undefined,
    ['IsTruncated', out.isTruncated],
    ...out.contents.map((e): XmlNode => [
      'Version',
      [
        ['Key', enc(e.key)],
        ['VersionId', 'null'],
        ['IsLatest', true],
        ['LastModified', e.value.lastModified],
        ['ETag', e.value.etag],
        ['Size', e.value.size],
        ['Owner', [...OWNER]],
        ['StorageClass', 'STANDARD'],
      ],
    ]),
    ...out.commonPrefixes.map((p): XmlNode => ['CommonPrefixes', [['Prefix', enc(p)]]]),
  ]);
}
