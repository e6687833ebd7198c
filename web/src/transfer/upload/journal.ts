/**
 * What survives a reload: enough to continue a multipart upload (never the bytes). Keyed by a cheap
 * fingerprint (name, size, lastModified, relativePath); `sampleHash` (SHA-256 over the first, middle
 * and last 64 KiB) tells a same-named different file apart before anything is sent.
 */
import type { ChecksumAlgorithm, ObjectProperties } from '../../../../server/shared/api-types.ts';
import { noProperties } from '../../../../server/shared/object-properties.ts';
import { sortedEntries } from '../../../../server/shared/sorted-entries.ts';

export interface JournalPart {
  partNumber: number;
  etag: string;
  checksum?: string;
  size: number;
}

export interface UploadRecord {
  /** The multipart uploadId. */
  id: string;
  fingerprint: string;
  name: string;
  size: number;
  lastModified: number;
  relativePath?: string;
  sampleHash: string;
  key: string;
  uploadId: string;
  token: string;
  expiresAt: number;
  partSize: number;
  partCount: number;
  checksumAlgorithm: ChecksumAlgorithm;
  parts: JournalPart[];
  /** The user chose to replace an existing object: a resumed upload completes without asking again. */
  replace?: boolean;
  /** With `replace`: the ETag of the object chosen to be replaced (see UploadEntry.replaceIf). */
  replaceIf?: string;
  /**
   * What the object is to be given (the upload settings when it was added); absent: nothing. The
   * upload is resumed only for a file picked with the same settings (records from before: none).
   */
  properties?: ObjectProperties;
  createdAt: number;
  updatedAt: number;
}

export interface UploadJournal {
  put(record: UploadRecord): Promise<void>;
  get(fingerprint: string): Promise<UploadRecord | undefined>;
  list(): Promise<UploadRecord[]>;
  delete(id: string): Promise<void>;
}

export function fileFingerprint(
  file: { name: string; size: number; lastModified: number },
  relativePath?: string,
): string {
  return JSON.stringify([file.name, file.size, file.lastModified, relativePath ?? '']);
}

/**
 * Whether two uploads give their objects the same properties: unset and empty alike, metadata and
 * tags in any order.
 */
export function sameProperties(a: ObjectProperties | undefined, b: ObjectProperties | undefined): boolean {
  return propertiesKey(a) === propertiesKey(b);
}

function propertiesKey(p: ObjectProperties | undefined): string {
  if (!p || noProperties(p)) return '';
  return JSON.stringify([
    p.contentType ?? null,
    p.cacheControl ?? null,
    p.contentDisposition ?? null,
    p.contentEncoding ?? null,
    p.contentLanguage ?? null,
    sortedEntries(p.metadata),
    sortedEntries(p.tags),
    p.storageClass ?? null,
  ]);
}

/**
 * The part of `fileFingerprint` that is free to read: a picked File's size and date cost a file stat
 * the first time (Chromium), its name does not. Files with different path keys are different files.
 */
export function filePathKey(file: { name: string }, relativePath?: string): string {
  return JSON.stringify([file.name, relativePath ?? '']);
}

/** Keeps records in memory (tests; also the default when IndexedDB is unavailable). */
export class MemoryJournal implements UploadJournal {
  readonly #records = new Map<string, UploadRecord>();

  put(record: UploadRecord): Promise<void> {
    this.#records.set(record.id, structuredClone(record));
    return Promise.resolve();
  }

  get(fingerprint: string): Promise<UploadRecord | undefined> {
    let found: UploadRecord | undefined;
    for (const record of this.#records.values()) {
      if (record.fingerprint === fingerprint && (!found || record.updatedAt > found.updatedAt))
        found = record;
    }
    return Promise.resolve(found && structuredClone(found));
  }

  list(): Promise<UploadRecord[]> {
    return Promise.resolve([...this.#records.values()].map((r) => structuredClone(r)));
  }

  delete(id: string): Promise<void> {
    this.#records.delete(id);
    return Promise.resolve();
  }
}
