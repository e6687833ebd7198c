/**
 * Keeps each multipart upload's journal record (journal.ts) in step with it, so that it can go on after
 * a reload, and takes it up again from there: the record is checked against the file, then against
 * what S3 confirms (ListParts) before any part is sent.
 */
import type { RefreshedToken, UploadPlan } from '../../../../server/shared/api-types.ts';
import { noProperties } from '../../../../server/shared/object-properties.ts';
import { sameProperties, type JournalPart, type UploadRecord } from './journal.ts';
import { partRange } from './part-range.ts';
import type { UploadContext } from './upload-context.ts';
import { entryFingerprint, lockName, releaseLock, replaceIfOf, type UploadEntry } from './upload-entry.ts';
import { UploadError } from './upload-error.ts';
import { KEPT_SETTINGS_NOTE, OTHER_SETTINGS_NOTE, STARTED_OVER_NOTE } from './upload-notes.ts';
import type { UploadConfig } from './upload-options.ts';

type JournalConfig = Pick<UploadConfig, 'journal' | 'clock'>;

/**
 * Coalesced: one write at a time, the latest state wins. A write is of one upload (its id): if the file
 * was forgotten meanwhile, or started over as another upload, that one's record goes and the new one's
 * is written after it, never the new upload's parts under the old id.
 */
export function saveJournal(config: JournalConfig, entry: UploadEntry): void {
  const { journal } = config;
  const uploadId = entry.plan?.uploadId;
  if (!journal || !uploadId || !entry.sampleHash) return;
  if (entry.journalSaving) {
    entry.journalDirty = true;
    return;
  }
  entry.journalSaving = true;
  const current = () => (entry.sampleHash && entry.plan?.uploadId === uploadId ? entry.plan : null);
  void (async () => {
    for (let plan = current(); plan; plan = entry.journalDirty ? current() : null) {
      entry.journalDirty = false;
      const { file, relativePath } = entry.input;
      const record: UploadRecord = {
        id: uploadId,
        fingerprint: entryFingerprint(entry),
        name: file.name,
        size: file.size,
        lastModified: file.lastModified,
        ...(relativePath !== undefined && { relativePath }),
        sampleHash: entry.sampleHash!,
        key: plan.key,
        uploadId,
        token: plan.token,
        expiresAt: plan.expiresAt,
        partSize: plan.partSize,
        partCount: plan.partCount,
        checksumAlgorithm: plan.checksumAlgorithm,
        parts: [...entry.parts.values()],
        ...(entry.onConflict === 'replace' && { replace: true }),
        ...replaceIfOf(entry),
        ...(!noProperties(entry.input.properties) && { properties: entry.input.properties }),
        createdAt: entry.createdAt,
        updatedAt: config.clock.now(),
      };
      await journal.put(record).catch(() => {});
    }
    const moved = !current();
    if (moved) await journal.delete(uploadId).catch(() => {});
    entry.journalSaving = false;
    // Another upload of the file asked for its record while this one's was written: it is written now.
    if (moved && entry.journalDirty) {
      entry.journalDirty = false;
      saveJournal(config, entry);
    }
  })();
}

/** Done or cancelled: the journal record and the tab lock go. */
export function forgetUpload(config: Pick<UploadConfig, 'journal'>, entry: UploadEntry): void {
  const { journal } = config;
  const uploadId = entry.plan?.uploadId;
  if (journal && uploadId) {
    // A write still in progress sees `sampleHash === null` and deletes the record again after it.
    entry.sampleHash = null;
    void journal.delete(uploadId).catch(() => {});
  }
  entry.checksums.clear();
  entry.urls.clear();
  releaseLock(entry);
}

/** Forgets the upload (`forgetUpload`) and its plan and parts too: the next run creates a new one. */
export function dropPlan(config: Pick<UploadConfig, 'journal'>, entry: UploadEntry): void {
  forgetUpload(config, entry);
  entry.plan = null;
  entry.parts = new Map();
  entry.needsReconcile = false;
}

