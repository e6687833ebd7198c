import { isIP } from 'node:net';
import type { MiddlewareHandler } from 'hono';
import { fail } from './errors.ts';

/**
 * Whether a request's Host names this server: an address by number (it can only have come here), the
 * names `localhost` and `*.localhost` (browsers resolve them to this machine themselves), or one of
 * `names` (HOST, the host of HOIST_PUBLIC_URL). A port, and IPv6 brackets, are ignored.
 */
export function hostAllowed(host: string, names: readonly string[]): boolean {
  let hostname: string;
  try {
    hostname = new URL(`http://${host}`).hostname.toLowerCase();
  } catch {
    return false;
  }
  const bare = hostname.replace(/^\[(.*)\]$/, '$1');
  if (isIP(bare) !== 0) return true;
  if (bare === 'localhost' || bare.endsWith('.localhost')) return true;
  return names.some((n) => n.toLowerCase().replace(/^\[(.*)\]$/, '$1') === bare);
}

/**
 * Without HOIST_ACCESS_TOKEN anyone who reaches the API may use it, which config.ts allows on loopback
 * only. A web page elsewhere still reaches it by DNS rebinding: a name of its own that then answers
 * 127.0.0.1 makes its scripts same-origin with Hoist (Host `evil.example:8080`, and an Origin to
 * match), so the Origin check cannot tell. With no token, then, a request must be addressed to this
 * machine (hostAllowed): anything else is refused with 403 `host-not-allowed`, saying what to do.
 * With a token it is not needed: such a page has no session and cannot learn the token.
 */
export function hostGuard(o: {
  accessToken: string | undefined;
  host: string;
  publicUrl: string | undefined;
}): MiddlewareHandler {
  const names = [o.host, ...(o.publicUrl ? [new URL(o.publicUrl).hostname] : [])];
  return async (c, next) => {
    if (o.accessToken) return next();
    const host = c.req.header('host') ?? new URL(c.req.url).host;
    if (!hostAllowed(host, names))
      fail(
        403,
        'host-not-allowed',
        `This Hoist server has no access token, so it answers only at this machine's own addresses (localhost, 127.0.0.1), not as "${host}". Open it at one of those; to serve it at another name, set HOIST_ACCESS_TOKEN and HOIST_PUBLIC_URL (without a token, a web page at another name could drive it).`,
      );
    return next();
  };
}
