import type { CopiedObjects, MadeCopy, ObjectEntry, TakenObject } from '../../../server/shared/api-types.ts';
import { MAX_COPIES_PER_CALL } from '../../../server/shared/api-types.ts';
import { compareKeys } from '../../../server/shared/compare-keys.ts';
import { lateNote, objectCount } from './delete-summary.ts';
import type { LeftInFolder } from './left-after-delete.ts';
import { formatCount } from './format.ts';

/**
 * Objects per call at most: enough that many small ones do not wait on round trips, few enough bytes
 * that a call answers within seconds (the server copies a few at a time).
 */
export const COPY_BATCH = { maxCount: 50, maxBytes: 256 * 1024 ** 2 } as const;
/** Calls in flight at once. */
const CALLS_AT_ONCE = 2;
/**
 * How long a call is meant to take: Stop waits for the calls in flight (what they hold is copied, and
 * moved), and progress moves once a call answers, so each holds about this much work at the pace
 * the calls so far went (`batchCount`).
 */
export const CALL_TARGET_MS = 1000;
/** The first calls' objects, before the pace is known: a handful, so an early Stop stops early. */
export const FIRST_BATCH = 4;

/** How many objects the next call takes, by the pace so far (objects settled over the calls' time). */
export function batchCount(
  pace: { objects: number; ms: number },
  maxCount: number = COPY_BATCH.maxCount,
): number {
  const most = Math.min(maxCount, MAX_COPIES_PER_CALL);
  if (pace.objects === 0) return Math.min(FIRST_BATCH, most);
  if (pace.ms <= 0) return most;
  return Math.max(1, Math.min(most, Math.floor((pace.objects * CALL_TARGET_MS) / pace.ms)));
}

/**
 * The next call's objects from `from` on: at most `count`, and `maxBytes` (an object over it goes
 * alone).
 */
export function nextBatch<T extends { size: number }>(
  objects: readonly T[],
  from: number,
  count: number,
  maxBytes: number = COPY_BATCH.maxBytes,
): T[] {
  const batch: T[] = [];
  let bytes = 0;
  for (let i = from; i < objects.length && batch.length < count; i++) {
    const o = objects[i]!;
    if (batch.length > 0 && bytes + o.size > maxBytes) break;
    batch.push(o);
    bytes += o.size;
  }
  return batch;
}

export interface CopyProgress {
  total: number;
  totalBytes: number;
  /** Objects the server answered for (copied or not). */
  settled: number;
  settledBytes: number;
}

export interface CopyResult {
  /** Objects copied (moved). */
  done: number;
  total: number;
  /** Sent no more calls after Stop. */
  stopped: boolean;
  /** The objects of the calls not sent after Stop: nothing was tried for them. */
  unsent: ObjectEntry[];
  /**
   * Not copied because an object is at their new key (`taken`): to replace, or leave. `existing`: that
   * object, as the server found it (a "Replace" is pinned to it: `replaceIfOf`).
   */
  conflicts: { entry: ObjectEntry; taken: string; existing?: TakenObject }[];
  /**
   * Not copied for another reason: the API's code and a message that says why; `made` when a move's
   * copy was made but its old key not deleted (`delete-failed`): a retry finishes only that.
   */
  errors: { entry: ObjectEntry; code: string; message: string; made?: MadeCopy }[];
  /**
   * Deleted since they were counted (the server found no object at the key): nothing to copy or
   * move, and nothing a retry could do, as `aws s3 mv` finds no such key. Not failures.
   */
  gone: ObjectEntry[];
  /** Moved, but a newer version written to the old key meanwhile was kept. */
  notes: string[];
}

/**
 * Copies or moves `objects` through `copy` (one API call per batch, two at a time, each batch sized to
 * take about `CALL_TARGET_MS`), reporting progress after each call and sending no more once
 * `stopped()` says so. An error of a whole call (the network, the server) throws, with what was done
 * before it in `partial`.
 */
