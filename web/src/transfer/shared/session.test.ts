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
    const stop = new AbortController();
    const waiting = waitUntilSignedIn(session, { signal: stop.signal });
    stop.abort(new Error('cancelled'));
    await expect(waiting).rejects.toThrow('cancelled');
    let told = 0;
    session.subscribe(() => told++);
    session.signedIn();
    expect(told).toBe(1); // only this listener: the aborted wait's is gone
  });
});
