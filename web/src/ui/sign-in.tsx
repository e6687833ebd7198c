import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { client, unwrap } from '../api/client.ts';

/** Shown when the server has HOIST_ACCESS_TOKEN set and this browser has no session yet. */
export function SignIn() {
  const [token, setToken] = useState('');
  const queryClient = useQueryClient();
  const signIn = useMutation({
    mutationFn: (value: string) => unwrap(client.session.$post({ json: { token: value } })),
    onSuccess: () => queryClient.invalidateQueries(),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    signIn.mutate(token);
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
      <button type="submit" disabled={signIn.isPending || token.length === 0}>
        Sign in
      </button>
      {signIn.error && <p role="alert">{signIn.error.message}</p>}
    </form>
  );
}
