import { useMutation, useQueryClient } from '@tanstack/react-query';
import { client, unwrap } from '../api/client.ts';
import { bucketRun } from './bucket-run.ts';
import { sessionChanged } from './session-changed.ts';
import { getDownloadManager } from './use-downloads.ts';
import { getUploadManager } from './use-upload-manager.ts';

/**
 * Ends this browser's session. The health check is then asked again: its 401 brings back the sign-in
 * form. Transfers still running stop until the user signs in again, so those are asked about first.
 */
export function SignOut() {
  const queryClient = useQueryClient();
  const signOut = useMutation({
    mutationFn: () =>
      // The same-origin check wants JSON on every call that changes something, even without a body.
      unwrap(client.session.$delete(undefined, { headers: { 'content-type': 'application/json' } })),
    onSuccess: () => {
      sessionChanged(); // the other tabs show the form at once too
      return queryClient.refetchQueries({ queryKey: ['health'] });
    },
  });
  const click = () => {
    const transfers =
      getUploadManager().getSnapshot().totals.busy || getDownloadManager().getSnapshot().active;
    const question = transfers
      ? 'Uploads or downloads are still running: they wait while you are signed out and go on once you sign in again. Sign out anyway?'
      : bucketRun.get()
        ? 'A move, copy or delete is still running and stops part-way once you sign out. Sign out anyway?'
        : null;
    if (question !== null && !window.confirm(question)) return;
    signOut.mutate();
  };
  return (
    <>
      <button type="button" className="sign-out" onClick={click} disabled={signOut.isPending}>
        Sign out
      </button>
      {signOut.error && <span role="alert">{signOut.error.message}</span>}
    </>
  );
}
