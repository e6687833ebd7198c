/**
 * What the upload manager lends the modules that do one file's work: its config and a few narrow
 * callbacks into its state, never the manager itself. Each module takes a `Pick` of what it uses.
 */
import type { RetryOptions } from './call-with-retry.ts';
import type { UploadEntry } from './upload-entry.ts';
import type { UploadConfig } from './upload-options.ts';
import type { SendingTicker } from './sending-ticker.ts';
import type { UploadAction, UploadWaiting } from './upload-state.ts';

export interface UploadContext {
  readonly config: UploadConfig;
  /** Changes a file's row through the reducer (a row taken off the list is left alone). */
  dispatch(id: string, action: UploadAction): void;
  /**
   * Shows in the file's row what it waits for ('connection' / 'server'; null: nothing). While the
   * browser is offline the row keeps saying so.
   */
  showWaiting(entry: UploadEntry, waiting: UploadWaiting | null): void;
  /** An API call retried (call-with-retry.ts); `entry`'s row shows what it waits for meanwhile. */
  withRetry<T>(call: () => Promise<T>, o: RetryOptions & { entry?: UploadEntry }): Promise<T>;
  /** Every file in the list. */
  entries(): Iterable<UploadEntry>;
  /** Back to the end of the queue, 'queued'. */
  requeue(entry: UploadEntry): void;
  /** The estimate of the parts in flight of every file. */
  readonly sending: SendingTicker;
  /** A part's bytes were confirmed: they count toward the page's speed. */
  speedSample(bytes: number, at: number): void;
}
