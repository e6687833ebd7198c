/**
 * Aborting a multipart upload on the server, which removes what was sent of it: when the user cancels,
 * when a name found taken at Complete is answered "keep both" or "skip", and when an unfinished upload
 * from an earlier visit is discarded (by the user, or once a newer upload completed at its key). Each
 * says what the server answered in the file's row.
 */
import { toErrorInfo } from '../shared/transfer-error.ts';
import { dropPlan, forgetUpload } from './journal-sync.ts';
import { ApiError, isGone, isTokenExpired, isTokenForeign } from './upload-api.ts';
import type { UploadContext } from './upload-context.ts';
import { lockName, type UploadEntry } from './upload-entry.ts';
import { UploadError } from './upload-error.ts';
import {
  CANCELLED_FOREIGN_NOTE,
  COMPLETED_LATE_NOTE,
  DISCARDED_EXPIRED_NOTE,
  DISCARDED_UNCONFIRMED_NOTE,
  TAKEN_OVER_NOTE,
} from './upload-notes.ts';

type ServerAbortContext = Pick<UploadContext, 'config' | 'dispatch' | 'withRetry' | 'requeue'>;

/**
 * The server side of a cancel, once the run has stopped (see `UploadManager.cancel`): the upload is
 * aborted, retried until the server answers; the row is 'cancelled' once it confirms.
 */
export async function finishCancel(
  ctx: ServerAbortContext,
  entry: UploadEntry,
  o: { signal: AbortSignal },
): Promise<void> {
  try {
    await cancelOnServer(ctx, entry, o);
  } finally {
    // Settled (cancelled, or done after all): the row is finished, for Clear finished and Remove.
    entry.cancelling = false;
  }
}

async function cancelOnServer(
  ctx: ServerAbortContext,
  entry: UploadEntry,
  { signal }: { signal: AbortSignal },
): Promise<void> {
  await entry.settled; // in-flight parts aborted; a create in flight finishes first
  /** The row is 'cancelled' (with `note` saying more), and the upload forgotten here. */
  const cancelled = (note?: string) => {
    ctx.dispatch(entry.id, { type: 'status', status: 'cancelled', now: ctx.config.clock.now() });
    if (note) ctx.dispatch(entry.id, { type: 'note', note });
    forgetUpload(ctx.config, entry);
  };
  const plan = entry.plan;
  if (!plan) return cancelled();
  if (plan.kind === 'multipart' && !entry.releaseLock) {
    // Paused or failed, it let its tab lock go (upload-manager.ts, `#runEnded`). Another tab holding it
    // now has taken the upload over: this row goes, and that tab's upload (and journal record) stays.
    entry.releaseLock = await ctx.config.locks.acquire(lockName(plan.uploadId));
    if (!entry.releaseLock) {
      ctx.dispatch(entry.id, { type: 'status', status: 'cancelled', now: ctx.config.clock.now() });
      ctx.dispatch(entry.id, { type: 'note', note: TAKEN_OVER_NOTE });
      entry.plan = null;
      entry.parts = new Map();
      return;
    }
  }
  // A single PUT aborted once sent may still be written by the store: the server looks for it a moment.
  const sent = plan.kind === 'single' && entry.putStarted;
  try {
    await ctx.withRetry(() => ctx.config.api.abort(plan.token, { signal, sent }), {
      signal,
      forever: true,
      // The row says what the cancel waits for (the connection, the server, the store), as parts do.
      entry,
      onError: (error) => ctx.dispatch(entry.id, { type: 'cancel-error', error: toErrorInfo(error) }),
    });
    cancelled();
  } catch (error) {
    if (signal.aborted) return;
    if (error instanceof ApiError && error.code === 'already-completed') {
      ctx.dispatch(entry.id, { type: 'done', key: plan.key, note: COMPLETED_LATE_NOTE });
      forgetUpload(ctx.config, entry);
    } else if (isGone(error)) {
      cancelled();
    } else if (isTokenForeign(error) || isTokenExpired(error)) {
      // The server will not act on this upload any more: nothing to wait for; its janitor cleans up.
      cancelled(isTokenExpired(error) ? DISCARDED_EXPIRED_NOTE : CANCELLED_FOREIGN_NOTE);
    } else {
      entry.cancelling = false;
      ctx.dispatch(entry.id, { type: 'failed', error: toErrorInfo(error) });
    }
  }
}

/**
 * "Keep both" or "Skip" for an object that appeared at the key while the parts were uploading: the
 * multipart upload is aborted first; "keep both" then uploads the file again under a free name
 * (S3 cannot complete parts under another key).
 */
