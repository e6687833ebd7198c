/**
 * What the UI sees of one upload, and the pure reducer that changes it (TanStack `query.ts` style:
 * a discriminated-union action and a `switch`). The manager owns runtime state (controllers, URLs,
 * etags); only this shape crosses into React.
 */
import type { KeyExists } from '../../../../server/shared/api-types.ts';
import {
  addEstimateSample,
  addSpeedSample,
  etaSeconds,
  restartSpeed,
  speedExpecting,
  speedMoved,
  speedStalled,
  startSpeed,
  type SpeedState,
} from '../shared/speed.ts';
import {
  RATE_SETTLE_SAMPLES,
  RATE_SETTLE_SPAN_MS,
  STALL_MS,
  completionRates,
  estimateEta,
} from '../shared/throughput.ts';
import type { ErrorInfo } from '../shared/transfer-error.ts';

export type UploadStatus =
  | 'queued'
  | 'hashing'
  | 'uploading'
  | 'paused'
  | 'completing'
  | 'done'
  | 'failed'
  | 'cancelling'
  | 'cancelled'
  | 'conflict'
  | 'skipped';

export const UPLOAD_STATUSES = [
  'queued',
  'hashing',
  'uploading',
  'paused',
  'completing',
  'done',
  'failed',
  'cancelling',
  'cancelled',
  'conflict',
  'skipped',
] as const satisfies readonly UploadStatus[];

/** States in which the manager is still working on the file. */
export const BUSY_STATUSES: ReadonlySet<UploadStatus> = new Set([
  'queued',
  'hashing',
  'uploading',
  'completing',
  'cancelling',
]);

/**
 * Whether leaving the page should ask first: a file is still moving, paused, or waiting for an answer
 * about a taken name. A closed tab loses those (only multipart uploads already started are kept for
 * "Unfinished uploads"); finished, failed, cancelled and skipped rows lose nothing.
 */
export function leaveAsks(totals: Pick<UploadTotals, 'busy' | 'byStatus'>): boolean {
  return totals.busy || totals.byStatus.paused > 0 || totals.byStatus.conflict > 0;
}

/**
 * What "Cancel all" cancels: every upload not over yet (queued, hashing, sending, paused, asking about a
 * taken name, completing), and a failed one only while parts of it may be kept in the store (a multipart
 * upload a retry could go on with: cancelling removes them). A file that failed with nothing stored, or
 * for good (changed on disk: what was sent is removed already), keeps its row and its reason.
 */
export function cancelledByCancelAll(item: Pick<UploadItem, 'status' | 'partCount' | 'error'>): boolean {
  if (item.status === 'failed') return item.partCount > 1 && canRetry(item);
  return CANCEL_ALL_STATUSES.has(item.status);
}
const CANCEL_ALL_STATUSES: ReadonlySet<UploadStatus> = new Set([
  'queued',
  'hashing',
  'uploading',
  'paused',
  'conflict',
  'completing',
]);

export interface UploadItem {
  readonly id: string;
  readonly name: string;
  /** Path inside a dropped folder, when there was one. */
  readonly relativePath: string | undefined;
  /**
   * Null until read (see `sized`): in Chromium the first read of a picked file's size is a file stat,
   * so the manager reads them a slice at a time after the pick, not all in the click's task.
   */
  readonly size: number | null;
  readonly type: string;
  readonly status: UploadStatus;
  /** Object key once the server planned the upload. */
  readonly key: string | null;
  /** Bytes S3 confirmed (completed parts). */
  readonly bytesUploaded: number;
  /**
   * Bytes of the parts in flight, estimated from the measured rate (fetch reports no upload progress;
   * see sending-estimate.ts): shown on top of `bytesUploaded`, 0 unless uploading.
   */
  readonly bytesSending: number;
  /** 0 until planned. */
  readonly partCount: number;
  readonly partsDone: number;
  readonly bytesPerSecond: number;
  /** Seconds left, null when unknown. */
  readonly etaSeconds: number | null;
  /** Why it failed; while 'cancelling', the last error of the abort call (it is being retried). */
  readonly error: ErrorInfo | null;
  /** Set in 'conflict': what is already at the key. */
  readonly conflict: Pick<KeyExists, 'key' | 'existing' | 'suggestedKey'> | null;
  /** A remark for the UI, e.g. that a cancel came too late and the upload completed. */
  readonly note: string | null;
  /** A part failed and is being tried again (shown until a part gets through or the status changes). */
  readonly retrying: { attempt: number; of: number; message: string } | null;
  /** Nothing can move until the network, or the Hoist server, is back: shown instead of speed and ETA. */
  readonly waiting: UploadWaiting | null;
  /** True when this upload continues one started earlier (journal). */
  readonly resumed: boolean;
  /**
   * Bytes of the file read so far to compare it with the object of its size at its key (null: not
   * comparing): it is not sent again if it is that object already (run-upload.ts `isSameObject`).
   */
  readonly comparing: number | null;
  readonly speed: SpeedState;
}

