import { serve } from '@hono/node-server';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HealthAnswer } from '../../server/shared/api-types.ts';
import { apiOver } from './api/harness.ts';
import { getTarget, type S3Target } from './support/target.ts';

// Signing out (DELETE /api/session), what health tells the page about signing in, and wrong access
// tokens answered 429 once an address has sent too many.

const TOKEN = 'open-sesame-0123456789';
const json = { 'content-type': 'application/json' };

let target: S3Target;

beforeAll(async () => {
  target = await getTarget();
});
afterAll(async () => {
  await target?.close();
});

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: { error?: { code: string; message: string } };
}

/**
 * The API served over real HTTP (the limiter keys on the connection's address), with a clock the
 * test moves; `from` sends a request from a given loopback address (all of 127/8 reaches the server).
 */
async function served(env: Record<string, string> = {}) {
  let now = Date.now();
  const h = await apiOver(target, { HOIST_ACCESS_TOKEN: TOKEN, ...env }, {}, { now: () => now });
  const server = serve({ fetch: h.app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const { port } = server.address() as AddressInfo;
  const from = (
    localAddress: string,
    method: string,
    path: string,
    o: { headers?: Record<string, string>; body?: unknown } = {},
  ) =>
    new Promise<Answer>((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port, localAddress, method, path, headers: o.headers, agent: false },
        (res) => {
          let text = '';
          res.on('data', (d: Buffer) => (text += d.toString()));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: JSON.parse(text) as Answer['body'],
            }),
          );
        },
      );
      req.on('error', reject);
      req.end(o.body === undefined ? undefined : JSON.stringify(o.body));
    });
  return {
    from,
    signIn: (address: string, token: string) =>
      from(address, 'POST', '/session', { headers: json, body: { token } }),
    list: (address: string, headers: Record<string, string>) => from(address, 'GET', '/objects', { headers }),
    advance: (ms: number) => (now += ms),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('signing out (DELETE /api/session)', () => {
  it('clears the session cookie, so the calls after it are refused', async () => {
    const { app } = await apiOver(target, { HOIST_ACCESS_TOKEN: TOKEN });
    const signIn = await app.request('/session', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ token: TOKEN }),
    });
    const session = signIn.headers.get('set-cookie')!.split(';')[0]!;
    expect((await app.request('/objects', { headers: { cookie: session } })).status).toBe(200);

    // No body, so no Content-Type is needed (as `curl -X DELETE` sends it); a body must still be JSON.
    const withText = await app.request('/session', {
      method: 'DELETE',
      headers: { 'content-type': 'text/plain', 'content-length': '3', cookie: session },
      body: 'bye',
    });
    expect(withText.status).toBe(415);
    const signOut = await app.request('/session', { method: 'DELETE', headers: { cookie: session } });
    expect(signOut.status).toBe(200);
    const cleared = signOut.headers.get('set-cookie')!;
    expect(cleared).toMatch(/^hoist_session=;/);
    expect(cleared).toMatch(/Max-Age=0/);
    expect(cleared).toMatch(/Path=\//);
    expect(cleared).toMatch(/HttpOnly/);
    expect(cleared).toMatch(/SameSite=Strict/);
    // What the browser sends from then on: nothing of the session.
    const after = await app.request('/objects', { headers: { cookie: cleared.split(';')[0]! } });
    expect(after.status).toBe(401);
    expect(((await after.json()) as Answer['body']).error?.code).toBe('unauthorized');
  });

  it('is refused from another site, as every other call that changes something', async () => {
    const { app } = await apiOver(target, { HOIST_ACCESS_TOKEN: TOKEN });
    const res = await app.request('/session', {
      method: 'DELETE',
      headers: { ...json, origin: 'https://evil.example' },
    });
    expect(res.status).toBe(403);
    expect(res.headers.get('set-cookie')).toBeNull();
  });

  it('health tells the page whether there is a sign-in to end', async () => {
    const locked = await apiOver(target, { HOIST_ACCESS_TOKEN: TOKEN });
    const withToken = await locked.app.request('/health', { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(((await withToken.json()) as HealthAnswer).signInRequired).toBe(true);
    const open = await apiOver(target);
    expect(((await (await open.app.request('/health')).json()) as HealthAnswer).signInRequired).toBe(false);
  });
});

describe('wrong access tokens', () => {
  it('answer the 11th in a minute from one address with 429 and Retry-After, even when it is right', async () => {
    const s = await served();
    try {
      const session = (await s.signIn('127.0.0.1', TOKEN)).headers['set-cookie']![0]!.split(';')[0]!;
      for (let i = 0; i < 10; i++) expect((await s.signIn('127.0.0.1', `guess-${i}`)).status).toBe(401);
      s.advance(15_000);

      const refused = await s.signIn('127.0.0.1', 'guess-10');
      expect(refused.status).toBe(429);
      expect(refused.body.error?.code).toBe('too-many-attempts');
      expect(refused.body.error?.message).toBe(
        'Too many wrong access tokens from your address. Try again in 45 s.',
      );
      expect(refused.headers['retry-after']).toBe('45');
      // Not even the right token is compared while the address waits: a guess must not learn it was right.
      expect((await s.signIn('127.0.0.1', TOKEN)).status).toBe(429);
      expect((await s.list('127.0.0.1', { authorization: `Bearer ${TOKEN}` })).status).toBe(429);
      // A session from before goes on working, and another address is not held up.
      expect((await s.list('127.0.0.1', { cookie: session })).status).toBe(200);
      expect((await s.list('127.0.0.2', { authorization: `Bearer ${TOKEN}` })).status).toBe(200);
      expect((await s.signIn('127.0.0.2', 'guess')).status).toBe(401);

      s.advance(44_000);
      expect((await s.signIn('127.0.0.1', TOKEN)).headers['retry-after']).toBe('1');
      s.advance(1_000); // the window that opened at the first wrong token has passed
      expect((await s.signIn('127.0.0.1', TOKEN)).status).toBe(200);
      expect((await s.list('127.0.0.1', { authorization: `Bearer ${TOKEN}` })).status).toBe(200);
    } finally {
      await s.close();
    }
  });

  it('count as guesses on every API route, as a Bearer token', async () => {
    const s = await served();
    try {
      for (let i = 0; i < 10; i++) {
        expect((await s.list('127.0.0.1', { authorization: `Bearer guess-${i}` })).status).toBe(401);
      }
      const refused = await s.from('127.0.0.1', 'POST', '/uploads', {
        headers: { ...json, authorization: 'Bearer guess-10' },
        body: { name: 'f', size: 1, type: '', lastModified: 0 },
      });
      expect(refused.status).toBe(429);
      expect(refused.headers['retry-after']).toBe('60');
      expect((await s.signIn('127.0.0.1', 'guess-11')).body.error?.code).toBe('too-many-attempts');
    } finally {
      await s.close();
    }
  });

  it('count per client behind a trusted proxy (HOIST_TRUSTED_PROXIES), and a forged X-Forwarded-For gains nothing', async () => {
    // 127.0.0.1 plays the load balancer: it appends the address it was connected from.
    const s = await served({ HOIST_TRUSTED_PROXIES: '127.0.0.1' });
    const via = (client: string, token: string, forged?: string) =>
      s.from('127.0.0.1', 'POST', '/session', {
        headers: { ...json, 'x-forwarded-for': forged ? `${forged}, ${client}` : client },
        body: { token },
      });
    try {
      for (let i = 0; i < 10; i++) expect((await via('203.0.113.5', `guess-${i}`)).status).toBe(401);
      expect((await via('203.0.113.5', TOKEN)).status).toBe(429);
      // Writing another address in front changes nothing: the proxy's entry is the one believed.
      expect((await via('203.0.113.5', TOKEN, '198.51.100.77')).status).toBe(429);
      // Another client behind the same proxy signs in.
      expect((await via('203.0.113.6', TOKEN)).status).toBe(200);
      // A peer that is no trusted proxy is counted as itself, whatever it claims.
      for (let i = 0; i < 10; i++) {
        const answer = await s.from('127.0.0.2', 'POST', '/session', {
          headers: { ...json, 'x-forwarded-for': `192.0.2.${i}` },
          body: { token: `guess-${i}` },
        });
        expect(answer.status).toBe(401);
      }
      expect((await s.signIn('127.0.0.2', TOKEN)).status).toBe(429);
    } finally {
      await s.close();
    }
  });

  it('without trusted proxies, count every client behind a proxy as the proxy: X-Forwarded-For is not read', async () => {
    const s = await served();
    try {
      for (let i = 0; i < 10; i++) {
        const answer = await s.from('127.0.0.1', 'POST', '/session', {
          headers: { ...json, 'x-forwarded-for': `192.0.2.${i}` },
          body: { token: `guess-${i}` },
        });
        expect(answer.status).toBe(401);
      }
      const other = await s.from('127.0.0.1', 'POST', '/session', {
        headers: { ...json, 'x-forwarded-for': '192.0.2.200' },
        body: { token: TOKEN },
      });
      expect(other.status).toBe(429);
    } finally {
      await s.close();
    }
  });

  it('are not counted when no token is sent (the page asking before anyone signs in)', async () => {
    const s = await served();
    try {
      for (let i = 0; i < 20; i++) expect((await s.from('127.0.0.1', 'GET', '/health')).status).toBe(401);
      expect((await s.signIn('127.0.0.1', TOKEN)).status).toBe(200);
    } finally {
      await s.close();
    }
  });
});
