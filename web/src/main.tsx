import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './ui/app.tsx';
import './ui/styles.css';
import { retryWhileUnreachable, unreachableDelayMs } from './api/unreachable-retry.ts';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // Once for any failure; while the Hoist server is unreachable (restarting, a load balancer's
      // 502 between instances), a few times more.
      retry: (failures, error) => failures < 1 || retryWhileUnreachable(failures, error),
      retryDelay: unreachableDelayMs,
      refetchOnWindowFocus: false,
      staleTime: 5_000,
    },
  },
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <App />
    </QueryClientProvider>
  </StrictMode>,
);
