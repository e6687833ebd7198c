/**
 * What the upload manager lends the modules that do one file's work: its config and a few narrow
 * callbacks into its state, never the manager itself. Each module takes a `Pick` of what it uses.
 */
import type { ConflictChoice, UploadPlan } from '../../../../server/shared/api-types.ts';
import type { StoreProbe } from '../shared/store-probe.ts';
import type { RetryOptions } from './call-with-retry.ts';
import type { RunEnd } from './run-upload.ts';
import type { SendingTicker } from './sending-ticker.ts';
import type { UploadEntry } from './upload-entry.ts';
import type { UploadConfig } from './upload-options.ts';
import type { UploadAction, UploadStatus, UploadWaiting } from './upload-state.ts';

export interface UploadContext {
  readonly config: UploadConfig;
  /** Aborted when the manager is destroyed (the page goes): what no single run owns stops then. */
  readonly destroyed: AbortSignal;

  // The rows
  /** The status in the file's row (undefined: taken off the list). */
  status(id: string): UploadStatus | undefined;
  /** Changes a file's row through the reducer (a row taken off the list is left alone). */
  dispatch(id: string, action: UploadAction): void;
  /**
   * Shows in the file's row what it waits for ('connection' / 'server'; null: nothing). While the
   * browser is offline the row keeps saying so.
   */
  showWaiting(entry: UploadEntry, waiting: UploadWaiting | null): void;
  /** The estimate of the parts in flight of every file. */
  readonly sending: SendingTicker;

  // The work
  /** Whether the store is down for the Hoist server too: one page-wide question, for parts and API calls. */
  readonly store: StoreProbe;
  /**
   * An API call retried (call-with-retry.ts), a store the server cannot reach waited for (`store`);
   * `entry`'s row shows what it waits for meanwhile.
   */
  withRetry<T>(call: () => Promise<T>, o: RetryOptions & { entry?: UploadEntry }): Promise<T>;
  /** Sends the parts of the plan that S3 does not have yet (part-sender.ts). */
  sendParts(entry: UploadEntry, plan: UploadPlan, o: { signal: AbortSignal }): Promise<void>;

  // The list and the queue
  /** Every file in the list. */
  entries(): Iterable<UploadEntry>;
  /** What a "for all" conflict choice decides for this file, if it covers it. */
  ruleFor(entry: UploadEntry): ConflictChoice | null;
  /** The storage is full: every other upload is paused until resumed. */
  holdForSpace(): void;
  /** Back to the end of the queue, 'queued'. */
  requeue(entry: UploadEntry): void;
  /** The file's run is over (run-upload.ts): the queue moves on. */
  runEnded(entry: UploadEntry, end: RunEnd): void;
}
