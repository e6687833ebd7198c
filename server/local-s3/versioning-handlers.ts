import type { OutgoingHttpHeaders } from 'node:http';
import { OWNER } from './bucket-handlers.ts';
import { S3Error } from './errors.ts';
import type { HandlerContext } from './handler-context.ts';
import { urlEncodeKey } from './list-keys.ts';
import { listVersions } from './list-versions.ts';
import { isDeleteMarker, type ObjectRecord, type VersionRecord, type VersionStamp } from './records.ts';
import { readSmallBody } from './request-body.ts';
import { sendEmpty, sendXml } from './respond.ts';
import type { S3Request } from './s3-request.ts';
import { storageClassOf } from './storage-class.ts';
import { MAX_LIST_KEYS } from '../shared/s3-limits.ts';
import { versionIdOf } from './version-id.ts';
import { parseVersioningConfiguration } from './versioning-config.ts';
import { parseXml, xmlTime, type XmlNode } from './xml.ts';

/** GetBucketVersioning, PutBucketVersioning, ListObjectVersions. */

/** An empty VersioningConfiguration for a bucket whose versioning was never set, as S3 answers it. */
export function getBucketVersioning(ctx: HandlerContext, request: S3Request, bucket: string): void {
  const status = ctx.store.bucket(bucket).record.versioning;
  sendXml(request, 200, 'VersioningConfiguration', status ? [['Status', status]] : []);
}

export async function putBucketVersioning(
  ctx: HandlerContext,
  request: S3Request,
  bucket: string,
): Promise<void> {
  ctx.store.bucket(bucket);
  const status = parseVersioningConfiguration(
    parseXml((await readSmallBody(request, 64 * 1024)).toString('utf8')),
  );
  await ctx.store.setVersioning(bucket, status, { signal: request.signal });
  sendEmpty(request, 200);
}

/** x-amz-version-id of an answer about `version`, in a bucket whose versioning was ever set (none otherwise). */
export function versionHeader(
  ctx: HandlerContext,
  bucket: string,
  version: VersionStamp,
): OutgoingHttpHeaders {
  return ctx.store.isVersioned(bucket) ? { 'x-amz-version-id': versionIdOf(version) } : {};
}

/**
 * ListObjectVersions: every key's versions and delete markers, newest first. A bucket whose versioning was never
 * set lists each object as its only version, "null".
 */
export function listObjectVersions(ctx: HandlerContext, request: S3Request, bucket: string): void {
  const state = ctx.store.bucket(bucket);
  const url = request.q.get('encoding-type') === 'url';
  const enc = url ? urlEncodeKey : (s: string) => s;
  const prefix = request.q.get('prefix') ?? '';
  const delimiter = request.q.get('delimiter') ?? '';
  const keyMarker = request.q.get('key-marker') ?? '';
  const versionIdMarker = request.q.get('version-id-marker') ?? '';
  const maxText = request.q.get('max-keys');
  if (maxText !== undefined && !/^\d+$/.test(maxText))
    throw new S3Error('InvalidArgument', 'Provided max-keys not an integer or within integer range', {
      ArgumentName: 'max-keys',
      ArgumentValue: maxText,
    });
  if (versionIdMarker !== '' && keyMarker === '')
    throw new S3Error('InvalidArgument', 'A version-id marker cannot be specified without a key marker.', {
      ArgumentName: 'version-id-marker',
      ArgumentValue: versionIdMarker,
    });
  const maxKeys = Math.min(Number(maxText ?? MAX_LIST_KEYS), MAX_LIST_KEYS);
  const input = {
    prefix,
    delimiter,
    maxKeys,
    ...(keyMarker !== '' ? { keyMarker } : {}),
    ...(versionIdMarker !== '' ? { versionIdMarker } : {}),
  };
  const out = state.versions
    ? listVersions(state.versions, (versions) => versions, versionIdOf, input)
    : listVersions(state.objects, (object): VersionRecord[] => [object], versionIdOf, input);
  sendXml(request, 200, 'ListVersionsResult', [
    ['Name', bucket],
    ['Prefix', enc(prefix)],
    ['KeyMarker', enc(keyMarker)],
    ['VersionIdMarker', versionIdMarker],
    out.nextKeyMarker !== undefined ? ['NextKeyMarker', enc(out.nextKeyMarker)] : undefined,
    out.nextVersionIdMarker !== undefined ? ['NextVersionIdMarker', out.nextVersionIdMarker] : undefined,
    ['MaxKeys', maxKeys],
    delimiter ? ['Delimiter', enc(delimiter)] : undefined,
    url ? ['EncodingType', 'url'] : undefined,
    ['IsTruncated', out.isTruncated],
    ...out.versions.map(({ key, version, isLatest }): XmlNode => {
      const common: XmlNode[] = [
        ['Key', enc(key)],
        ['VersionId', versionIdOf(version)],
        ['IsLatest', isLatest],
        ['LastModified', xmlTime(version.lastModified)],
      ];
      if (isDeleteMarker(version)) return ['DeleteMarker', [...common, ['Owner', [...OWNER]]]];
      const object: ObjectRecord = version;
      return [
        'Version',
        [
          ...common,
          ['ETag', object.etag],
          ['Size', object.size],
          ['Owner', [...OWNER]],
          ['StorageClass', storageClassOf(object)],
        ],
      ];
    }),
    ...out.commonPrefixes.map((p): XmlNode => ['CommonPrefixes', [['Prefix', enc(p)]]]),
  ]);
}