export type UploadWaiting = 'connection' | 'server' | 'store' | 'sign-in' | 'other-tab';

export type UploadAction =
  | { type: 'status'; status: Exclude<UploadStatus, 'done' | 'failed' | 'conflict'>; now: number }
  | { type: 'planned'; key: string; partCount: number; resumed: boolean; now: number }
  /** The file's size was read. */
  | { type: 'sized'; size: number }
  | { type: 'conflict'; conflict: Pick<KeyExists, 'key' | 'existing' | 'suggestedKey'> }
  /** How much of the file is hashed to compare it with the object at its key (null: done comparing). */
  | { type: 'comparing'; bytes: number | null }
  /**
   * `partSize`: the plan's full part size (the speed needs a window carrying at least that much).
   * `shown`: what the part's estimate showed (sending-estimate.ts `partShown`), which its size replaces.
   */
  | { type: 'part-done'; size: number; shown?: number; partSize: number; now: number }
  /**
   * The estimate of the parts in flight, shown anew (sending-ticker.ts, a few times a second while
   * parts are in flight), and how long those parts are expected to take (null: not known): once it has
   * not grown, nor a part been confirmed, for `STALL_MS` or half a part's expected time if longer
   * (speed.ts `speedExpecting`), the row shows no speed or time left until bytes move again.
   */
  | { type: 'sending'; bytes: number; partMs: number | null; now: number }
  /** After ListParts: set the confirmed total (may take bytes back when S3 lacks a part). */
  | { type: 'progress-set'; bytesUploaded: number; partsDone: number }
  | { type: 'failed'; error: ErrorInfo }
  /** A part failed; attempt `attempt` of `of` retries comes after a backoff. */
  | { type: 'retrying'; attempt: number; of: number; message: string }
  | { type: 'cancel-error'; error: ErrorInfo }
  /** A remark that stays with the row (e.g. the upload expired and started again). */
  | { type: 'note'; note: string }
  /** Waiting for the connection or the Hoist server (null: no longer). */
  | { type: 'waiting'; waiting: UploadWaiting | null; now: number }
  | { type: 'done'; key: string; note: string | null };

/**
 * A row's speed, and the totals', is the slope of its bar: a confirmed part moves it by what its
 * estimate had not shown (`moved`), the parts in flight by what their estimate grew, and a part
 * dropped (paused, failed) takes nothing back, its bytes having gone over the link (speed.ts).
 */
export function barSample(speed: SpeedState, action: UploadAction, moved: number): SpeedState {
  if (action.type === 'part-done') return addSpeedSample(speed, moved, action.now, action.partSize);
  if (action.type === 'sending' && moved > 0) return addEstimateSample(speed, moved, action.now);
  return speed;
}

/** Failures no retry can fix: the file itself is refused (too big, a key S3 cannot take, another file). */
// 'file-unreadable': the file changed on disk after it was picked; Chromium never reads that File again.
const FINAL_ERRORS: ReadonlySet<string> = new Set([
  'too-large',
  'invalid-key',
  // Content type, metadata or tags S3 would refuse (the page checks them first; an older page may not).
  'invalid-properties',
  // A metadata name with "_" on a store that would turn it into "-" (Ceph RGW).
  'metadata-name-changed',
  'not-same-file',
  'file-unreadable',
]);

/** A failed upload that Retry may still bring through. */
export function canRetry(item: Pick<UploadItem, 'status' | 'error'>): boolean {
  return item.status === 'failed' && !(item.error !== null && FINAL_ERRORS.has(item.error.code));
}

