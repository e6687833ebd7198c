/**
 * The download list as data: every change is an Action, applied by a pure reducer (TanStack Query's
 * `#dispatch` shape). The manager keeps the live work (requests, files) and only ever describes it
 * here, so the snapshot the UI renders is plain, immutable data.
 */
import { addSpeedSample, etaSeconds, speedStalled, startSpeed, type SpeedState } from '../shared/speed.ts';
import {
  EMPTY_WINDOW,
  STALL_MS,
  addRateSample,
  estimateEta,
  sinceMoved,
  windowRates,
  type RateWindow,
} from '../shared/throughput.ts';
import type { DownloadErrorCode, DownloadErrorInfo } from './errors.ts';
import type { Evidence, Verification } from './integrity.ts';

export type DownloadStatus =
  'queued' | 'exists' | 'downloading' | 'paused' | 'done' | 'failed' | 'cancelled' | 'skipped';

export interface DownloadItem {
  id: string;
  key: string;
  /** Where it lands inside the chosen folder ('' for a folder marker, which is skipped). */
  relativePath: string;
  /**
   * The key below the browsed prefix: `relativePath` unless the key is no file name as it is
   * ("a//b.txt", "x:y") or "Keep both" numbered it. The row then says where it was saved.
   */
  keyPath: string;
  /** The name of the folder it goes into (`Destination.name`); null when the destination has none. */
  folder: string | null;
  /** Bytes; updated from the signed link when the object changed since it was listed. */
  size: number;
  etag: string;
  status: DownloadStatus;
  /** Bytes received in the current attempt; never decreases during it. */
  loaded: number;
  /** Smoothed, bytes per second; 0 unless downloading. */
  speed: number;
  /** Seconds left, null when unknown. */
  eta: number | null;
  /** Failed requests retried so far in this attempt. */
  retries: number;
  /**
   * A request failed and is being tried again, and no new byte has come since: the row says so, and
   * shows no time left (a speed decaying over the retry's wait would give hours).
   */
  retrying: boolean;
  /** What the request being tried again failed with (the row words it: a busy store is no broken link). */
  retryingAfter: DownloadErrorCode | null;
  /**
   * Every byte is in and the file is being saved (written out, then given its name): Pause is not
   * offered then, as there is nothing left to pause; Cancel removes what was saved, until it begins to
   * take its name (which may replace a file already there, and cannot be undone): then it ends Done.
   */
  saving: boolean;
  /**
   * Every byte is in and saved, and the file is being read back to check its checksum (a SHA or an
   * MD5 ETag, which a ranged download cannot hash as the ranges come): minutes for tens of GB. Pause
   * is not offered then; Cancel stops the check and removes the file it could not prove.
   */
  verifying: boolean;
  /**
   * What the download waits for, going on by itself once it is back: the connection (the browser is
   * offline), or the store (down for the Hoist server too); null when it waits for nothing.
   */
  waiting: DownloadWaiting | null;
  /**
   * Queued behind another download (its id) that writes, or keeps saved bytes in, the same file of
   * the folder (a/report.pdf and b/report.pdf into one folder): this one goes once that one lets the
   * path go, and then asks, as the file is there. Null when it waits for no other download.
   */
  behind: string | null;
  /** How the finished file was proved (integrity.ts `Verification`): size and checksum, or size only. */
  verification: Verification | null;
  /**
   * What the finished file was compared with (or, 'unverifiable', could not be): the store's checksum,
   * or the ETag as an MD5 of the bytes; null when there was nothing to compare.
   */
  verifiedAgainst: Evidence | null;
  /** Set when status is 'failed'. */
  error: DownloadErrorInfo | null;
  /**
   * A failed or paused item's bytes kept in its still-open file: Retry or Resume goes on from there
   * (0: from the start).
   */
  kept: number;
  /**
   * Size of the file already at `relativePath` (status 'exists'): shown beside the object's, since a
   * download cut short (a closed tab) leaves a file of another size under the real name.
   */
  existingSize: number | null;
}

export type DownloadWaiting = 'connection' | 'server' | 'store' | 'sign-in';

/**
 * What a row (and the totals) says when its requests wait for several things: a lost session first
 * (the one the user can do something about), then the store (what the connection and the server wait
 * on then), then the Hoist server, then the connection.
 */
