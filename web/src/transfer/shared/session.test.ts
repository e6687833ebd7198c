import { describe, expect, it } from 'vitest';
import { PageSession, waitForSignIn, waitUntilSignedIn } from './session.ts';

describe('PageSession', () => {
  it('tells its listeners when the session is lost and when it is back, once each', () => {
    const session = new PageSession();
    const seen: boolean[] = [];
    const stop = session.subscribe(() => seen.push(session.isSignedIn()));
    session.signedOut();
    session.signedOut();
    session.signedIn();
    stop();
    session.signedOut();
    expect(seen).toEqual([false, true]);
  });

  it('waitForSignIn says the session is lost and waits, showing so, until it is back', async () => {
    const session = new PageSession();
    const shown: boolean[] = [];
    let done = false;
    const waiting = waitForSignIn(session, (w) => shown.push(w)).then(() => (done = true));
    await Promise.resolve();
    expect(session.isSignedIn()).toBe(false);
    expect(shown).toEqual([true]);
    expect(done).toBe(false);
    session.signedIn();
    await waiting;
    expect(shown).toEqual([true, false]);
  });

  it('stops waiting when aborted, leaving no listener behind', async () => {
    const session = new PageSession();
    session.signedOut();
    // Counts the session's listeners as the wait adds and removes them.
    const live = new Set<() => void>();
    const counted = {
      isSignedIn: session.isSignedIn,
      signedOut: session.signedOut,
      subscribe: (callback: () => void) => {
        live.add(callback);
        const off = session.subscribe(callback);
        return () => {
          live.delete(callback);
          off();
        };
      },
    };
    const stop = new AbortController();
    const waiting = waitUntilSignedIn(counted, { signal: stop.signal });
    expect(live.size).toBe(1);
    stop.abort(new Error('cancelled'));
    await expect(waiting).rejects.toThrow('cancelled');
    expect(live.size).toBe(0);
    // And a wait that ends by signing in takes its listener with it too.
    const again = waitUntilSignedIn(counted);
    session.signedIn();
    await again;
    expect(live.size).toBe(0);
  });
});
