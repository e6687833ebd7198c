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
 */
import type { KeyExists, ConflictChoice } from '../../../../server/shared/api-types.ts';
import { PREFERRED_PART_SIZE } from '../../../../server/uploads/plan-parts.ts';
import { abortError, isAbortError } from '../shared/signals.ts';
import { addSpeedSample, restartSpeed, startSpeed, type SpeedState } from '../shared/speed.ts';
import { toErrorInfo } from '../shared/transfer-error.ts';
import { callWithRetry, type RetryOptions } from './call-with-retry.ts';
import { sampleHash } from './fingerprint.ts';
import { forgetUpload, reconcile, resumeFromJournal, saveJournal } from './journal-sync.ts';
import { fileFingerprint, filePathKey, type UploadRecord } from './journal.ts';
import { partRange } from './part-range.ts';
import { PartSender } from './part-sender.ts';
import { hashAhead, partChecksum } from './part-signing.ts';
import { isGone, isKeyExists, isTokenExpired, isTokenForeign } from './upload-api.ts';
import { matchesStoredObject } from './same-object.ts';
import { SendingTicker } from './sending-ticker.ts';
import { discardRecord, dropUploadThen, finishCancel } from './server-abort.ts';
import {
  createEntry,
  entryFingerprint,
  lockName,
  releaseLock,
  type UploadEntry,
  type UploadFileInput,
} from './upload-entry.ts';
import type { UploadContext } from './upload-context.ts';
import { UploadError } from './upload-error.ts';
import { resolveOptions, type UploadConfig, type UploadManagerOptions } from './upload-options.ts';
import {
  alreadyInListNotice,
  SAME_BYTES_NOTE,
  STARTED_OVER_FOREIGN_NOTE,
  STARTED_OVER_GONE_NOTE,
  STARTED_OVER_NOTE,
} from './upload-notes.ts';
import {
  canRetry,
  createItem,
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

/** Sizes of picked files are read for this long at a time, then the page gets a turn (see `#sizeLater`). */
const SIZE_SLICE_MS = 10;

/** A file in one of these states is in the list still: picking it again does not add it twice. */
const UNFINISHED: ReadonlySet<UploadStatus> = new Set([
  'queued',
  'hashing',
  'uploading',
  'paused',
  'completing',
  'conflict',
] as const);

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
  /** About the last add (files left out as already in the list). */
  #notice: string | null = null;
  #snapshot: UploadSnapshot | null = null;
  #dirty = true;
  #notifyScheduled = false;
  #lastNotify = -Infinity;
  #speed: SpeedState;
  /** The estimate of the parts in flight (sending-ticker.ts). */
  readonly #sending: SendingTicker;
  #nextId = 0;
  /** Uploads paused because the storage is full (`#holdForSpace`), until resumed. */
  readonly #pausedForSpace = new Set<string>();
  /** Files whose size is still to be read, from `#unsizedAt` on (see `#sizeLater`). */
  #unsized: UploadEntry[] = [];
  #unsizedAt = 0;
  #sizing = false;
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
      show: (id, bytes) => this.#dispatch(id, { type: 'sending', bytes }),
    });
    this.#ctx = {
      config: this.#config,
      dispatch: (id, action) => this.#dispatch(id, action),
      showWaiting: (entry, waiting) => this.#showWaiting(entry, waiting),
      withRetry: (call, o) => this.#withRetry(call, o),
      entries: () => this.#entries.values(),
      requeue: (entry) => this.#requeue(entry),
      sending: this.#sending,
      speedSample: (bytes, at) => {
        this.#speed = addSpeedSample(this.#speed, bytes, at);
      },
    };
    this.#parts = new PartSender(this.#ctx);
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
        totals: summarize(items, this.#speed.bytesPerSecond),
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
   * list has its name and path: the rows' sizes come a moment later (`#sizeLater`).
   */
  add(files: readonly UploadFileInput[]): string[] {
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
      const status = this.#items.get(entry.id)?.status;
      if (status && UNFINISHED.has(status)) keep(entry);
    }
    const again: string[] = [];
    for (const input of files) {
      const same = unfinished.get(filePathKey(input.file, input.relativePath));
      const fingerprint = same ? fileFingerprint(input.file, input.relativePath) : null;
      if (same?.some((other) => entryFingerprint(other) === fingerprint)) {
        again.push(input.relativePath ?? input.file.name);
        continue;
      }
      const seq = ++this.#nextId;
      const id = `u${seq}`;
      const entry = createEntry({ id, seq, input, fingerprint, createdAt: now });
      keep(entry);
      this.#entries.set(id, entry);
      const { name, type } = input.file;
      this.#items.set(id, createItem(id, { name, type, size: null }, input.relativePath, now));
      this.#unsized.push(entry);
      this.#order.push(id);
      this.#waiting.push(id);
      ids.push(id);
    }
    this.#notice = alreadyInListNotice(again);
    this.#changed();
    this.#pump();
    void this.#sizeLater();
    return ids;
  }

  /**
   * Reads the sizes of the files added, `SIZE_SLICE_MS` at a time, the page getting a turn between
   * slices. In Chromium the first read of a picked File's size (or date) is a file stat, a fraction of
   * a millisecond each: reading 3,000 of them in add() held the page for 0.6 s after the browser's own
   * work on the pick. A file about to be sent is sized first (`#size` in `#run`).
   */
  async #sizeLater(): Promise<void> {
    if (this.#sizing) return;
    this.#sizing = true;
    const { clock } = this.#config;
    try {
      while (this.#unsizedAt < this.#unsized.length) {
        await clock.sleep(0, { signal: this.#destroyed.signal });
        const until = clock.now() + SIZE_SLICE_MS;
        do this.#size(this.#unsized[this.#unsizedAt++]!);
        while (this.#unsizedAt < this.#unsized.length && clock.now() < until);
      }
      this.#unsized = [];
      this.#unsizedAt = 0;
    } catch {
      // destroyed
    } finally {
      this.#sizing = false;
    }
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
    if (status === 'done' || status === 'cancelled' || status === 'skipped') return;
    entry.cancelling = true;
    this.#dispatch(id, { type: 'status', status: 'cancelling', now: this.#config.clock.now() });
    this.#unqueue(id);
    if (entry.run) {
      entry.intent = 'cancel';
      entry.run.abort(abortError('cancelled'));
    }
    void finishCancel(this.#ctx, entry, { signal: this.#destroyed.signal });
  }

  cancelAll(): void {
    for (const id of this.#order) this.cancel(id);
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

  /** Null unless uploads wait on a full storage: failed on it, or paused for it and not resumed. */
  #storeFullSnapshot(items: readonly UploadItem[]): UploadSnapshot['storeFull'] {
    let paused = 0;
    for (const id of this.#pausedForSpace) if (this.#items.get(id)?.status === 'paused') paused++;
    const failed = items.filter(
      (item) => item.status === 'failed' && item.error?.code === 'store-full',
    ).length;
    return paused + failed > 0 ? { paused, failed } : null;
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
   * server would refuse to continue them, and its janitor removes their parts.
   */
  async listResumable(o: { signal?: AbortSignal } = {}): Promise<UploadRecord[]> {
    o.signal?.throwIfAborted();
    const journal = this.#config.journal;
    if (!journal) return [];
    const running = new Set([...this.#entries.values()].map((e) => e.plan?.uploadId));
    const now = this.#config.clock.now();
    const records: UploadRecord[] = [];
    for (const record of await journal.list()) {
      if (running.has(record.uploadId)) continue;
      if (record.expiresAt <= now) await journal.delete(record.id).catch(() => {});
      else records.push(record);
    }
    return records;
  }

  /**
   * Forget an unfinished upload from the journal: abort it on the server, then delete the record. The
   * record goes whatever the server says (never throws but for `signal`): an expired upload, or one the
   * server could not be told about, is left to the server's janitor, and `note` says so.
   */
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
    while (this.#active.size < this.#config.maxActiveFiles && this.#waiting.length > 0) {
      const id = this.#waiting.shift()!;
      const entry = this.#entries.get(id);
      if (!entry || this.#items.get(id)?.status !== 'queued' || this.#active.has(id)) continue;
      this.#active.add(id);
      this.#watchOnline();
      const previous = entry.settled;
      entry.settled = previous.then(() => this.#run(entry));
    }
  }

  // ── one file ───────────────────────────────────────────────────────────────────────────────────

  async #run(entry: UploadEntry): Promise<void> {
    const controller = new AbortController();
    const { signal } = controller;
    /** The conditional single PUT was refused, or the upload expired: back to the queue to create again. */
    let createAgain = false;
    /** The plan came from create in this run (not from an earlier run or the journal). */
    let createdNow = false;
    /** The name is taken and a "for all" choice covers this file: applied once the run is over. */
    let decided: ConflictChoice | null = null;
    entry.run = controller;
    entry.intent = null;
    entry.putStarted = false;
    entry.signedOnce = false;
    entry.signCursor = 0;
    entry.urls.clear();
    this.#size(entry);
    try {
      // Paused or cancelled between being picked and starting.
      if (this.#items.get(entry.id)?.status !== 'queued') return;
      if (!entry.plan && !(await resumeFromJournal(this.#ctx, entry))) {
        // Before create: the sampled hash (for the journal) and, when the store's algorithm is known,
        // part 1's checksum, so create can answer with part 1's URL already signed.
        const sampled =
          this.#config.journal && entry.input.file.size > PREFERRED_PART_SIZE
            ? sampleHash(entry.input.file)
            : null;
        sampled?.catch(() => undefined); // read (and reported) below, or by the part hashes
        const ahead = hashAhead(this.#config, entry, { signal });
        const firstPart =
          ahead &&
          (await ahead.checksum.then(
            (checksum) => ({ ...ahead, checksum }),
            () => null,
          ));
        // Not linked to `signal`: a create that reached the server must be known, so cancel and pause
        // wait for it (cancel then aborts the upload it made). Retries stop on `signal`.
        const answer = await this.#withRetry(
          () =>
            this.#config.api.create(
              {
                name: entry.input.file.name,
                size: entry.input.file.size,
                type: entry.input.file.type,
                lastModified: entry.input.file.lastModified,
                ...(entry.input.relativePath !== undefined && { relativePath: entry.input.relativePath }),
                ...(entry.onConflict && { onConflict: entry.onConflict }),
                ...(firstPart && {
                  firstPart: {
                    size: firstPart.end,
                    checksumAlgorithm: firstPart.algorithm,
                    checksum: firstPart.checksum,
                  },
                }),
              },
              { signal: this.#destroyed.signal },
            ),
          { signal, entry },
        );
        const afterRefusedPut = entry.refusedPut;
        entry.refusedPut = false;
        if (isKeyExists(answer)) {
          signal.throwIfAborted();
          const { key, existing, suggestedKey } = answer;
          if (afterRefusedPut) {
            if (await this.#holdsSameBytes(entry, existing)) {
              this.#dispatch(entry.id, { type: 'done', key, note: SAME_BYTES_NOTE });
              forgetUpload(this.#config, entry);
              return;
            }
          }
          this.#dispatch(entry.id, { type: 'conflict', conflict: { key, existing, suggestedKey } });
          decided = this.#ruleFor(entry);
          return;
        }
        entry.plan = answer;
        createdNow = true;
        this.#dispatch(entry.id, {
          type: 'planned',
          key: answer.key,
          partCount: answer.partCount,
          resumed: false,
          now: this.#config.clock.now(),
        });
        // Part 1's checksum: the one hashed during create when the plan agrees, else started now, beside
        // the lock and the journal record below (on a slow link the first progress waits for it).
        if (ahead && ahead.algorithm === answer.checksumAlgorithm && partRange(answer, 1).end === ahead.end)
          partChecksum(this.#config, entry, answer, 1, { signal, ahead: ahead.checksum }).catch(
            () => undefined,
          );
        else partChecksum(this.#config, entry, answer, 1, { signal }).catch(() => undefined);
        if (answer.firstPart) {
          entry.urls.set(1, answer.firstPart);
          entry.signedOnce = true; // the next sign call is a full batch
          entry.signCursor = 1;
        }
        if (answer.kind === 'multipart') {
          // Nobody else knows this uploadId yet; the lock stops another tab resuming it from the journal.
          entry.releaseLock ??= await this.#config.locks.acquire(lockName(answer.uploadId));
          if (this.#config.journal) {
            entry.sampleHash = await (sampled ?? sampleHash(entry.input.file));
            saveJournal(this.#config, entry);
          }
        }
      }
      signal.throwIfAborted();
      const plan = entry.plan!;
      if (entry.needsReconcile) await reconcile(this.#ctx, entry, plan, { signal });
      await this.#parts.send(entry, plan, { signal });
      signal.throwIfAborted();
      this.#dispatch(entry.id, { type: 'status', status: 'completing', now: this.#config.clock.now() });
      const parts = [...entry.parts.values()]
        .sort((a, b) => a.partNumber - b.partNumber)
        .map(({ partNumber, etag, checksum }) => ({ partNumber, etag, ...(checksum && { checksum }) }));
      const completed = await this.#withRetry(
        () =>
          this.#config.api.complete(plan.token, parts, { signal, replace: entry.onConflict === 'replace' }),
        { signal, entry },
      );
      if (isKeyExists(completed)) {
        // Someone (another file of this queue, another tab, the CLI) wrote the key meanwhile.
        signal.throwIfAborted();
        const { key, existing, suggestedKey } = completed;
        this.#dispatch(entry.id, { type: 'conflict', conflict: { key, existing, suggestedKey } });
        decided = this.#ruleFor(entry);
        return;
      }
      this.#dispatch(entry.id, { type: 'done', key: completed.key, note: null });
      forgetUpload(this.#config, entry);
    } catch (error) {
      if (signal.aborted || isAbortError(error)) return; // pause / cancel / destroy own the state
      if (error instanceof UploadError && error.code === 'key-exists' && entry.plan?.kind === 'single') {
        // The conditional single PUT was refused: create again, which answers what is at the key now.
        entry.plan = null;
        entry.parts.clear();
        entry.refusedPut = true;
        createAgain = true;
        return;
      }
      const expired = isTokenExpired(error) && entry.plan;
      // Removed on the server while its token still held (the janitor goes by the last part received,
      // the token by the last sign call; or a lifecycle rule, or another tool aborted it).
      const gone = !expired && !createdNow && entry.plan?.kind === 'multipart' && isGone(error);
      // Signed with another HOIST_SECRET (the server's was changed while this was paused or failed).
      const foreign = !createdNow && !!entry.plan && isTokenForeign(error);
      if (expired || gone || foreign) {
        // It cannot be continued (expired: the janitor removes its parts; gone; or its token is no longer
        // the server's), so the file starts again as a new upload.
        this.#startOver(entry);
        if (!createdNow) {
          this.#dispatch(entry.id, {
            type: 'note',
            note: expired ? STARTED_OVER_NOTE : foreign ? STARTED_OVER_FOREIGN_NOTE : STARTED_OVER_GONE_NOTE,
          });
          createAgain = true;
          return;
        }
      }
      if (error instanceof UploadError && error.code === 'file-unreadable' && entry.plan) {
        // What was sent is of the file as it was: no use to anyone. Removed now, not left to the janitor
        // (nor listed as unfinished after a reload, where picking the changed file could never match).
        const { token, kind } = entry.plan;
        this.#startOver(entry);
        if (kind === 'multipart')
          this.#config.api.abort(token, { signal: this.#destroyed.signal }).catch(() => undefined);
      }
      entry.needsReconcile = entry.plan?.kind === 'multipart';
      const info = toErrorInfo(error);
      this.#dispatch(entry.id, { type: 'failed', error: info });
      // A refused or locked file keeps nothing of ours; a failed upload keeps its lock for retry().
      if (!entry.plan) releaseLock(entry);
      if (info.code === 'store-full') this.#holdForSpace();
    } finally {
      entry.run = null;
      this.#active.delete(entry.id);
      if (this.#active.size === 0) {
        this.#unwatchOnline?.();
        this.#unwatchOnline = null;
      }
      if (createAgain) this.#requeue(entry);
      if (decided) this.resolveConflict(entry.id, decided);
      this.#pump();
    }
  }

  /** Drops the plan and what was sent under it (journal record, lock, progress): the next run creates anew. */
  #startOver(entry: UploadEntry): void {
    forgetUpload(this.#config, entry);
    entry.plan = null;
    entry.parts = new Map();
    entry.needsReconcile = false;
    this.#dispatch(entry.id, { type: 'progress-set', bytesUploaded: 0, partsDone: 0 });
  }

  /**
   * After a refused conditional PUT: is the object at the key this very file (our own earlier PUT whose
   * answer was lost)? Compared by the stored checksum (CRC32) or ETag (MD5 of a single PUT).
   */
  async #holdsSameBytes(entry: UploadEntry, existing: KeyExists['existing']): Promise<boolean> {
    if (existing.size !== entry.input.file.size) return false;
    const ours = await entry.checksums.get(1)?.catch(() => undefined);
    if (!ours) return false;
    return matchesStoredObject(existing, ours);
  }

  /** An API call retried (call-with-retry.ts); `entry`'s row shows what it waits for meanwhile. */
  #withRetry<T>(call: () => Promise<T>, o: RetryOptions & { entry?: UploadEntry }): Promise<T> {
    const { entry, ...rest } = o;
    const show = entry && ((waiting: UploadWaiting | null) => this.#showWaiting(entry, waiting));
    return callWithRetry(this.#config, call, show ? { ...rest, showWaiting: show } : rest);
  }

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

  // ── rows ───────────────────────────────────────────────────────────────────────────────────────

  /**
   * While the browser is offline the row keeps saying so: a part answered just before the link went,
   * or a URL signed earlier, does not mean the connection is back (the requests still out may hang).
   */
  #showWaiting(entry: UploadEntry, waiting: UploadWaiting | null): void {
    const shown = waiting ?? (this.#config.online.isOnline() ? null : 'connection');
    this.#dispatch(entry.id, { type: 'waiting', waiting: shown, now: this.#config.clock.now() });
  }

  // ── notifications ──────────────────────────────────────────────────────────────────────────────

  #dispatch(id: string, action: UploadAction): void {
    const item = this.#items.get(id);
    if (!item) return;
    const next = reduceUpload(item, action);
    if (next === item) return;
    if (action.type === 'status' && (action.status === 'hashing' || action.status === 'uploading')) {
      const moving = (a: string) =>
        a !== id && /^(hashing|uploading)$/.test(this.#items.get(a)?.status ?? '');
      if (![...this.#active].some(moving)) {
        this.#speed = restartSpeed(this.#speed, action.now);
      }
    }
    this.#items.set(id, next);
    this.#changed();
  }

  #changed(): void {
    this.#dirty = true;
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
