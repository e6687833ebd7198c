import { isS3Error, type ObjectStore } from './s3/s3-gateway.ts';
import { lastPartAt, receivedPartWithin } from './uploads/upload-activity.ts';
import { formatCount } from './shared/format-count.ts';
import { inStoreTime } from './s3/store-clock.ts';

export interface JanitorOptions {
  store: ObjectStore;
  prefix: string;
  ttlMs: number;
  now?: () => number;
  log?: (line: string) => void;
  /** The sentence an operator is told for a store error (what to change); the SDK's message without it. */
  explain?: (error: unknown) => string;
}

const reason = (options: JanitorOptions, error: unknown) =>
  options.explain?.(error) ?? (error instanceof Error ? error.message : String(error));

/**
 * Aborts multipart uploads under the prefix that have been idle for `ttlMs`: started more than
 * `ttlMs` ago and no part received within it (ListParts, every page: an upload still receiving parts
 * is never cleaned up, however long it runs). Returns what it removed. An abort the store refuses
 * (a key allowed to list but not to abort) is not "aborted": the sweep goes on, and says once at its
 * end how many it could not remove and why, rather than a line per upload every sweep.
 */
export async function sweepStaleUploads(options: JanitorOptions, o?: { signal?: AbortSignal }) {
  // The uploads' and parts' dates are the store's: compared in its time (store-clock.ts).
  const serverNow = options.now ?? Date.now;
  const now = () => inStoreTime(serverNow(), options.store);
  const removed: { key: string; uploadId: string; initiated: string }[] = [];
  const refused: { key: string; error: unknown }[] = [];
  try {
    for (const upload of await options.store.listUploads(options.prefix, o)) {
      if (!upload.initiated || now() - upload.initiated.getTime() < options.ttlMs) continue;
      o?.signal?.throwIfAborted();
      const parts = await options.store.listParts(upload.key, upload.uploadId, o);
      if (parts === null) continue; // completed or aborted meanwhile
      if (receivedPartWithin(parts, options.ttlMs, now())) continue;
      const newest = lastPartAt(parts);
      o?.signal?.throwIfAborted();
      try {
        await options.store.abort(upload.key, upload.uploadId, o);
      } catch (error) {
        o?.signal?.throwIfAborted();
        // Completed or aborted by someone else between ListParts and here: gone, and not by us.
        if (isS3Error(error, 'NoSuchUpload', 'NoSuchKey', 'NotFound')) continue;
        refused.push({ key: upload.key, error });
        continue;
      }
      removed.push({ key: upload.key, uploadId: upload.uploadId, initiated: upload.initiated.toISOString() });
      const idle = newest > 0 ? `, last part ${new Date(newest).toISOString()}` : ', no part';
      options.log?.(
        `janitor: aborted stale upload of "${upload.key}" started ${upload.initiated.toISOString()}${idle}`,
      );
    }
  } finally {
    // Said also when the sweep stops on a later error (its own line says why).
    const [first] = refused;
    if (first) {
      const count = refused.length === 1 ? 'a stale upload' : `${formatCount(refused.length)} stale uploads`;
      const denied = isS3Error(first.error) && first.error.$metadata.httpStatusCode === 403;
      options.log?.(
        `janitor: could not abort ${count} (first: "${first.key}"): ${reason(options, first.error)}${
          denied ? ' It needs s3:AbortMultipartUpload on the bucket.' : ''
        }`,
      );
    }
  }
  return removed;
}

/**
 * Runs the sweep now and then every `intervalMs`, until the signal aborts. A sweep still running when
 * the next is due (many uploads, a slow store) is left to finish: the due one is skipped, so two never
 * list, abort and log the same uploads at once.
 */
export function startJanitor(options: JanitorOptions & { intervalMs: number }, signal: AbortSignal): void {
  let running = false;
  const run = () => {
    if (running) return;
    running = true;
    void sweepStaleUploads(options, { signal })
      .catch((error: unknown) => {
        if (signal.aborted) return;
        options.log?.(`janitor: sweep failed: ${reason(options, error)}`);
      })
      .finally(() => (running = false));
  };
  run();
  const timer = setInterval(run, options.intervalMs);
  timer.unref();
  signal.addEventListener('abort', () => clearInterval(timer), { once: true });
}
