import { isLoopback, isWildcard } from './config.ts';

/**
 * HOIST_PUBLIC_URL's origin, and when it names this machine (`npm run dev` gives Vite's
 * http://localhost:5173), its other spelling too: a browser opened at http://127.0.0.1:5173 reaches the
 * same page, and was refused every upload with nothing saying why. Pure.
 */
export function publicOrigins(publicUrl: string): string[] {
  const url = new URL(publicUrl);
  const origins = [url.origin];
  const other = { localhost: '127.0.0.1', '127.0.0.1': 'localhost', '[::1]': 'localhost' }[url.hostname];
  if (other !== undefined) {
    url.hostname = other;
    origins.push(url.origin);
  }
  return origins;
}

/**
 * The origins people open the page at, which the bucket's CORS must let upload: HOIST_PUBLIC_URL's;
 * on a loopback address both spellings of this machine a browser may be given (`127.0.0.1` and
 * `localhost`, `[::1]` and `localhost`), since both reach this server and a rule naming only one of
 * them fails every upload from the other; otherwise the address Hoist listens on. None when it listens
 * on every address without HOIST_PUBLIC_URL (unknown: any origin will do). Pure.
 */
export function appOrigins(options: {
  host: string;
  port: number;
  publicUrl?: string | undefined;
}): string[] {
  const { host, port, publicUrl } = options;
  if (publicUrl) return publicOrigins(publicUrl);
  if (isWildcard(host)) return [];
  const bare = host.replace(/^\[(.*)\]$/, '$1');
  // An address no URL can hold (IPv6 with a zone, "fe80::1%eth0"), which no browser opens either: unknown.
  if (bare.includes('%')) return [];
  const at = (name: string) => new URL(`http://${name}:${port}`).origin;
  if (bare === 'localhost') return [at('localhost'), at('127.0.0.1'), at('[::1]')];
  if (bare === '::1') return [at('[::1]'), at('localhost')];
  if (bare === '127.0.0.1') return [at('127.0.0.1'), at('localhost')];
  if (isLoopback(bare)) return [at(bare)];
  return [at(bare.includes(':') ? `[${bare}]` : bare)];
}
