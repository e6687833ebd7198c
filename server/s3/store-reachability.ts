/**
 * What a failed bucket check says of the store, for the page that asks whether it is down
 * (`GET /api/health/store`). Pure. No answer at all (refused, timed out) or a 5xx is a store that is
 * down: the page waits for it. Any other error answer is a store that is there and refuses (the bucket
 * was deleted, the key deactivated): waiting would never end, so the page fails with its reason.
 */
import type { StoreReachability } from '../shared/api-types.ts';
import { explainStoreError, type StoreErrorFacts } from './explain-store-error.ts';

export function reachabilityAfter(facts: StoreErrorFacts, bucket: string): StoreReachability {
  const why = explainStoreError(facts, bucket);
  const { status, name } = facts;
  if (status === undefined || status >= 500)
    return { reachable: false, message: `Bucket "${bucket}" is not reachable: ${why}`, problem: null };
  const code =
    status === 403
      ? 'store-denied'
      : name === 'NotS3Answer'
        ? 'store-error'
        : status === 404 || name === 'NoSuchBucket'
          ? 'no-such-bucket'
          : 'store-error';
  return {
    reachable: true,
    message: null,
    problem: { code, message: `The object store refused the request: ${why}` },
  };
}