/** Failed in a way no retry can fix: nothing left to do but take it off the list. */
export function failedForGood(item: Pick<UploadItem, 'status' | 'error'>): boolean {
  return item.status === 'failed' && !canRetry(item);
}

/** Over, one way or another: "Clear finished" takes it off the list, and so does its "Remove". */
export function isFinished(item: Pick<UploadItem, 'status' | 'error'>): boolean {
  return (
    item.status === 'done' || item.status === 'cancelled' || item.status === 'skipped' || failedForGood(item)
  );
}

/** `file.size`: null when not read yet (a picked File's size is read later, see `UploadItem.size`). */
export function createItem(
  id: string,
  file: { name: string; size: number | null; type: string },
  relativePath: string | undefined,
  now: number,
): UploadItem {
  return {
    id,
    name: file.name,
    relativePath,
    size: file.size,
    type: file.type,
    status: 'queued',
    key: null,
    bytesUploaded: 0,
    bytesSending: 0,
    partCount: 0,
    partsDone: 0,
    bytesPerSecond: 0,
    etaSeconds: null,
    error: null,
    conflict: null,
    note: null,
    retrying: null,
    waiting: null,
    resumed: false,
    comparing: null,
    speed: startSpeed(now),
  };
}

const MOVING: ReadonlySet<UploadStatus> = new Set(['hashing', 'uploading']);
/** What a run says it is doing: never after it was paused (see 'status'). */
const RUN_STEPS: ReadonlySet<UploadStatus> = new Set(['hashing', 'uploading', 'completing']);

