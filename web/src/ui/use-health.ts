import { useQuery } from '@tanstack/react-query';
import { PAGE_ORIGIN_HEADER, type HealthAnswer } from '../../../server/shared/api-types.ts';
import { client, unwrap } from '../api/client.ts';

/**
 * How often the health report is asked for while all is well: an unreachable Hoist server shows
 * within this time, a store that went away within this plus 10 s (the server's HeadBucket check).
 */
export const HEALTHY_POLL_MS = 15_000;
/** …and while something is wrong, so the banner clears soon after it is fixed. */
export const FAILING_POLL_MS = 5_000;

/**
 * The server's self-test, polled (faster while something is wrong, so the banner clears on its own),
 * and asked at once when the tab becomes visible again (polling stops while it is hidden) or the
 * browser comes back online; never more than once per `staleTime` for tab switches.
 */
export function useHealth() {
  return useQuery({
    queryKey: ['health'],
    // The page's origin: the server checks the bucket's CORS rule lets exactly this one upload.
    queryFn: ({ signal }) =>
      unwrap<HealthAnswer>(
        client.health.$get({}, { init: { signal, headers: { [PAGE_ORIGIN_HEADER]: location.origin } } }),
      ),
    refetchInterval: (q) => (q.state.data?.ok && !q.state.error ? HEALTHY_POLL_MS : FAILING_POLL_MS),
    refetchOnWindowFocus: true,
    refetchOnReconnect: 'always',
    staleTime: FAILING_POLL_MS,
    // Offline is exactly what this check is for: ask anyway (the default would pause it).
    networkMode: 'always',
    retry: false,
  });
}
