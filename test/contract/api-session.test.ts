import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HealthAnswer } from '../../server/shared/api-types.ts';
import { apiOver } from './api/harness.ts';
import { getTarget, type S3Target } from './support/target.ts';

// Signing out (DELETE /api/session), and what health tells the page about signing in.

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

    const signOut = await app.request('/session', {
      method: 'DELETE',
      headers: { ...json, cookie: session },
    });
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
