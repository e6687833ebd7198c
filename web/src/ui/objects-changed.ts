/**
 * The object lists of every tab of this page stay current with what any of them writes: a tab that
 * changed objects (an upload done, a delete, a move, a rename, properties saved) reads its lists again
 * and tells the others on a BroadcastChannel, which read theirs again too. Without it a tab went on
 * showing a folder "empty" beside an upload row saying its file's name was taken there.
 */
import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { pageChannel, useChannelMessages } from './page-channel.ts';

const NAME = 'hoist-objects';

const readAgain = (queryClient: QueryClient) => void queryClient.invalidateQueries({ queryKey: ['objects'] });

/** This tab changed objects: its lists are read again, and the other tabs' too. */
export function objectsChanged(queryClient: QueryClient): void {
  readAgain(queryClient);
  pageChannel(NAME)?.postMessage('changed');
}

/** Reads the lists again when another tab of this page changed objects. */
export function useObjectsChangedElsewhere(): void {
  const queryClient = useQueryClient();
  useChannelMessages(
    NAME,
    useCallback(() => readAgain(queryClient), [queryClient]),
  );
}