export const WAITING_ORDER = [
  'sign-in',
  'store',
  'server',
  'connection',
] as const satisfies readonly DownloadWaiting[];

/** The one of `waiting` shown first (WAITING_ORDER); null when it holds none. */
export function shownWaiting(has: (reason: DownloadWaiting) => boolean): DownloadWaiting | null {
  return WAITING_ORDER.find(has) ?? null;
}

export interface DownloadTotals {
  /** Items by status. */
  counts: Record<DownloadStatus, number>;
  /** Items waiting for the connection, the Hoist server or the store. */
  waiting: number;
  /** What they wait for, the first in WAITING_ORDER any waits for; null when none waits. */
  waitingFor: DownloadWaiting | null;
  /**
   * Bytes of everything that is, will be or failed to be downloaded (all but cancelled and skipped,
   * as uploads count): a failure leaves the bar short of full, never "all done".
   */
  bytes: number;
  /** Received so far; of a failed item, only what it kept for a Resume. */
  loaded: number;
  /** Items counted in `bytes`. */
  files: number;
  /** Every item counted is done: nothing left, nothing failed. */
  complete: boolean;
  /** Bytes per second over the last seconds; 0 unless something is queued or downloading. */
  speed: number;
  /** Seconds left for what is queued or downloading; null until the rates have settled. */
  eta: number | null;
}

export interface DownloadSnapshot {
  items: readonly DownloadItem[];
  /** Id → place in `items` (a row behind another finds that one's row). */
  index: ReadonlyMap<string, number>;
  /** The failed items, with `error` set, in list order. */
  failed: readonly DownloadItem[];
  /** Items waiting for `resolveExisting`. */
  existing: readonly DownloadItem[];
  /**
   * Done items saved under another path than their key's (`keyPath`: a key that is no file name, a
   * name taken, "Keep both"), in list order: said in the card, not only on rows a long list scrolls by.
   */
  renamed: readonly DownloadItem[];
  totals: DownloadTotals;
  /** Something is queued or downloading. */
  active: boolean;
  /** Something is paused: Resume goes on with it. */
  paused: boolean;
  /**
   * The folder ran out of space, or the page may no longer write to it: nothing queued starts until
   * `resumeHeld()` (or a Retry), so the queue does not fail file after file the same way. Downloads
   * already running go on.
   */
  held: boolean;
  /** Why it holds: the disk is full, or the page may no longer write to the folder. */
  heldFor: HoldingError | null;
}

/** Failures that hold the queue until Resume: every file after would fail the same way. */
export type HoldingError = 'disk-full' | 'no-permission';
const HOLDING: ReadonlySet<string> = new Set<HoldingError>(['disk-full', 'no-permission']);
export const isHoldingError = (code: string | undefined): code is HoldingError => HOLDING.has(code ?? '');

/**
 * Every action but 'added' and 'removed' costs O(its items), whatever the list's length: the one
 * O(n) step is copying `items` once per action, so a bulk command (cancel all, retry failed) is one
 * action with many ids, not one per row. The totals' rates come from cumulative counters sampled on
 * progress, so finishing a row never rescans the list.
 */
export interface DownloadState {
  items: readonly DownloadItem[];
  index: ReadonlyMap<string, number>;
  itemSpeeds: ReadonlyMap<string, SpeedState>;
  /** Bytes received since the list was made (never decreases): what the byte rate is measured on. */
  received: number;
  /** Items done since the list was made: what the file rate is measured on. */
  finished: number;
  /** Samples of `received` and `finished`, taken on progress. */
  rates: RateWindow;
  /** A download failed 'disk-full' or 'no-permission': queued items wait (see `DownloadSnapshot.held`). */
  held: HoldingError | null;
}

