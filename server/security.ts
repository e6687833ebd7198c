import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { getCookie, setCookie } from 'hono/cookie';
import { fail } from './errors.ts';

export const SESSION_COOKIE = 'hoist_session';

/** The cookie value for a valid sign-in: derived from the access token, so changing the token signs everyone out. */
export function sessionValue(accessToken: string, secret: string): string {
  return createHmac('sha256', secret).update(`hoist-session\n${accessToken}`).digest('base64url');
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * With HOIST_ACCESS_TOKEN set, every API call needs it: `Authorization: Bearer <token>`, or the
 * HttpOnly SameSite=Strict cookie that POST /api/session sets.
 */
export function requireAccess(accessToken: string | undefined, secret: string): MiddlewareHandler {
  return async (c, next) => {
    if (!accessToken) return next();
    const header = c.req.header('authorization');
    if (header?.startsWith('Bearer ') && same(header.slice(7), accessToken)) return next();
    const cookie = getCookie(c, SESSION_COOKIE);
    if (cookie && same(cookie, sessionValue(accessToken, secret))) return next();
    return fail(401, 'unauthorized', 'Sign in with the access token to use this server.');
  };
}

/** POST /api/session: checks the access token and sets the HttpOnly session cookie. */
export function startSession(c: Context, given: string, accessToken: string | undefined, secret: string) {
  if (!accessToken) return c.json({ signedIn: true }, 200);
  if (!same(given, accessToken)) return fail(401, 'unauthorized', 'That access token is not right.');
  setCookie(c, SESSION_COOKIE, sessionValue(accessToken, secret), {
    httpOnly: true,
    sameSite: 'Strict',
    path: '/',
    secure: new URL(c.req.url).protocol === 'https:',
    maxAge: 7 * 24 * 3600,
  });
  return c.json({ signedIn: true }, 200);
}

/**
 * Same-origin API only: state-changing calls must be JSON (which a cross-site form cannot send
 * without a preflight) and, when the browser says where it came from, come from this origin.
 */
export function sameOriginOnly(): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD' || c.req.method === 'OPTIONS') return next();
    if (c.req.header('sec-fetch-site') === 'cross-site')
      fail(403, 'cross-site', 'Cross-site requests are refused.');
    const origin = c.req.header('origin');
    if (origin && origin !== new URL(c.req.url).origin && origin !== `http://${c.req.header('host')}`) {
      fail(403, 'cross-site', 'Requests from another origin are refused.');
    }
    const type = c.req.header('content-type') ?? '';
    if (!type.toLowerCase().startsWith('application/json')) {
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
