import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AuthResult } from './auth.ts';
import { S3Error } from './errors.ts';

/** One parsed request: bucket and key from the raw path (never normalised), query pairs, headers. */
export interface S3Request {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly id: string;
  readonly method: string;
  /** decoded path, as signed */
  readonly path: string;
  /** the path as sent, still percent-encoded */
  readonly rawPath: string;
  readonly bucket: string | undefined;
  /** undefined for bucket-level requests */
  readonly key: string | undefined;
  readonly query: readonly (readonly [string, string])[];
  readonly q: ReadonlyMap<string, string>;
  readonly headers: ReadonlyMap<string, readonly string[]>;
  readonly signal: AbortSignal;
  auth?: AuthResult;
  /** CORS headers to put on whatever we answer */
  cors: Record<string, string>;
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new S3Error('InvalidRequest', "Couldn't parse the specified URI.");
  }
}

export function header(request: Pick<S3Request, 'headers'>, name: string): string | undefined {
  return request.headers.get(name)?.join(',');
}

export function parseS3Request(req: IncomingMessage, res: ServerResponse, signal: AbortSignal): S3Request {
  const url = req.url ?? '/';
  const qmark = url.indexOf('?');
  const rawPath = qmark === -1 ? url : url.slice(0, qmark);
  const rawQuery = qmark === -1 ? '' : url.slice(qmark + 1);
  const headers = new Map<string, string[]>();
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i]!.toLowerCase();
    const list = headers.get(name) ?? [];
    list.push(req.rawHeaders[i + 1]!);
    headers.set(name, list);
  }
  const query = rawQuery
    .split('&')
    .filter((p) => p !== '')
    .map((pair): [string, string] => {
      const eq = pair.indexOf('=');
      return eq === -1 ? [decode(pair), ''] : [decode(pair.slice(0, eq)), decode(pair.slice(eq + 1))];
    });
  const q = new Map<string, string>();
  for (const [k, v] of query) if (!q.has(k)) q.set(k, v);

  let bucket: string | undefined;
  let key: string | undefined;
  if (!rawPath.startsWith('/')) throw new S3Error('InvalidRequest', "Couldn't parse the specified URI.");
  const slash = rawPath.indexOf('/', 1);
  const rawBucket = slash === -1 ? rawPath.slice(1) : rawPath.slice(1, slash);
  if (rawBucket !== '') bucket = decode(rawBucket);
  if (slash !== -1 && slash + 1 < rawPath.length) key = decode(rawPath.slice(slash + 1));

  return {
    req,
    res,
    id: randomBytes(8).toString('hex').toUpperCase(),
    method: req.method ?? 'GET',
    path: decode(rawPath),
    rawPath,
    bucket,
    key,
    query,
    q,
    headers,
    signal,
    cors: {},
  };
}
