import { Hono, type Context } from 'hono';
import type { AppDeps } from '../context.ts';
import { ownOrigins } from '../security.ts';
import { storeErrorFacts } from '../s3/explain-store-error.ts';
import { reachabilityAfter } from '../s3/store-reachability.ts';
import type { HealthAnswer, HealthReport, StoreReachability } from '../shared/api-types.ts';

/** The full self-test (bucket, CORS, checksums, abort) is re-run at most this often while it passes… */
const STALE_OK_MS = 60_000;
/** …and this often while it fails, so the page recovers on its own when the store comes back. */
const STALE_FAILING_MS = 5_000;
/** In between, a HeadBucket at most this often tells a store that went away (the full test then runs). */
const LIVENESS_MS = 10_000;
/**
 * /health/store: one HeadBucket answers every page that asks while it is out, and within this time
 * after its answer came (a part given up as overdue asks, and then its retry asks again at once: a
 * hung store cost the page two 5 s timeouts before it said it waits for the storage).
 */
const PROBE_SHARED_MS = 1_000;
/** …and one with no answer by then counts as unreachable (a hung or stopped store). */
const PROBE_TIMEOUT_MS = 5_000;

export function healthRoutes(deps: AppDeps) {
  const now = deps.now ?? Date.now;
  let checkedAt = 0;
  let aliveAt = 0;
  const fullRun = () => {
    checkedAt = now();
    aliveAt = checkedAt;
    return deps.selfTest.run(); // it gives up on a store that does not answer by itself
  };
  // The page offers "Sign out" only when there is something to sign out of. The CORS check was made
  // for the origin Hoist was told; a page open at another (localhost, where the rule names 127.0.0.1)
  // is told what keeps it from uploading.
  const answer = (report: HealthReport, c: Context): HealthAnswer => {
    const problem = report.checks.some((check) => check.name === 'cors' && check.ok)
      ? deps.selfTest.corsProblemFor(ownOrigins(c, deps.config.publicUrl))
      : null;
    return {
      ...report,
      ...(problem && {
        ok: false,
        checks: report.checks.map((check) =>
          check.name === 'cors' ? { ...check, ok: false, message: problem } : check,
        ),
      }),
      signInRequired: deps.config.accessToken !== undefined,
    };
  };
  /** `answeredAt`: when the HeadBucket's answer came (undefined while it is out). */
  let probe: { answeredAt?: number; answer: Promise<StoreReachability> } | null = null;
  /** One HeadBucket for everyone who asks meanwhile or within `PROBE_SHARED_MS` after: pages, and the liveness check below. */
  const probeStore = (): Promise<StoreReachability> => {
    if (probe && (probe.answeredAt === undefined || now() - probe.answeredAt <= PROBE_SHARED_MS))
      return probe.answer;
    const ask = async (): Promise<StoreReachability> => {
      try {
        await deps.store.headBucket({ signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
        return { reachable: true, message: null, problem: null };
      } catch (error) {
        return reachabilityAfter(storeErrorFacts(error), deps.store.bucket);
      }
    };
    const current: NonNullable<typeof probe> = {
      answer: ask().then((answer) => {
        current.answeredAt = now();
        return answer;
      }),
    };
    probe = current;
    return current.answer;
  };
  return new Hono()
    .get('/store', async (c) => c.json(await probeStore(), 200))
    .get('/', async (c) => {
      const current = deps.selfTest.report();
      const age = now() - checkedAt;
      if (c.req.query('refresh') === '1' || age > (current.ok ? STALE_OK_MS : STALE_FAILING_MS)) {
        return c.json(answer(await fullRun(), c), 200);
      }
      if (current.ok && now() - aliveAt > LIVENESS_MS) {
        aliveAt = now();
        // Gone, or refusing: the full test says what is wrong, and is re-run every 5 s while it fails.
        const store = await probeStore();
        if (!store.reachable || store.problem) return c.json(answer(await fullRun(), c), 200);
      }
      return c.json(answer(current, c), 200);
    });
}
