/**
 * The upload engine: one per page, an external store (`subscribe`/`getSnapshot`) the UI reads with
 * `useSyncExternalStore`. Each file: create → (conflict?) → hash + sign in batches → PUT parts in
 * parallel (a page-wide, fairly shared pool of part requests) → complete. Pause, cancel, retry and
 * resume-after-reload all continue from what S3 confirms (ListParts), never from guesses.
 *
 * Choices worth knowing:
 * - Cancel follows AWS semantics: 'cancelling' at once, in-flight requests (including a pending
 *   Complete) aborted, then `api.abort`; 'cancelled' only once the server confirms. If the server
 *   answers `already-completed` (Complete won the race), the file is 'done' with a `note`: the object
 *   exists and we say so rather than pretend it was removed. A 404 from abort counts as cancelled.
 * - A create already sent is never aborted (its upload would be orphaned): cancel/pause wait for it.
 * - Progress counts bytes S3 confirmed (finished parts); it goes down only when ListParts shows
 *   that a part we counted is missing (retry/resume after a failure). Apart from it, `bytesSending`
 *   estimates how far the parts in flight have got from the measured rate (sending-estimate.ts),
 *   updated every `ESTIMATE_TICK_MS` while parts are in flight, so bars move between part answers.
 * - A "for all" conflict choice (`resolveAllConflicts`) holds for every file in the list when it was
 *   made, also those whose name is found taken later (at create or at Complete); files added after
 *   it ask again.
 * - `destroy()` leaves multipart uploads on the server: with a journal they resume on the next visit.
 *
 * This class keeps the list, the queue, the public commands and the rows (reduced in upload-state.ts).
 * The work is elsewhere, given a narrow context (upload-context.ts): one file's run in run-upload.ts,
 * its parts in part-sender.ts and part-signing.ts, its journal record in journal-sync.ts, and aborts
 * on the server in server-abort.ts.
 */
import type { ConflictChoice } from '../../../../server/shared/api-types.ts';
import { PREFERRED_PART_SIZE } from '../../../../server/uploads/plan-parts.ts';
import { abortError, childController } from '../shared/signals.ts';
import { restartSpeed, startSpeed, type SpeedState } from '../shared/speed.ts';
import { STALL_MS } from '../shared/throughput.ts';
import { StoreProbe } from '../shared/store-probe.ts';
import { callWithRetry, type RetryOptions } from './call-with-retry.ts';
import { fileFingerprint, filePathKey, type UploadRecord } from './journal.ts';
import { LateSizer } from './late-sizer.ts';
import { PartSender } from './part-sender.ts';
import { runUpload, type RunEnd } from './run-upload.ts';
import { SendingTicker } from './sending-ticker.ts';
import { discardRecord, dropUploadThen, finishCancel } from './server-abort.ts';
import type { UploadContext } from './upload-context.ts';
import {
  createEntry,
  entryFingerprint,
  lockName,
  releaseLock,
  type UploadEntry,
  type UploadFileInput,
} from './upload-entry.ts';
import { resolveOptions, type UploadConfig, type UploadManagerOptions } from './upload-options.ts';
import { alreadyInListNotice } from './upload-notes.ts';
import {
  barSample,
  canRetry,
  createItem,
  cancelledByCancelAll,
  isFinished,
  reduceUpload,
  summarize,
  type UploadAction,
  type UploadItem,
  type UploadSnapshot,
  type UploadStatus,
  type UploadWaiting,
} from './upload-state.ts';

export { partRange } from './part-range.ts';
export type { UploadManagerOptions } from './upload-options.ts';
export type { UploadFileInput } from './upload-entry.ts';
export { ESTIMATE_TICK_MS } from './sending-ticker.ts';

/** No file worked on for this long, then one is: new work, whose speed starts from then. */
const IDLE_RESTART_MS = 100;

/** A file in one of these states is in the list still: picking it again does not add it twice. */
const UNFINISHED: ReadonlySet<UploadStatus> = new Set([
  'queued',
  'hashing',
  'uploading',
  'paused',
  'completing',
  'conflict',
] as const);

/** The statuses a run sets while it works: any other (paused, cancelling…) a command set meanwhile. */
const RUNNING: ReadonlySet<UploadStatus> = new Set(['queued', 'hashing', 'uploading', 'completing'] as const);

