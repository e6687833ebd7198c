import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { BlockList } from 'node:net';
import type { AttemptLimiter } from './attempt-limiter.ts';
import { publicOrigins } from './app-origins.ts';
import { clientKey } from './client-key.ts';
import { forwardedClient } from './forwarded-client.ts';
import { fail } from './errors.ts';
import type { SignedThing } from './foreign-signature.ts';

export const SESSION_COOKIE = 'hoist_session';

export const SESSION_TTL_SECONDS = 7 * 24 * 3600;

/**
 * The cookie value for a sign-in: when it ends, and an HMAC of that and of the access token, so a
 * session ends after SESSION_TTL_SECONDS and changing the token signs everyone out.
 */
export function sessionValue(accessToken: string, secret: string, expiresAt: number): string {
  const mac = createHmac('sha256', secret).update(`hoist-session\n${expiresAt}\n${accessToken}`);
  return `${expiresAt}.${mac.digest('base64url')}`;
}

export function validSession(cookie: string, accessToken: string, secret: string, now: number): boolean {
  if (sessionExpired(cookie, now)) return false;
  return same(cookie, sessionValue(accessToken, secret, Number(cookie.slice(0, cookie.indexOf('.')))));
}

/** A session cookie that says it has ended (or says nothing readable of when): no signature to doubt. */
function sessionExpired(cookie: string, now: number): boolean {
  const expiresAt = Number(cookie.slice(0, cookie.indexOf('.')));
  return !Number.isSafeInteger(expiresAt) || expiresAt <= now / 1000;
}

/**
 * The origins this server answers as: its own URL, the public URL it was told (HOIST_PUBLIC_URL), and
 * what a TLS-terminating proxy says it was asked for (X-Forwarded-Proto, with the Host it kept).
 */
