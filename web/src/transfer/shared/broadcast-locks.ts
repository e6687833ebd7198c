import { systemClock } from './clock.ts';
import type { Locks } from './locks.ts';

/**
 * "One tab owns an upload at a time" where the browser has no Web Locks: a page served over plain http
 * from another machine is no secure context, and `navigator.locks` is missing there, but
 * `BroadcastChannel` is not. Tabs of one origin ask each other:
 * - `held`: "who holds it?"; the holder answers within `answerMs`.
 * - `acquire`: a claim; a holder answers "mine", and of two tabs claiming at once the one with the
 *   smaller id takes it (each sees the other's claim).
 * - release: "free", which wakes the tabs that `wait`; a tab that closes or crashes says nothing, so
 *   a waiting tab also asks again every `pollMs` and takes the lock once nobody answers.
 * Weaker than Web Locks (a tab too busy to answer within `answerMs` loses its lock to another), and only
 * used where those are missing.
 */
export interface ChannelLike {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
}

type Message =
  | { t: 'ask'; name: string; id: string }
  | { t: 'claim'; name: string; id: string; tab: string }
  | { t: 'mine'; name: string; id: string }
  | { t: 'free'; name: string };

export interface BroadcastLocksOptions {
  /** Default: a BroadcastChannel named "hoist-locks". */
  channel?: ChannelLike;
  /** How long a question waits for an answer. Default 150 ms. */
  answerMs?: number;
  /** How often a waiting tab asks again, for a holder that closed without a word. Default 1 s. */
  pollMs?: number;
  /** This tab's id (claims at once: the smaller wins). Default: random. */
  tab?: string;
}

const randomId = () => Math.random().toString(36).slice(2) + Date.now().toString(36);

export function broadcastLocks(o: BroadcastLocksOptions = {}): Locks {
  const channel = o.channel ?? new BroadcastChannel('hoist-locks');
  const answerMs = o.answerMs ?? 150;
  const pollMs = o.pollMs ?? 1000;
  const tab = o.tab ?? randomId();
  /** Names this tab holds: it answers "mine" for them. */
  const holding = new Set<string>();
  /** Names this tab is claiming: as good as held to this tab's other callers and to tabs asking;
   *  a rival claim is weighed by tab id. */
  const claiming = new Set<string>();
  /** Questions of this tab waiting for answers: id → what to do on "mine", or on a rival claim. */
  const asking = new Map<string, { name: string; answered: () => void; rival?: (tab: string) => void }>();
  /** Woken when a name is said free. */
  const freed = new Map<string, Set<() => void>>();

  const post = (message: Message) => channel.postMessage(message);

  channel.addEventListener('message', ({ data }) => {
    const m = data as Message;
    if (!m || typeof m !== 'object' || typeof m.name !== 'string') return;
    switch (m.t) {
      case 'ask':
        // Claimed here: held by this tab or, should it lose, by the tab it lost to.
        if (holding.has(m.name) || claiming.has(m.name)) post({ t: 'mine', name: m.name, id: m.id });
        return;
      case 'claim':
        for (const q of asking.values()) if (q.name === m.name) q.rival?.(m.tab);
        // A claim of this tab's that began before the other's wins against a larger id: it may not
        // have heard that claim (it began after the message came), so it is told, or both would win.
        if (holding.has(m.name) || (claiming.has(m.name) && tab < m.tab))
          post({ t: 'mine', name: m.name, id: m.id });
        return;
      case 'mine':
        asking.get(m.id)?.answered();
        return;
      case 'free':
        for (const wake of freed.get(m.name) ?? []) wake();
        return;
    }
  });

  /** Asks (or claims): whether another tab answered "mine" (or won a claim) within `answerMs`. */
  const question = async (name: string, claim: boolean): Promise<boolean> => {
    const id = randomId();
    let taken = false;
    asking.set(id, {
      name,
      answered: () => (taken = true),
      ...(claim ? { rival: (other: string) => void (other < tab && (taken = true)) } : {}),
    });
    try {
      post(claim ? { t: 'claim', name, id, tab } : { t: 'ask', name, id });
      await systemClock.sleep(answerMs);
      return taken;
    } finally {
      asking.delete(id);
    }
  };

  const acquire = async (name: string): Promise<(() => void) | null> => {
    if (holding.has(name) || claiming.has(name)) return null;
    claiming.add(name);
    const lost = await question(name, true);
    claiming.delete(name);
    if (lost) return null;
    holding.add(name);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      holding.delete(name);
      post({ t: 'free', name });
      for (const wake of freed.get(name) ?? []) wake(); // this tab's own waiters too
    };
  };

  return {
    acquire,
    held: async (name) => holding.has(name) || claiming.has(name) || (await question(name, false)),
    async wait(name, { signal } = {}) {
      for (;;) {
        signal?.throwIfAborted();
        const release = await acquire(name);
        if (release && signal?.aborted) release();
        signal?.throwIfAborted();
        if (release) return release;
        const wake = new AbortController();
        const wakers = freed.get(name) ?? new Set();
        freed.set(name, wakers);
        const onFree = () => wake.abort();
        wakers.add(onFree);
        const stop = () => wake.abort();
        signal?.addEventListener('abort', stop, { once: true });
        try {
          await systemClock.sleep(pollMs, { signal: wake.signal }).catch(() => undefined);
        } finally {
          wakers.delete(onFree);
          if (wakers.size === 0) freed.delete(name);
          signal?.removeEventListener('abort', stop);
        }
      }
    },
  };
}