export async function resumeFromJournal(
  ctx: Pick<UploadContext, 'config' | 'dispatch' | 'entries'>,
  entry: UploadEntry,
  { signal }: { signal?: AbortSignal } = {},
): Promise<boolean> {
  const { journal, clock, locks } = ctx.config;
  if (!journal) return false;
  // A journal that cannot be read (storage blocked, site data cleared under the page) only means
  // nothing to resume: the file is sent from the start.
  let record = await journal.get(entryFingerprint(entry)).catch(() => undefined);
  if (!record) return false;
  // Picked with other upload settings (type, Cache-Control, metadata, tags): the object is to be made
  // with those, so it is a new upload; the old one is kept (not listed while this one runs) until the new one
  // is done at its key, then discarded (run-upload.ts, `discardSuperseded`). Picked with none
  // (settings are not kept across a reload, and the row's "pick the same file again" asks for no
  // more), it goes on with those it was started with.
  const otherSettings = !sameProperties(record.properties, entry.input.properties);
  if (otherSettings && !noProperties(entry.input.properties)) {
    ctx.dispatch(entry.id, { type: 'note', note: OTHER_SETTINGS_NOTE });
    return false;
  }
  // The same file added twice in this tab: the second is a new upload, not a resume of the first.
  for (const other of ctx.entries()) {
    if (other !== entry && other.plan?.uploadId === record.uploadId) return false;
  }
  const hash = await ctx.config.sampleHash(entry.input.file);
  if (hash !== record.sampleHash) {
    throw new UploadError(
      'not-same-file',
      `An unfinished upload of a different "${record.name}" with the same size exists. ` +
        'Discard it, or rename this file, before uploading.',
    );
  }
  if (otherSettings) {
    // The same file, picked with none: its object gets the settings it was started with, whether this
    // upload goes on (they are in its token) or starts over (expired, or gone from the server).
    entry.input = { ...entry.input, ...(record.properties && { properties: record.properties }) };
    ctx.dispatch(entry.id, { type: 'note', note: KEPT_SETTINGS_NOTE });
  }
  if (record.expiresAt <= clock.now()) {
    // An expired record only costs a lookup if it stays: its file starts over either way.
    await journal.delete(record.id).catch(() => {});
    ctx.dispatch(entry.id, { type: 'note', note: STARTED_OVER_NOTE });
    return false;
  }
  if (!entry.releaseLock) {
    let release = await locks.acquire(lockName(record.uploadId));
    if (!release) {
      // Another tab sends this upload: this one waits for it and then looks again. Finished there, its
      // record is gone and this file is a new upload (its name then taken); left there (the tab closed,
      // or paused it), it goes on with the parts that tab sent.
      release = await waitForOtherTab(ctx, entry, record.uploadId, { signal });
      const now = await journal.get(entryFingerprint(entry)).catch(() => undefined);
      if (now?.uploadId !== record.uploadId) {
        release();
        if (now) return resumeFromJournal(ctx, entry, { signal });
        // Done there, or cancelled: the create tells which (run-upload.ts, `sentByAnotherTab`).
        const { key, token, partSize, partCount, checksumAlgorithm } = record;
        entry.sentElsewhere = { key, token, partSize, partCount, checksumAlgorithm };
        return false;
      }
      record = now;
    }
    entry.releaseLock = release;
  }
  entry.sampleHash = hash;
  entry.createdAt = record.createdAt;
  entry.plan = {
    kind: 'multipart',
    key: record.key,
    uploadId: record.uploadId,
    size: record.size,
    partSize: record.partSize,
    partCount: record.partCount,
    checksumAlgorithm: record.checksumAlgorithm,
    token: record.token,
    expiresAt: record.expiresAt,
  };
  entry.parts = new Map(record.parts.map((p) => [p.partNumber, p]));
  if (record.replace) {
    entry.onConflict = 'replace';
    entry.replaceIf = record.replaceIf ?? null;
  }
  entry.needsReconcile = true;
  ctx.dispatch(entry.id, {
    type: 'planned',
    key: record.key,
    partCount: record.partCount,
    resumed: true,
    now: clock.now(),
  });
  setProgress(ctx, entry);
  return true;
}

/** Waits for the tab lock another tab holds on the upload (Pause or Cancel ends the wait); the row says so. */
async function waitForOtherTab(
  ctx: Pick<UploadContext, 'config' | 'dispatch'>,
  entry: UploadEntry,
  uploadId: string | null,
  { signal }: { signal?: AbortSignal },
): Promise<() => void> {
  const { locks, clock } = ctx.config;
  ctx.dispatch(entry.id, { type: 'waiting', waiting: 'other-tab', now: clock.now() });
  try {
    return await locks.wait(lockName(uploadId), signal ? { signal } : {});
  } finally {
    ctx.dispatch(entry.id, { type: 'waiting', waiting: null, now: clock.now() });
  }
}