export type DownloadAction =
  | {
      type: 'added';
      items: {
        id: string;
        key: string;
        relativePath: string | null;
        /** Default: the key. */
        keyPath?: string;
        /** Default: null. */
        folder?: string | null;
        size: number;
        etag: string;
      }[];
    }
  | { type: 'exists'; id: string; existingSize: number }
  /** "Keep both": the file goes to another path in the folder. */
  | { type: 'renamed'; id: string; relativePath: string }
  | { type: 'queued'; ids: readonly string[] }
  /** `loaded`: bytes kept from a failed attempt that this one goes on from. */
  | { type: 'started'; id: string; size: number; etag: string; loaded?: number; now: number }
  | { type: 'progress'; loaded: ReadonlyMap<string, number>; now: number }
  | { type: 'retrying'; id: string; retries: number; after?: DownloadErrorCode }
  | { type: 'waiting'; id: string; waiting: DownloadWaiting | null }
  /** A queued item waits for (or no longer for) the download `behind` writing the same file. */
  | { type: 'behind'; id: string; behind: string | null }
  /** Every byte is in; the file is being saved. */
  | { type: 'saving'; id: string }
  /** Every byte is saved; the file is being read back to be checked. */
  | { type: 'verifying'; id: string }
  /** The user paused these (queued or downloading): nothing of theirs runs until 'queued'. */
  | { type: 'paused'; ids: readonly string[] }
  /** A paused item's attempt has stopped, keeping `kept` bytes in its still-open file. */
  | { type: 'kept'; id: string; kept: number }
  | { type: 'done'; id: string; verification: Verification; against?: Evidence | null }
  | { type: 'failed'; id: string; error: DownloadErrorInfo; kept?: number }
  /** A failed item's kept bytes were given up: its Retry starts from byte 0. */
  | { type: 'discarded'; id: string }
  | { type: 'cancelled'; ids: readonly string[] }
  | { type: 'skipped'; ids: readonly string[] }
  /** Rows taken off the list ("Clear finished", a failed row's Remove); only settled ones go. */
  | { type: 'removed'; ids: readonly string[] }
  /** Space was freed (the user says so): queued items may start again. */
  | { type: 'resumed' };

/** Failures no retry can fix: the key itself cannot be fetched by a browser. */
const FINAL_ERRORS: ReadonlySet<string> = new Set(['not-downloadable']);

/** A failed or cancelled download that Retry may still bring through. */
export function canRetryDownload(item: Pick<DownloadItem, 'status' | 'error'>): boolean {
  if (item.status === 'cancelled') return true;
  return item.status === 'failed' && !(item.error !== null && FINAL_ERRORS.has(item.error.code));
}

export function initialDownloadState(): DownloadState {
  return {
    items: [],
    index: new Map(),
    itemSpeeds: new Map(),
    received: 0,
    finished: 0,
    rates: EMPTY_WINDOW,
    held: null,
  };
}

const counted = (item: DownloadItem) =>
  item.status === 'queued' ||
  item.status === 'exists' ||
  item.status === 'downloading' ||
  item.status === 'paused' ||
  item.status === 'done';

/**
 * Item lists made by `ownedDownloadReducer` that no snapshot has handed out yet: the owner's next action
 * may change them in place. Copying the whole list for every action on one row cost O(rows) each,
 * O(rows²) for a download: a folder of 30,000 objects spent 80 s of CPU in the copies alone. A list is
 * copied again (once) after `toSnapshot` has handed it out, so what subscribers hold never changes
 * under them. `downloadReducer` itself stays pure: it never changes a list, whoever made it.
 */
const unpublished = new WeakSet<readonly DownloadItem[]>();
let owned = false;

/** `state.items`, to be changed: the list itself when the owner may, else a copy of it. */
function writableItems(state: DownloadState): DownloadItem[] {
  if (owned && unpublished.has(state.items)) return state.items as DownloadItem[];
  const copy = state.items.slice();
  if (owned) unpublished.add(copy);
  return copy;
}

/**
 * `downloadReducer` for the one owner of a state (the download manager), which keeps only the newest
 * state and reads the list through `toSnapshot`: the state passed in may be changed, not only copied.
 */
export function ownedDownloadReducer(state: DownloadState, action: DownloadAction): DownloadState {
  owned = true;
  try {
    return downloadReducer(state, action);
  } finally {
    owned = false;
  }
}

function update(
  state: DownloadState,
  id: string,
  change: (item: DownloadItem) => DownloadItem | null,
): DownloadState {
  return updateMany(state, [id], change);
}

/** Applies `change` to each of `ids` with one copy of the list (null or the same item: no change). */
function updateMany(
  state: DownloadState,
  ids: readonly string[],
  change: (item: DownloadItem) => DownloadItem | null,
): DownloadState {
  let items: DownloadItem[] | null = null;
  for (const id of ids) {
    const i = state.index.get(id);
    const item = i === undefined ? undefined : (items ?? state.items)[i];
    if (i === undefined || !item) continue;
    const next = change(item);
    if (next === null || next === item) continue;
    items ??= writableItems(state);
    items[i] = next;
  }
  return items === null ? state : { ...state, items };
}