export function ownOrigins(c: Context, publicUrl: string | undefined): string[] {
  const origins = [new URL(c.req.url).origin];
  const host = c.req.header('host');
  if (host) {
    origins.push(`http://${host}`);
    const proto = c.req.header('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase();
    if (proto === 'https' || proto === 'http') origins.push(`${proto}://${host}`);
  }
  if (publicUrl) origins.push(...publicOrigins(publicUrl));
  return origins;
}

function servedOverHttps(c: Context, publicUrl: string | undefined): boolean {
  return (
    new URL(c.req.url).protocol === 'https:' ||
    c.req.header('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase() === 'https' ||
    (publicUrl !== undefined && new URL(publicUrl).protocol === 'https:')
  );
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** What wrong access tokens are counted with: the limiter, and the proxies whose word is taken. */
export interface TokenGuard {
  limiter: AttemptLimiter;
  /** HOIST_TRUSTED_PROXIES (see forwarded-client.ts); empty: no X-Forwarded-For is believed. */
  trusted: BlockList;
}

/**
 * Where a request came from, as the limiter counts it: the connection's peer address, or, when the
 * peer is a proxy the operator trusts, the client it names in X-Forwarded-For. Any other
 * X-Forwarded-For is not read: unlike X-Forwarded-Proto (which can only add this request's own Host as
 * an origin), a forged one would give each guess an address of its own. So behind a proxy not listed,
 * every client is the proxy. IPv6 clients count by their /64 (clientKey).
 */
function clientAddress(c: Context, trusted: BlockList): string {
  let peer: string;
  try {
    peer = getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown'; // not served by @hono/node-server (the in-process tests' app.request)
  }
  return clientKey(forwardedClient(peer, c.req.header('x-forwarded-for'), trusted));
}

/**
 * Compares an access token someone typed or sent. A wrong one counts against their address; an address
 * with too many lately is answered 429 without comparing at all, so while it waits even the right
 * token is refused: were it let in, every guess would still be told right from wrong.
 */
function checkToken(c: Context, given: string, accessToken: string, guard: TokenGuard, wrong: string) {
  const { limiter } = guard;
  const address = clientAddress(c, guard.trusted);
  const waitMs = limiter.waitMs(address);
  if (waitMs > 0) {
    const seconds = Math.ceil(waitMs / 1000);
    c.header('Retry-After', String(seconds)); // kept on the error answer app.onError renders
    fail(
      429,
      'too-many-attempts',
      `Too many wrong access tokens from your address. Try again in ${seconds} s.`,
    );
  }
  if (same(given, accessToken)) return;
  limiter.fail(address);
  fail(401, 'unauthorized', wrong);
}

/**
 * With HOIST_ACCESS_TOKEN set, every API call needs it: `Authorization: Bearer <token>`, or the
 * HttpOnly SameSite=Strict cookie that POST /api/session sets. A valid session passes even from an
 * address that is waiting out wrong tokens (a session cannot be guessed: it is an HMAC); a missing or
 * stale cookie is not counted as a wrong token.
 */
export function requireAccess(
  accessToken: string | undefined,
  secret: string,
  guard: TokenGuard,
  /** Told of a session cookie signed with another secret or token (see foreign-signature.ts). */
  foreign: (what: SignedThing) => void = () => {},
): MiddlewareHandler {
  return async (c, next) => {
    if (!accessToken) return next();
    const cookie = getCookie(c, SESSION_COOKIE);
    /** A session, still in its time, that this server did not sign. */
    let unknown = false;
    if (cookie) {
      const now = Date.now();
      if (validSession(cookie, accessToken, secret, now)) return next();
      unknown = !sessionExpired(cookie, now);
      if (unknown) foreign('session cookie');
    }
    const header = c.req.header('authorization');
    const bearer = header && /^bearer +(.+)$/i.exec(header.trim())?.[1];
    if (!bearer && unknown)
      return fail(
        401,
        'session-not-signed-here',
        'This Hoist server did not sign your session: sign in again. (A changed access token ends every session; servers behind one address must share HOIST_SECRET.)',
      );
    if (!bearer) return fail(401, 'unauthorized', 'Sign in with the access token to use this server.');
    checkToken(c, bearer, accessToken, guard, 'Sign in with the access token to use this server.');
    return next();
  };
}

/** POST /api/session: checks the access token and sets the HttpOnly session cookie. */
export function startSession(
  c: Context,
  given: string,
  o: {
    accessToken: string | undefined;
    secret: string;
    publicUrl: string | undefined;
    guard: TokenGuard;
  },
) {
  const { accessToken, secret } = o;
  if (!accessToken) return c.json({ signedIn: true }, 200);
  checkToken(c, given, accessToken, o.guard, 'That access token is not right.');
  const expiresAt = Math.floor(Date.now() / 1000) + SESSION_TTL_SECONDS;
  setCookie(c, SESSION_COOKIE, sessionValue(accessToken, secret, expiresAt), sessionCookie(c, o.publicUrl));
  return c.json({ signedIn: true }, 200);
}

/**
 * DELETE /api/session: signs this browser out by clearing its cookie. Sessions are stateless HMACs, so
 * a copy of the cookie taken before stays valid until it ends (or HOIST_ACCESS_TOKEN changes).
 */
export function endSession(c: Context, o: { publicUrl: string | undefined }) {
  deleteCookie(c, SESSION_COOKIE, sessionCookie(c, o.publicUrl));
  return c.json({ signedIn: false }, 200);
}

function sessionCookie(c: Context, publicUrl: string | undefined) {
  return {
    httpOnly: true,
    sameSite: 'Strict',
    path: '/',
    secure: servedOverHttps(c, publicUrl),
    maxAge: SESSION_TTL_SECONDS,
  } as const;
}

/**
 * Same-origin API only: state-changing calls must be JSON (which a cross-site form cannot send
 * without a preflight) and, when the browser says where it came from, come from this origin. Reads
 * too, when the browser says another site (or another port of this host) sent them: the page asks
 * only from its own origin, and a read can cost writes (`GET /health?refresh=1` runs the self-test,
 * which creates and aborts a multipart upload and puts objects): any page could have started one
 * run after another, unseen (`no-cors`). Tools (curl, a load balancer) send no Sec-Fetch-Site.
 */
export function sameOriginOnly(
  publicUrl?: string,
  log: (line: string) => void = () => {},
): MiddlewareHandler {
  /** Addresses said to the operator already (a few: each is a setting to fix, not traffic to count). */
  const told = new Set<string>();
  return async (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD' || c.req.method === 'OPTIONS') {
      const site = c.req.header('sec-fetch-site');
      if (site === 'cross-site' || site === 'same-site')
        fail(403, 'cross-site', 'Requests from another site are refused.');
      return next();
    }
    if (c.req.header('sec-fetch-site') === 'cross-site')
      fail(403, 'cross-site', 'Cross-site requests are refused.');
    const origin = c.req.header('origin');
    if (origin && !ownOrigins(c, publicUrl).includes(origin)) {
      // The browser says the page is of this very site: Hoist is reached at an address it was not told
      // of (a TLS proxy that sends no X-Forwarded-Proto, HOIST_PUBLIC_URL unset or another name).
      if (c.req.header('sec-fetch-site') === 'same-origin') {
        const message = `This page is open at ${origin}, an address this Hoist server does not know as its own: set HOIST_PUBLIC_URL=${origin}, or have the proxy in front of it send X-Forwarded-Proto and pass the Host header on.`;
        if (!told.has(origin) && told.size < 10) {
          told.add(origin);
          log(`warning: ${message}`);
        }
        fail(403, 'unknown-address', message);
      }
      fail(403, 'cross-site', `Requests from another origin (${origin}) are refused.`);
    }
    // A form, the one cross-site request a browser sends unasked, can only POST, and never as JSON. A
    // DELETE or PUT from another origin needs a CORS preflight, which this server never answers; so
    // only a POST, or a request with a body, must be JSON (`curl -X DELETE /api/session` just works).
    const type = c.req.header('content-type') ?? '';
    const body =
      c.req.method === 'POST' ||
      Number(c.req.header('content-length') ?? 0) > 0 ||
      c.req.header('transfer-encoding') !== undefined;
    if (body && !type.toLowerCase().startsWith('application/json')) {
      fail(415, 'unsupported-media-type', 'Send the request body as application/json.');
    }
    return next();
  };
}

/**
 * Request bodies over `maxSize` are refused with 413. A declared Content-Length is checked from the
 * header alone, without touching the body (reading `req.body` would take the Node adapter off its
 * fast path); only a chunked body is counted as it streams.
 */
export function limitBody(maxSize: number): MiddlewareHandler {
  const tooLarge = () => fail(413, 'body-too-large', `Request bodies are limited to ${maxSize} bytes.`);
  const streaming = bodyLimit({ maxSize, onError: tooLarge });
  return async (c, next) => {
    const length = c.req.header('content-length');
    if (length !== undefined && c.req.header('transfer-encoding') === undefined) {
      return Number(length) > maxSize ? tooLarge() : next();
    }
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    return streaming(c, next);
  };
}
