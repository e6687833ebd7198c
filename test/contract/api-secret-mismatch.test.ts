import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UploadPlan } from '../../server/shared/api-types.ts';
import { secretFingerprint } from '../../server/secret.ts';
import { apiOver } from './api/harness.ts';
import { getTarget, type S3Target } from './support/target.ts';

// Two Hoist servers on one store behind one address, each with its own HOIST_SECRET (what each gets
// when none is set: one generated per data directory). The user sees uploads fail at Complete and
// sign-ins that do not hold; the operator is told in the log of the server that refuses.

const OTHER_SECRET = 'another-instance-secret-'.padEnd(40, 'y');
const TOKEN = 'open-sesame-0123456789';

let target: S3Target;
beforeAll(async () => {
  target = await getTarget();
});
afterAll(async () => {
  await target?.close();
});

describe('servers with different HOIST_SECRETs behind one address', () => {
  it("refuses the other server's upload token as not its own, and logs why once a minute, with its fingerprint", async () => {
    const a = await apiOver(target);
    const lines: string[] = [];
    let now = Date.now();
    const b = await apiOver(
      target,
      {},
      {},
      { secret: OTHER_SECRET, log: (l) => lines.push(l), now: () => now },
    );
    const created = await a.api.uploads.$post({
      json: {
        name: `mismatch-${Date.now()}.bin`,
        size: 6 * 1024 * 1024,
        type: 'application/octet-stream',
        lastModified: 0,
      },
    });
    expect(created.status).toBe(200);
    const plan = (await created.json()) as UploadPlan;
    try {
      const sign = () =>
        b.api.uploads.sign.$post({ json: { token: plan.token, parts: [{ partNumber: 1 }] } });
      const refused = await sign();
      expect(refused.status).toBe(403);
      expect(((await refused.json()) as unknown as { error: { code: string } }).error.code).toBe(
        'token-bad-signature',
      );
      const warnings = () =>
        lines.filter((l) => l.startsWith('warning: an upload token this server did not sign'));
      expect(warnings()).toHaveLength(1);
      expect(warnings()[0]).toContain(`fingerprint is ${secretFingerprint(OTHER_SECRET)}`);
      expect(warnings()[0]).toContain('Every server behind one address needs the same HOIST_SECRET');
      // A page retrying does not fill the log…
      expect((await sign()).status).toBe(403);
      expect(warnings()).toHaveLength(1);
      // …but it is said again a minute later if it goes on.
      now += 60_000;
      expect((await sign()).status).toBe(403);
      expect(warnings()).toHaveLength(2);
      // The server that signed it takes it.
      const own = await a.api.uploads.sign.$post({ json: { token: plan.token, parts: [{ partNumber: 1 }] } });
      expect(own.status).toBe(200);
    } finally {
      await a.api.uploads.abort.$post({ json: { token: plan.token } });
    }
  });

  it("refuses the other server's session cookie, and logs it; an expired cookie is no such news", async () => {
    const a = await apiOver(target, { HOIST_ACCESS_TOKEN: TOKEN });
    const lines: string[] = [];
    const b = await apiOver(
      target,
      { HOIST_ACCESS_TOKEN: TOKEN },
      {},
      { secret: OTHER_SECRET, log: (l) => lines.push(l) },
    );
    const signedIn = await a.app.request('/session', {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'http://localhost' },
      body: JSON.stringify({ token: TOKEN }),
    });
    expect(signedIn.status).toBe(200);
    const cookie = signedIn.headers.get('set-cookie')!.split(';')[0]!;
    const health = (app: typeof a.app, c: string) => app.request('/health', { headers: { cookie: c } });
    expect((await health(a.app, cookie)).status).toBe(200);
    const refused = await health(b.app, cookie);
    expect(refused.status).toBe(401);
    // Said as what it is, not as "sign in": the page tells the user the servers disagree.
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe(
      'session-not-signed-here',
    );
    expect(
      lines.filter((l) => l.startsWith('warning: a session cookie this server did not sign')),
    ).toHaveLength(1);

    const quiet: string[] = [];
    const c = await apiOver(target, { HOIST_ACCESS_TOKEN: TOKEN }, {}, { log: (l) => quiet.push(l) });
    const ended = `${Math.floor(Date.now() / 1000) - 10}.${cookie.split('.')[1]}`;
    const expired = await health(c.app, `hoist_session=${ended}`);
    expect(expired.status).toBe(401);
    expect(((await expired.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
    expect(quiet.filter((l) => l.startsWith('warning:'))).toEqual([]);
  });
});