const idle = {
  speed: 0,
  eta: null,
  waiting: null,
  retrying: false,
  retryingAfter: null,
  saving: false,
  verifying: false,
  behind: null,
} as const;
const settled: DownloadStatus[] = ['done', 'failed', 'cancelled', 'skipped'];

export function downloadReducer(state: DownloadState, action: DownloadAction): DownloadState {
  switch (action.type) {
    case 'added': {
      const index = new Map(state.index);
      const items = writableItems(state);
      for (const init of action.items) {
        index.set(init.id, items.length);
        items.push({
          id: init.id,
          key: init.key,
          relativePath: init.relativePath ?? '',
          keyPath: init.keyPath ?? init.key,
          folder: init.folder ?? null,
          size: init.size,
          etag: init.etag,
          status: init.relativePath === null ? 'skipped' : 'queued',
          loaded: 0,
          ...idle,
          retries: 0,
          verification: null,
          verifiedAgainst: null,
          error: null,
          kept: 0,
          existingSize: null,
        });
      }
      return { ...state, items, index };
    }
    case 'exists':
      return update(state, action.id, (item) =>
        item.status === 'queued'
          ? { ...item, status: 'exists', existingSize: action.existingSize, behind: null }
          : null,
      );
    case 'renamed':
      return update(state, action.id, (item) =>
        item.status === 'exists' ? { ...item, relativePath: action.relativePath } : null,
      );
    case 'queued':
      // From 'exists' (replace), 'paused' (resume) or a finished state (retry): a fresh attempt, going
      // on from what a failed or paused one kept.
      return updateMany(state, action.ids, (item) =>
        item.status === 'downloading' || item.status === 'done'
          ? null
          : {
              ...item,
              status: 'queued',
              loaded: item.status === 'failed' || item.status === 'paused' ? item.kept : 0,
              ...idle,
              retries: 0,
              verification: null,
              verifiedAgainst: null,
              error: null,
            },
      );
    case 'started': {
      // Or again, downloading: its link, signed ahead, named an older version (download-manager.ts).
      const next = update(state, action.id, (item) =>
        item.status === 'queued' || item.status === 'downloading'
          ? {
              ...item,
              status: 'downloading',
              size: action.size,
              etag: action.etag,
              loaded: action.loaded ?? 0,
              kept: 0,
              ...idle,
            }
          : null,
      );
      if (next === state) return state;
      // The row's speed clock starts with its first bytes, not now: a link, a request slot shared
      // with other files and the first byte's wait would read as a slow link for the next many seconds.
      const itemSpeeds = new Map(next.itemSpeeds);
      itemSpeeds.delete(action.id);
      return { ...next, itemSpeeds };
    }
    case 'progress': {
      let items: DownloadItem[] | null = null;
      const itemSpeeds = new Map(state.itemSpeeds);
      let received = 0;
      for (const [id, loaded] of action.loaded) {
        const i = state.index.get(id);
        const item = i === undefined ? undefined : state.items[i];
        // An unchanged count is a zero-byte sample (a stall): the speed decays instead of freezing.
        if (i === undefined || !item || item.status !== 'downloading' || loaded < item.loaded) continue;
        const clock = itemSpeeds.get(id);
        // The first bytes start the clock (no rate yet); before them nothing is timed.
        if (clock === undefined && loaded === item.loaded) continue;
        const speed =
          clock === undefined
            ? startSpeed(action.now)
            : addSpeedSample(clock, loaded - item.loaded, action.now);
        itemSpeeds.set(id, speed);
        received += loaded - item.loaded;
        items ??= writableItems(state);
        // Nothing new (a pause in the stream, or a retry fetching again what it had): the time left
        // stays as it was (null while retrying), not worked out from a speed decaying toward 0, which
        // gives hours. Nothing new for `STALL_MS` (a hung store): no speed or time left at all, as
        // offline, until bytes come again.
        const moved = loaded > item.loaded;
        const stalled = speedStalled(speed, action.now);
        items[i] = {
          ...item,
          loaded,
          speed: stalled ? 0 : speed.bytesPerSecond,
          eta: stalled ? null : moved ? etaSeconds(item.size - loaded, speed.bytesPerSecond) : item.eta,
          retrying: item.retrying && !moved,
        };
      }
      if (items === null) return state;
      const next = { ...state, items, itemSpeeds, received: state.received + received };
      return {
        ...next,
        rates: addRateSample(state.rates, { at: action.now, bytes: next.received, files: next.finished }),
      };
    }
    case 'waiting':
      return update(state, action.id, (item) =>
        (item.status === 'queued' || item.status === 'downloading') && item.waiting !== action.waiting
          ? { ...item, waiting: action.waiting }
          : null,
      );
    case 'behind':
      return update(state, action.id, (item) =>
        item.status === 'queued' && item.behind !== action.behind ? { ...item, behind: action.behind } : null,
      );
    case 'saving':
      return update(state, action.id, (item) =>
        item.status === 'downloading' && !item.saving && !item.verifying
          ? { ...item, loaded: item.size, ...idle, saving: true }
          : null,
      );
    case 'verifying':
      // No speed or time left: nothing more comes over the network.
      return update(state, action.id, (item) =>
        item.status === 'downloading' && !item.verifying
          ? { ...item, loaded: item.size, ...idle, verifying: true }
          : null,
      );
    case 'retrying':
      return update(state, action.id, (item) =>
        item.status === 'downloading'
          ? {
              ...item,
              retries: action.retries,
              retrying: true,
              retryingAfter: action.after ?? null,
              eta: null,
            }
          : null,
      );
    case 'paused':
      return finishMany(state, action.ids, (item) =>
        item.status === 'queued' || item.status === 'downloading'
          ? { ...item, status: 'paused', ...idle, kept: item.loaded }
          : null,
      );
    case 'kept':
      return update(state, action.id, (item) =>
        item.status === 'paused' ? { ...item, kept: action.kept, loaded: action.kept } : null,
      );
    case 'done': {
      const i = state.index.get(action.id);
      const before = i === undefined ? undefined : state.items[i];
      const next = finish(state, action.id, (item) =>
        item.status === 'downloading'
          ? {
              ...item,
              status: 'done',
              loaded: item.size,
              ...idle,
              verification: action.verification,
              verifiedAgainst: action.against ?? null,
            }
          : null,
      );
      if (next === state || !before) return next;
      // Bytes that came after the last progress sample count too, in the next one.
      return {
        ...next,
        received: next.received + Math.max(0, before.size - before.loaded),
        finished: next.finished + 1,
      };
    }
    case 'failed': {
      const next = finish(state, action.id, (item) =>
        item.status === 'downloading' || item.status === 'queued' || item.status === 'exists'
          ? // Its row and the totals say what it keeps, not what the failed attempt had received: a
            // write that failed on a full disk keeps nothing ("0 B of 10 GB", not "1.3 GB").
            {
              ...item,
              status: 'failed',
              ...idle,
              error: action.error,
              kept: action.kept ?? 0,
              loaded: action.kept ?? 0,
            }
          : null,
      );
      return next !== state && isHoldingError(action.error.code) && !next.held
        ? { ...next, held: action.error.code }
        : next;
    }
    case 'resumed':
      return state.held ? { ...state, held: null } : state;
    case 'discarded':
      return update(state, action.id, (item) =>
        item.status === 'failed' && item.kept > 0 ? { ...item, kept: 0, loaded: 0 } : null,
      );
    case 'cancelled':
      return finishMany(state, action.ids, (item) =>
        settled.includes(item.status) ? null : { ...item, status: 'cancelled', ...idle, kept: 0 },
      );
    case 'skipped':
      return finishMany(state, action.ids, (item) =>
        item.status === 'queued' || item.status === 'exists' ? { ...item, status: 'skipped', ...idle } : null,
      );
    case 'removed': {
      const gone = new Set(action.ids);
      const items = state.items.filter((item) => !(gone.has(item.id) && settled.includes(item.status)));
      if (items.length === state.items.length) return state;
      const index = new Map(items.map((item, i) => [item.id, i]));
      const itemSpeeds = new Map(state.itemSpeeds);
      for (const id of gone) itemSpeeds.delete(id);
      return { ...state, items, index, itemSpeeds };
    }
  }
}