/**
 * A paused or failed upload lets its tab lock go (upload-manager.ts, `#runEnded`), so that another tab
 * that picked the same file can take it over. Going on (Resume, Retry), it takes the lock again, waiting
 * while that tab sends it, then looks in the journal for what became of it:
 * - still this file's upload: it goes on, with the token the other tab refreshed if that is newer;
 * - no longer (the other tab finished, cancelled or discarded it): `sentElsewhere` is set, so that if
 *   the store no longer has the upload (ListParts, before any part is sent) the file is created again
 *   and the create tells whether the other tab finished it (run-upload.ts, `sentByAnotherTab`).
 * A journal that cannot be read leaves the plan as it is: ListParts tells the rest.
 */
export async function retakeLock(
  ctx: Pick<UploadContext, 'config' | 'dispatch'>,
  entry: UploadEntry,
  { signal }: { signal: AbortSignal },
): Promise<void> {
  const plan = entry.plan;
  if (plan?.kind !== 'multipart' || entry.releaseLock) return;
  const { journal, locks } = ctx.config;
  entry.releaseLock =
    (await locks.acquire(lockName(plan.uploadId))) ??
    (await waitForOtherTab(ctx, entry, plan.uploadId, { signal }));
  if (!journal) return;
  const record = await journal.get(entryFingerprint(entry)).then(
    (found) => found ?? null,
    () => undefined,
  );
  if (record === undefined) return;
  if (record?.uploadId === plan.uploadId) {
    if (record.expiresAt > plan.expiresAt) {
      plan.token = record.token;
      plan.expiresAt = record.expiresAt;
    }
    entry.sentElsewhere = null;
    return;
  }
  const { key, token, partSize, partCount, checksumAlgorithm } = plan;
  entry.sentElsewhere = { key, token, partSize, partCount, checksumAlgorithm };
}

/** ListParts: keep the parts S3 has with the right size (and checksum, when both sides know it). */
export async function reconcile(
  ctx: Pick<UploadContext, 'config' | 'dispatch' | 'withRetry'>,
  entry: UploadEntry,
  plan: UploadPlan,
  { signal }: { signal: AbortSignal },
): Promise<void> {
  const listed = await ctx.withRetry(() => ctx.config.api.listParts(plan.token, { signal }), {
    signal,
    entry,
  });
  adoptToken(ctx.config, entry, plan, listed);
  const confirmed = new Map<number, JournalPart>();
  for (const part of listed.parts) {
    if (part.partNumber < 1 || part.partNumber > plan.partCount) continue;
    if (part.size !== partRange(plan, part.partNumber).size) continue;
    const local = entry.parts.get(part.partNumber);
    if (local?.checksum && part.checksum && local.checksum !== part.checksum) continue;
    const checksum = part.checksum ?? local?.checksum;
    confirmed.set(part.partNumber, {
      partNumber: part.partNumber,
      etag: part.etag,
      size: part.size,
      ...(checksum && { checksum }),
    });
  }
  entry.parts = confirmed;
  entry.needsReconcile = false;
  setProgress(ctx, entry);
  saveJournal(ctx.config, entry);
}

/**
 * Parts the store turned out not to have as this page sent them (a Complete refused for them): to be
 * sent again, the row's progress going back by them, and the journal no longer counting them.
 */
export function forgetParts(
  ctx: Pick<UploadContext, 'config' | 'dispatch'>,
  entry: UploadEntry,
  partNumbers: readonly number[],
): void {
  for (const n of partNumbers) entry.parts.delete(n);
  setProgress(ctx, entry);
  saveJournal(ctx.config, entry);
}

/**
 * A sign or listParts answer's fresh token (its expiry slides while the upload goes on): used from
 * now on and journalled, so a long upload, or one resumed later, does not run out mid-way.
 */
export function adoptToken(
  config: JournalConfig,
  entry: UploadEntry,
  plan: UploadPlan,
  fresh: RefreshedToken,
): void {
  if (typeof fresh.token !== 'string' || !(fresh.expiresAt > plan.expiresAt)) return; // an older server
  plan.token = fresh.token;
  plan.expiresAt = fresh.expiresAt;
  saveJournal(config, entry);
}

function setProgress(ctx: Pick<UploadContext, 'dispatch'>, entry: UploadEntry): void {
  let bytes = 0;
  for (const part of entry.parts.values()) bytes += part.size;
  ctx.dispatch(entry.id, { type: 'progress-set', bytesUploaded: bytes, partsDone: entry.parts.size });
}
