import { waitUntil } from './wait-until.ts';

/**
 * Whether this page is signed in to the Hoist server, as the transfer engines and the page tell each
 * other: an engine whose API call is refused 401 says the session is lost and waits (spending no retry,
 * keeping what it sent or saved); the page shows the sign-in form, and says when it is signed in again,
 * and the transfers go on by themselves. Like `OnlineSource`, a source to wait on.
 */
export interface SessionSource {
  isSignedIn(): boolean;
  /** The Hoist server refused a call 401: the session is lost. */
  signedOut(): void;
  subscribe(callback: () => void): () => void;
}

export class PageSession implements SessionSource {
  #signedIn = true;
  readonly #listeners = new Set<() => void>();

  isSignedIn = (): boolean => this.#signedIn;

  signedOut = (): void => this.#set(false);

  /** The page is signed in again (the sign-in form, or a health answer that got through). */
  signedIn = (): void => this.#set(true);

  subscribe = (callback: () => void): (() => void) => {
    this.#listeners.add(callback);
    return () => this.#listeners.delete(callback);
  };

  #set(signedIn: boolean): void {
    if (this.#signedIn === signedIn) return;
    this.#signedIn = signedIn;
    for (const listener of [...this.#listeners]) listener();
  }
}

/** Resolves when the session is back; rejects with `signal.reason` when aborted. */
export function waitUntilSignedIn(session: SessionSource, o: { signal?: AbortSignal } = {}): Promise<void> {
  return waitUntil(
    () => session.isSignedIn(),
    (callback) => session.subscribe(callback),
    o,
  );
}

/**
 * After a call refused 401: says the session is lost and waits until it is back (`showWaiting`
 * brackets the wait, so the row says "Waiting for you to sign in…").
 */
export async function waitForSignIn(
  session: SessionSource,
  show: (waiting: boolean) => void,
  o: { signal?: AbortSignal } = {},
): Promise<void> {
  session.signedOut();
  show(true);
  try {
    await waitUntilSignedIn(session, o);
  } finally {
    show(false);
  }
}
