/**
 * The object lists of every tab of this page stay current with what any of them writes: a tab that
 * changed objects (an upload done, a delete, a move, a rename, properties saved) reads its lists again
 * and tells the others on a BroadcastChannel, which read theirs again too. Without it a tab went on
 * showing a folder "empty" beside an upload row saying its file's name was taken there.
 */
import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { pageChannel } from './page-channel.ts';

const NAME = 'hoist-objects';
const shared = () => pageChannel(NAME);

const readAgain = (queryClient: QueryClient) => void queryClient.invalidateQueries({ queryKey: ['objects'] });

/** This tab changed objects: its lists are read again, and the other tabs' too. */
export function objectsChanged(queryClient: QueryClient): void {
  readAgain(queryClient);
  shared()?.postMessage('changed');
}

/** Reads the lists again when another tab of this page changed objects. */
export function useObjectsChangedElsewhere(): void {
  const queryClient = useQueryClient();
  useEffect(() => {
    const ch = shared();
    if (!ch) return;
    const onMessage = () => readAgain(queryClient);
    ch.addEventListener('message', onMessage);
    return () => ch.removeEventListener('message', onMessage);
  }, [queryClient]);
}
