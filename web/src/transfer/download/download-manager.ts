/**
 * The download engine as an external store: `subscribe` / `getSnapshot` for `useSyncExternalStore`,
 * commands to start, cancel, retry and settle conflicts. Framework-free and DOM-free: the folder is a
 * `Destination`, the network a `fetch`, the server an `DownloadApi`.
 *
 * Each item: existence check → ('exists' until resolved) → queued → fresh link → download into a file
 * opened on the destination → verify → commit. At most `concurrency` objects run at once and at most
 * `maxRequests` GETs are in flight in total, shared fairly between the running objects.
 */
import { MAX_LINKS_PER_CALL, type DownloadLink } from '../../../../server/shared/api-types.ts';
import { DEFAULT_BACKOFF } from '../shared/backoff.ts';
import { systemClock, type Clock } from '../shared/clock.ts';
import { FairScheduler } from '../shared/fair-scheduler.ts';
import { ThrottlePacer } from '../shared/throttle-pacer.ts';
import { browserOnline, waitUntilOnline, type OnlineSource } from '../shared/online.ts';
import { abortable, isAbortError, linkSignal } from '../shared/signals.ts';
import { isServerUnreachable, isSignedOut } from '../shared/api-error.ts';
import { DEFAULT_SERVER_WAIT_MS, serverWait } from '../shared/server-wait.ts';
import { PageSession, waitForSignIn, type SessionSource } from '../shared/session.ts';
import { StoreProbe } from '../shared/store-probe.ts';
import { taskLimit } from '../shared/task-limit.ts';
import type { Destination } from './destination.ts';
import type { DownloadApi, DownloadRequest } from './download-api.ts';
import { downloadObject, planDownloadCheck, planKey, type ObjectDownloadOptions } from './download-object.ts';
import {
  canRetryDownload,
  ownedDownloadReducer,
  initialDownloadState,
  toSnapshot,
  type DownloadAction,
  type DownloadSnapshot,
  type DownloadState,
  type DownloadStatus,
  type DownloadWaiting,
  shownWaiting,
  isHoldingError,
} from './download-state.ts';
import { fromApiError, fromWriteError, toErrorInfo } from './errors.ts';
import { foldPath, numberedPath, planRelativePaths, stripPrefix } from './key-to-relative-path.ts';
import { LinkHolder } from './link-holder.ts';
import { MIB } from './plan-ranges.ts';
import { defaultFetch, type FetchLike } from './range-transport.ts';
import { DEFAULT_WRITE_BUFFER_BYTES } from './read-body.ts';
import { commitDownload } from './commit-download.ts';
import { canResume, keptBytes, startResumePoint, type ResumePoint } from './resume-point.ts';
import { decideRetry } from './retry-policy.ts';
import { watchWrites, type WatchedFile } from './watched-file.ts';

/** A link, and when its answer arrived by the manager's clock. */
interface ReceivedLink {
  link: DownloadLink;
  receivedAt: number;
}

/** What to do with a file already in the folder; 'keep-both' saves the new one as "name (1).ext". */
export type ExistingChoice = 'replace' | 'skip' | 'keep-both';

export interface DownloadManagerOptions extends ObjectDownloadOptions {
  /** Objects downloading at once. */
  concurrency: number;
  /** GET requests in flight at once, across all objects. */
  maxRequests: number;
  /** What to do when the file is already in the folder: ask (state 'exists'), replace or skip. */
  onExisting: 'ask' | ExistingChoice;
  /** Subscribers are told at most once per this many ms. */
  notifyIntervalMs: number;
  /** While downloading, speeds are resampled at least this often, so a stall reads as slowing down. */
  heartbeatMs: number;
  fetch: FetchLike;
  clock: Clock;
  random: () => number;
  /** Default: the window's online/offline events when there is a window. Offline, downloads wait. */
  online?: OnlineSource;
  /**
   * The page's session with the Hoist server: a link call refused 401 says it is lost, and the
   * download waits ("Waiting for you to sign in…", no retry spent, bytes kept) until it is back.
   * Default: one of the manager's own.
   */
  session?: SessionSource;
}

export const DEFAULT_DOWNLOAD_OPTIONS = {
  concurrency: 6,
  rangeThreshold: 64 * MIB,
  rangeSize: 8 * MIB,
  rangeConcurrency: 4,
  maxRequests: 8,
  maxRetries: 5,
  writeBufferBytes: DEFAULT_WRITE_BUFFER_BYTES,
  stallTimeoutMs: 30_000,
  backoff: DEFAULT_BACKOFF,
  onExisting: 'ask',
  notifyIntervalMs: 50,
  heartbeatMs: 1000,
  fetch: defaultFetch,
  clock: systemClock,
  random: Math.random,
  serverWaitMs: DEFAULT_SERVER_WAIT_MS,
} satisfies DownloadManagerOptions;

interface Work {
  key: string;
  relativePath: string;
  destination: Destination;
  /** The user chose to replace the existing file (or onExisting is 'replace'). */
  replace: boolean;
  controller: AbortController | null;
  /** Settles when the running attempt has cleaned up (partial file removed). */
  running: Promise<void> | null;
  /**
   * The link fetched ahead in a batch with other queued objects, and when it arrived (it can wait in
   * the queue a while: its expiry counts from then); null: gone, or the server turned the batch down;
   * UNANSWERED: the batch got no answer, so this object asks again in a batch of its own turn.
   */
  prefetched: Promise<ReceivedLink | null | typeof UNANSWERED> | null;
  /**
   * A failed attempt's file, still open (its writes uncommitted, under its partial name), and what it
   * wrote: Retry goes on from there. Dropped (the file aborted) on cancel, destroy, or when the object
   * changed meanwhile. Never one a write failed on (it is errored for good).
   */
  partial: { file: WatchedFile; point: ResumePoint } | null;
  /**
   * Every byte is in and the file is being saved (and read back: 'verifying'): Pause leaves it to
   * finish; Cancel stops it, and removes the saved file.
   */
  saving: boolean;
  /**
   * The saved file is taking its name (close: a rename, or a copy where the browser refuses one). That
   * cannot be undone once begun: it may already have replaced the file the user had there, so Cancel
   * is too late now and the download ends Done a moment later, as a Complete that won over Cancel.
   */
  naming: boolean;
}