export class UploadManager {
  readonly #config: UploadConfig;
  /** What the modules doing a file's work get from the manager (upload-context.ts). */
  readonly #ctx: UploadContext;
  /** Sends the parts of every file, and paces them to the link (part-sender.ts). */
  readonly #parts: PartSender;
  readonly #entries = new Map<string, UploadEntry>();
  readonly #items = new Map<string, UploadItem>();
  readonly #order: string[] = [];
  readonly #waiting: string[] = [];
  readonly #active = new Set<string>();
  readonly #listeners = new Set<() => void>();
  readonly #destroyed = new AbortController();
  /** Subscribed to the online source while files are being worked on. */
  #unwatchOnline: (() => void) | null = null;
  /** When the last file being worked on ended (no file is now), ms; -Infinity before any. */
  #idleSince = -Infinity;
  /** About the last add (files left out as already in the list). */
  #notice: string | null = null;
  #snapshot: UploadSnapshot | null = null;
  #dirty = true;
  #notifyScheduled = false;
  #lastNotify = -Infinity;
  /** When the list last changed, and whether a check of its totals once it is still is pending. */
  #lastChange = -Infinity;
  #stillCheck: AbortController | null = null;
  #speed: SpeedState;
  /** The estimate of the parts in flight (sending-ticker.ts). */
  readonly #sending: SendingTicker;
  #nextId = 0;
  /** Uploads paused because the storage is full (`#holdForSpace`), until resumed. */
  readonly #pausedForSpace = new Set<string>();
  /** Reads the sizes of the files added a moment later, a slice at a time (late-sizer.ts). */
  readonly #sizer: LateSizer<UploadEntry>;
  /**
   * The last "for all" conflict choice and the files it covers: those added before it was made
   * (`seq <= throughSeq`). Files added later ask again, as a copy dialog's "apply to all" holds for
   * the one copy it was asked in.
   */
  #conflictRule: { choice: ConflictChoice; throughSeq: number } | null = null;

