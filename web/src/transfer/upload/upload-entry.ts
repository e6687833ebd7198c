/** The engine's record of one file in the list (UploadEntry), how it starts, and its small helpers. */
import type {
  ChecksumAlgorithm,
  ConflictChoice,
  ObjectProperties,
  SignedPart,
  UploadPlan,
} from '../../../../server/shared/api-types.ts';
import { fileFingerprint, type JournalPart } from './journal.ts';

export interface UploadFileInput {
  file: Blob & { name: string; size: number; type: string; lastModified: number };
  relativePath?: string;
  /** The listed folder it goes into, which `relativePath` starts with (see CreateUploadRequest). */
  folder?: string;
  /** Set on the object: content type, Cache-Control, metadata, tags (the upload settings when added). */
  properties?: ObjectProperties;
}

/** Runtime state of one file (never shown to React as is). */
export interface UploadEntry {
  id: string;
  /** Order of adding (1, 2, …): which files a "for all" conflict choice covers. */
  seq: number;
  input: UploadFileInput;
  /** Read when first needed (`entryFingerprint`): it costs a file stat (see late-sizer.ts). */
  fingerprint: string | null;
  plan: UploadPlan | null;
  onConflict: ConflictChoice | undefined;
  /**
   * With `onConflict: 'replace'`: the ETag of the object the user chose to replace (as the conflict
   * showed it; null if the store gave none). The writes are `If-Match` it: an object written at the
   * key after the choice is not overwritten unasked.
   */
  replaceIf: string | null;
  sampleHash: string | null;
  createdAt: number;
  /** The current run's controller; aborted by pause, cancel and destroy. */
  run: AbortController | null;
  intent: 'pause' | 'cancel' | 'destroy' | null;
  /** Settles (never rejects) when the current run is over. */
  settled: Promise<void>;
  cancelling: boolean;
  parts: Map<number, JournalPart>;
  checksums: Map<number, Promise<string>>;
  urls: Map<number, SignedPart>;
  signing: Map<number, Promise<void>>;
  inFlight: Set<number>;
  /** Highest part number asked for by a sign batch in this run (prefetch cursor). */
  signCursor: number;
  signedOnce: boolean;
  putStarted: boolean;
  needsReconcile: boolean;
  /**
   * The conditional single PUT got 412: the next create says what is at the key. The algorithm of the
   * checksum it sent (part 1's, in `checksums`), to compare with what is there; null if none was refused.
   */
  refusedPut: ChecksumAlgorithm | null;
  /**
   * That refused PUT was a "Replace" pinned `If-Match` this ETag: if the key still holds that very
   * object, the store refused a condition that held, and asking again would only loop.
   */
  refusedReplaceOf: string | null;
  /**
   * The upload of this file another tab was sending, which this one waited for: gone from the journal
   * when it let it go (done there, or cancelled). If the create then finds an object of the file's size
   * at its key, the file is hashed as that upload's parts to tell whether the object is that upload.
   */
  sentElsewhere: Pick<UploadPlan, 'key' | 'token' | 'partSize' | 'partCount' | 'checksumAlgorithm'> | null;
  /** A late conflict's upload is being aborted for this choice ('cancel' if Cancel came meanwhile). */
  dropping: 'keep-both' | 'skip' | 'cancel' | null;
  releaseLock: (() => void) | null;
  journalSaving: boolean;
  journalDirty: boolean;
}

export function createEntry(
  init: Pick<UploadEntry, 'id' | 'seq' | 'input' | 'fingerprint' | 'createdAt'>,
): UploadEntry {
  return {
    ...init,
    plan: null,
    onConflict: undefined,
    replaceIf: null,
    sampleHash: null,
    run: null,
    intent: null,
    settled: Promise.resolve(),
    cancelling: false,
    parts: new Map(),
    checksums: new Map(),
    urls: new Map(),
    signing: new Map(),
    inFlight: new Set(),
    signCursor: 0,
    signedOnce: false,
    putStarted: false,
    needsReconcile: false,
    refusedPut: null,
    refusedReplaceOf: null,
    sentElsewhere: null,
    dropping: null,
    releaseLock: null,
    journalSaving: false,
    journalDirty: false,
  };
}

/** The file's fingerprint (journal key), read on first use: it costs a file stat. */
export function entryFingerprint(entry: UploadEntry): string {
  return (entry.fingerprint ??= fileFingerprint(entry.input.file, entry.input.relativePath));
}

/** What the file's sign and Complete calls say of the object at its key: replace it (the one shown), or not. */
export function replaceOptions(entry: UploadEntry): { replace: boolean; replaceIf?: string } {
  return { replace: entry.onConflict === 'replace', ...replaceIfOf(entry) };
}

/** `replaceIf` when replacing an object whose ETag the conflict showed; nothing otherwise. */
export function replaceIfOf(entry: UploadEntry): { replaceIf?: string } {
  return entry.onConflict === 'replace' && entry.replaceIf !== null ? { replaceIf: entry.replaceIf } : {};
}

export function releaseLock(entry: UploadEntry): void {
  entry.releaseLock?.();
  entry.releaseLock = null;
}

/** The Web Lock that one tab holds while it works on a multipart upload. */
export function lockName(uploadId: string | null): string {
  return `hoist-upload:${uploadId}`;
}