/** Failures after which the written ranges are worth keeping: the same bytes can still be fetched. */
const RESUMABLE = new Set<string>([
  'network',
  'throttled',
  'http-5xx',
  'expired-url',
  'http-403',
  'link-failed',
  'bad-response',
  // Not 'disk-full': the write that failed errored the file, and what it held is lost with it (see
  // watched-file.ts). Once space is freed, Resume writes that file again.
]);

/** The abort reason of an attempt stopped by Pause: it keeps what it wrote, as a failure would. */
const PAUSED = new DOMException('Paused', 'AbortError');

/** Not settled: the user may still get the file (a double click must not queue it twice). */
const UNSETTLED = new Set<DownloadStatus | undefined>(['queued', 'exists', 'downloading', 'paused']);

const MAX_NUMBERED_COPIES = 999;
/** Files looked for in the download folder at once (is it there already?) before downloading. */
const LOOKUPS_AT_ONCE = 16;

/** Links asked for per batch call: this object and the next ones in the queue. */
const LINK_BATCH = Math.min(50, MAX_LINKS_PER_CALL);
/**
 * A batch call the Hoist server never answered (restarting, or a proxy's 502 for an instance that
 * went away): the object that asked waits for a link of its own, the others batch again when their
 * turn comes, rather than each making its own call from then on.
 */
const UNANSWERED = Symbol('unanswered');

/** `id` claims `path` (beside any other item that does). */
function claim(claims: Map<string, Set<string>>, path: string, id: string): void {
  const ids = claims.get(path);
  if (ids) ids.add(id);
  else claims.set(path, new Set([id]));
}

/** `id` no longer claims `path`; the path stays claimed while another item does. */
function unclaim(claims: Map<string, Set<string>>, path: string, id: string): void {
  const ids = claims.get(path);
  if (!ids?.delete(id) || ids.size > 0) return;
  claims.delete(path);
}

export class DownloadManager {
  readonly #api: DownloadApi;
  readonly #options: DownloadManagerOptions & { online: OnlineSource; session: SessionSource };
  readonly #requests: FairScheduler;
  readonly #pacer: ThrottlePacer;
  readonly #controller = new AbortController();
  #state: DownloadState;
  #snapshot: DownloadSnapshot;
  #snapshotOf: DownloadState;
  readonly #listeners = new Set<() => void>();
  readonly #work = new Map<string, Work>();
  /** Ids ready to start, in order, from `#readyHead` on (a queue: no O(n) shift per start). */
  #ready: string[] = [];
  #readyHead = 0;
  #runningCount = 0;
  #pendingChecks = 0;
  /** Looks for files already in the folder (`#check`), `LOOKUPS_AT_ONCE` at a time. */
  readonly #lookups = taskLimit(LOOKUPS_AT_ONCE);
  #nextId = 1;
  /** Requests of an item waiting, by what for (its ranges wait one by one). */
  readonly #waits = new Map<string, Record<DownloadWaiting, number>>();
  /** Whether the store is down for the Hoist server too (asked when requests get no answer). */
  readonly #store: StoreProbe;
  /** Live bytes per downloading item, folded into the state when subscribers are told. */
  readonly #live = new Map<string, number>();
  #notifyScheduled = false;
  #notifyTimer: ReturnType<typeof setTimeout> | undefined;
  #lastNotify = -Infinity;
  #heartbeat: ReturnType<typeof setTimeout> | undefined;
  #idleWaiters: (() => void)[] = [];
  /**
   * Per folder, the paths this session's items write or wrote (folded: `foldPath`), each with the items
   * that claimed it: every item's, and those "keep both" handed out. A copy never gets the name another
   * download (say of the object "report (1).pdf") is about to write. An item's claims go with it when
   * it is taken off the list (its file, if saved, is in the folder to find); another item's claim on the
   * same path stays (two downloads of one name, the second waiting for the first). A folder picked
   * inside or around another keeps its paths in that one's (`#slot`).
   */
  readonly #claimedPaths = new WeakMap<Destination, Map<string, Set<string>>>();
  /**
   * Per folder, the item that writes each relative path: another download of the same path there (the
   * same folder downloaded from two places, two batches into one folder) waits for it to settle (a
   * failed one, until it gives up the bytes it kept), then finds its file and asks, so two downloads
   * never write one file at once, nor one's Resume replace the other's file unasked. Keyed by the
   * folded path: "Report.pdf" and "report.pdf" are one file on Windows and macOS.
   */
  readonly #writers = new WeakMap<Destination, Map<string, string>>();
  /**
   * Ids whose link another object's batch call may still ask for, in the order added. A batch looks at
   * each once (takes it, or drops one not queued or too big: it asks when it runs), so a folder of
   * 100k files costs O(n), not a scan of every item ever added per batch.
   */
  readonly #batchable = new Set<string>();
  /** Checks waiting on an item's writing to end, by that item's id. */
  readonly #writerWaiters = new Map<string, (() => void)[]>();

