import { Hono } from 'hono';
import type { AppDeps } from '../context.ts';

const STALE_OK_MS = 60_000;
const STALE_FAILING_MS = 5_000;

export function healthRoutes(deps: AppDeps) {
  const now = deps.now ?? Date.now;
  let checkedAt = 0;
  return new Hono().get('/', async (c) => {
    const current = deps.selfTest.report();
    const age = now() - checkedAt;
    // A failing store is re-checked often so the page recovers on its own when it comes back.
    if (c.req.query('refresh') === '1' || age > (current.ok ? STALE_OK_MS : STALE_FAILING_MS)) {
      checkedAt = now();
      const report = await deps.selfTest.run({ signal: AbortSignal.timeout(10_000) });
      return c.json(report, 200);
    }
    return c.json(current, 200);
  });
}
