import { createHash, createHmac } from 'node:crypto';

/** Pure AWS Signature Version 4 pieces (as S3 uses them: no path normalisation, single URI encoding). */

export const ALGORITHM = 'AWS4-HMAC-SHA256';
export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/** RFC 3986 encoding of UTF-8 bytes: everything but A-Z a-z 0-9 - . _ ~ (and `/` when kept). */
export function uriEncode(text: string, keepSlash: boolean): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const c = String.fromCharCode(byte);
    if (/[A-Za-z0-9\-._~]/.test(c) || (keepSlash && c === '/')) out += c;
    else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export function hmac(key: string | Uint8Array, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

/** Query parameters (decoded) → canonical query string; `X-Amz-Signature` must already be left out. */
export function canonicalQueryString(params: readonly (readonly [string, string])[]): string {
  return params
    .map(([k, v]) => [uriEncode(k, false), uriEncode(v, false)] as const)
    .sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

export function trimHeaderValue(value: string): string {
  return value.trim().replace(/\s+/g, ' ');
}

export interface CanonicalRequestInput {
  method: string;
  /** decoded path, e.g. `/bucket/my key` */
  path: string;
  query: readonly (readonly [string, string])[];
  /** lower-case header name → values in order received */
  headers: ReadonlyMap<string, readonly string[]>;
  signedHeaders: readonly string[];
  payloadHash: string;
}

export function canonicalRequest(input: CanonicalRequestInput): string {
  const headerLines = input.signedHeaders
    .map((name) => `${name}:${(input.headers.get(name) ?? []).map(trimHeaderValue).join(',')}\n`)
    .join('');
  return [
    input.method,
    uriEncode(input.path, true),
    canonicalQueryString(input.query),
    headerLines,
    input.signedHeaders.join(';'),
    input.payloadHash,
  ].join('\n');
}

export function credentialScope(date: string, region: string, service = 's3'): string {
  return `${date}/${region}/${service}/aws4_request`;
}

/**
 * `canonical` as `canonicalRequest` builds it from Node's headers, which hold each byte as one Latin-1
 * character: hashed as those bytes, so a header a client sent in UTF-8 ("résumé", as botocore sends
 * it) is hashed as the client signed it. Everything else in it is ASCII (the path and query encoded).
 */
export function stringToSign(amzDate: string, scope: string, canonical: string): string {
  return [ALGORITHM, amzDate, scope, sha256Hex(Buffer.from(canonical, 'latin1'))].join('\n');
}

export function signingKey(secret: string, date: string, region: string, service = 's3'): Buffer {
  const kDate = hmac(`AWS4${secret}`, date);
  const kRegion = hmac(kDate, region);
  const kService = hmac(kRegion, service);
  return hmac(kService, 'aws4_request');
}

export function signature(key: Uint8Array, toSign: string): string {
  return createHmac('sha256', key).update(toSign, 'utf8').digest('hex');
}

/** String to sign for one aws-chunked chunk (STREAMING-AWS4-HMAC-SHA256-PAYLOAD). */
export function chunkStringToSign(
  amzDate: string,
  scope: string,
  previousSignature: string,
  chunkSha256: string,
) {
  return ['AWS4-HMAC-SHA256-PAYLOAD', amzDate, scope, previousSignature, EMPTY_SHA256, chunkSha256].join(
    '\n',
  );
}

/** String to sign for the trailing headers of STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER. */
export function trailerStringToSign(
  amzDate: string,
  scope: string,
  previousSignature: string,
  trailer: string,
) {
  return ['AWS4-HMAC-SHA256-TRAILER', amzDate, scope, previousSignature, sha256Hex(trailer)].join('\n');
}

/** `20130524T000000Z` → Date, or undefined when malformed. */
export function parseAmzDate(value: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  return Number.isNaN(date.getTime()) ? undefined : date;
}
