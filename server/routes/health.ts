import { Hono } from 'hono';
import type { AppDeps } from '../context.ts';
import { storeErrorFacts } from '../s3/explain-store-error.ts';
import { reachabilityAfter } from '../s3/store-reachability.ts';
import {
  PAGE_ORIGIN_HEADER,
  type HealthAnswer,
  type HealthReport,
  type StoreReachability,
} from '../shared/api-types.ts';

/** The full self-test (bucket, CORS, checksums, abort) is re-run at most this often while it passes… */
const STALE_OK_MS = 60_000;
/** …and this often while it fails, so the page recovers on its own when the store comes back. */
const STALE_FAILING_MS = 5_000;
/** In between, a bucket check at most this often tells a store that went away (the full test then runs). */
const LIVENESS_MS = 10_000;
/**
 * /health/store: one bucket check answers every page that asks while it is out, and within this time
 * after its answer came (a part given up as overdue asks, and then its retry asks again at once: a
 * hung store cost the page two 5 s timeouts before it said it waits for the storage).
 */
const PROBE_SHARED_MS = 1_000;
/** …and one with no answer by then counts as unreachable (a hung or stopped store). */
const PROBE_TIMEOUT_MS = 5_000;

/** What a page's origin looks like (PAGE_ORIGIN_HEADER); anything else is not asked about. */
const ORIGIN = /^https?:\/\/[^/?#\s]{1,2000}$/;

/**
 * The self-test's report kept fresh, and the store's reachability, for the page (GET /health) and for
 * a load balancer (GET /ready): one state, so both see the same runs.
 */
export function createHealthState(deps: AppDeps) {
  const now = deps.now ?? Date.now;
  let checkedAt = 0;
  let aliveAt = 0;
  const fullRun = () => {
    checkedAt = now();
    aliveAt = checkedAt;
    return deps.selfTest.run(); // it gives up on a store that does not answer by itself
  };
  /**
   * What keeps the page asking, open at `origins` (the one it sends, `location.origin`), from
   * uploading under the bucket's CORS rules as the self-test read them: the check itself was made for
   * the origin Hoist was told, and a page open at another (localhost where the rule names 127.0.0.1,
   * 127.0.0.1 where HOIST_PUBLIC_URL says localhost, https behind a proxy) fails every part.
   */
  const pageProblem = (report: HealthReport, origins: string[]) =>
    origins.length > 0 && report.checks.some((check) => check.name === 'cors' && check.ok)
      ? deps.selfTest.corsProblemFor(origins)
      : null;
  // The page offers "Sign out" only when there is something to sign out of.
  const answer = (report: HealthReport, origins: string[]): HealthAnswer => {
    const problem = pageProblem(report, origins);
    const cors = report.checks.find((check) => check.name === 'cors');
    // Hoist's own check failed for the address it takes as its own, but the rule serves the page's
    // (a proxy at an address Hoist was not told): this page uploads, and is told why the log says not.
    if (cors && !cors.ok && origins.length > 0 && deps.selfTest.corsServes(origins)) {
      const checks = report.checks.map((check) =>
        check === cors
          ? {
              ...check,
              ok: true,
              message: `CORS allows uploads from this page's address (${origins[0]}), though not from the one Hoist takes as its own: set HOIST_PUBLIC_URL to the address people open Hoist at, so that its own check is made for it.`,
            }
          : check,
      );
      report = { ...report, ok: checks.every((check) => check.ok), checks };
    }
    return {
      ...report,
      ...(problem && {
        ok: false,
        checks: report.checks.map((check) =>
          check.name === 'cors' ? { ...check, ok: false, message: problem } : check,
        ),
      }),
      signInRequired: deps.config.accessToken !== undefined,
      storageClasses: [...deps.config.storageClasses],
    };
  };
  /** `answeredAt`: when the bucket check's answer came (undefined while it is out). */
  let probe: { answeredAt?: number; answer: Promise<StoreReachability> } | null = null;
  /** One bucket check for everyone who asks meanwhile or within `PROBE_SHARED_MS` after: pages, and the liveness check below. */
  const probeStore = (): Promise<StoreReachability> => {
    if (probe && (probe.answeredAt === undefined || now() - probe.answeredAt <= PROBE_SHARED_MS))
      return probe.answer;
    const ask = async (): Promise<StoreReachability> => {
      try {
        await deps.store.checkBucket({ signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
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
  /** The report, run again when stale (sooner while failing) or when the store no longer answers. */
  const fresh = async (origins: string[], refresh = false): Promise<HealthReport> => {
    let report = deps.selfTest.report();
    // A page its origin keeps from uploading is failing too: asked again as soon, so its banner
    // goes once the bucket's rule is fixed.
    const failing = !report.ok || pageProblem(report, origins) !== null;
    if (refresh || now() - checkedAt > (failing ? STALE_FAILING_MS : STALE_OK_MS)) {
      report = await fullRun();
    } else if (report.ok && now() - aliveAt > LIVENESS_MS) {
      aliveAt = now();
      // Gone, or refusing: the full test says what is wrong, and is re-run every 5 s while it fails.
      const store = await probeStore();
      if (!store.reachable || store.problem) report = await fullRun();
    }
    return report;
  };
  return { fresh, answer, probeStore };
}

export type HealthState = ReturnType<typeof createHealthState>;

export function healthRoutes(deps: AppDeps, state: HealthState = createHealthState(deps)) {
  return new Hono()
    .get('/store', async (c) => c.json(await state.probeStore(), 200))
    .get('/', async (c) => {
      const origin = c.req.header(PAGE_ORIGIN_HEADER);
      const origins = origin && ORIGIN.test(origin) ? [origin] : [];
      const report = await state.fresh(origins, c.req.query('refresh') === '1');
      return c.json(state.answer(report, origins), 200);
    });
}

/**
 * GET /ready, for a load balancer's health check (no session, no Host check: it asks by address and
 * holds no token): 200 while this server can use the bucket (the self-test's bucket check passes), 503
 * while it cannot (a wrong key on this instance, a store it cannot reach), before its first self-test
 * has finished, and while it stops (SIGTERM with HOIST_SHUTDOWN_DELAY), so the balancer sends the pages
 * elsewhere. Problems every instance shares (the bucket's CORS rules) leave it ready: the page says
 * those. GET /health answers 200 whatever the report says, and asks for a session.
 */
export function readyRoute(state: HealthState, stopping: () => boolean) {
  return new Hono().get('/', async (c) => {
    if (stopping()) return c.json({ ready: false, reason: 'stopping' }, 503);
    const report = await state.fresh([]);
    const bucket = report.checks.find((check) => check.name === 'bucket');
    return bucket?.ok ? c.json({ ready: true }, 200) : c.json({ ready: false, reason: 'store' }, 503);
  });
}
