import type { StoreReachability } from '../../../server/shared/api-types.ts';
import { client, unwrap } from './client.ts';

/** Whether the Hoist server reaches the store now (`GET /api/health/store`: one HeadBucket a second at most). */
export async function storeReachable(signal?: AbortSignal): Promise<boolean> {
  const answer = await unwrap<StoreReachability>(client.health.store.$get(undefined, { init: { signal } }));
  return answer.reachable;
}
