import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { hasAuthentication, verifyRequest, type Credentials } from './auth.ts';
import { BodyIdleError } from './body-idle.ts';
import { corsHeaders, findCorsRule } from './cors.ts';
import { S3Error, toS3Error } from './errors.ts';
import { checkExpectedOwner } from './expected-owner.ts';
import type { HandlerContext } from './handler-context.ts';
import { KeyedLock } from './keyed-lock.ts';
import { baseHeaders, sendError } from './respond.ts';
import { isBrowserFormUpload, route } from './router.ts';
import { retiredKeyLog } from './retired-key.ts';
import { header, parseS3Request, type S3Request } from './s3-request.ts';
import type { Store } from './store.ts';

/** The node:http server: parse, CORS, authenticate, route; errors become S3 XML. */

export interface S3ServerOptions {
  store: Store;
  region: string;
  credentials: Credentials;
  log: (line: string) => void;
  now?: () => Date;
}

const DRAIN_LIMIT = 64 * 1024 * 1024;

/** What answers each request (index.ts listens before the store is loaded, then hands requests to this). */
export function s3RequestListener(options: S3ServerOptions): RequestListener {
  const ctx: HandlerContext = {
    store: options.store,
    region: options.region,
    log: options.log,
    completes: new KeyedLock(),
  };
  const now = options.now ?? (() => new Date());
  const refused = retiredKeyLog(options.log, () => now().getTime());
  return (req, res) => {
    void handle(ctx, options, now, req, res, refused);
  };
}

async function handle(
  ctx: HandlerContext,
  options: S3ServerOptions,
  now: () => Date,
  req: IncomingMessage,
  res: ServerResponse,
  refused: (error: S3Error) => void,
): Promise<void> {
  const controller = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) controller.abort(new Error('client went away'));
  });
  let request: S3Request | undefined;
  // By the clock requests are checked with, as S3 dates its answers: SDKs set their clock by it.
  res.setHeader('Date', now().toUTCString());
  try {
    request = parseS3Request(req, res, controller.signal);
    applyCors(ctx, request);
    if (request.method === 'OPTIONS') {
      preflight(ctx, request);
      return;
    }
    if (isBrowserFormUpload(request))
      throw new S3Error(
        'NotImplemented',
        'Browser form uploads (POST Object) are not supported by the local store; use a presigned PUT or multipart upload.',
      );
    if (!hasAuthentication(request)) throw new S3Error('AccessDenied');
    request.auth = verifyRequest(request, options.credentials, options.region, now());
    checkExpectedOwner(request);
    await route(ctx, request);
  } catch (error) {
    // A body that stopped arriving: nobody is there to answer, and waiting for its rest would hang.
    if (error instanceof BodyIdleError) {
      ctx.log(`dropped ${req.method ?? ''} ${(req.url ?? '').split('?')[0]}: ${error.message}`); // no signature
      req.destroy();
      return;
    }
    const e = toS3Error(error);
    if (e.code === 'InternalError' && !controller.signal.aborted)
      ctx.log(`internal error: ${String((error as Error)?.stack ?? error)}`);
    if (e.code === 'InsufficientStorage')
      ctx.log(`out of space: ${String((error as Error)?.message ?? error)}`);
    refused(e);
    if (controller.signal.aborted) return;
    request ??= fallbackRequest(req, res, controller.signal);
    await drain(req, res);
    sendError(request, e);
  }
}

function fallbackRequest(req: IncomingMessage, res: ServerResponse, signal: AbortSignal): S3Request {
  return {
    req,
    res,
    id: 'LOCALS3',
    method: req.method ?? 'GET',
    path: '/',
    rawPath: '/',
    bucket: undefined,
    key: undefined,
    query: [],
    q: new Map(),
    headers: new Map(),
    signal,
    cors: {},
  };
}

/**
 * A refused request's body is read (so its client gets the answer, not a reset) only while it comes:
 * none for `idleMs`, or still coming after `maxMs` (a byte every few seconds), and the answer goes with
 * `Connection: close` instead. Before, a request refused before its body (no signature: anyone can send
 * one) that declared a body and never sent it held its connection for good, and some thousand of them
 * took the file descriptors of the whole process, Hoist's API and page with the store.
 */
export const refusedBody = {
  /** seams for tests, which shorten them */
  idleMs: 10_000,
  maxMs: 60_000,
};

/** Reads what is left of a small body before answering an error, so clients get the answer, not a reset. */
async function drain(req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.readableEnded) return;
  // A body given up half read (a failed disk write destroys it): its rest would be read as the next
  // request on this keep-alive connection, and that request would hang. Close it after the answer.
  if (req.destroyed) {
    res.setHeader('Connection', 'close');
    return;
  }
  const length = Number(req.headers['content-length'] ?? 0);
  if (req.readableFlowing === false || req.readableFlowing === null || length > 0) {
    if (length > DRAIN_LIMIT) {
      res.setHeader('Connection', 'close');
      return;
    }
    req.unpipe();
    const read = await new Promise<boolean>((resolve) => {
      const done = (whole: boolean) => {
        clearTimeout(idle);
        clearTimeout(most);
        req.off('data', onData);
        resolve(whole);
      };
      const onData = () => {
        clearTimeout(idle);
        idle = setTimeout(() => done(false), refusedBody.idleMs);
      };
      let idle = setTimeout(() => done(false), refusedBody.idleMs);
      const most = setTimeout(() => done(false), refusedBody.maxMs);
      req.on('data', onData);
      req.on('end', () => done(true));
      req.on('error', () => done(true));
      req.on('close', () => done(true));
      req.resume();
    });
    // Its rest would be read as the next request on this connection: answered, then closed.
    if (!read) res.setHeader('Connection', 'close');
  }
}

function applyCors(ctx: HandlerContext, request: S3Request): void {
  const origin = header(request, 'origin');
  if (origin === undefined || request.bucket === undefined || !ctx.store.hasBucket(request.bucket)) return;
  const rules = ctx.store.bucket(request.bucket).record.cors;
  if (!rules || request.method === 'OPTIONS') return;
  const cors = { origin, method: request.method, headers: [] };
  const rule = findCorsRule(rules, cors);
  if (rule) request.cors = corsHeaders(rule, cors, false);
}

function preflight(ctx: HandlerContext, request: S3Request): void {
  const origin = header(request, 'origin');
  const method = header(request, 'access-control-request-method');
  if (origin === undefined)
    throw new S3Error('BadRequest', 'Insufficient information. Origin request header needed.');
  if (method === undefined) throw new S3Error('BadRequest', 'Invalid Access-Control-Request-Method: null');
  if (request.bucket === undefined) throw new S3Error('CORSForbidden', 'CORSResponse: Bucket not found');
  const rules = ctx.store.bucket(request.bucket).record.cors;
  if (!rules)
    throw new S3Error('CORSForbidden', 'CORSResponse: CORS is not enabled for this bucket.', {
      Method: method,
      ResourceType: 'BUCKET',
    });
  const headers = (header(request, 'access-control-request-headers') ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter((h) => h !== '');
  const cors = { origin, method, headers };
  const rule = findCorsRule(rules, cors);
  if (!rule)
    throw new S3Error(
      'CORSForbidden',
      "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.",
      {
        Method: method,
        ResourceType: 'OBJECT',
      },
    );
  request.cors = corsHeaders(rule, cors, true);
  request.res.writeHead(200, { ...baseHeaders(request), 'Content-Length': 0 });
  request.res.end();
}
