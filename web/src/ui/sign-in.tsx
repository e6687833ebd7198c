import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { client, unwrap } from '../api/client.ts';
import { pageSession } from '../api/session.ts';
import { ApiError } from '../transfer/shared/api-error.ts';
import { LiveLine } from './live-line.tsx';
import { sessionChanged } from './session-changed.ts';
import { useSecondsLeft, type Wait } from './use-seconds-left.ts';

const SESSION_NOT_KEPT =
  'The token is right, but this browser did not keep the session: cookies may be blocked for this site, or the server is set to be opened at an https address (HOIST_PUBLIC_URL) and this page is plain http. Open Hoist at that address, or allow cookies for it.';

const SESSION_NOT_SHARED =
  'The token is right, but the Hoist server that answered next did not take the session it gave: the servers behind this address do not share their HOIST_SECRET. Ask whoever runs Hoist to set the same HOIST_SECRET on each.';

/** Shown when the server has HOIST_ACCESS_TOKEN set and this browser has no session yet. */
export function SignIn() {
  const [token, setToken] = useState('');
  /** Too many wrong tokens came from this address: when the server takes one again (its Retry-After). */
  const [wait, setWait] = useState<Wait | null>(null);
  const waitLeft = useSecondsLeft(wait);
  const queryClient = useQueryClient();
  const signIn = useMutation({
    mutationFn: async (value: string) => {
      await unwrap(client.session.$post({ json: { token: value } }));
      // The token was right, but the session is a cookie: one the browser refused would bring this
      // form straight back with nothing said.
      const check: Response = await client.health.$get();
      if (check.status === 401) {
        // Kept, but the server that answered next did not take it: another instance behind this address.
        const code = ((await check.json().catch(() => null)) as { error?: { code?: string } } | null)?.error
          ?.code;
        throw new Error(code === 'session-not-signed-here' ? SESSION_NOT_SHARED : SESSION_NOT_KEPT);
      }
    },
    onSuccess: () => {
      // Transfers held for the session go on at once, here and in the other tabs.
      pageSession.signedIn();
      sessionChanged();
      return queryClient.invalidateQueries();
    },
    onError: (error) => {
      const tooMany = error instanceof ApiError && error.code === 'too-many-attempts';
      const now = Date.now();
      setWait(
        tooMany && error.retryAfterMs !== undefined ? { until: now + error.retryAfterMs, setAt: now } : null,
      );
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    // A token pasted with a space or line break around it (unseen in a password field) is the token.
    signIn.mutate(token.trim());
  };
  return (
    <form className="card sign-in" onSubmit={submit}>
      <h2>Sign in</h2>
      <p>This Hoist server needs its access token.</p>
      <label>
        Access token
        <input
          type="password"
          autoComplete="current-password"
          value={token}
          onChange={(e) => setToken(e.target.value)}
        />
      </label>
      <button type="submit" disabled={signIn.isPending || waitLeft > 0 || token.trim().length === 0}>
        Sign in
      </button>
      {signIn.error && wait === null && (
        <p role="alert" className="error">
          {signIn.error.message}
        </p>
      )}
      {signIn.error && wait !== null && <TooManyAttempts message={signIn.error.message} left={waitLeft} />}
      {/* The end of the wait is said once (the count itself is not read out every second). */}
      <LiveLine srOnly text={wait !== null && waitLeft === 0 ? 'You can sign in again now.' : null} />
    </form>
  );
}

/**
 * The server's "Too many wrong access tokens… Try again in 60 s.", its wait counting down, as GitHub's
 * and most sign-in forms show it. Said once as an alert; the count goes on in text a screen reader is
 * not made to read out each second (a live region would be, every time it changed).
 */
function TooManyAttempts({ message, left }: { message: string; left: number }) {
  const said = message.replace(/\s*Try again in \d+ s\.$/, '');
  const [first] = useState(left);
  return (
    <p role="alert" className="error" data-testid="sign-in-wait">
      {said} <span className="sr-only">Try again in {first} s.</span>
      <span aria-hidden="true">{left > 0 ? `Try again in ${left} s.` : 'You can try again now.'}</span>
    </p>
  );
}
