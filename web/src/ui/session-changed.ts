/**
 * Every tab of this page learns at once when one of them signs in or out (the session is one cookie
 * for all of them): a tab told asks the health check again, whose answer shows or takes away its
 * sign-in form and lets its transfers waiting for the session go on. Before, a tab learned it at its
 * next health check (up to 15 s), and a tab in the background, whose checks pause, not at all: its
 * upload waited for a sign-in done in another tab until someone looked at it.
 */
import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { pageChannel, useChannelMessages } from './page-channel.ts';

const NAME = 'hoist-session';

/** This tab signed in or out: the other tabs ask again. */
export function sessionChanged(): void {
  pageChannel(NAME)?.postMessage('changed');
}

const askAgain = (queryClient: QueryClient) => void queryClient.refetchQueries({ queryKey: ['health'] });

/** Asks the health check again when another tab of this page signed in or out. */
export function useSessionChangedElsewhere(): void {
  const queryClient = useQueryClient();
  useChannelMessages(
    NAME,
    useCallback(() => askAgain(queryClient), [queryClient]),
  );
}
