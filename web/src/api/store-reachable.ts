import type { StoreReachability } from '../../../server/shared/api-types.ts';
import { client, deadlineInit, unwrap } from './client.ts';

/**
 * Whether the Hoist server reaches the store now, and what the store said if it answered with an
 * error (`GET /api/health/store`: one HeadBucket a second at most).
 */
export async function storeReachable(signal?: AbortSignal): Promise<StoreReachability> {
  // The server gives the store a few seconds; no answer well after that is no answer.
  const timed = deadlineInit(30_000, signal);
  return unwrap<StoreReachability>(client.health.store.$get(undefined, timed));
}
