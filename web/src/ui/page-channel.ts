import { useEffect } from 'react';

/**
 * One BroadcastChannel per name for this page, for posting and listening both: a channel never hears
 * its own messages, so a tab is not told of what it did itself. Null where the browser has none.
 */
const channels = new Map<string, BroadcastChannel | null>();

export function pageChannel(name: string): BroadcastChannel | null {
  let channel = channels.get(name);
  if (channel === undefined) {
    channel = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel(name);
    channels.set(name, channel);
  }
  return channel;
}

/** Calls `onMessage` for each message another tab of this page posts on the channel `name`. */
export function useChannelMessages(name: string, onMessage: () => void): void {
  useEffect(() => {
    const channel = pageChannel(name);
    if (!channel) return;
    channel.addEventListener('message', onMessage);
    return () => channel.removeEventListener('message', onMessage);
  }, [name, onMessage]);
}
