import type { ObjectStore } from './s3/s3-gateway.ts';
import { lastPartAt, receivedPartWithin } from './uploads/upload-activity.ts';

export interface JanitorOptions {
  store: ObjectStore;
  prefix: string;
  ttlMs: number;
  now?: () => number;
  log?: (line: string) => void;
}

/**
 * Aborts multipart uploads under the prefix that have been idle for `ttlMs`: started more than
 * `ttlMs` ago and no part received within it (ListParts, every page: an upload still receiving parts
 * is never cleaned up, however long it runs). Returns what it removed.
 */
export async function sweepStaleUploads(options: JanitorOptions, o?: { signal?: AbortSignal }) {
  const now = options.now ?? Date.now;
  const removed: { key: string; uploadId: string; initiated: string }[] = [];
  for (const upload of await options.store.listUploads(options.prefix, o)) {
    if (!upload.initiated || now() - upload.initiated.getTime() < options.ttlMs) continue;
    o?.signal?.throwIfAborted();
    const parts = await options.store.listParts(upload.key, upload.uploadId, o);
    if (parts === null) continue; // completed or aborted meanwhile
    if (receivedPartWithin(parts, options.ttlMs, now())) continue;
    const newest = lastPartAt(parts);
    o?.signal?.throwIfAborted();
    await options.store.abort(upload.key, upload.uploadId, o).catch(() => undefined);
    removed.push({ key: upload.key, uploadId: upload.uploadId, initiated: upload.initiated.toISOString() });
    const idle = newest > 0 ? `, last part ${new Date(newest).toISOString()}` : ', no part';
    options.log?.(
      `janitor: aborted stale upload of "${upload.key}" started ${upload.initiated.toISOString()}${idle}`,
    );
  }
  return removed;
}

/** Runs the sweep now and then every `intervalMs`, until the signal aborts. */
export function startJanitor(
  options: JanitorOptions & { intervalMs: number; explain?: (error: unknown) => string },
  signal: AbortSignal,
): void {
  const run = () =>
    sweepStaleUploads(options, { signal }).catch((error: unknown) => {
      if (signal.aborted) return;
      const why = options.explain?.(error) ?? (error instanceof Error ? error.message : String(error));
      options.log?.(`janitor: sweep failed: ${why}`);
    });
  void run();
  const timer = setInterval(run, options.intervalMs);
  timer.unref();
  signal.addEventListener('abort', () => clearInterval(timer), { once: true });
}