/** A terminal transition: the rows' own speeds are dropped. */
function finish(
  state: DownloadState,
  id: string,
  change: (item: DownloadItem) => DownloadItem | null,
): DownloadState {
  return finishMany(state, [id], change);
}

function finishMany(
  state: DownloadState,
  ids: readonly string[],
  change: (item: DownloadItem) => DownloadItem | null,
): DownloadState {
  const next = updateMany(state, ids, change);
  if (next === state) return state;
  const itemSpeeds = new Map(next.itemSpeeds);
  for (const id of ids) itemSpeeds.delete(id);
  return { ...next, itemSpeeds };
}

export function toSnapshot(state: DownloadState): DownloadSnapshot {
  const counts: Record<DownloadStatus, number> = {
    queued: 0,
    exists: 0,
    downloading: 0,
    paused: 0,
    done: 0,
    failed: 0,
    cancelled: 0,
    skipped: 0,
  };
  let bytes = 0;
  let loaded = 0;
  let waiting = 0;
  /** Of the downloads running, those waiting (queued ones may wait for their link meanwhile). */
  let waitingRunning = 0;
  /** Downloads whose bytes should be coming now: running, not waiting, not saving or checking. */
  let fetching = 0;
  const waitedFor = new Set<DownloadWaiting>();
  let files = 0;
  /** What is queued or downloading: what the ETA is for ('exists' waits for the user). */
  let bytesLeft = 0;
  let filesLeft = 0;
  /** Files under way with every byte received: saving or being verified. */
  let finishing = 0;
  const failed: DownloadItem[] = [];
  const existing: DownloadItem[] = [];
  const renamed: DownloadItem[] = [];
  for (const item of state.items) {
    counts[item.status]++;
    if (item.waiting) {
      waiting++;
      waitedFor.add(item.waiting);
      if (item.status === 'downloading') waitingRunning++;
    }
    if (item.status === 'downloading' && !item.waiting && !item.saving && !item.verifying) fetching++;
    if (counted(item) || item.status === 'failed') {
      files++;
      bytes += item.size;
      loaded += item.loaded;
    }
    if (item.status === 'queued' || item.status === 'downloading') {
      // A file under way is counted by its bytes only (estimateEta); one with all of them, saving or
      // being verified, as finishing.
      if (item.loaded === 0) filesLeft++;
      else if (item.loaded >= item.size) finishing++;
      bytesLeft += Math.max(0, item.size - item.loaded);
    }
    if (item.status === 'failed') failed.push(item);
    if (item.status === 'exists') existing.push(item);
    if (item.status === 'done' && item.relativePath !== '' && item.relativePath !== item.keyPath)
      renamed.push(item);
  }
  const active = counts.queued + counts.downloading > 0;
  // Held with nothing running: nothing moves until the user frees space, so no speed and no ETA. Nor
  // while every running download waits (offline, the server or the store away): the window's rate is
  // of bytes that came before, and an ETA would grow for as long as the wait lasts.
  // Nor once nothing has come for `STALL_MS` (a hung store, before the rows say they wait for it).
  const stalled =
    (waiting > 0 && waitingRunning === counts.downloading) ||
    (fetching > 0 && sinceMoved(state.rates) >= STALL_MS);
  const moving = (state.held !== null ? counts.downloading > 0 : active) && !stalled;
  const rates = windowRates(state.rates);
  const speed = moving ? rates.bytesPerSecond : 0;
  unpublished.delete(state.items);
  return {
    items: state.items,
    index: state.index,
    failed,
    existing,
    renamed,
    totals: {
      counts,
      waiting,
      waitingFor: shownWaiting((reason) => waitedFor.has(reason)),
      bytes,
      loaded,
      files,
      complete: counts.done > 0 && counts.done === files,
      speed,
      eta:
        active && state.held === null && !stalled
          ? estimateEta({ bytes: bytesLeft, files: filesLeft, finishing }, rates)
          : null,
    },
    active,
    paused: counts.paused > 0,
    // Shown only while something waits on it: queued rows, or rows that hit the full disk.
    held:
      state.held !== null && (counts.queued > 0 || failed.some((item) => isHoldingError(item.error?.code))),
    heldFor: state.held,
  };
}