export async function runCopy(
  objects: readonly ObjectEntry[],
  copy: (keys: string[], signal: AbortSignal) => Promise<CopiedObjects>,
  o: {
    signal: AbortSignal;
    stopped: () => boolean;
    onProgress: (p: CopyProgress) => void;
    now?: () => number;
  },
): Promise<CopyResult> {
  const now = o.now ?? (() => performance.now());
  const result: CopyResult = {
    done: 0,
    total: objects.length,
    stopped: false,
    unsent: [],
    conflicts: [],
    errors: [],
    gone: [],
    notes: [],
  };
  const progress: CopyProgress = {
    total: objects.length,
    totalBytes: objects.reduce((sum, e) => sum + e.size, 0),
    settled: 0,
    settledBytes: 0,
  };
  o.onProgress({ ...progress });
  let next = 0;
  /** Objects the calls so far settled, and the time they took (summed over both workers). */
  const pace = { objects: 0, ms: 0 };
  let failure = null as { error: unknown } | null;
  /** Batches whose call failed as a whole: not sent, as far as anyone can tell. */
  const failedBatches: ObjectEntry[][] = [];
  // Two calls at a time, so the server's copies do not all wait for the slowest of a batch.
  const worker = async () => {
    while (next < objects.length && failure === null) {
      if (o.stopped()) {
        result.stopped = true;
        return;
      }
      const batch = nextBatch(objects, next, batchCount(pace));
      next += batch.length;
      const sentAt = now();
      let answer: CopiedObjects;
      try {
        answer = await copy(
          batch.map((e) => e.key),
          o.signal,
        );
      } catch (error) {
        failure ??= { error };
        failedBatches.push(batch);
        return;
      }
      const byKey = new Map(batch.map((e) => [e.key, e]));
      result.done += answer.done.length;
      result.notes.push(...answer.done.flatMap((d) => (d.note ? [d.note] : [])));
      for (const f of answer.failed) {
        const entry = byKey.get(f.key);
        if (!entry) continue;
        if (f.code === 'key-exists')
          result.conflicts.push({
            entry,
            taken: f.newKey ?? entry.key,
            ...(f.existing && { existing: f.existing }),
          });
        else if (f.code === 'not-found') result.gone.push(entry);
        else result.errors.push({ entry, code: f.code, message: f.message, ...(f.made && { made: f.made }) });
      }
      pace.objects += batch.length;
      pace.ms += now() - sentAt;
      progress.settled += batch.length;
      progress.settledBytes += batch.reduce((sum, e) => sum + e.size, 0);
      o.onProgress({ ...progress });
    }
  };
  await Promise.all(Array.from({ length: Math.min(CALLS_AT_ONCE, objects.length) }, worker));
  if (result.stopped) result.unsent = objects.slice(next);
  if (failure !== null) {
    // What a retry of a run it is part of did not get to: those keep their first outcome (mergeRetry).
    result.unsent = [...failedBatches.flat(), ...objects.slice(next)];
    const { error } = failure;
    throw Object.assign(error instanceof Error ? error : new Error(String(error)), { partial: result });
  }
  return result;
}

/**
 * Failures that the same request would meet again: a key no browser-facing API takes (a "." or ".."
 * folder), one outside the folder, or a new key over S3's length. Not offered to "Try again".
 */
const PERMANENT = new Set(['dot-segment', 'invalid-key', 'too-long']);

/** The failures worth trying again. */
export function retryable(errors: CopyResult['errors']): CopyResult['errors'] {
  return errors.filter((e) => !PERMANENT.has(e.code));
}

/**
 * One result of a run and of its retries ("Replace", "Try the failed again"), which run over some of
 * the objects it left: what was retried takes its new outcome, what was not (other failures, and
 * the retry's objects left unsent by a Stop) keeps its first; counts add up over the whole. So a
 * folder rename is "Renamed" only once every object is done, whichever run did it. `goingOn`: the
 * retry was of what the run did not get to (after Stop, or a call that failed as a whole), so whether
 * it stopped, and what it left unsent, is the retry's.
 */
export function mergeRetry(
  previous: CopyResult,
  retried: readonly ObjectEntry[],
  retry: CopyResult,
  o: { goingOn?: boolean } = {},
): CopyResult {
  const unsent = new Set(retry.unsent.map((e) => e.key));
  const settled = new Set(retried.flatMap((e) => (unsent.has(e.key) ? [] : [e.key])));
  const kept = <T extends { entry: ObjectEntry }>(list: readonly T[]) =>
    list.filter((x) => !settled.has(x.entry.key));
  return {
    done: previous.done + retry.done,
    total: previous.total,
    // Only the first run's Stop (or a run going on from it) leaves objects that are offered to go on
    // with; what a retry's Stop left unsent keeps its first outcome, offered again.
    stopped: o.goingOn ? retry.stopped : previous.stopped,
    unsent: o.goingOn ? retry.unsent : previous.unsent,
    conflicts: [...kept(previous.conflicts), ...retry.conflicts],
    errors: [...kept(previous.errors), ...retry.errors],
    gone: [...previous.gone, ...retry.gone], // never tried again
    notes: [...previous.notes, ...retry.notes],
  };
}

