import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiOver } from './api/harness.ts';
import { getTarget, type S3Target } from './support/target.ts';

// GET /api/ready, a load balancer's health check: no session needed, 503 while this server cannot use
// the bucket. (Stopping, with HOIST_SHUTDOWN_DELAY: server-shutdown.test.ts.)

let target: S3Target;
beforeAll(async () => {
  target = await getTarget();
});
afterAll(async () => {
  await target?.close();
});

describe('GET /api/ready', () => {
  it('answers 200 without a session on a server that asks for one, while the rest of the API answers 401', async () => {
    const h = await apiOver(target, { HOIST_ACCESS_TOKEN: 'open-sesame-0123456789' });
    const ready = await h.app.request('/ready');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ready: true });
    expect((await h.app.request('/health')).status).toBe(401);
  });

  it('answers 503 while this server cannot reach the bucket (a wrong key on this instance), and 200 once it can', async () => {
    let refuse = true;
    const h = await apiOver(
      target,
      {},
      {},
      {
        wrapStore: (store) => ({
          ...store,
          checkBucket: async (o) => {
            if (refuse)
              throw Object.assign(new Error('Access Denied'), {
                name: 'AccessDenied',
                $metadata: { httpStatusCode: 403 },
              });
            return store.checkBucket(o);
          },
        }),
      },
    );
    const first = await h.app.request('/ready');
    expect(first.status).toBe(503);
    expect(await first.json()).toEqual({ ready: false, reason: 'store' });
    // The page is still told why (200, with the self-test's report); the balancer only that it is not ready.
    const health = await h.app.request('/health');
    expect(health.status).toBe(200);
    expect(((await health.json()) as { ok: boolean }).ok).toBe(false);
    refuse = false;
    // Failing, the report is run again within 5 s.
    await expect
      .poll(async () => (await h.app.request('/ready')).status, { timeout: 15_000, interval: 500 })
      .toBe(200);
  });
});
