import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { client, unwrap } from '../api/client.ts';
import { pageSession } from '../api/session.ts';
import { sessionChanged } from './session-changed.ts';

const SESSION_NOT_KEPT =
  'The token is right, but this browser did not keep the session: cookies may be blocked for this site, or the server is set to be opened at an https address (HOIST_PUBLIC_URL) and this page is plain http. Open Hoist at that address, or allow cookies for it.';

/** Shown when the server has HOIST_ACCESS_TOKEN set and this browser has no session yet. */
export function SignIn() {
  const [token, setToken] = useState('');
  const queryClient = useQueryClient();
  const signIn = useMutation({
    mutationFn: async (value: string) => {
      await unwrap(client.session.$post({ json: { token: value } }));
      // The token was right, but the session is a cookie: one the browser refused would bring this
      // form straight back with nothing said.
      const check: Response = await client.health.$get();
      if (check.status === 401) throw new Error(SESSION_NOT_KEPT);
    },
    onSuccess: () => {
      // Transfers held for the session go on at once, here and in the other tabs.
      pageSession.signedIn();
      sessionChanged();
      return queryClient.invalidateQueries();
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
      <button type="submit" disabled={signIn.isPending || token.trim().length === 0}>
        Sign in
      </button>
      {signIn.error && <p role="alert">{signIn.error.message}</p>}
    </form>
  );
}