  constructor(api: DownloadApi, options: Partial<DownloadManagerOptions> = {}) {
    this.#api = api;
    this.#store = new StoreProbe(api.storeReachable && ((o) => api.storeReachable!(o)));
    this.#options = {
      ...DEFAULT_DOWNLOAD_OPTIONS,
      ...options,
      online: options.online ?? browserOnline(),
      session: options.session ?? new PageSession(),
    };
    this.#requests = new FairScheduler(this.#options.maxRequests);
    this.#pacer = new ThrottlePacer(this.#requests, this.#options.maxRequests, this.#options.clock);
    this.#state = initialDownloadState();
    this.#snapshotOf = this.#state;
    this.#snapshot = toSnapshot(this.#state);
  }

  // ── store ──────────────────────────────────────────────────────────────────────────────────────

  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  /** The same object until something changes. */
  getSnapshot = (): DownloadSnapshot => {
    if (this.#snapshotOf !== this.#state) {
      this.#snapshotOf = this.#state;
      this.#snapshot = toSnapshot(this.#state);
    }
    return this.#snapshot;
  };

  /** Resolves when nothing is queued, checking or downloading (items in 'exists' wait for the user). */
  whenIdle(): Promise<void> {
    if (this.#isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  // ── commands ───────────────────────────────────────────────────────────────────────────────────

  /**
   * Adds objects to download into `destination`; returns their ids in order. An object already
   * queued, waiting for an answer or downloading into the same destination is not added again (a
   * double click): its id is returned instead.
   */
  start(items: readonly DownloadRequest[], destination: Destination, o: { prefix?: string } = {}): string[] {
    if (this.#controller.signal.aborted) throw new Error('DownloadManager was destroyed');
    const pending = this.#pendingIn(destination);
    // Asked for again after it failed holding saved bytes: that download goes on (a new row for it
    // would only wait for the failed one's path, "Queued" for ever).
    const again = this.#failedHoldingIn(destination);
    const retrying = items.flatMap((item) => {
      const id = pending.has(item.key) ? undefined : again.get(item.key);
      if (id !== undefined) pending.set(item.key, id);
      return id === undefined ? [] : [id];
    });
    this.#retry(retrying);
    const fresh = items.filter((item) => !pending.has(item.key));
    const paths = planRelativePaths(
      fresh.map((item) => item.key),
      o.prefix ?? '',
    );
    const added = fresh.map((item, i) => ({
      id: `d${this.#nextId++}`,
      key: item.key,
      relativePath: paths[i] ?? null,
      keyPath: stripPrefix(item.key, o.prefix ?? ''),
      folder: destination.name ?? null,
      size: item.size,
      etag: item.etag,
    }));
    this.#dispatch({ type: 'added', items: added });
    for (const item of added) {
      if (item.relativePath === null) continue;
      const { claims, path } = this.#slot(destination, item.relativePath);
      claim(claims, path, item.id);
      this.#work.set(item.id, {
        key: item.key,
        relativePath: item.relativePath,
        destination,
        replace: this.#options.onExisting === 'replace',
        controller: null,
        running: null,
        prefetched: null,
        partial: null,
        saving: false,
        naming: false,
      });
      this.#batchable.add(item.id);
      void this.#check(item.id);
    }
    const ids = new Map([...pending, ...added.map((item) => [item.key, item.id] as const)]);
    return items.map((item) => ids.get(item.key)!);
  }

  /**
   * The claims and writers that count for `relativePath` in `destination`, and its key in them: those
   * of the folder it lies in that was picked first (`#place`).
   */
  #slot(destination: Destination, relativePath: string) {
    const { folder, path } = this.#place(destination, relativePath);
    let claims = this.#claimedPaths.get(folder);
    if (!claims) this.#claimedPaths.set(folder, (claims = new Map()));
    let writers = this.#writers.get(folder);
    if (!writers) this.#writers.set(folder, (writers = new Map()));
    return { claims, writers, path };
  }

  /**
   * Where a file lies in the folder picked first of those that hold it, its path folded: a file in
   * "Downloads/photos" downloaded into "Downloads" and into "Downloads/photos" (picked each for a
   * download) is one file, found in one place, so one download waits for the other and then asks
   * about its file, as in one folder. Overlaps only ever name folders picked before, so this ends.
   */
  #place(destination: Destination, relativePath: string): { folder: Destination; path: string } {
    const path = foldPath(relativePath);
    for (const overlap of destination.overlaps ?? []) {
      const at = foldPath(overlap.path);
      if (overlap.relation === 'inside') return this.#place(overlap.destination, `${at}/${path}`);
      if (path.startsWith(`${at}/`)) return this.#place(overlap.destination, path.slice(at.length + 1));
    }
    return { folder: destination, path };
  }

  /** Key → id of the items not settled yet (queued, 'exists', downloading, paused) into `destination`. */
  #pendingIn(destination: Destination): Map<string, string> {
    const pending = new Map<string, string>();
    for (const item of this.#state.items) {
      if (!UNSETTLED.has(item.status)) continue;
      if (this.#work.get(item.id)?.destination === destination) pending.set(item.key, item.id);
    }
    return pending;
  }

  /** Key → id of the failed items holding saved bytes in `destination` (their Retry goes on from them). */
  #failedHoldingIn(destination: Destination): Map<string, string> {
    const holding = new Map<string, string>();
    for (const item of this.#state.items) {
      if (item.status !== 'failed') continue;
      const work = this.#work.get(item.id);
      if (work?.destination === destination && work.partial) holding.set(item.key, item.id);
    }
    return holding;
  }

  /** Cancels one item: its requests are aborted at once and its partial file removed. */
  cancel(id: string): void {
    this.#cancel([id]);
  }

  /** One state change for all of `ids` (cancelling 10,000 rows is one copy of the list, not 10,000). */
  #cancel(ids: readonly string[]): void {
    const cancelling = ids.filter((id) => UNSETTLED.has(this.#status(id)) && !this.#work.get(id)?.naming);
    if (cancelling.length === 0) return;
    // State first, so nothing new starts for these items; then abort what runs.
    this.#dispatch({ type: 'cancelled', ids: cancelling });
    for (const id of cancelling) {
      this.#live.delete(id);
      const work = this.#work.get(id);
      work?.controller?.abort();
      if (work) this.#dropPartial(work);
    }
  }

  /** Gives up what a failed attempt kept: a failed item's Retry then starts from byte 0. */
  discardPartial(id: string): void {
    const work = this.#work.get(id);
    if (!work?.partial || this.#status(id) !== 'failed') return;
    this.#dropPartial(work);
    this.#dispatch({ type: 'discarded', id });
  }

  /** Aborts a kept partial file; a later attempt waits for that (via `running`) before it checks. */
  #dropPartial(work: Work): void {
    const partial = work.partial;
    if (!partial) return;
    work.partial = null;
    const before = work.running;
    // Never a rejection: a later attempt awaits this before it checks, and one that threw out of that
    // wait would leave its item queued with nothing to start it.
    work.running = Promise.resolve(before)
      .catch(() => {})
      .then(() => partial.file.abort())
      .catch(() => {});
  }

  cancelAll(): void {
    this.#cancel(this.#state.items.map((item) => item.id));
  }

  /**
   * Pauses one item: its requests are aborted at once, and what it wrote stays in its still-open file
   * for Resume to go on from (as a browser pauses a download). A queued item just waits.
   */
  pause(id: string): void {
    this.#pause([id]);
  }

  pauseAll(): void {
    this.#pause(this.#state.items.map((item) => item.id));
  }

  #pause(ids: readonly string[]): void {
    // One whose bytes are all in and being saved is left to finish: pausing it would gain nothing.
    const pausing = ids.filter((id) => {
      const status = this.#status(id);
      return (status === 'queued' || status === 'downloading') && !this.#work.get(id)?.saving;
    });
    if (pausing.length === 0) return;
    // The bytes counted so far go in first (the flush empties `#live`): the row keeps them as kept.
    this.#flushProgress();
    this.#dispatch({ type: 'paused', ids: pausing });
    for (const id of pausing) this.#work.get(id)?.controller?.abort(PAUSED);
  }

  /** Goes on with a paused item from the bytes it kept (once its stopped attempt has kept them). */
  resume(id: string): void {
    this.#resume([id]);
  }

  resumeAll(): void {
    this.#resume(this.#state.items.filter((item) => item.status === 'paused').map((item) => item.id));
  }

  #resume(ids: readonly string[]): void {
    const resuming = ids.filter((id) => this.#work.has(id) && this.#status(id) === 'paused');
    if (resuming.length === 0) return;
    this.#dispatch({ type: 'queued', ids: resuming });
    for (const id of resuming) void this.#check(id, this.#work.get(id)?.running ?? undefined);
  }

  /**
   * Tries a failed or cancelled item again, with a fresh link (not one no retry can bring through).
   * Called from a click: one that failed for want of permission to its folder asks for it first.
   */
  retry(id: string): void {
    this.#afterAccess([id], () => this.#retry([id]));
  }

  retryFailed(): void {
    const ids = this.#state.items.filter((item) => item.status === 'failed').map((item) => item.id);
    this.#afterAccess(ids, () => this.#retry(ids));
  }

  /**
   * After the folder ran out of space and the user freed some, or its permission was withdrawn (then
   * asked for again here, in the click's turn): the held queue goes on, and the downloads that failed
   * so try again (from what they kept).
   */
  resumeHeld(): void {
    const ids = this.#state.items
      .filter((item) => item.status === 'failed' && isHoldingError(item.error?.code))
      .map((item) => item.id);
    // The folders the queue writes to are asked too: the row that failed may have been removed, and the
    // next file would only fail the same way.
    const queued = () => this.#state.items.filter((item) => item.status === 'queued').map((item) => item.id);
    const destinations =
      this.#state.held === 'no-permission' ? this.#destinationsOf([...ids, ...queued()], true) : [];
    this.#afterAccess(
      ids,
      () => {
        this.#dispatch({ type: 'resumed' });
        this.#retry(ids);
        this.#pump();
      },
      destinations,
    );
  }

  /** The folders of `ids` (only those that failed for want of permission, with `all` false). */
  #destinationsOf(ids: readonly string[], all = false): Destination[] {
    const found = new Set<Destination>();
    for (const id of ids) {
      const i = this.#state.index.get(id);
      const item = i === undefined ? undefined : this.#state.items[i];
      const work = this.#work.get(id);
      if (work && (all || item?.error?.code === 'no-permission')) found.add(work.destination);
    }
    return [...found];
  }

  /**
   * Runs `then` once the folders of the items that failed for want of permission were asked for it
   * again and allowed it (at once when there are none: the browser asks only in a click's turn, so the
   * asking starts before any await).
   */
  #afterAccess(ids: readonly string[], then: () => void, extra: readonly Destination[] = []): void {
    const destinations = new Set([...this.#destinationsOf(ids), ...extra]);
    const asked = [...destinations].flatMap((d) =>
      d.requestAccess ? [d.requestAccess().catch(() => false)] : [],
    );
    if (asked.length === 0) return then();
    // Refused: nothing is tried again (each would only fail the same way); the queue stays held.
    void Promise.all(asked).then((answers) => {
      if (answers.every(Boolean)) then();
    });
  }

  #retry(ids: readonly string[]): void {
    const retrying = ids.filter((id) => {
      const i = this.#state.index.get(id);
      const item = i === undefined ? undefined : this.#state.items[i];
      return this.#work.has(id) && item !== undefined && canRetryDownload(item);
    });
    if (retrying.length === 0) return;
    for (const id of retrying) {
      const work = this.#work.get(id)!;
      // "Replace" was said of the file there then: if another download wrote the path since, that
      // file is not the one the user chose to replace, so the folder is asked again.
      const { writers, path } = this.#slot(work.destination, work.relativePath);
      const writer = writers.get(path);
      if (writer !== undefined && writer !== id) work.replace = this.#options.onExisting === 'replace';
    }
    // Retrying says there is room again: a queue held on a full disk goes on too.
    this.#dispatch({ type: 'resumed' });
    this.#dispatch({ type: 'queued', ids: retrying });
    // A cancelled attempt may still be removing its partial file: check again once it has.
    for (const id of retrying) void this.#check(id, this.#work.get(id)?.running ?? undefined);
  }

  /** Drops finished rows (done, cancelled, skipped) from the list; totals then count what is left. */
  clearFinished(): void {
    const finished = this.#state.items
      .filter((item) => item.status === 'done' || item.status === 'cancelled' || item.status === 'skipped')
      .map((item) => item.id);
    this.#forget(finished);
  }

  /**
   * Takes one finished or failed row off the list. A failed row's kept partial file is aborted
   * first: nothing removed from the list stays open.
   */
  remove(id: string): void {
    const status = this.#status(id);
    if (status !== 'done' && status !== 'cancelled' && status !== 'skipped' && status !== 'failed') return;
    this.#forget([id]);
  }

  /**
   * Rows and their work gone; a cancelled attempt still removes its partial file in the background. Their
   * paths are no longer theirs: claims and writers that still name them go.
   */
  #forget(ids: readonly string[]): void {
    if (ids.length === 0) return;
    for (const id of ids) {
      const work = this.#work.get(id);
      if (work) {
        this.#dropPartial(work);
        const { claims, writers, path } = this.#slot(work.destination, work.relativePath);
        unclaim(claims, path, id);
        if (writers.get(path) === id) writers.delete(path);
      }
      this.#work.delete(id);
      this.#live.delete(id);
      this.#batchable.delete(id);
    }
    this.#dispatch({ type: 'removed', ids });
  }

  /** Whether a row still in the list goes into `destination` (the page forgets folders no row uses). */
  uses(destination: Destination): boolean {
    for (const work of this.#work.values()) if (work.destination === destination) return true;
    return false;
  }

  resolveExisting(id: string, choice: ExistingChoice): void {
    this.#resolve([id], choice);
  }

  resolveAllExisting(choice: ExistingChoice): void {
    this.#resolve(
      this.#state.items.filter((item) => item.status === 'exists').map((item) => item.id),
      choice,
    );
  }

  #resolve(ids: readonly string[], choice: ExistingChoice): void {
    const asking = ids.filter((id) => this.#work.has(id) && this.#status(id) === 'exists');
    if (asking.length === 0) return;
    if (choice === 'skip') {
      this.#dispatch({ type: 'skipped', ids: asking });
      return;
    }
    if (choice === 'keep-both') {
      for (const id of asking) void this.#keepBoth(id, this.#work.get(id)!);
      return;
    }
    for (const id of asking) this.#work.get(id)!.replace = true;
    this.#dispatch({ type: 'queued', ids: asking });
    for (const id of asking) this.#ready.push(id);
    this.#pump();
  }

  /** The first "name (n).ext" free in the folder, then downloads there (as browsers name a second copy). */
  async #keepBoth(id: string, work: Work): Promise<void> {
    this.#pendingChecks++;
    const claimed = (relativePath: string) => {
      const { claims, path } = this.#slot(work.destination, relativePath);
      return claims.has(path);
    };
    try {
      for (let n = 1; n <= MAX_NUMBERED_COPIES; n++) {
        const candidate = numberedPath(work.relativePath, n);
        if (claimed(candidate)) continue;
        let taken: boolean;
        try {
          // A few at a time, as the first look-up: "Keep both for all" of 5,000 files is as many rows.
          taken =
            (await this.#lookups(() =>
              this.#status(id) === 'exists'
                ? work.destination.stat(candidate, { signal: this.#controller.signal })
                : Promise.resolve(null),
            )) !== null;
        } catch (error) {
          this.#dispatch({
            type: 'failed',
            id,
            error: toErrorInfo(fromWriteError(candidate, 'create', error)),
          });
          return;
        }
        if (taken || claimed(candidate)) continue;
        if (this.#status(id) !== 'exists') return;
        // The name it gives up is the file already there's now (found by `stat`).
        const from = this.#slot(work.destination, work.relativePath);
        const to = this.#slot(work.destination, candidate);
        unclaim(from.claims, from.path, id);
        claim(to.claims, to.path, id);
        if (from.writers.get(from.path) === id) from.writers.delete(from.path);
        to.writers.set(to.path, id);
        work.relativePath = candidate;
        this.#wakeWaitersOn(id);
        this.#dispatch({ type: 'renamed', id, relativePath: candidate });
        this.#dispatch({ type: 'queued', ids: [id] });
        this.#enqueue(id);
        return;
      }
      this.#dispatch({
        type: 'failed',
        id,
        error: { code: 'write-failed', message: `No free name for a copy of "${work.relativePath}".` },
      });
    } finally {
      this.#pendingChecks--;
      this.#settleIdle();
    }
  }

  /** Aborts everything and stops notifying; partial files are still removed in the background. */
  destroy(): void {
    this.cancelAll();
    for (const work of this.#work.values()) this.#dropPartial(work);
    this.#controller.abort();
    this.#listeners.clear();
    clearTimeout(this.#notifyTimer);
    clearTimeout(this.#heartbeat);
  }

  // ── internals ──────────────────────────────────────────────────────────────────────────────────

  #status(id: string) {
    const i = this.#state.index.get(id);
    return i === undefined ? undefined : this.#state.items[i]?.status;
  }

  #dispatch(action: DownloadAction): void {
    const next = ownedDownloadReducer(this.#state, action);
    if (next === this.#state) return;
    this.#state = next;
    for (const id of this.#writerWaiters.keys()) if (!this.#holdsPath(id)) this.#wakeWaitersOn(id);
    this.#scheduleNotify();
  }

  /**
   * `id` writes its path or may still: it is not settled, or it failed holding bytes its Resume goes
   * on from into that path (a download run meanwhile would be replaced by it, and on a real disk it
   * would share its partial file).
   */
  #holdsPath(id: string): boolean {
    const status = this.#status(id);
    const work = this.#work.get(id);
    return (
      UNSETTLED.has(status) ||
      // Cancelled while saving: the attempt still ends (and removes what it saved) before another goes.
      work?.controller != null ||
      (status === 'failed' && work?.partial != null)
    );
  }

  /**
   * Makes `id` the writer of its path in its folder, or returns the item that holds it now.
   */
  #claimWrite(id: string, work: Work): string | undefined {
    const { writers, path } = this.#slot(work.destination, work.relativePath);
    const writer = writers.get(path);
    if (writer !== undefined && writer !== id && this.#holdsPath(writer)) return writer;
    writers.set(path, id);
    return undefined;
  }

  #writeEnded(writer: string): Promise<void> {
    return new Promise((resolve) => {
      const waiters = this.#writerWaiters.get(writer) ?? [];
      waiters.push(resolve);
      this.#writerWaiters.set(writer, waiters);
    });
  }

  /** Each check woken counts as pending again at once: the queue is not idle before it has gone on. */
  #wakeWaitersOn(writer: string): void {
    const waiters = this.#writerWaiters.get(writer);
    this.#writerWaiters.delete(writer);
    this.#pendingChecks += waiters?.length ?? 0;
    for (const resolve of waiters ?? []) resolve();
  }

  #scheduleNotify(): void {
    if (this.#notifyScheduled || this.#controller.signal.aborted) return;
    this.#notifyScheduled = true;
    const wait = Math.min(
      this.#options.notifyIntervalMs,
      this.#lastNotify + this.#options.notifyIntervalMs - this.#options.clock.now(),
    );
    if (wait <= 0) queueMicrotask(() => this.#notify());
    else this.#notifyTimer = setTimeout(() => this.#notify(), wait);
  }

  #flushProgress(): void {
    if (this.#live.size === 0) return;
    const loaded = new Map(this.#live);
    this.#live.clear();
    this.#state = ownedDownloadReducer(this.#state, {
      type: 'progress',
      loaded,
      now: this.#options.clock.now(),
    });
  }

  #notify(): void {
    this.#notifyScheduled = false;
    this.#notifyTimer = undefined;
    if (this.#controller.signal.aborted) return;
    this.#flushProgress();
    this.#lastNotify = this.#options.clock.now();
    this.#scheduleHeartbeat();
    for (const listener of [...this.#listeners]) listener();
  }

  #scheduleHeartbeat(): void {
    if (this.#heartbeat !== undefined || this.getSnapshot().totals.counts.downloading === 0) return;
    this.#heartbeat = setTimeout(() => {
      this.#heartbeat = undefined;
      const loaded = new Map<string, number>();
      for (const item of this.#state.items) {
        if (item.status === 'downloading') loaded.set(item.id, this.#live.get(item.id) ?? item.loaded);
      }
      this.#live.clear();
      this.#dispatch({ type: 'progress', loaded, now: this.#options.clock.now() });
    }, this.#options.heartbeatMs);
  }

  /** Nothing running or being checked, and nothing queued that could start (held: nothing can). */
  #isIdle(): boolean {
    return (
      this.#runningCount === 0 &&
      this.#pendingChecks === 0 &&
      (this.#state.held !== null || this.#readyHead >= this.#ready.length)
    );
  }

  #settleIdle(): void {
    if (!this.#isIdle()) return;
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  /** Decides where a queued item goes: ready, 'exists' or skipped. Runs after `after` settles. */
  async #check(id: string, after?: Promise<void>): Promise<void> {
    this.#pendingChecks++;
    let existing: { size: number } | null = null;
    try {
      await after;
      const work = this.#work.get(id);
      if (!work || this.#status(id) !== 'queued') return;
      for (
        let writer = this.#claimWrite(id, work);
        writer !== undefined;
        writer = this.#claimWrite(id, work)
      ) {
        // Waiting on another download is not checking: the queue can be idle meanwhile.
        this.#pendingChecks--;
        this.#settleIdle();
        this.#dispatch({ type: 'behind', id, behind: writer }); // the row says for whom it waits
        await this.#writeEnded(writer); // counted as pending again by the waker
        if (this.#status(id) !== 'queued') return;
      }
      this.#dispatch({ type: 'behind', id, behind: null });
      // Replacing, or going on with a file this download already holds open.
      if (work.replace || work.partial) {
        this.#enqueue(id);
        return;
      }
      try {
        // A few at a time, in list order: a big folder's first files start while the rest are looked up.
        existing = await this.#lookups(() =>
          this.#status(id) === 'queued'
            ? work.destination.stat(work.relativePath, { signal: this.#controller.signal })
            : Promise.resolve(null),
        );
      } catch {
        // Can't tell (permission prompt dismissed…): opening the file will say what is wrong.
      }
      if (this.#status(id) !== 'queued') return;
      if (!existing) this.#enqueue(id);
      else if (this.#options.onExisting === 'skip') this.#dispatch({ type: 'skipped', ids: [id] });
      // Its size goes with the question: a file left empty by a closed tab must not look like a copy.
      else this.#dispatch({ type: 'exists', id, existingSize: existing.size });
    } finally {
      this.#pendingChecks--;
      this.#settleIdle();
    }
  }

  #enqueue(id: string): void {
    this.#ready.push(id);
    this.#pump();
  }

  #pump(): void {
    while (
      this.#state.held === null &&
      this.#runningCount < this.#options.concurrency &&
      this.#readyHead < this.#ready.length
    ) {
      const id = this.#ready[this.#readyHead++];
      if (this.#readyHead >= this.#ready.length) {
        this.#ready = [];
        this.#readyHead = 0;
      } else if (this.#readyHead > 1024 && this.#readyHead * 2 > this.#ready.length) {
        this.#ready = this.#ready.slice(this.#readyHead);
        this.#readyHead = 0;
      }
      const work = id === undefined ? undefined : this.#work.get(id);
      // An id can be in the queue twice (paused while queued, then resumed): it runs once at a time.
      if (id === undefined || !work || work.controller !== null || this.#status(id) !== 'queued') continue;
      this.#runningCount++;
      const controller = new AbortController();
      linkSignal(this.#controller.signal, controller);
      work.controller = controller;
      work.running = this.#run(id, work, controller.signal).finally(() => {
        this.#runningCount--;
        if (work.controller === controller) work.controller = null;
        controller.abort(); // drops the link to the manager's signal
        this.#live.delete(id);
        if (!this.#holdsPath(id)) this.#wakeWaitersOn(id);
        this.#pump();
      });
    }
    this.#settleIdle();
  }

  /**
   * Counts the requests of `id` waiting, for the connection, the Hoist server or the store; the row
   * says so while any does (the first in WAITING_ORDER: the store is what the others wait on then).
   */
  #waiting(id: string, waiting: boolean, reason: DownloadWaiting = 'connection'): void {
    const counts = this.#waits.get(id) ?? { connection: 0, server: 0, store: 0, 'sign-in': 0 };
    counts[reason] += waiting ? 1 : -1;
    const shown = shownWaiting((r) => counts[r] > 0);
    if (shown) this.#waits.set(id, counts);
    else this.#waits.delete(id);
    this.#dispatch({ type: 'waiting', id, waiting: shown });
  }

  async #waitForConnection(id: string, signal: AbortSignal): Promise<void> {
    this.#waiting(id, true);
    try {
      await waitUntilOnline(this.#options.online, { signal });
    } finally {
      this.#waiting(id, false);
    }
  }

  /**
   * A fresh link for `key`: retried per the policy; offline time, a Hoist server that cannot be
   * reached (restarting) and a lost session (until signed in again) are waited out, spending no
   * retry, as uploads' API calls do.
   */
  async #link(id: string, key: string, signal: AbortSignal, versionId?: string): Promise<DownloadLink> {
    const { online } = this.#options;
    const server = serverWait(this.#options);
    let waitingForServer = false;
    const serverAnswered = () => {
      if (waitingForServer) this.#waiting(id, false, 'server');
      waitingForServer = false;
    };
    try {
      for (let failures = 0; ;) {
        try {
          if (!online.isOnline()) await this.#waitForConnection(id, signal);
          return await this.#api.link(key, { signal, ...(versionId !== undefined && { versionId }) });
        } catch (thrown) {
          if (signal.aborted || isAbortError(thrown)) throw signal.reason ?? thrown;
          if (!online.isOnline()) continue; // offline: no retry spent, the next try waits
          if (isSignedOut(thrown)) {
            // The session is lost (expired, or the access token changed): held, no retry spent and
            // nothing it saved given up, until the page is signed in again.
            serverAnswered();
            await waitForSignIn(this.#options.session, (waiting) => this.#waiting(id, waiting, 'sign-in'), {
              signal,
            });
            continue;
          }
          if (server.shouldWait(thrown)) {
            if (!waitingForServer) this.#waiting(id, true, 'server');
            waitingForServer = true;
            await server.sleep(signal);
            continue;
          }
          serverAnswered();
          const error = fromApiError(key, thrown);
          const decision = decideRetry(error, failures + 1, this.#options);
          if (decision.action !== 'retry') throw error;
          failures++;
          await this.#options.clock.sleep(decision.delayMs, { signal });
        }
      }
    } finally {
      serverAnswered();
    }
  }

  /**
   * This object's link from a batch call that also covers the next queued objects, so they start
   * without their own API round trip. null: ask alone with `#link` (a big object, a key the batch did
   * not sign, a batch the server turned down). A batch that got no answer is asked again by the next
   * of its objects to run, with those after it: a restart costs a call per batch, not one per file.
   */
  async #batchedLink(id: string, work: Work, signal: AbortSignal): Promise<ReceivedLink | null> {
    const api = this.#api;
    if (!api.links) return null;
    if (work.prefetched) {
      const pending = work.prefetched;
      work.prefetched = null;
      const got = await abortable(pending, signal);
      if (got !== UNANSWERED) return got;
    }
    const small = (itemId: string) => {
      const i = this.#state.index.get(itemId);
      const item = i === undefined ? undefined : this.#state.items[i];
      return item !== undefined && item.status === 'queued' && item.size < this.#options.rangeThreshold;
    };
    this.#batchable.delete(id);
    if (!small(id)) return null;
    // Small objects still queued, in order; a big one gains nothing (its transfer dwarfs one call)
    // and its link could expire before its turn.
    const batch = new Map<string, Work>();
    for (const otherId of this.#batchable) {
      if (batch.size + 1 >= LINK_BATCH) break;
      this.#batchable.delete(otherId);
      const next = this.#work.get(otherId);
      if (next && !next.prefetched && small(otherId)) batch.set(otherId, next);
    }
    const waiting = new Map<Work, Promise<ReceivedLink | null | typeof UNANSWERED>>();
    const call = api
      .links([work.key, ...[...batch.values()].map((w) => w.key)], { signal: this.#controller.signal })
      .then(
        (answer) => {
          const receivedAt = this.#options.clock.now();
          return new Map(answer.links.map((link) => [link.key, { link, receivedAt }]));
        },
        (error: unknown) => {
          if (!isServerUnreachable(error)) return new Map<string, ReceivedLink>();
          // Those still waiting for their turn go back to the front of the line: the next of them
          // to run asks again for itself and the others.
          const again = [...batch]
            .filter(([otherId, w]) => this.#work.get(otherId) === w && w.prefetched === waiting.get(w))
            .map(([otherId]) => otherId);
          const rest = [...this.#batchable];
          this.#batchable.clear();
          for (const otherId of [...again, ...rest]) this.#batchable.add(otherId);
          for (const otherId of again) batch.get(otherId)!.prefetched = null;
          return UNANSWERED;
        },
      );
    for (const w of batch.values()) {
      w.prefetched = call.then((links) => (links === UNANSWERED ? links : (links.get(w.key) ?? null)));
      waiting.set(w, w.prefetched);
    }
    const links = await abortable(call, signal);
    return links === UNANSWERED ? null : (links.get(work.key) ?? null);
  }

  /** `relinked`: a link signed ahead met another version; this attempt asks for its own. */
  async #run(id: string, work: Work, signal: AbortSignal, relinked = false): Promise<void> {
    const { key, relativePath, destination } = work;
    // What a failed attempt kept is this attempt's from now on: kept again if this one fails the
    // same way, aborted if it is cancelled.
    let file: WatchedFile | null = work.partial?.file ?? null;
    let point: ResumePoint | undefined = work.partial?.point;
    work.partial = null;
    work.saving = false;
    work.naming = false;
    let batched: ReceivedLink | null = null;
    try {
      batched = relinked ? null : await this.#batchedLink(id, work, signal);
      const link = batched?.link ?? (await this.#link(id, key, signal));
      signal.throwIfAborted();
      const { rangeSize } = this.#options;
      const checkOf = (f: WatchedFile) =>
        planKey(planDownloadCheck(link, { ...this.#options, canReadBack: typeof f.read === 'function' }));
      if (file && point && !canResume(point, link, rangeSize, checkOf(file))) {
        const stale = file;
        file = null;
        point = undefined;
        await stale.abort(); // another version, or checked otherwise, now: start over
      }
      this.#dispatch({
        type: 'started',
        id,
        size: link.size,
        etag: link.etag,
        loaded: point ? keptBytes(point) : 0,
        now: this.#options.clock.now(),
      });
      // Renewed mid-download, a link on a versioned bucket names the version this run began with.
      const links = new LinkHolder(link, (o) => this.#link(id, key, o.signal ?? signal, link.versionId), {
        now: () => this.#options.clock.now(),
        receivedAt: batched?.receivedAt,
      });
      try {
        file ??= watchWrites(await destination.openFile(relativePath, { size: link.size, signal }));
      } catch (error) {
        signal.throwIfAborted();
        throw fromWriteError(relativePath, 'create', error);
      }
      point ??= startResumePoint(link, rangeSize, checkOf(file));
      const result = await downloadObject(
        {
          id,
          key,
          links,
          file,
          fetch: this.#options.fetch,
          requests: this.#requests,
          pacer: this.#pacer,
          options: this.#options,
          clock: this.#options.clock,
          random: this.#options.random,
          canReadBack: typeof file.read === 'function',
          onProgress: (loaded) => {
            this.#live.set(id, loaded);
            this.#scheduleNotify();
          },
          onRetry: (error, retries) => this.#dispatch({ type: 'retrying', id, retries, after: error.code }),
          online: this.#options.online,
          onWaiting: (waiting, reason) => this.#waiting(id, waiting, reason),
          store: this.#store,
          session: this.#options.session,
          resume: point,
        },
        { signal },
      );
      signal.throwIfAborted();
      work.saving = true;
      this.#flushProgress();
      this.#dispatch({ type: 'saving', id });
      const committing = file;
      file = null;
      const { verification, against } = await commitDownload(
        committing,
        result,
        {
          key,
          relativePath,
          onVerifying: () => {
            this.#flushProgress();
            this.#dispatch({ type: 'verifying', id });
          },
          onNaming: (naming) => {
            work.naming = naming;
          },
        },
        { signal },
      );
      this.#flushProgress();
      this.#dispatch({ type: 'done', id, verification, against });
    } catch (error) {
      const cancelled = signal.aborted || isAbortError(error);
      const status = this.#status(id);
      if (cancelled && signal.reason === PAUSED && (status === 'paused' || status === 'queued')) {
        // Paused (and maybe resumed already: that attempt waits for this one to settle): what was
        // written stays in the open file for Resume. Cancelled since, it goes like any other.
        const kept = point ? keptBytes(point) : 0;
        if (file && point && kept > 0 && !file.broken) work.partial = { file, point };
        else if (file) await file.abort();
        this.#dispatch({ type: 'kept', id, kept: work.partial ? kept : 0 });
        return;
      }
      const info = toErrorInfo(error);
      // A link signed ahead, in a batch, met another version before a byte was kept: the object changed
      // while this one waited in the queue, not during its download. Once, with a fresh link.
      if (!cancelled && info.code === 'changed' && batched && !(point && keptBytes(point) > 0)) {
        if (file) await file.abort();
        return this.#run(id, work, signal, true);
      }
      // Proved wrong before it took its name: the file the user chose to replace is still there.
      if (info.code === 'corrupt' && work.replace) {
        info.message += ` The file already at "${relativePath}" was left as it was.`;
      }
      const keep =
        !cancelled &&
        file !== null &&
        !file.broken &&
        point !== undefined &&
        keptBytes(point) > 0 &&
        RESUMABLE.has(info.code);
      if (keep) work.partial = { file: file!, point: point! };
      // Failed before the file is discarded: a Pause meanwhile must not keep (and say saved) bytes
      // that go, nor hide the failure. Cancelled: already in the state.
      if (!cancelled) this.#dispatch({ type: 'failed', id, error: info, kept: keep ? keptBytes(point!) : 0 });
      if (!keep && file) await file.abort();
    }
  }
}
