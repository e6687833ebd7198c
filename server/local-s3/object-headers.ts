import type { OutgoingHttpHeaders } from 'node:http';
import { checksumHeaderName } from './checksum.ts';
import { S3Error } from './errors.ts';
import type { ObjectRecord } from './records.ts';
import { header, type S3Request } from './s3-request.ts';

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
  for (const [name, values] of request.headers)
    if (name.startsWith('x-amz-meta-')) out[name] = values.join(',');
  return out;
}

const OVERRIDES: Record<string, string> = {
  'response-content-type': 'content-type',
  'response-content-language': 'content-language',
  'response-expires': 'expires',
  'response-cache-control': 'cache-control',
  'response-content-disposition': 'content-disposition',
  'response-content-encoding': 'content-encoding',
};

/**
 * A response-content-* value goes out as a header: one that is not printable US-ASCII is refused (400) rather than
 * sent. CR/LF or a character past U+00FF would make the response fail to be written (a 500 the SDKs retry), and
 * one in U+0080–U+00FF would go out as a Latin-1 byte where the client sent UTF-8. An RFC 5987 `filename*=`
 * (percent-encoded UTF-8) is how a non-ASCII file name is given.
 */
export function checkOverride(param: string, value: string): void {
  if (!/^[\t\x20-\x7e]*$/.test(value))
    throw new S3Error(
      'InvalidArgument',
      `${param} must be printable US-ASCII: it is sent back as a response header. Percent-encode a file name in filename*=UTF-8''…`,
      { ArgumentName: param },
    );
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
    checkOverride(param, value);
    if (name === 'content-type') delete headers['Content-Type'];
    headers[name] = value;
  }
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
