import { Hono, type Context } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import type { AppDeps } from './context.ts';
import { renderError } from './errors.ts';
import { createHealthState, healthRoutes, readyRoute } from './routes/health.ts';
import { objectRoutes } from './routes/objects.ts';
import { versionRoutes } from './routes/versions.ts';
import { uploadRoutes } from './routes/uploads.ts';
import { AttemptLimiter } from './attempt-limiter.ts';
import { hostGuard } from './host-guard.ts';
import { trustedProxies } from './forwarded-client.ts';
import { endSession, limitBody, requireAccess, sameOriginOnly, startSession } from './security.ts';
import { validate } from './validate.ts';
import { foreignSignatureLog } from './foreign-signature.ts';
import { z } from 'zod';

// The largest body is a Complete of 10,000 parts: with MD5 checksums and quoted MD5 ETags ~1.03 MB of
// JSON, and up to ~3.2 MB with ETags of the 200 characters allowed, beside a token of up to 64 KiB.
export const MAX_BODY = 4 * 1024 * 1024;

/** The API, mounted under /api. Used by server/index.ts and, in-process, by the tests. */
export function createApi(deps: AppDeps) {
  const log = deps.log ?? console.error;
  // Wrong access tokens per client address, in this process only (instances share no state).
  const guard = {
    limiter: new AttemptLimiter({ now: deps.now ?? Date.now }),
    trusted: trustedProxies(deps.config.trustedProxies),
  };
  /** A token or cookie signed with another secret: instances that do not share HOIST_SECRET, said to the operator. */
  const foreign = foreignSignatureLog(deps.secret, log, deps.now);
  const health = createHealthState(deps);
  const api = new Hono()
    // First: a load balancer asks it by address, with no session (see readyRoute).
    .route('/ready', readyRoute(health, deps.stopping ?? (() => false)))
    .use(hostGuard(deps.config))
    .use(sameOriginOnly(deps.config.publicUrl, log))
    .use(limitBody(MAX_BODY))
    .post('/session', validate('json', z.object({ token: z.string().max(1024) })), (c) =>
      startSession(c, c.req.valid('json').token, {
        accessToken: deps.config.accessToken,
        secret: deps.secret,
        publicUrl: deps.config.publicUrl,
        guard,
      }),
    )
    .delete('/session', (c) => endSession(c, { publicUrl: deps.config.publicUrl }))
    .use(requireAccess(deps.config.accessToken, deps.secret, guard, foreign))
    .route('/health', healthRoutes(deps, health))
    .route('/uploads', uploadRoutes(deps, foreign))
    .route('/objects', objectRoutes(deps))
    .route('/versions', versionRoutes(deps))
    // Counters for `npm run bench` (signing calls per upload).
    .get('/metrics', (c) => c.json(deps.metrics ?? { signCalls: 0, signedParts: 0 }, 200));
  api.notFound(apiNotFound);
  api.onError((error, c) => renderError(error, c, log, deps.store.bucket));
  return api;
}

export type AppType = ReturnType<typeof createApi>;

/** An /api path no route takes: the API's JSON 404, which clients read as any other error. */
function apiNotFound(c: Context) {
  return c.json(
    { error: { code: 'not-found', message: `No API route ${c.req.method} ${c.req.path}.` } },
    404,
  );
}

/** The whole app: security headers, the API under /api, and (when given) the built page. */
export function createApp(deps: AppDeps, options: { connectSrc?: string[]; static?: Hono } = {}) {
  const app = new Hono();
  // Stopping: each answer closes its connection, so a balancer's kept-alive ones are not reused (and
  // then reset) when the server closes them.
  app.use(async (c, next) => {
    await next();
    if (deps.stopping?.()) c.header('Connection', 'close');
  });
  app.use(
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", "'wasm-unsafe-eval'"],
        workerSrc: ["'self'", 'blob:'],
        connectSrc: ["'self'", ...(options.connectSrc ?? [])],
        // The store's origin: a download handed to the browser opens its presigned URL in a hidden
        // iframe (web/src/transfer/download/browser-download.ts).
        frameSrc: ["'self'", ...(options.connectSrc ?? [])],
        imgSrc: ["'self'", 'data:'],
        styleSrc: ["'self'", "'unsafe-inline'"],
        frameAncestors: ["'none'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
      },
      xFrameOptions: 'DENY',
      // Only where the public URL is https, and for its name alone: Hono's default (on every answer,
      // with includeSubDomains) would have made a Hoist at https://example.com force https on every
      // subdomain of it for half a year. Browsers ignore it over http anyway.
      strictTransportSecurity: deps.config.publicUrl?.startsWith('https://') ? 'max-age=15552000' : false,
      referrerPolicy: 'no-referrer',
      crossOriginEmbedderPolicy: false,
    }),
  );
  app.route('/api', createApi(deps));
  // Not the page's index.html, which the site below answers any other path with (a sub-app's notFound
  // is not used once it is mounted).
  app.all('/api/*', apiNotFound);
  if (options.static) {
    // The page too: one served under a rebound name would only meet refusals from its API.
    app.use('*', hostGuard(deps.config));
    app.route('/', options.static);
  }
  app.onError((error, c) => renderError(error, c, deps.log ?? console.error, deps.store.bucket));
  return app;
}