/**
 * What "Try the failed again" sends: the entries worth trying, and for each whose copy was made
 * but whose old key was not deleted, `made` (by key), so only that delete is tried, not the copy
 * (which would find its own copy at the new name and call it taken).
 */
export function retryPlan(errors: CopyResult['errors']): {
  entries: ObjectEntry[];
  made: Record<string, MadeCopy>;
} {
  const again = retryable(errors);
  return {
    entries: again.map((e) => e.entry),
    made: Object.fromEntries(again.flatMap((e) => (e.made ? [[e.entry.key, e.made] as const] : []))),
  };
}

/** What of `made` (or of `replaceIf`) concerns `keys` (one call's batch); undefined when nothing does. */
export function madeFor<T>(made: Record<string, T>, keys: readonly string[]): Record<string, T> | undefined {
  const picked = keys.flatMap((k) => (Object.hasOwn(made, k) ? [[k, made[k]!] as const] : []));
  return picked.length > 0 ? Object.fromEntries(picked) : undefined;
}

/**
 * What a finished copy or move says: "Moved 118 of 120 objects to “archive/”.", then how many had
 * been deleted since the count, what a move left under its folders because it was written there since
 * (`late`), how many were left because the name is taken there, and which failed and why (the first
 * five).
 */
export function copySummary(
  result: CopyResult,
  o: {
    move: boolean;
    where: string;
    /** The folder renamed, when it was a folder rename. */ renamed?: string;
    /** Objects found under the moved folders after the move: written since the count. */
    late?: readonly LeftInFolder[];
  },
): string {
  const verb = o.move ? 'Moved' : 'Copied';
  const { done, total, conflicts, errors, gone } = result;
  const deleted =
    gone.length === 0
      ? ''
      : ` ${objectCount(gone.length)} ${gone.length === 1 ? 'was' : 'were'} deleted since the count: not ${verb.toLowerCase()}.`;
  const late = lateNote(o.late ?? []);
  if (
    o.renamed !== undefined &&
    done > 0 &&
    done + gone.length === total &&
    !result.stopped &&
    conflicts.length + errors.length === 0
  ) {
    return `Renamed ${o.renamed} to ${o.where} (${objectCount(done)}).${deleted}${late}`;
  }
  const of = done === total ? objectCount(done) : `${formatCount(done)} of ${objectCount(total)}`;
  const stopped = result.stopped ? ' (stopped)' : '';
  const taken =
    conflicts.length === 0
      ? ''
      : ` ${objectCount(conflicts.length)} ${conflicts.length === 1 ? 'was' : 'were'} left: ${
          conflicts.length === 1 ? 'its name is' : 'their names are'
        } taken there.`;
  const failed =
    errors.length === 0
      ? ''
      : ` ${formatCount(errors.length)} failed: ${errors
          .slice(0, 5)
          .map((e) => `${e.entry.key} (${e.message})`)
          .join(', ')}${errors.length > 5 ? '…' : ''}`;
  // A folder rename that moved nothing is not renamed at all: said so, not "Moved 0 of 100 objects".
  if (o.renamed !== undefined && done === 0)
    return `${o.renamed} was not renamed${stopped}: nothing was moved to ${o.where}.${deleted}${late}${taken}${failed}`;
  return `${verb} ${of} to ${o.where}${stopped}.${deleted}${late}${taken}${failed}`;
}

/**
 * The names taken in the order of their new keys, as a listing shows them: the server answers each
 * batch as its copies end, so 2,500 of them read "item-00004, item-00006, item-00000…". Pure.
 */
export function conflictsInOrder(conflicts: CopyResult['conflicts']): CopyResult['conflicts'] {
  return [...conflicts].sort((a, b) => compareKeys(a.taken, b.taken));
}

/**
 * What "Replace" sends for the names taken: per key, the ETag of the object the page showed at its new
 * key, so one written there since is not replaced unasked (it is listed again).
 */
export function replaceIfOf(conflicts: CopyResult['conflicts']): Record<string, string> {
  return Object.fromEntries(
    conflicts.flatMap((c) => (c.existing ? [[c.entry.key, c.existing.etag] as const] : [])),
  );
}
