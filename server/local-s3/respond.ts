import type { OutgoingHttpHeaders } from 'node:http';
import { toS3Error } from './errors.ts';
import type { S3Request } from './s3-request.ts';
import { buildXml, type XmlNode } from './xml.ts';

/** Writing answers: every response carries the request id and the CORS headers decided for it. */

export function baseHeaders(request: S3Request): OutgoingHttpHeaders {
  return {
    'x-amz-request-id': request.id,
    'x-amz-id-2': request.id,
    Server: 'HoistLocalS3',
    Vary: 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method',
    ...request.cors,
  };
}

export function sendXml(
  request: S3Request,
  status: number,
  root: string,
  children: XmlNode[],
  headers: OutgoingHttpHeaders = {},
): void {
  const body = buildXml(root, children);
  request.res.writeHead(status, {
    ...baseHeaders(request),
    'Content-Type': 'application/xml',
    'Content-Length': Buffer.byteLength(body),
    ...headers,
  });
  request.res.end(request.method === 'HEAD' ? undefined : body);
}

export function sendEmpty(request: S3Request, status: number, headers: OutgoingHttpHeaders = {}): void {
  request.res.writeHead(status, { ...baseHeaders(request), 'Content-Length': 0, ...headers });
  request.res.end();
}

export function sendError(request: S3Request, error: unknown): void {
  const e = toS3Error(error);
  const { res } = request;
  if (res.headersSent) {
    res.destroy(e);
    return;
  }
  const resource =
    request.bucket === undefined
      ? '/'
      : `/${request.bucket}${request.key === undefined ? '' : `/${request.key}`}`;
  const detailNodes = Object.entries(e.details).map(([k, v]): XmlNode => [k, v]);
  const body = buildXml('Error', [
    ['Code', e.wireCode],
    ['Message', e.message],
    ...detailNodes,
    ['Resource', resource],
    ['RequestId', request.id],
    ['HostId', request.id],
  ])
    // S3's <Error> has no namespace.
    .replace(' xmlns="http://s3.amazonaws.com/doc/2006-03-01/"', '');
  const headers: OutgoingHttpHeaders = {
    ...baseHeaders(request),
    'Content-Type': 'application/xml',
    ...e.headers,
  };
  if (e.code === 'InvalidRange' && e.details['ActualObjectSize'] !== undefined)
    headers['Content-Range'] = `bytes */${e.details['ActualObjectSize']}`;
  if (request.method === 'HEAD' || e.status === 304) {
    res.writeHead(e.status, { ...headers, ...(e.status === 304 ? {} : { 'x-amz-error-code': e.wireCode }) });
    res.end();
    return;
  }
  res.writeHead(e.status, { ...headers, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}
