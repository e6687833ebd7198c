/**
 * One file's run: its plan (taken up from the journal, or create: with a name conflict, or answered at
 * once when the file turns out to be at its key already) → the parts S3 does not have → Complete; and
 * what a failure leaves behind (a new upload next time, or a retry that goes on from what S3 has).
 * Pause, cancel and destroy abort `signal`; the manager's state changes only through the context.
 */
import type { ConflictChoice, KeyExists } from '../../../../server/shared/api-types.ts';
import { noProperties } from '../../../../server/shared/object-properties.ts';
import { PREFERRED_PART_SIZE } from '../../../../server/uploads/plan-parts.ts';
import { childController, isAbortError } from '../shared/signals.ts';
import { toErrorInfo } from '../shared/transfer-error.ts';
import {
  dropPlan,
  forgetParts,
  forgetUpload,
  reconcile,
  resumeFromJournal,
  retakeLock,
  saveJournal,
} from './journal-sync.ts';
import { fileBytes, partRange } from './part-range.ts';
import { hashAhead, partChecksum } from './part-signing.ts';
import {
  base64ToHex,
  matchesStoredObject,
  multipartProofLayouts,
  proofAlgorithms,
  sameSettingsAsThere,
  type FileChecksum,
} from './same-object.ts';
import { isGone, isKeyExists, isTokenExpired, isTokenForeign, partsRefused } from './upload-api.ts';
import type { UploadContext } from './upload-context.ts';
import { lockName, releaseLock, replaceIfOf, replaceOptions, type UploadEntry } from './upload-entry.ts';
import { fileUnreadable, UploadError } from './upload-error.ts';
import { discardSuperseded } from './server-abort.ts';
import { checkNotRewritten, checkStillTheFile } from './still-the-file.ts';
import { localExpiry } from '../shared/local-expiry.ts';
import {
  COMPLETED_BEFORE_NOTE,
  IDENTICAL_NOTE,
  SAME_BYTES_NOTE,
  SENT_BY_OTHER_TAB_NOTE,
  STARTED_OVER_FOREIGN_NOTE,
  STARTED_OVER_GONE_NOTE,
  STARTED_OVER_NOTE,
} from './upload-notes.ts';
import { normalEtag } from '../../../../server/shared/etag.ts';
import { fileDigests, fileMultipartEtag } from './file-etag.ts';
import { bytesGone } from '../shared/file-gone.ts';

/** How a run ended, for the queue. */
export interface RunEnd {
  /** The conditional single PUT was refused, or the upload expired: back to the queue to create again. */
  createAgain: boolean;
  /** The name is taken and a "for all" choice covers this file: applied once the run is over. */
  decided: ConflictChoice | null;
}

export type RunContext = Pick<
  UploadContext,
  | 'config'
  | 'destroyed'
  | 'dispatch'
  | 'withRetry'
  | 'entries'
  | 'status'
  | 'sendParts'
  | 'ruleFor'
  | 'holdForSpace'
  | 'runEnded'
>;

