import { createHmac } from 'node:crypto';

/**
 * Pure AWS Signature Version 2 pieces for query-string authentication (`?AWSAccessKeyId=&Signature=&Expires=`),
 * as the S3 developer guide "Signing and authenticating REST requests" and botocore's HmacV1QueryAuth build them.
 */

/** The sub-resources and response overrides that belong to the CanonicalizedResource (botocore's list). */
export const SUB_RESOURCES: ReadonlySet<string> = new Set([
  'accelerate',
  'acl',
  'analytics',
  'cors',
  'defaultObjectAcl',
  'delete',
  'inventory',
  'lifecycle',
  'location',
  'logging',
  'metrics',
  'notification',
  'object-lock',
  'partNumber',
  'policy',
  'replication',
  'requestPayment',
  'response-cache-control',
  'response-content-disposition',
  'response-content-encoding',
  'response-content-language',
  'response-content-type',
  'response-expires',
  'restore',
  'select',
  'select-type',
  'storageClass',
  'tagging',
  'torrent',
  'uploadId',
  'uploads',
  'versionId',
  'versioning',
  'versions',
  'website',
]);

/** `/bucket/key` as sent (still percent-encoded), then `?` and the sub-resources (decoded values) sorted by name. */
export function canonicalizedResource(
  rawPath: string,
  query: readonly (readonly [string, string])[],
): string {
  const subs = query
    .filter(([name]) => SUB_RESOURCES.has(name))
    .map(([name, value]) => (value === '' ? name : `${name}=${value}`))
    .sort((a, b) => {
      const an = a.split('=', 1)[0]!;
      const bn = b.split('=', 1)[0]!;
      return an < bn ? -1 : an > bn ? 1 : 0;
    });
  return subs.length === 0 ? rawPath : `${rawPath}?${subs.join('&')}`;
}

/**
 * The paths a signature of this request may have been made over. A request to the bucket itself, sent as
 * `/bucket`, may be signed as `/bucket/` (botocore does so for ListObjects, GetBucketLocation and the like, as
 * the bucket's resource is written for virtual-hosted requests) or as sent (the spec's path-style rule).
 */
export function signedPaths(rawPath: string): string[] {
  return /^\/[^/]+$/.test(rawPath) ? [`${rawPath}/`, rawPath] : [rawPath];
}

/** `x-amz-*` headers: lower-case names sorted, values trimmed and joined with commas, one `name:value\n` each. */
export function canonicalizedAmzHeaders(headers: ReadonlyMap<string, readonly string[]>): string {
  return [...headers.keys()]
    .filter((name) => name.startsWith('x-amz-'))
    .sort()
    .map((name) => `${name}:${(headers.get(name) ?? []).map((v) => v.trim()).join(',')}\n`)
    .join('');
}

export interface StringToSignV2Input {
  method: string;
  contentMd5: string;
  contentType: string;
  /** seconds since the epoch, as in the `Expires` parameter (the Date line of header-signed requests) */
  expires: string;
  /** lower-case name → values; only the `x-amz-*` ones are used */
  headers: ReadonlyMap<string, readonly string[]>;
  resource: string;
}

export function stringToSignV2(input: StringToSignV2Input): string {
  return (
    `${input.method}\n${input.contentMd5}\n${input.contentType}\n${input.expires}\n` +
    canonicalizedAmzHeaders(input.headers) +
    input.resource
  );
}

/** Base64 of HMAC-SHA1(secret, string to sign). */
export function signatureV2(secretAccessKey: string, toSign: string): string {
  return createHmac('sha1', secretAccessKey).update(toSign, 'utf8').digest('base64');
}