export function reduceUpload(item: UploadItem, action: UploadAction): UploadItem {
  switch (action.type) {
    case 'status': {
      if (item.status === action.status) return item;
      // A run that was paused (its signal aborted while a step of it ran on) cannot take the row back
      // to work: only Resume does, through "queued". ("Resume all", then "Pause all" at once, left rows
      // "Hashing" with nothing running.)
      if (item.status === 'paused' && RUN_STEPS.has(action.status)) return item;
      const restarting = MOVING.has(action.status) && !MOVING.has(item.status);
      return {
        ...item,
        status: action.status,
        error: null,
        retrying: null,
        waiting: null,
        conflict: action.status === 'skipped' ? item.conflict : null,
        bytesSending: action.status === 'uploading' ? item.bytesSending : 0,
        speed: restarting ? restartSpeed(item.speed, action.now) : item.speed,
        // Going again: no speed until its parts say (the one before the pause is of another moment).
        bytesPerSecond: MOVING.has(action.status) && !restarting ? item.bytesPerSecond : 0,
        etaSeconds: MOVING.has(action.status) && !restarting ? item.etaSeconds : null,
      };
    }
    case 'sized':
      return item.size === action.size ? item : { ...item, size: action.size };
    case 'planned':
      return {
        ...item,
        key: action.key,
        partCount: action.partCount,
        resumed: action.resumed,
        conflict: null,
        speed: restartSpeed(item.speed, action.now),
      };
    case 'conflict':
      return {
        ...item,
        status: 'conflict',
        conflict: action.conflict,
        error: null,
        retrying: null,
        bytesSending: 0,
      };
    case 'part-done': {
      // The bar moves by what the estimate had not shown, and so does the speed (the slope of the bar).
      const shown = Math.min(action.shown ?? 0, item.bytesSending);
      const speed = barSample(item.speed, action, action.size - shown);
      const size = item.size ?? Infinity;
      const bytesUploaded = Math.min(size, item.bytesUploaded + action.size);
      const bytesSending = item.bytesSending - shown;
      return {
        ...item,
        bytesUploaded,
        bytesSending,
        partsDone: item.partsDone + 1,
        retrying: null,
        waiting: null,
        speed,
        bytesPerSecond: speed.bytesPerSecond,
        etaSeconds:
          item.size === null
            ? null
            : etaSeconds(Math.max(0, item.size - bytesUploaded - bytesSending), speed.bytesPerSecond),
      };
    }
    case 'sending': {
      const bytes = item.status === 'uploading' ? action.bytes : 0;
      // Grown: bytes on their way. Shrunk: parts dropped (paused, failed), whose bytes went over the link
      // all the same; the speed says what the link did, and the bar what the store will keep.
      const grown = bytes - item.bytesSending;
      const sampled = barSample(item.speed, action, grown);
      const moved = grown > 0 ? speedMoved(sampled, action.now) : sampled;
      const speed = speedExpecting(moved, action.partMs);
      if (item.status === 'uploading' && speedStalled(speed, action.now)) {
        // Nothing confirmed, and the parts in flight at their most the estimate gives them, for
        // seconds (half a part's time, if longer: a link a little slower than measured is no stall):
        // a hung store or a stalled link. No speed or time left (as offline) rather than the last
        // ones frozen, until the estimate grows again or a part is confirmed.
        if (
          item.bytesSending === bytes &&
          item.speed === speed &&
          item.bytesPerSecond === 0 &&
          item.etaSeconds === null
        )
          return item;
        return { ...item, bytesSending: bytes, speed, bytesPerSecond: 0, etaSeconds: null };
      }
      // Moving again after a stall: the speed and the time left come back with the estimate, not only
      // with the next confirmed part (on a slow link, a minute later).
      const bytesPerSecond =
        item.status === 'uploading' && item.waiting === null ? speed.bytesPerSecond : item.bytesPerSecond;
      if (item.bytesSending === bytes && item.speed === speed && item.bytesPerSecond === bytesPerSecond)
        return item;
      // The time left counts down with the estimate too, not only when a part is confirmed: on a slow
      // link that is minutes apart.
      const etaSecondsNow =
        item.size === null || !(bytesPerSecond > 0)
          ? item.etaSeconds
          : etaSeconds(item.size - item.bytesUploaded - bytes, bytesPerSecond);
      return { ...item, bytesSending: bytes, speed, bytesPerSecond, etaSeconds: etaSecondsNow };
    }
    case 'progress-set':
      if (item.bytesUploaded === action.bytesUploaded && item.partsDone === action.partsDone) return item;
      return { ...item, bytesUploaded: action.bytesUploaded, partsDone: action.partsDone };
    case 'failed':
      return {
        ...item,
        status: 'failed',
        error: action.error,
        retrying: null,
        waiting: null,
        bytesSending: 0,
        bytesPerSecond: 0,
        etaSeconds: null,
      };
    case 'retrying':
      return { ...item, retrying: { attempt: action.attempt, of: action.of, message: action.message } };
    case 'cancel-error':
      return { ...item, error: action.error };
    case 'waiting':
      if (item.waiting === action.waiting) return item;
      if (action.waiting === null) {
        // Moving again: speed from here, not averaged over the wait.
        return { ...item, waiting: null, speed: restartSpeed(item.speed, action.now) };
      }
      return { ...item, waiting: action.waiting, retrying: null, bytesPerSecond: 0, etaSeconds: null };
    case 'note':
      return item.note === action.note ? item : { ...item, note: action.note };
    case 'comparing':
      return item.comparing === action.bytes ? item : { ...item, comparing: action.bytes };
    case 'done':
      return {
        ...item,
        status: 'done',
        key: action.key,
        bytesUploaded: item.size ?? item.bytesUploaded,
        bytesSending: 0,
        partsDone: item.partCount,
        error: null,
        retrying: null,
        waiting: null,
        note: action.note ?? item.note,
        bytesPerSecond: 0,
        etaSeconds: 0,
      };
  }
}

export interface UploadTotals {
  /** Files counted: everything except cancelled and skipped. */
  files: number;
  /** Of the files counted whose size is known (`unsized` are not yet). */
  bytesTotal: number;
  /** Files counted whose size is not read yet: `bytesTotal` is still growing. */
  unsized: number;
  bytesUploaded: number;
  /** How far the parts in flight have got, estimated from the measured rate (not yet confirmed). */
  bytesSending: number;
  bytesPerSecond: number;
  etaSeconds: number | null;
  byStatus: Record<UploadStatus, number>;
  /** True while any file is queued, moving, completing or cancelling. */
  busy: boolean;
}

export interface UploadSnapshot {
  /** In the order they were added. */
  readonly items: readonly UploadItem[];
  readonly totals: UploadTotals;
  /** About the last files added, e.g. that some were in the list already and not added again. */
  readonly notice: string | null;
  /**
   * The storage is out of space: uploads paused for it (not resumed since), and those that failed on
   * it; null when none is paused for it (failed ones alone wait for nothing: each has its Retry).
   */
  readonly storeFull: { readonly paused: number; readonly failed: number } | null;
}

