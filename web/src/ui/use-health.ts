import { useQuery } from '@tanstack/react-query';
import type { HealthReport } from '../../../server/shared/api-types.ts';
import { client, unwrap } from '../api/client.ts';

/** The server's self-test; polled, faster while something is wrong, so the banner clears on its own. */
export function useHealth() {
  return useQuery({
    queryKey: ['health'],
    queryFn: ({ signal }) => unwrap<HealthReport>(client.health.$get({}, { init: { signal } })),
    refetchInterval: (q) => (q.state.data?.ok ? 60_000 : 5_000),
    retry: false,
  });
}
