import type { OutgoingHttpHeaders } from 'node:http';
import { runsScript } from '../shared/markup-types.ts';
import { checksumHeaderName } from './checksum.ts';
import { S3Error } from './errors.ts';
import type { ObjectRecord } from './records.ts';
import { header, type S3Request } from './s3-request.ts';
import { STORAGE_CLASS_HEADER, withStorageClass } from './storage-class.ts';

/** Which request headers are stored with an object, and the headers a GET/HEAD answers with. */

const STORED = [
  'content-type',
  'cache-control',
  'content-disposition',
  'content-encoding',
  'content-language',
  'expires',
];

export function storedHeaders(request: S3Request): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of STORED) {
    let value = header(request, name);
    if (name === 'content-encoding' && value !== undefined)
      value = value
        .split(',')
        .map((v) => v.trim())
        .filter((v) => v !== 'aws-chunked' && v !== '')
        .join(', ');
    if (value !== undefined && value !== '') out[name] = value;
  }
  let metadataBytes = 0;
  for (const [name, values] of request.headers)
    if (name.startsWith('x-amz-meta-')) {
      out[name] = values.join(',');
      // Node holds a header as one Latin-1 character a byte: its length is the bytes sent.
      metadataBytes += name.length - 'x-amz-meta-'.length + out[name].length;
    }
  if (metadataBytes > MAX_METADATA_BYTES)
    throw new S3Error('MetadataTooLarge', 'Your metadata headers exceed the maximum allowed metadata size.', {
      Size: String(metadataBytes),
      MaxSizeAllowed: String(MAX_METADATA_BYTES),
    });
  return withStorageClass(out, header(request, STORAGE_CLASS_HEADER));
}

/** S3's limit on an object's user metadata: names and values, in bytes. */
const MAX_METADATA_BYTES = 2048;

const OVERRIDES: Record<string, string> = {
  'response-content-type': 'content-type',
  'response-content-language': 'content-language',
  'response-expires': 'expires',
  'response-cache-control': 'cache-control',
  'response-content-disposition': 'content-disposition',
  'response-content-encoding': 'content-encoding',
};

/**
 * A response-content-* value goes out as a header, as S3 sends it: its UTF-8 bytes (a file name like "ü.txt" in
 * Content-Disposition). Node writes a header string as Latin-1, so the value goes out as the Latin-1 string of
 * its UTF-8 bytes. A control character (CR/LF would split the response, NUL and the rest cannot be in a header)
 * or half a surrogate pair (no UTF-8 for it) is refused with 400 InvalidArgument rather than sent or a 500.
 */
export function overrideHeaderValue(param: string, value: string): string {
  if (/[^\P{Cc}\t]|\p{Cs}/u.test(value))
    throw new S3Error(
      'InvalidArgument',
      `${param} cannot be sent back as a response header: it holds a control character or half a surrogate pair.`,
      { ArgumentName: param },
    );
  return Buffer.from(value, 'utf8').toString('latin1');
}

export function objectHeaders(
  request: S3Request,
  record: ObjectRecord,
  withChecksum: boolean,
): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = {
    'Content-Type': 'binary/octet-stream',
    ETag: record.etag,
    'Last-Modified': new Date(record.lastModified).toUTCString(),
    'Accept-Ranges': 'bytes',
  };
  for (const [name, value] of Object.entries(record.headers)) headers[name] = value;
  if (record.headers['content-type']) {
    delete headers['Content-Type'];
    headers['content-type'] = record.headers['content-type'];
  }
  for (const [param, name] of Object.entries(OVERRIDES)) {
    const value = request.q.get(param);
    if (value === undefined) continue;
    if (name === 'content-type') delete headers['Content-Type'];
    headers[name] = overrideHeaderValue(param, value);
  }
  Object.assign(headers, shownSafely(String(headers['content-type'] ?? headers['Content-Type'] ?? '')));
  if (record.tags?.length) headers['x-amz-tagging-count'] = String(record.tags.length);
  if (
    withChecksum &&
    record.checksum &&
    header(request, 'x-amz-checksum-mode')?.toUpperCase() === 'ENABLED'
  ) {
    headers[checksumHeaderName(record.checksum.algorithm)] = record.checksum.value;
    headers['x-amz-checksum-type'] = record.checksum.type;
  }
  return headers;
}

/**
 * What keeps an object shown in a tab (Hoist's "Open", or any presigned GET followed) from acting as the
 * store's origin, which is Hoist's host on another port: same-site, sharing its cookies. Never sniffed
 * (an "application/unknown" page is not run as HTML); markup sandboxed, so its scripts do not run and it
 * has no origin to set Hoist's cookies from or to register a service worker on, one that would read
 * every object opened or downloaded from the store after it.
 */
export function shownSafely(contentType: string): OutgoingHttpHeaders {
  return {
    'X-Content-Type-Options': 'nosniff',
    ...(runsScript(contentType) && { 'Content-Security-Policy': 'sandbox' }),
  };
}