  constructor(options: UploadManagerOptions) {
    this.#config = resolveOptions(options);
    this.#speed = startSpeed(this.#config.clock.now());
    this.#sending = new SendingTicker({
      clock: this.#config.clock,
      online: this.#config.online,
      signal: this.#destroyed.signal,
      show: (id, bytes, partMs) =>
        this.#dispatch(id, { type: 'sending', bytes, partMs, now: this.#config.clock.now() }),
    });
    const store = new StoreProbe((o) => this.#config.api.storeReachable(o), this.#destroyed.signal);
    this.#ctx = {
      config: this.#config,
      destroyed: this.#destroyed.signal,
      store,
      status: (id) => this.#items.get(id)?.status,
      dispatch: (id, action) => this.#dispatch(id, action),
      showWaiting: (entry, waiting) => this.#showWaiting(entry, waiting),
      sending: this.#sending,
      withRetry: (call, o) => this.#withRetry(call, o),
      sendParts: (entry, plan, o) => this.#parts.send(entry, plan, o),
      entries: () => this.#entries.values(),
      ruleFor: (entry) => this.#ruleFor(entry),
      holdForSpace: () => this.#holdForSpace(),
      requeue: (entry) => this.#requeue(entry),
      runEnded: (entry, end) => this.#runEnded(entry, end),
    };
    this.#parts = new PartSender(this.#ctx);
    this.#sizer = new LateSizer(this.#config.clock, (entry) => this.#size(entry));
  }

  // ── store ──────────────────────────────────────────────────────────────────────────────────────

  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  /** The same object until something changes; O(files) to rebuild. */
  getSnapshot = (): UploadSnapshot => {
    if (this.#dirty || !this.#snapshot) {
      const items = this.#order.map((id) => this.#items.get(id)!);
      this.#snapshot = {
        items,
        totals: summarize(items, this.#speed.bytesPerSecond, this.#config.clock.now()),
        notice: this.#notice,
        storeFull: this.#storeFullSnapshot(items),
      };
      this.#dirty = false;
    }
    return this.#snapshot;
  };

  get(id: string): UploadItem | undefined {
    return this.#items.get(id);
  }

  // ── commands ───────────────────────────────────────────────────────────────────────────────────

  /**
   * Queues files. One already in the list and not finished (the same name, size, date and path: the
   * same file to the same key) is not added again, as Uppy does; the snapshot's `notice` says so.
   * O(files in the list + files added), and no file's size or date is read unless another file in the
   * list has its name and path: the rows' sizes come a moment later (late-sizer.ts). `unreadable`:
   * dropped items the browser could not read, by path, said in the same notice.
   */
  add(files: readonly UploadFileInput[], o: { unreadable?: readonly string[] } = {}): string[] {
    const now = this.#config.clock.now();
    const ids: string[] = [];
    /** Unfinished files by name and path: only these can be the same file again. */
    const unfinished = new Map<string, UploadEntry[]>();
    const keep = (entry: UploadEntry) => {
      const key = filePathKey(entry.input.file, entry.input.relativePath);
      const same = unfinished.get(key);
      if (same) same.push(entry);
      else unfinished.set(key, [entry]);
    };
    for (const entry of this.#entries.values()) {
      const item = this.#items.get(entry.id);
      // A failure a retry may fix counts as unfinished too: picking the file again retries that row,
      // going on from its parts, rather than sending it all again beside an upload left behind.
      if (item && (UNFINISHED.has(item.status) || canRetry(item))) keep(entry);
    }
    const again: string[] = [];
    const retried: string[] = [];
    for (const input of files) {
      const same = unfinished.get(filePathKey(input.file, input.relativePath));
      const fingerprint = same ? fileFingerprint(input.file, input.relativePath) : null;
      const other = same?.find((o) => entryFingerprint(o) === fingerprint);
      const path = input.relativePath ?? input.file.name;
      if (other && this.#items.get(other.id)?.status !== 'failed') {
        again.push(path);
        continue;
      }
      // A failed row is retried only for the same folder and settings: picked for another, it is new.
      if (other && sameDestination(other.input, input)) {
        this.retry(other.id);
        retried.push(path);
        continue;
      }
      const seq = ++this.#nextId;
      const id = `u${seq}`;
      const entry = createEntry({ id, seq, input, fingerprint, createdAt: now });
      keep(entry);
      this.#entries.set(id, entry);
      const { name, type } = input.file;
      this.#items.set(id, createItem(id, { name, type, size: null }, input.relativePath, now));
      this.#sizer.add(entry);
      this.#order.push(id);
      this.#waiting.push(id);
      ids.push(id);
    }
    this.#notice = alreadyInListNotice(
      again,
      retried,
      o.unreadable,
      files.length + (o.unreadable?.length ?? 0),
    );
    this.#changed();
    this.#pump();
    void this.#sizer.run({ signal: this.#destroyed.signal });
    return ids;
  }

  /** Shows the file's size in its row, if not yet (a row taken off the list is left alone). */
  #size(entry: UploadEntry): void {
    if (this.#items.get(entry.id)?.size === null) {
      this.#dispatch(entry.id, { type: 'sized', size: entry.input.file.size });
    }
  }

  pause(id: string): void {
    const entry = this.#entries.get(id);
    const status = this.#items.get(id)?.status;
    if (!entry || (status !== 'queued' && status !== 'hashing' && status !== 'uploading')) return;
    this.#dispatch(id, { type: 'status', status: 'paused', now: this.#config.clock.now() });
    this.#unqueue(id);
    if (entry.run) {
      entry.intent = 'pause';
      entry.run.abort(abortError('paused'));
    }
  }

  resume(id: string): void {
    const entry = this.#entries.get(id);
    if (!entry || this.#items.get(id)?.status !== 'paused') return;
    this.#pausedForSpace.delete(id);
    entry.needsReconcile = entry.plan?.kind === 'multipart';
    this.#requeue(entry);
  }

  /** After a failure: continue with only the parts S3 does not have. */
  retry(id: string): void {
    const entry = this.#entries.get(id);
    const item = this.#items.get(id);
    if (!entry || !item || !canRetry(item) || entry.cancelling) return;
    entry.needsReconcile = entry.plan?.kind === 'multipart';
    this.#requeue(entry);
  }

  resolveConflict(id: string, choice: ConflictChoice): void {
    const entry = this.#entries.get(id);
    if (!entry || this.#items.get(id)?.status !== 'conflict') return;
    // Found at Complete: the parts are on the server under this upload's key.
    if (entry.plan?.kind === 'multipart' && choice !== 'replace') {
      void dropUploadThen(this.#ctx, entry, choice, { signal: this.#destroyed.signal });
      return;
    }
    if (choice === 'skip') {
      this.#dispatch(id, { type: 'status', status: 'skipped', now: this.#config.clock.now() });
      releaseLock(entry);
      return;
    }
    entry.onConflict = choice;
    // Replaced only while it is the object the user was shown (If-Match its ETag).
    entry.replaceIf = choice === 'replace' ? (this.#items.get(id)?.conflict?.existing.etag ?? null) : null;
    this.#requeue(entry);
  }

  /**
   * The same choice for every file waiting in conflict, and for every file already in the list that
   * finds its name taken later (names are checked as files reach the front of the queue), as "Apply
   * to all" in a file manager's copy dialog. Files added afterwards ask again.
   */
  resolveAllConflicts(choice: ConflictChoice): void {
    this.#conflictRule = { choice, throughSeq: this.#nextId };
    for (const id of this.#order) this.resolveConflict(id, choice);
  }

  /** What a "for all" choice decides for this file, if it covers it. */
  #ruleFor(entry: UploadEntry): ConflictChoice | null {
    const rule = this.#conflictRule;
    return rule && entry.seq <= rule.throughSeq ? rule.choice : null;
  }

  /**
   * Stops the upload and removes what was sent: 'cancelling' at once (no new request starts), every
   * in-flight part aborted, then the server's abort; 'cancelled' once the server confirms. A failing
   * abort is retried (with backoff, and when back online) and its error is shown meanwhile.
   */
  cancel(id: string): void {
    const entry = this.#entries.get(id);
    const status = this.#items.get(id)?.status;
    if (entry?.dropping) entry.dropping = 'cancel'; // dropUploadThen is aborting it already
    if (!entry || !status || entry.cancelling) return;
    // Over already (a file failed for good keeps its reason: nothing of it is left to remove).
    if (isFinished(this.#items.get(id)!)) return;
    entry.cancelling = true;
    this.#dispatch(id, { type: 'status', status: 'cancelling', now: this.#config.clock.now() });
    this.#unqueue(id);
    if (entry.run) {
      entry.intent = 'cancel';
      entry.run.abort(abortError('cancelled'));
    }
    void finishCancel(this.#ctx, entry, { signal: this.#destroyed.signal });
  }

  /** Cancels what `cancelledByCancelAll` names: a file that failed with nothing stored keeps its reason. */
  cancelAll(): void {
    for (const id of this.#order) {
      const item = this.#items.get(id);
      if (item && cancelledByCancelAll(item)) this.cancel(id);
    }
  }

  /** Pauses every upload that is queued, hashing or uploading. */
  pauseAll(): void {
    for (const id of this.#order) this.pause(id);
  }

  /**
   * Resumes every paused upload, in the order they were added. After the storage ran out of space
   * (`storeFull`), the uploads that failed on it are retried too, first.
   */
  resumeAll(): void {
    this.#pausedForSpace.clear();
    for (const id of this.#order) if (this.#items.get(id)?.error?.code === 'store-full') this.retry(id);
    for (const id of this.#order) this.resume(id);
  }

  /**
   * The storage said it has no space left: every other upload is paused at once (their parts kept),
   * instead of each sending parts the store throws away and failing in turn, as a copy to a full
   * disk stops rather than failing file after file. `resumeAll` goes on once space is freed.
   */
  #holdForSpace(): void {
    for (const id of this.#order) {
      const status = this.#items.get(id)?.status;
      if (status !== 'queued' && status !== 'hashing' && status !== 'uploading') continue;
      this.pause(id);
      this.#pausedForSpace.add(id);
    }
    this.#changed();
  }

  /**
   * Null unless uploads wait on a full storage: paused for it and not resumed. Those that failed on it
   * are counted beside them (the notice says Resume tries them again), but alone wait for nothing (each
   * row says why, with its own Retry), so they do not keep "Uploads paused… Resume uploads" up.
   */
  #storeFullSnapshot(items: readonly UploadItem[]): UploadSnapshot['storeFull'] {
    let paused = 0;
    for (const id of this.#pausedForSpace) if (this.#items.get(id)?.status === 'paused') paused++;
    if (paused === 0) return null;
    const failed = items.filter(
      (item) => item.status === 'failed' && item.error?.code === 'store-full',
    ).length;
    return { paused, failed };
  }

  /** Retries every failed upload that a retry can help (each sends only the parts S3 does not have). */
  retryFailed(): void {
    for (const id of this.#order) this.retry(id);
  }

  /** Drops finished rows (done, cancelled, skipped, and failed for good: too large, a bad name…). */
  clearFinished(): void {
    this.#drop(this.#order.filter((id) => this.#isFinished(id)));
  }

  /** Takes one finished row (see clearFinished) off the list; a row still going is left alone. */
  remove(id: string): void {
    if (this.#isFinished(id)) this.#drop([id]);
  }

  #isFinished(id: string): boolean {
    const item = this.#items.get(id);
    return !!item && isFinished(item) && !this.#entries.get(id)?.cancelling;
  }

  #drop(ids: readonly string[]): void {
    if (ids.length === 0) return;
    const dropped = new Set(ids);
    for (const id of ids) {
      const entry = this.#entries.get(id);
      if (entry) releaseLock(entry);
      this.#items.delete(id);
      this.#entries.delete(id);
    }
    this.#order.splice(0, this.#order.length, ...this.#order.filter((id) => !dropped.has(id)));
    this.#changed();
  }

  /**
   * Unfinished uploads from earlier visits (journal). Records whose token has expired are dropped: the
   * server would refuse to continue them, and its janitor removes their parts. One that another tab is
   * running (it holds the upload's lock) is not unfinished: it is left out, so this tab offers neither
   * to resume nor to discard it.
   */
  async listResumable(o: { signal?: AbortSignal } = {}): Promise<UploadRecord[]> {
    o.signal?.throwIfAborted();
    const journal = this.#config.journal;
    if (!journal) return [];
    const running = new Set([...this.#entries.values()].map((e) => e.plan?.uploadId));
    const now = this.#config.clock.now();
    const candidates: UploadRecord[] = [];
    for (const record of await journal.list()) {
      if (running.has(record.uploadId)) continue;
      if (record.expiresAt <= now) {
        await journal.delete(record.id).catch(() => {});
        continue;
      }
      candidates.push(record);
    }
    // Asked all at once: without Web Locks each answer takes the other tabs' time to reply (150 ms).
    const heldElsewhere = await Promise.all(
      candidates.map((record) => this.#config.locks.held(lockName(record.uploadId))),
    );
    return candidates.filter((_, i) => !heldElsewhere[i]); // those not running in another tab
  }

  /** Forgets an unfinished upload from the journal, aborting it on the server (server-abort.ts `discardRecord`). */
  discard(recordId: string, o: { signal?: AbortSignal } = {}): Promise<{ note: string | null }> {
    return discardRecord(this.#ctx, recordId, o);
  }

  /** Stops everything without aborting uploads on the server (they stay resumable). */
  destroy(): void {
    if (this.#destroyed.signal.aborted) return;
    this.#destroyed.abort(abortError('destroyed'));
    this.#unwatchOnline?.();
    this.#unwatchOnline = null;
    for (const entry of this.#entries.values()) {
      if (entry.run) {
        entry.intent = 'destroy';
        entry.run.abort(abortError('destroyed'));
      }
      releaseLock(entry);
    }
    this.#listeners.clear();
  }

  // ── scheduling ─────────────────────────────────────────────────────────────────────────────────

  #requeue(entry: UploadEntry): void {
    this.#dispatch(entry.id, { type: 'status', status: 'queued', now: this.#config.clock.now() });
    this.#waiting.push(entry.id);
    this.#pump();
  }

  #unqueue(id: string): void {
    const at = this.#waiting.indexOf(id);
    if (at >= 0) this.#waiting.splice(at, 1);
  }

  #pump(): void {
    if (this.#destroyed.signal.aborted) return;
    const idle = this.#active.size === 0;
    const { maxActiveFiles, maxActiveSmallFiles } = this.#config;
    while (this.#waiting.length > 0) {
      const id = this.#waiting[0]!;
      const entry = this.#entries.get(id);
      if (!entry || this.#items.get(id)?.status !== 'queued' || this.#active.has(id)) {
        this.#waiting.shift();
        continue;
      }
      // Past `maxActiveFiles` only a small file starts (its size read only then: a file stat). In the
      // queue's order: a big file next waits for a slot of its own even if small ones follow.
      if (
        this.#active.size >= maxActiveFiles &&
        (this.#active.size >= maxActiveSmallFiles || entry.input.file.size > PREFERRED_PART_SIZE)
      )
        break;
      this.#waiting.shift();
      this.#active.add(id);
      this.#watchOnline();
      const previous = entry.settled;
      entry.settled = previous.then(() => this.#run(entry));
    }
    // Work starts after the list was idle (a new batch, a resume, a retry): the page's speed starts from
    // now, not from the batch before or across the idle time. A file handed on as the last one ended is
    // the same work going on.
    const now = this.#config.clock.now();
    if (idle && this.#active.size > 0 && now - this.#idleSince >= IDLE_RESTART_MS)
      this.#speed = restartSpeed(this.#speed, now);
  }

  // ── one file ───────────────────────────────────────────────────────────────────────────────────

  /** Starts the file's run (run-upload.ts) with a fresh controller, which pause, cancel and destroy abort. */
  #run(entry: UploadEntry): Promise<void> {
    const controller = new AbortController();
    entry.run = controller;
    entry.intent = null;
    entry.putStarted = false;
    entry.signedOnce = false;
    entry.signCursor = 0;
    entry.urls.clear();
    this.#size(entry);
    return runUpload(this.#ctx, entry, { signal: controller.signal });
  }

  /**
   * The run is over: the queue moves on (`createAgain`: this file goes back to it, unless a pause or a
   * cancel came meanwhile: the row says so, and that stands).
   */
  #runEnded(entry: UploadEntry, { createAgain, decided }: RunEnd): void {
    entry.run = null;
    this.#active.delete(entry.id);
    this.#checkWhenStill(); // none left: its timer stops
    if (this.#active.size === 0) {
      this.#unwatchOnline?.();
      this.#unwatchOnline = null;
      this.#idleSince = this.#config.clock.now();
    }
    const status = this.#items.get(entry.id)?.status;
    // Paused or failed, nothing of it runs here: another tab that picked the same file may take the
    // upload over (it waited for this lock); going on here takes the lock again (journal-sync.ts,
    // `retakeLock`). A cancel takes it again before it aborts the upload (server-abort.ts).
    if ((status === 'paused' || status === 'failed') && !entry.cancelling) releaseLock(entry);
    if (createAgain && status !== undefined && RUNNING.has(status) && !entry.cancelling) this.#requeue(entry);
    // Paused and resumed while this run still waited on its create (which is not cut short): the
    // resume found it running and left it; it runs again now.
    else if (this.#items.get(entry.id)?.status === 'queued' && !this.#waiting.includes(entry.id))
      this.#waiting.push(entry.id);
    if (decided) this.resolveConflict(entry.id, decided);
    this.#pump();
  }

  // ── waiting for the connection or the server ───────────────────────────────────────────────────

  /**
   * The browser says offline: every file being worked on shows "Waiting for the connection…" at once
   * (requests in flight may hang rather than fail), and stops showing it when back online.
   */
  #watchOnline(): void {
    if (this.#unwatchOnline) return;
    const { online } = this.#config;
    this.#unwatchOnline = online.subscribe(() => {
      const offline = !online.isOnline();
      for (const id of this.#active) {
        const entry = this.#entries.get(id);
        const waiting = this.#items.get(id)?.waiting;
        if (!entry) continue;
        if (offline && waiting === null) this.#showWaiting(entry, 'connection');
        else if (!offline && waiting === 'connection') this.#showWaiting(entry, null);
      }
    });
  }

  /**
   * While the browser is offline the row keeps saying so: a part answered just before the link went,
   * or a URL signed earlier, does not mean the connection is back (the requests still out may hang).
   */
  #showWaiting(entry: UploadEntry, waiting: UploadWaiting | null): void {
    const shown = waiting ?? (this.#config.online.isOnline() ? null : 'connection');
    this.#dispatch(entry.id, { type: 'waiting', waiting: shown, now: this.#config.clock.now() });
  }

  /**
   * An API call retried (call-with-retry.ts), a store the server cannot reach waited for as parts
   * wait for it; `entry`'s row shows what it waits for meanwhile.
   */
  #withRetry<T>(call: () => Promise<T>, o: RetryOptions & { entry?: UploadEntry }): Promise<T> {
    const { entry, ...rest } = o;
    const show = entry && ((waiting: UploadWaiting | null) => this.#showWaiting(entry, waiting));
    const options = { store: this.#ctx.store, ...rest };
    return callWithRetry(this.#config, call, show ? { ...options, showWaiting: show } : options);
  }

  // ── notifications ──────────────────────────────────────────────────────────────────────────────

  #dispatch(id: string, action: UploadAction): void {
    const item = this.#items.get(id);
    if (!item) return;
    const next = reduceUpload(item, action);
    if (next === item) return;
    // The first file to move after every other one waited (for the connection, the server): the page's
    // speed starts again from now, not across the wait. A file being created (queued, its create call
    // out), hashed, sent or completed is work going on: small files spend most of their time in their
    // create call, and the speed restarted whenever the next one began to hash (it kept vanishing).
    if (startsMoving(item, next)) {
      const moving = (a: string) => {
        const other = a === id ? undefined : this.#items.get(a);
        return other !== undefined && other.waiting === null && RUNNING.has(other.status);
      };
      if (![...this.#active].some(moving)) {
        this.#speed = restartSpeed(this.#speed, this.#config.clock.now());
      }
    }
    // The totals' speed is the slope of their bar, as a row's.
    const moved = next.bytesUploaded + next.bytesSending - (item.bytesUploaded + item.bytesSending);
    this.#speed = barSample(this.#speed, action, moved);
    this.#items.set(id, next);
    this.#changed();
  }

  /**
   * One timer at a time, while files are being worked on: once the list has been still for
   * STILL_CHECK_MS, its totals are summed again. Stopped when no file is (no timer left behind).
   */
  #checkWhenStill(): void {
    if (this.#active.size === 0) {
      this.#stillCheck?.abort();
      this.#stillCheck = null;
      return;
    }
    if (this.#stillCheck || this.#destroyed.signal.aborted) return;
    const { clock } = this.#config;
    // Linked to the manager's end; aborted when no file is worked on (no AbortSignal.any: not in
    // browsers before 2023, where this would stop every upload).
    const { controller: check } = childController(this.#destroyed.signal);
    this.#stillCheck = check;
    const { signal } = check;
    const due = () => this.#lastChange + STILL_CHECK_MS - clock.now();
    const wait = async (): Promise<void> => {
      do await clock.sleep(Math.max(0, due()), { signal });
      while (due() > 0); // changed meanwhile: still from then on
      this.#stillCheck = null;
      const totals = this.#snapshot?.totals;
      if (!totals || (totals.bytesPerSecond === 0 && totals.etaSeconds === null)) return; // nothing stale shown
      this.#dirty = true;
      for (const listener of [...this.#listeners]) listener();
    };
    wait().catch(() => {
      if (this.#stillCheck === check) this.#stillCheck = null;
    });
  }

  #changed(): void {
    this.#dirty = true;
    this.#lastChange = this.#config.clock.now();
    this.#checkWhenStill();
    if (this.#notifyScheduled || this.#destroyed.signal.aborted) return;
    this.#notifyScheduled = true;
    const { clock, notifyIntervalMs } = this.#config;
    const fire = () => {
      this.#notifyScheduled = false;
      this.#lastNotify = clock.now();
      for (const listener of [...this.#listeners]) listener();
    };
    const wait = this.#lastNotify + notifyIntervalMs - clock.now();
    if (wait <= 0) queueMicrotask(fire);
    else clock.sleep(wait, { signal: this.#destroyed.signal }).then(fire, () => {});
  }
}

/**
 * How long after the last change the totals are summed again with nothing else changing: the speed and
 * time left go once no bytes moved for `STALL_MS` (speedStalled), but nothing recomputes them while every
 * request hangs (a store that stopped answering, with small files whose parts never report progress):
 * they read the last speed for as long as it hung.
 */
const STILL_CHECK_MS = STALL_MS + 100;

/** The file starts moving bytes: it goes to hashing or uploading, or its wait ends while it does. */
function startsMoving(before: UploadItem, after: UploadItem): boolean {
  const moving = (i: UploadItem) =>
    i.waiting === null && (i.status === 'hashing' || i.status === 'uploading');
  return moving(after) && !moving(before);
}

/** The same folder and the same upload settings: picked again, the file would go where it went. */
function sameDestination(a: UploadFileInput, b: UploadFileInput): boolean {
  return (
    a.folder === b.folder && JSON.stringify(a.properties ?? null) === JSON.stringify(b.properties ?? null)
  );
}