export async function dropUploadThen(
  ctx: ServerAbortContext,
  entry: UploadEntry,
  choice: 'keep-both' | 'skip',
  { signal }: { signal: AbortSignal },
): Promise<void> {
  const plan = entry.plan!;
  const now = () => ctx.config.clock.now();
  entry.cancelling = true;
  entry.dropping = choice;
  ctx.dispatch(entry.id, { type: 'status', status: 'cancelling', now: now() });
  try {
    // With its entry, so the row says what it waits for (the connection, the server, the store).
    await ctx.withRetry(() => ctx.config.api.abort(plan.token, { signal }), { signal, entry });
  } catch (error) {
    if (signal.aborted) return;
    // already-completed: the object at the key (the other writer's, which is why this choice came up)
    // matched this upload in size and time; nothing of this upload is left either way.
    const nothingLeft = isGone(error) || (error instanceof ApiError && error.code === 'already-completed');
    if (!nothingLeft) {
      entry.cancelling = false;
      entry.dropping = null;
      ctx.dispatch(entry.id, { type: 'failed', error: toErrorInfo(error) });
      return;
    }
  }
  // A Cancel clicked meanwhile wins over the choice that started this.
  const outcome = entry.dropping ?? choice;
  entry.cancelling = false;
  entry.dropping = null;
  dropPlan(ctx.config, entry);
  if (outcome !== 'keep-both') {
    ctx.dispatch(entry.id, {
      type: 'status',
      status: outcome === 'skip' ? 'skipped' : 'cancelled',
      now: now(),
    });
    return;
  }
  entry.onConflict = 'keep-both';
  ctx.dispatch(entry.id, { type: 'progress-set', bytesUploaded: 0, partsDone: 0 });
  ctx.requeue(entry);
}

/**
 * Forget an unfinished upload from the journal: abort it on the server, then delete the record. The
 * record goes whatever the server says (it throws only for `signal`, or a journal it cannot read): an
 * expired upload, or one the server could not be told about, is left to the server's janitor, and
 * `note` says so.
 */
export async function discardRecord(
  ctx: Pick<ServerAbortContext, 'config' | 'withRetry'>,
  recordId: string,
  o: { signal?: AbortSignal },
): Promise<{ note: string | null }> {
  const journal = ctx.config.journal;
  if (!journal) return { note: null };
  const record = (await journal.list()).find((r) => r.id === recordId);
  if (!record) return { note: null };
  // Another tab may have taken it up since it was listed: its lock says so, and it is left running.
  const release = await ctx.config.locks.acquire(lockName(record.uploadId));
  if (!release) throw new UploadError('locked-elsewhere', 'This upload is running in another tab.');
  try {
    let note: string | null = null;
    try {
      await ctx.withRetry(() => ctx.config.api.abort(record.token, { signal: o.signal }), {
        signal: o.signal,
        waitForServer: false,
      });
    } catch (error) {
      o.signal?.throwIfAborted();
      if (isTokenExpired(error)) note = DISCARDED_EXPIRED_NOTE;
      else if (!isGone(error) && !(error instanceof ApiError && error.code === 'already-completed'))
        note = `${DISCARDED_UNCONFIRMED_NOTE} (${toErrorInfo(error).message})`;
    }
    await journal.delete(recordId).catch(() => {});
    return { note };
  } finally {
    release();
  }
}

/**
 * Unfinished uploads to `key` from earlier visits, other than `entry`'s: the key now holds the object
 * `entry` just completed, so they were of an earlier file there (one changed on disk since: its journal
 * record no longer matches it, so it was never resumed, and it stayed under "Unfinished uploads" with
 * its parts in the bucket). They go as with Discard: out of the journal before the row says Done, and
 * aborted on the server after. One running here or in another tab (its lock is held) is left alone.
 */
export async function discardSuperseded(
  ctx: Pick<UploadContext, 'config' | 'withRetry' | 'entries' | 'destroyed'>,
  entry: UploadEntry,
  key: string,
): Promise<void> {
  const { journal, locks, api } = ctx.config;
  if (!journal) return;
  const records = (await journal.list().catch(() => [])).filter((record) => record.key === key);
  if (records.length === 0) return;
  // `entry` is one of them: its own record is never discarded. (Built only when a record has the key:
  // every file of a batch of 2,000 rebuilt it from all 2,000 as it ended.)
  const running = new Set([...ctx.entries()].map((e) => e.plan?.uploadId));
  for (const record of records) {
    if (running.has(record.uploadId)) continue;
    const release = await locks.acquire(lockName(record.uploadId));
    if (!release) continue;
    await journal.delete(record.id).catch(() => {});
    const signal = ctx.destroyed;
    void ctx
      .withRetry(() => api.abort(record.token, { signal }), { signal, waitForServer: false })
      .catch(() => undefined) // gone, expired or unreachable: the janitor removes its parts
      .finally(release);
  }
}