/** Still to be sent by the manager (paused, failed and conflicting files wait for the user). */
const TO_GO: ReadonlySet<UploadStatus> = new Set(['queued', 'hashing', 'uploading', 'completing']);

/**
 * O(files). `bytesPerSecond`: the manager's smoothed byte rate, the speed shown. The ETA also weighs
 * the files that finished in the last `RATE_WINDOW_MS` before `now` (each done file's last part time
 * is when it finished), by their number only: many small files cost a request each, which a byte rate
 * alone misses (2,013 tiny files read "22 min 57 s" and took 82 s). No ETA until a few files finished
 * or a few parts went, over a few seconds, or parts went over 10 s (a slow uplink: `throughput.ts`),
 * or a going file's row shows a time left (its first part confirmed): the totals said nothing for the
 * 11 s in which the only file's row counted down.
 */
export function summarize(items: readonly UploadItem[], bytesPerSecond: number, now: number): UploadTotals {
  const byStatus = Object.fromEntries(UPLOAD_STATUSES.map((s) => [s, 0])) as Record<UploadStatus, number>;
  let files = 0;
  let bytesTotal = 0;
  let unsized = 0;
  let bytesUploaded = 0;
  let bytesSending = 0;
  let busy = false;
  let moving = false;
  let filesLeft = 0;
  let bytesLeft = 0;
  /** Files going with every byte confirmed: completing. */
  let finishing = 0;
  /** Parts confirmed of the files still going: a big file's own samples. */
  let partSamples = 0;
  /** The longest time a going file's part samples cover. */
  let partSpan = 0;
  /** A going file's row shows a time left. */
  let rowTimed = false;
  const finished: { at: number }[] = [];
  for (const item of items) {
    byStatus[item.status]++;
    if (BUSY_STATUSES.has(item.status)) busy = true;
    // A row whose bytes stalled (speedStalled) moves nothing: with none moving, no speed or time left.
    // A Complete is counted as moving for as long as a part may take (its last part came then): one
    // that hangs with the store is as stalled as the parts beside it, not the speed of the minute before.
    if (
      item.waiting === null &&
      (MOVING.has(item.status) || item.status === 'completing') &&
      !speedStalled(item.speed, now)
    )
      moving = true;
    if (TO_GO.has(item.status)) {
      // A file under way is counted by its bytes only (estimateEta).
      if (item.bytesUploaded === 0 && item.bytesSending === 0) filesLeft++;
      else if (item.size !== null && item.bytesUploaded >= item.size) finishing++;
      // The parts in flight at their estimate too, as the row counts: else the time left stood still
      // between confirmations (about 10 s for six 5 MiB parts at 3 MB/s).
      bytesLeft += Math.max(0, (item.size ?? 0) - item.bytesUploaded - item.bytesSending);
      partSamples += item.speed.samples;
      partSpan = Math.max(partSpan, item.speed.span);
      if (item.etaSeconds !== null && item.bytesPerSecond > 0) rowTimed = true;
    }
    if (item.status === 'done') finished.push({ at: item.speed.lastAt });
    if (item.status === 'cancelled' || item.status === 'skipped') continue;
    files++;
    if (item.size === null) unsized++;
    else bytesTotal += item.size;
    bytesUploaded += item.bytesUploaded;
    bytesSending += item.bytesSending;
  }
  // Files finishing are progress too: small files spend most of their time in their create call, when
  // none may be hashing or sending for a moment.
  if (finished.some((f) => now - f.at < STALL_MS)) moving = true;
  const lately = completionRates(finished, now);
  const rates = {
    bytesPerSecond,
    filesPerSecond: lately.settled ? lately.filesPerSecond : 0,
    settled:
      lately.settled || partSamples >= RATE_SETTLE_SAMPLES || partSpan >= RATE_SETTLE_SPAN_MS || rowTimed,
  };
  // Every file waiting (offline, server gone) or stalled (a hung store): no speed, no ETA, rather
  // than the last ones frozen.
  const going = busy && moving;
  return {
    files,
    bytesTotal,
    unsized,
    bytesUploaded,
    bytesSending,
    bytesPerSecond: going ? rates.bytesPerSecond : 0,
    etaSeconds: going ? estimateEta({ bytes: bytesLeft, files: filesLeft, finishing }, rates) : null,
    byStatus,
    busy,
  };
}
