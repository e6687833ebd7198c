import { Hono } from 'hono';
import type { AppDeps } from '../context.ts';
import type { HealthAnswer, HealthReport } from '../shared/api-types.ts';

/** The full self-test (bucket, CORS, checksums, abort) is re-run at most this often while it passes… */
const STALE_OK_MS = 60_000;
/** …and this often while it fails, so the page recovers on its own when the store comes back. */
const STALE_FAILING_MS = 5_000;
/** In between, a HeadBucket at most this often tells a store that went away (the full test then runs). */
const LIVENESS_MS = 10_000;

export function healthRoutes(deps: AppDeps) {
  const now = deps.now ?? Date.now;
  let checkedAt = 0;
  let aliveAt = 0;
  const fullRun = () => {
    checkedAt = now();
    aliveAt = checkedAt;
    return deps.selfTest.run({ signal: AbortSignal.timeout(10_000) });
  };
  // The page offers "Sign out" only when there is something to sign out of.
  const answer = (report: HealthReport): HealthAnswer => ({
    ...report,
    signInRequired: deps.config.accessToken !== undefined,
  });
  return new Hono().get('/', async (c) => {
    const current = deps.selfTest.report();
    const age = now() - checkedAt;
    if (c.req.query('refresh') === '1' || age > (current.ok ? STALE_OK_MS : STALE_FAILING_MS)) {
      return c.json(answer(await fullRun()), 200);
    }
    if (current.ok && now() - aliveAt > LIVENESS_MS) {
      aliveAt = now();
      try {
        await deps.store.headBucket({ signal: AbortSignal.timeout(5_000) });
      } catch {
        return c.json(answer(await fullRun()), 200); // says what is wrong, and keeps re-checking every 5 s
      }
    }
    return c.json(answer(current), 200);
  });
}