/** Runs the file once; never rejects: whatever happened, `ctx.runEnded` hears how it ended. */
export async function runUpload(
  ctx: RunContext,
  entry: UploadEntry,
  { signal }: { signal: AbortSignal },
): Promise<void> {
  const { config } = ctx;
  /** The conditional single PUT was refused, or the upload expired: back to the queue to create again. */
  let createAgain = false;
  /** The plan came from create in this run (not from an earlier run or the journal). */
  let createdNow = false;
  /** The name is taken and a "for all" choice covers this file: applied once the run is over. */
  let decided: ConflictChoice | null = null;
  /** Goes on with an upload begun in an earlier run (Retry, Resume): its file may have changed since. */
  const continuing = entry.plan !== null;
  try {
    // Paused or cancelled between being picked and starting.
    if (ctx.status(entry.id) !== 'queued') return;
    // Resumed or retried: its tab lock, let go meanwhile for another tab to take the upload over.
    if (entry.plan?.kind === 'multipart' && !entry.releaseLock) await retakeLock(ctx, entry, { signal });
    // Before create, when the store's algorithm is known: part 1's checksum, so create can answer with
    // part 1's URL already signed. It is hashed while the journal is looked up (and the page draws the
    // new row), as create waits for it and the first progress waits for create; a file that goes on
    // from the journal drops it.
    const early = entry.plan ? null : childController(signal);
    const ahead = early && hashAhead(config, entry, { signal: early.controller.signal });
    // Its controller is let go once the hash is over (at once when there is none).
    void (ahead?.checksum ?? Promise.resolve()).catch(() => undefined).finally(() => early?.dispose());
    let resumed: boolean;
    try {
      resumed = !entry.plan && (await resumeFromJournal(ctx, entry, { signal }));
    } catch (error) {
      early?.dispose();
      throw error;
    }
    if (resumed) early?.dispose();
    if (!entry.plan && !resumed) {
      // The sampled hash too (for the journal, and to tell the file is the same before Complete).
      const sampled =
        config.journal && entry.input.file.size > PREFERRED_PART_SIZE
          ? config.sampleHash(entry.input.file)
          : null;
      sampled?.catch(() => undefined); // read (and reported) below, or by the part hashes
      const firstPart =
        ahead &&
        (await ahead.checksum.then(
          (checksum) => ({ ...ahead, checksum }),
          () => null,
        ));
      // Paused or cancelled while part 1 was hashed: no create is sent.
      signal.throwIfAborted();
      // Not linked to `signal`: a create that reached the server must be known, so cancel and pause
      // wait for it (cancel then aborts the upload it made). Retries stop on `signal`.
      const answer = await ctx.withRetry(
        () =>
          config.api.create(
            {
              name: entry.input.file.name,
              size: entry.input.file.size,
              type: entry.input.file.type,
              lastModified: entry.input.file.lastModified,
              ...(entry.input.relativePath !== undefined && { relativePath: entry.input.relativePath }),
              ...(entry.input.folder && { folder: entry.input.folder }),
              ...(entry.onConflict && { onConflict: entry.onConflict }),
              ...replaceIfOf(entry),
              ...(!noProperties(entry.input.properties) && { properties: entry.input.properties }),
              ...(firstPart && {
                firstPart: {
                  size: firstPart.end,
                  checksumAlgorithm: firstPart.algorithm,
                  checksum: firstPart.checksum,
                },
              }),
            },
            { signal: ctx.destroyed },
          ),
        { signal, entry },
      );
      const afterRefusedPut = entry.refusedPut;
      const refusedReplaceOf = entry.refusedReplaceOf;
      entry.refusedPut = null;
      entry.refusedReplaceOf = null;
      const elsewhere = entry.sentElsewhere;
      entry.sentElsewhere = null;
      if (isKeyExists(answer)) {
        signal.throwIfAborted();
        const { key, existing, suggestedKey } = answer;
        if (
          elsewhere &&
          elsewhere.key === key &&
          existing.size === entry.input.file.size &&
          (await sentByAnotherTab(ctx, entry, elsewhere, { signal }))
        ) {
          // The other tab this file waited for finished it: done, as the S3 console would show it.
          ctx.dispatch(entry.id, { type: 'done', key, note: SENT_BY_OTHER_TAB_NOTE });
          forgetUpload(config, entry);
          return;
        }
        if (afterRefusedPut) {
          const sent = await entry.checksums.get(1)?.catch(() => undefined);
          const have = sent ? { algorithm: afterRefusedPut, checksum: sent } : null;
          const proofs =
            existing.size === entry.input.file.size
              ? await proofChecksums(config, entry, existing, have, { signal })
              : null;
          signal.throwIfAborted();
          if (proofs && holdsSameBytes(entry, existing, proofs)) {
            ctx.dispatch(entry.id, { type: 'done', key, note: SAME_BYTES_NOTE });
            forgetUpload(config, entry);
            return;
          }
          if (
            refusedReplaceOf !== null &&
            existing.etag !== null &&
            normalEtag(existing.etag) === normalEtag(refusedReplaceOf)
          ) {
            // Asked again, "Replace" (or a Replace for all) would be refused again, and again.
            throw new UploadError(
              'replace-refused',
              `The storage refused to replace "${key}" though it still holds the object you chose to replace (it does not take the If-Match condition as S3 does). Nothing was written.`,
              { status: 412 },
            );
          }
        } else if (
          entry.input.file.size <= PREFERRED_PART_SIZE &&
          existing.size === entry.input.file.size &&
          // Properties asked for (type, metadata, tags) may be what differs from the object there.
          sameSettingsAsThere(entry.input.properties, existing) &&
          ctx.ruleFor(entry) !== 'replace'
        ) {
          // Part 1 is the whole file: its checksum, hashed during create, serves where it is one the
          // object there is proved by; the others (all of them, when the store's algorithm was not
          // known yet, as right after the page opens) are hashed now.
          const whole = firstPart && firstPart.end === entry.input.file.size ? firstPart : null;
          const proofs = await proofChecksums(config, entry, existing, whole, { signal });
          signal.throwIfAborted();
          if (proofs && holdsSameBytes(entry, existing, proofs)) {
            // Already there, byte for byte (as `aws s3 sync` skips it): nothing to send or to ask. A
            // "Replace" chosen for all still replaces it (its type or metadata may be what changes).
            ctx.dispatch(entry.id, { type: 'done', key, note: IDENTICAL_NOTE });
            forgetUpload(config, entry);
            return;
          }
        } else if (
          existing.size === entry.input.file.size &&
          sameSettingsAsThere(entry.input.properties, existing) &&
          // Asked to replace or skip every name taken: the outcome is the same whatever the bytes are,
          // and a big file is not read to its end for nothing.
          ctx.ruleFor(entry) !== 'replace' &&
          ctx.ruleFor(entry) !== 'skip'
        ) {
          // A bigger file (uploaded before, by Hoist or a common tool, or copied): the file is read and
          // hashed to recompute the object's ETag, the row saying so, before the user is asked. A folder
          // uploaded again then sends only the files that changed, as `aws s3 sync` does.
          const same = await isSameObject(ctx, entry, existing, { signal });
          // Paused or cancelled as the last part was hashed: that, not "done", is what the row ends as.
          signal.throwIfAborted();
          // A "Replace" chosen for all meanwhile replaces it, as it would have without the comparing.
          if (same && ctx.ruleFor(entry) !== 'replace') {
            ctx.dispatch(entry.id, { type: 'done', key, note: IDENTICAL_NOTE });
            forgetUpload(config, entry);
            return;
          }
        }
        ctx.dispatch(entry.id, { type: 'conflict', conflict: { key, existing, suggestedKey } });
        decided = ctx.ruleFor(entry);
        return;
      }
      entry.plan = answer;
      createdNow = true;
      ctx.dispatch(entry.id, {
        type: 'planned',
        key: answer.key,
        partCount: answer.partCount,
        resumed: false,
        now: config.clock.now(),
      });
      // Part 1's checksum: the one hashed during create when the plan agrees, else started now, beside
      // the lock and the journal record below (on a slow link the first progress waits for it).
      if (ahead && ahead.algorithm === answer.checksumAlgorithm && partRange(answer, 1).end === ahead.end)
        partChecksum(config, entry, answer, 1, { signal, ahead: ahead.checksum }).catch(() => undefined);
      else partChecksum(config, entry, answer, 1, { signal }).catch(() => undefined);
      if (answer.firstPart) {
        entry.urls.set(1, {
          ...answer.firstPart,
          expiresAt: localExpiry(answer.firstPart, config.clock.now()),
        });
        entry.signedOnce = true; // the next sign call is a full batch
        entry.signCursor = 1;
      }
      if (answer.kind === 'multipart') {
        // Nobody else knows this uploadId yet; the lock stops another tab resuming it from the journal.
        entry.releaseLock ??= await config.locks.acquire(lockName(answer.uploadId));
        if (config.journal) {
          entry.sampleHash = await (sampled ?? config.sampleHash(entry.input.file));
          saveJournal(config, entry);
        }
      }
    }
    signal.throwIfAborted();
    const plan = entry.plan!;
    if (entry.needsReconcile) await reconcile(ctx, entry, plan, { signal });
    // Deleted or changed while it was paused or failed: said now, not as parts that cannot be sent.
    if (continuing && entry.parts.size < plan.partCount) await checkStillTheFile(config, entry, { signal });
    await ctx.sendParts(entry, plan, { signal });
    signal.throwIfAborted();
    // A single PUT's 200 is the proof: S3 stored exactly the signed length with the signed checksum,
    // under the key (if-none-match: * unless replacing). A Complete call would only HEAD it again:
    // with many small files that is a third of the requests.
    let key = plan.key;
    if (plan.kind === 'multipart') {
      let completed: Awaited<ReturnType<typeof config.api.complete>>;
      for (let resent = false; ; resent = true) {
        ctx.dispatch(entry.id, { type: 'status', status: 'completing', now: config.clock.now() });
        // Parts of a file rewritten in place meanwhile (size and mtime kept, all Chromium looks at)
        // would make an object of old and new bytes: its samples tell.
        await checkNotRewritten(config, entry, { signal });
        const parts = partsSent(entry);
        try {
          completed = await ctx.withRetry(
            () => config.api.complete(plan.token, parts, { signal, ...replaceOptions(entry) }),
            { signal, entry },
          );
          break;
        } catch (error) {
          // The store lacks parts this page sent, or holds others under their numbers (a part lost,
          // another tab): those are sent again, once, rather than failing a file whose bytes are here.
          const refused = resent ? null : partsRefused(error);
          if (!refused) throw error;
          forgetParts(ctx, entry, refused);
          await ctx.sendParts(entry, plan, { signal });
          signal.throwIfAborted();
        }
      }
      if (isKeyExists(completed)) {
        // Someone (another file of this queue, another tab, the CLI) wrote the key meanwhile.
        signal.throwIfAborted();
        const { existing, suggestedKey } = completed;
        ctx.dispatch(entry.id, {
          type: 'conflict',
          conflict: { key: completed.key, existing, suggestedKey },
        });
        decided = ctx.ruleFor(entry);
        return;
      }
      key = completed.key;
    }
    await discardSuperseded(ctx, entry, key);
    ctx.dispatch(entry.id, { type: 'done', key, note: null });
    forgetUpload(config, entry);
  } catch (error) {
    if (signal.aborted || isAbortError(error)) return; // pause / cancel / destroy own the state
    if (error instanceof UploadError && error.code === 'key-exists' && entry.plan?.kind === 'single') {
      // The conditional single PUT was refused: create again, which answers what is at the key now.
      // Replacing, it was another object than the one the user chose to replace: they are asked again.
      entry.refusedReplaceOf = entry.onConflict === 'replace' ? entry.replaceIf : null;
      if (entry.onConflict === 'replace') {
        entry.onConflict = undefined;
        entry.replaceIf = null;
      }
      entry.refusedPut = entry.plan.checksumAlgorithm;
      entry.plan = null;
      entry.parts.clear();
      createAgain = true;
      return;
    }
    const expired = isTokenExpired(error) && entry.plan;
    // Removed on the server while its token still held (the janitor goes by the last part received,
    // the token by the last sign call; or a lifecycle rule, or another tool aborted it).
    const gone = !expired && !createdNow && entry.plan?.kind === 'multipart' && isGone(error);
    // Gone because it was completed: the page was closed (or lost the answer) while "Completing", and
    // every part is known. The server says so when the object at the key is made of these parts.
    if (gone && entry.plan && entry.parts.size === entry.plan.partCount) {
      const key = await completedBefore(ctx, entry, entry.plan.token, signal);
      if (key !== null) {
        ctx.dispatch(entry.id, { type: 'done', key, note: COMPLETED_BEFORE_NOTE });
        forgetUpload(config, entry);
        return;
      }
      // Paused or cancelled while it was asked: theirs to say what happens next, not a new upload's.
      if (signal.aborted) return;
    }
    // Signed with another HOIST_SECRET (the server's was changed while this was paused or failed).
    const foreign = !createdNow && !!entry.plan && isTokenForeign(error);
    if (expired || gone || foreign) {
      // It cannot be continued (expired: the janitor removes its parts; gone; or its token is no longer
      // the server's), so the file starts again as a new upload.
      startOver(ctx, entry);
      if (!createdNow) {
        ctx.dispatch(entry.id, {
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
      startOver(ctx, entry);
      if (kind === 'multipart') config.api.abort(token, { signal: ctx.destroyed }).catch(() => undefined);
    }
    entry.needsReconcile = entry.plan?.kind === 'multipart';
    const info = toErrorInfo(error);
    ctx.dispatch(entry.id, { type: 'failed', error: info });
    // A refused or locked file keeps nothing of ours; a failed upload lets its lock go once its run is
    // over (upload-manager.ts, `#runEnded`), and retry() takes it again.
    if (!entry.plan) releaseLock(entry);
    if (info.code === 'store-full') ctx.holdForSpace();
  } finally {
    ctx.runEnded(entry, { createAgain, decided });
  }
}

/** The parts sent, as Complete takes them. */
function partsSent(entry: UploadEntry) {
  return [...entry.parts.values()]
    .sort((a, b) => a.partNumber - b.partNumber)
    .map(({ partNumber, etag, checksum }) => ({ partNumber, etag, ...(checksum && { checksum }) }));
}

/** The key, when the upload was completed with exactly these parts before; else null (start over). */
async function completedBefore(
  ctx: Pick<RunContext, 'config'>,
  entry: UploadEntry,
  token: string,
  signal: AbortSignal,
): Promise<string | null> {
  try {
    const answer = await ctx.config.api.complete(token, partsSent(entry), { signal, replace: false });
    return isKeyExists(answer) || !answer.alreadyCompleted ? null : answer.key;
  } catch {
    return null;
  }
}

/** Parts hashed at once while telling whether another tab's upload is the object at the key. */
const CHECK_HASHES_AT_ONCE = 2;

/**
 * Is the object at the key the upload of this file another tab sent (`sent`)? The file is hashed as
 * that upload's parts, and the server asked whether the object is made of them (never completing
 * anything); it says yes only when the store's checksum or ETag proves it. Unsure or failed: no (the
 * user is asked about the name, as before). The row says "Hashing" meanwhile.
 */
async function sentByAnotherTab(
  ctx: Pick<RunContext, 'config' | 'dispatch' | 'withRetry'>,
  entry: UploadEntry,
  sent: NonNullable<UploadEntry['sentElsewhere']>,
  { signal }: { signal: AbortSignal },
): Promise<boolean> {
  const { config } = ctx;
  const { file } = entry.input;
  const algorithm = sent.checksumAlgorithm;
  ctx.dispatch(entry.id, { type: 'status', status: 'hashing', now: config.clock.now() });
  try {
    const parts: { partNumber: number; etag: string; checksum: string }[] = [];
    for (let first = 1; first <= sent.partCount; first += CHECK_HASHES_AT_ONCE) {
      const last = Math.min(sent.partCount, first + CHECK_HASHES_AT_ONCE - 1);
      const batch = [];
      for (let partNumber = first; partNumber <= last; partNumber++) {
        const { start, end } = partRange({ size: file.size, partSize: sent.partSize }, partNumber);
        batch.push(
          config.hasher.hash(fileBytes(file, start, end), algorithm, { signal }).then((checksum) => ({
            partNumber,
            // A part's ETag is its MD5 where the store gives it so; with CRC32 the proof is the
            // object's composite checksum, and an ETag that is no MD5 proves nothing.
            etag: algorithm === 'MD5' ? `"${base64ToHex(checksum)}"` : 'not-known',
            checksum,
          })),
        );
      }
      parts.push(...(await Promise.all(batch)));
    }
    const answer = await ctx.withRetry(
      () => config.api.complete(sent.token, parts, { signal, check: true }),
      { signal, entry },
    );
    return !isKeyExists(answer) && answer.alreadyCompleted === true;
  } catch (error) {
    if (signal.aborted || isAbortError(error)) throw error;
    return false;
  }
}

/** Drops the plan and what was sent under it (journal record, lock, progress): the next run creates anew. */
function startOver(ctx: Pick<RunContext, 'config' | 'dispatch'>, entry: UploadEntry): void {
  dropPlan(ctx.config, entry);
  ctx.dispatch(entry.id, { type: 'progress-set', bytesUploaded: 0, partsDone: 0 });
}

/**
 * The whole file's checksums that can prove it is the object at its key (`proofAlgorithms`): `have`,
 * one already hashed, where it is of an algorithm needed, the others hashed now. Null when nothing can
 * prove it, or the file cannot be read: the user is asked then, as for any name taken.
 */
async function proofChecksums(
  config: RunContext['config'],
  entry: UploadEntry,
  existing: KeyExists['existing'],
  have: FileChecksum | null | undefined,
  { signal }: { signal: AbortSignal },
): Promise<FileChecksum[] | null> {
  const needed = proofAlgorithms(existing);
  if (needed.length === 0) return null;
  try {
    return await Promise.all(
      needed.map(async (algorithm) =>
        have?.algorithm === algorithm
          ? have
          : { algorithm, checksum: await config.hasher.hash(entry.input.file, algorithm, { signal }) },
      ),
    );
  } catch {
    return null;
  }
}

/**
 * Is the object at the key this very file, read and hashed to recompute what proves it: its multipart
 * ETag over each common layout of its part count (`multipartProofLayouts`), or for an object written in
 * one request its MD5 ETag (and CRC32 where the store keeps one: `proofAlgorithms`). The row is
 * "Comparing" meanwhile, with how much is read. False when nothing proves it or the bytes differ: the
 * user is asked then, as for any name taken. A file that can no longer be read fails as it would
 * uploading; a pause or cancel stops it (thrown).
 */
async function isSameObject(
  ctx: Pick<RunContext, 'config' | 'dispatch'>,
  entry: UploadEntry,
  existing: KeyExists['existing'],
  { signal }: { signal: AbortSignal },
): Promise<boolean> {
  const { file } = entry.input;
  const layouts = multipartProofLayouts(existing, file.size);
  const algorithms = proofAlgorithms(existing);
  if (layouts.length === 0 && algorithms.length === 0) return false;
  ctx.dispatch(entry.id, { type: 'status', status: 'hashing', now: ctx.config.clock.now() });
  const onHashed = (bytes: number) => ctx.dispatch(entry.id, { type: 'comparing', bytes });
  try {
    if (algorithms.length > 0) {
      onHashed(0);
      return matchesStoredObject(existing, await fileDigests(file, algorithms, { signal, onHashed }));
    }
    for (const layout of layouts) {
      onHashed(0);
      const ours = await fileMultipartEtag(ctx.config.hasher, file, layout, { signal, onHashed });
      if (ours === normalEtag(existing.etag!)) return true;
    }
    return false;
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    if (await bytesGone(file, { clock: ctx.config.clock, signal })) throw fileUnreadable(file.name, error);
    return false;
  } finally {
    ctx.dispatch(entry.id, { type: 'comparing', bytes: null });
  }
}

/**
 * Is the object at the key this very file (ours from a PUT whose answer was lost, or one uploaded
 * before)? Compared by size, then by the whole file's checksums (`proofChecksums`) against its ETag (the
 * MD5 of a single PUT) and stored CRC32.
 */
function holdsSameBytes(
  entry: UploadEntry,
  existing: KeyExists['existing'],
  ours: readonly FileChecksum[],
): boolean {
  return existing.size === entry.input.file.size && matchesStoredObject(existing, ours);
}
