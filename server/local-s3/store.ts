import { createReadStream } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, unlink } from 'node:fs/promises';
import { Readable } from 'node:stream';
import {
  compositeChecksum,
  fullObjectChecksum,
  type Checksum,
  type ChecksumAlgorithm,
  type ChecksumType,
} from './checksum.ts';
import { completedBy } from './complete-retry.ts';
import type { CorsRule } from './cors.ts';
import {
  fsyncDir,
  moveDurable,
  removeQuietly,
  removeTree,
  syncRenamed,
  UnsyncedRenameError,
  unsyncedOf,
  writeAtomic,
  writeFileDurable,
} from './durable-fs.ts';
import { DataDirError } from './data-dir-error.ts';
import { S3Error } from './errors.ts';
import { multipartEtag, unquoteEtag } from '../uploads/multipart-etag.ts';
import { FileReaper } from './file-reaper.ts';
import { KeyedLock } from './keyed-lock.ts';
import { isId, isValidBucketName, Layout, newId } from './layout.ts';
import { MIN_PART_SIZE } from '../shared/s3-limits.ts';
import type { ByteRange } from './range.ts';
import {
  isDeleteMarker,
  type BucketRecord,
  type DeleteMarkerRecord,
  type ObjectRecord,
  type PartRecord,
  type UploadRecord,
  type VersioningStatus,
  type VersionRecord,
} from './records.ts';
import {
  findVersion,
  liveObject,
  loadKeyVersions,
  nextSeq,
  placeVersion,
  unusedFiles,
  type KeyVersions,
  type StoredVersion,
} from './key-versions.ts';
import { newVersionId, NULL_VERSION_ID, versionIdOf } from './version-id.ts';
import { SortedKeys } from './sorted-keys.ts';
import { mapLimit } from '../shared/map-limit.ts';

/** The store's state: buckets, objects (sorted index), multipart uploads; disk is the source of truth at start. */

type Signal = { signal?: AbortSignal };
/** Write conditions (If-None-Match / If-Match), checked again under the key's lock just before commit. */
type CommitCheck = { check?: () => void };

export interface BucketState {
  record: BucketRecord;
  /** the live objects: each key's current version, unless that is a delete marker */
  objects: SortedKeys<ObjectRecord>;
  /**
   * Once the bucket's versioning was set (Enabled or Suspended): every key's versions, newest first, delete
   * markers included. Absent (the default), there is nothing to keep but `objects`.
   */
  versions?: SortedKeys<KeyVersions>;
  uploads: Map<string, UploadState>;
  /** object records being written: the bucket is not empty while there are any (DeleteBucket) */
  committing: number;
}

export interface UploadState {
  record: UploadRecord;
  parts: Map<number, PartRecord>;
  state: 'open' | 'completing' | 'gone';
}

/** What a DELETE of a key did in a versioned bucket: the version it removed or the delete marker it made. */
export interface DeleteOutcome {
  /** as on the wire ("null" included); absent in a bucket never versioned */
  versionId?: string;
  /** a delete marker was made, or the version removed was one */
  deleteMarker?: boolean;
}

export interface CompletePart {
  partNumber: number;
  etag: string;
  checksums: Partial<Record<ChecksumAlgorithm, string>>;
}

export class Store {
  readonly layout: Layout;
  readonly #buckets = new Map<string, BucketState>();
  readonly #reaper = new FileReaper();
  readonly #lock = new KeyedLock();

  /** The store's clock: what it stamps objects, parts and uploads with (as the one it checks requests by). */
  readonly now: () => Date;

  private constructor(dataDir: string, now: () => Date) {
    this.layout = new Layout(dataDir);
    this.now = now;
  }

  static async open(dataDir: string, options: Signal & { now?: () => Date } = {}): Promise<Store> {
    const store = new Store(dataDir, options.now ?? (() => new Date()));
    await store.#load(options);
    return store;
  }

  // ---------------------------------------------------------------- buckets

  listBuckets(): BucketRecord[] {
    return [...this.#buckets.values()].map((b) => b.record).sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  bucket(name: string): BucketState {
    const bucket = this.#buckets.get(name);
    if (!bucket) throw new S3Error('NoSuchBucket', undefined, { BucketName: name });
    return bucket;
  }

  hasBucket(name: string): boolean {
    return this.#buckets.has(name);
  }

  async createBucket(name: string, options: Signal = {}): Promise<BucketState> {
    if (!isValidBucketName(name)) throw new S3Error('InvalidBucketName', undefined, { BucketName: name });
    if (this.#buckets.has(name))
      throw new S3Error('BucketAlreadyOwnedByYou', undefined, { BucketName: name });
    return this.#lock.run(`bucket\0${name}`, async () => {
      const existing = this.#buckets.get(name);
      if (existing) return existing;
      const record: BucketRecord = { name, created: this.now().toISOString() };
      for (const dir of [
        this.layout.objectsDir(name),
        this.layout.dataDirOf(name),
        this.layout.uploadsDir(name),
      ])
        await mkdir(dir, { recursive: true });
      // Once bucket.json is in place the bucket is there (a restart loads it), whichever fsync failed after.
      const unsynced =
        (await this.#writeRecord(this.layout.bucketFile(name), record, options)) ??
        (await unsyncedOf(syncRenamed(this.layout.bucketDir(name), 'created')));
      const state: BucketState = { record, objects: new SortedKeys(), uploads: new Map(), committing: 0 };
      this.#buckets.set(name, state);
      if (unsynced) throw unsynced;
      return state;
    });
  }

  /** Under the bucket's lock, as CreateBucket and PutBucketCors: a bucket made again waits for its removal. */
  async deleteBucket(name: string): Promise<void> {
    this.bucket(name);
    await this.#lock.run(`bucket\0${name}`, async () => {
      const bucket = this.bucket(name);
      // An object being written counts: deleted now, the bucket would take it along after its PUT had answered 200.
      if (bucket.objects.size > 0 || (bucket.versions?.size ?? 0) > 0 || bucket.committing > 0)
        throw new S3Error('BucketNotEmpty', undefined, { BucketName: name });
      this.#buckets.delete(name);
      for (const upload of bucket.uploads.values()) upload.state = 'gone';
      // bucket.json first, so a crash mid-way never leaves a half bucket that loads.
      await removeQuietly(this.layout.bucketFile(name));
      await this.#removeDir(this.layout.bucketDir(name));
    });
  }

  /** Under the bucket's lock: the rules in force are the ones bucket.json holds, whichever call came last. */
  async setCors(name: string, rules: CorsRule[] | undefined, options: Signal = {}): Promise<void> {
    this.bucket(name);
    await this.#lock.run(`bucket\0${name}`, async () => {
      const bucket = this.bucket(name);
      const { cors: _old, ...rest } = bucket.record;
      await this.#writeBucketRecord(bucket, { ...rest, ...(rules ? { cors: rules } : {}) }, options);
    });
  }

  /**
   * Writes a record as JSON in place of `path` (temp file, then rename): an UnsyncedRenameError when the
   * rename is done but its directory could not be fsynced (the file is in place; the caller reports it after
   * updating what follows it).
   */
  #writeRecord(path: string, value: unknown, options: Signal): Promise<UnsyncedRenameError | undefined> {
    return unsyncedOf(writeAtomic(path, JSON.stringify(value), this.layout.tmpFile(), options));
  }

  async #writeBucketRecord(bucket: BucketState, record: BucketRecord, options: Signal): Promise<void> {
    const unsynced = await this.#writeRecord(this.layout.bucketFile(record.name), record, options);
    bucket.record = record; // the file says so now, fsynced or not
    if (unsynced) throw unsynced;
  }

  /**
   * PutBucketVersioning. Set the first time, every object there is becomes its key's "null" version; from then on
   * the bucket keeps its keys' versions (`BucketState.versions`), Enabled or Suspended.
   */
  async setVersioning(name: string, status: VersioningStatus, options: Signal = {}): Promise<void> {
    this.bucket(name);
    await this.#lock.run(`bucket\0${name}`, async () => {
      const bucket = this.bucket(name);
      if (!bucket.versions) await mkdir(this.layout.versionsDir(name), { recursive: true });
      await this.#writeBucketRecord(bucket, { ...bucket.record, versioning: status }, options);
      // Built in the same tick as it is set: a write under way on the unversioned path updates it after (#commitLocked).
      if (!bucket.versions) {
        const versions = new SortedKeys<KeyVersions>();
        versions.load(
          Array.from({ length: bucket.objects.size }, (_, i) => {
            const entry = bucket.objects.at(i)!;
            return [entry.key, [entry.value]] as const;
          }),
        );
        bucket.versions = versions;
      }
    });
  }

  /** The bucket's versioning was ever set: version ids other than "null" can name something there. */
  isVersioned(name: string): boolean {
    return this.#buckets.get(name)?.versions !== undefined;
  }

  // ---------------------------------------------------------------- objects

  getObject(bucketName: string, key: string): ObjectRecord {
    const record = this.bucket(bucketName).objects.get(key);
    if (!record) throw new S3Error('NoSuchKey', undefined, { Key: key });
    return record;
  }

  /**
   * The object `versionId` names, or the current one, as S3 answers a GET or HEAD: NoSuchKey when the key's
   * latest is a delete marker (saying so in x-amz-delete-marker), NoSuchVersion for an id that names nothing,
   * 405 MethodNotAllowed for one that names a delete marker. The version id was checked (version-id.ts).
   */
  getVersion(bucketName: string, key: string, versionId: string | undefined): ObjectRecord {
    const bucket = this.bucket(bucketName);
    if (!bucket.versions) return this.getObject(bucketName, key);
    const versions = bucket.versions.get(key) ?? [];
    if (versionId === undefined) {
      const current = versions[0];
      if (!current) throw new S3Error('NoSuchKey', undefined, { Key: key });
      if (isDeleteMarker(current))
        throw new S3Error('NoSuchKey', undefined, { Key: key }, { headers: markerHeaders(current) });
      return current;
    }
    const found = findVersion(versions, versionId)?.version;
    if (!found) throw new S3Error('NoSuchVersion', undefined, { Key: key, VersionId: versionId });
    if (isDeleteMarker(found))
      throw new S3Error(
        'MethodNotAllowed',
        undefined,
        { Method: 'GET', ResourceType: 'DeleteMarker' },
        {
          headers: {
            ...markerHeaders(found),
            'Last-Modified': new Date(found.lastModified).toUTCString(),
            Allow: 'DELETE',
          },
        },
      );
    return found;
  }

  /** Moves a fully written and fsynced temp file into the bucket and publishes it as `key`. */
  async putObject(
    bucketName: string,
    tmpPath: string,
    record: Omit<ObjectRecord, 'segments'>,
    options: Signal & CommitCheck = {},
  ): Promise<ObjectRecord> {
    this.bucket(bucketName);
    const file = newId();
    await moveDurable(tmpPath, this.layout.dataFile(bucketName, file));
    const full: ObjectRecord = { ...record, segments: [{ file, size: record.size }] };
    try {
      return await this.#commitObject(bucketName, full, options);
    } catch (error) {
      // Once its manifest is in place the file is the object's, whatever failed after.
      if (!(error instanceof UnsyncedRenameError))
        await removeQuietly(this.layout.dataFile(bucketName, file));
      throw error;
    }
  }

  /**
   * DeleteObject. In a versioned bucket: with a version id, that version goes (its data with it; a delete marker
   * too); without, a delete marker becomes the current version (Enabled: a new one; Suspended: the "null" one).
   */
  async deleteObject(
    bucketName: string,
    key: string,
    options: CommitCheck & { versionId?: string | undefined } = {},
  ): Promise<DeleteOutcome> {
    const bucket = this.bucket(bucketName);
    if (bucket.versions) {
      if (options.versionId !== undefined)
        return this.#deleteVersion(bucket, bucketName, key, options.versionId, options);
      const marker: DeleteMarkerRecord = { key, lastModified: this.now().toISOString(), deleteMarker: true };
      const made = await this.#commitObject(bucketName, marker, options);
      return { versionId: versionIdOf(made), deleteMarker: true };
    }
    await this.#lock.run(`${bucketName}\0${key}`, async () => {
      options.check?.(); // If-Match, under the key's lock
      const previous = bucket.objects.get(key);
      if (!previous) return;
      const meta = this.layout.objectMeta(bucketName, key);
      // Only a manifest already gone is deleted; any other failure (EROFS, EIO, EACCES) leaves the object as
      // it is, in the index as on disk, and answers an error.
      await unlink(meta).catch((error: unknown) => {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      });
      const unsynced = await unsyncedOf(syncRenamed(meta, 'removed'));
      bucket.objects.delete(key); // gone from disk as from the index, fsynced or not
      bucket.versions?.delete(key); // versioning set meanwhile (setVersioning)
      // Not fsynced, a power cut could bring the manifest back: its data stays (a restart reaps it if not).
      if (unsynced) throw unsynced;
      await this.#reaper.discard(previous.segments.map((s) => this.layout.dataFile(bucketName, s.file)));
    });
    return {};
  }

  /**
   * Removes one version of a versioned bucket's key. The current one removed, the next newest becomes current:
   * written as the key's manifest first, then its copy in versions/ removed (a crash between leaves it twice,
   * which the next start resolves: key-versions.ts loadKeyVersions).
   */
  async #deleteVersion(
    bucket: BucketState,
    bucketName: string,
    key: string,
    versionId: string,
    options: Signal & CommitCheck,
  ): Promise<DeleteOutcome> {
    const versions = bucket.versions!;
    return this.#lock.run(`${bucketName}\0${key}`, async () => {
      options.check?.();
      const all = versions.get(key) ?? [];
      const found = findVersion(all, versionId);
      if (!found) return { versionId };
      const rest = all.filter((_, i) => i !== found.index);
      let unsynced: UnsyncedRenameError | undefined;
      if (found.index > 0) {
        const file = this.layout.versionFile(bucketName, key, versionId);
        await unlinkIfThere(file);
        unsynced = await unsyncedOf(syncRenamed(file, 'removed'));
      } else if (rest[0]) {
        const promoted = rest[0];
        unsynced = await this.#writeRecord(this.layout.objectMeta(bucketName, key), promoted, options);
        await unlinkIfThere(this.layout.versionFile(bucketName, key, versionIdOf(promoted)));
      } else {
        const meta = this.layout.objectMeta(bucketName, key);
        await unlinkIfThere(meta);
        unsynced = await unsyncedOf(syncRenamed(meta, 'removed'));
      }
      this.#setVersions(bucket, key, rest);
      if (unsynced) throw unsynced;
      await this.#reaper.discard(
        unusedFiles(found.version, rest).map((f) => this.layout.dataFile(bucketName, f)),
      );
      return { versionId, ...(isDeleteMarker(found.version) ? { deleteMarker: true } : {}) };
    });
  }

  /** A versioned key's versions in memory, and its live object (the current version, unless a delete marker). */
  #setVersions(bucket: BucketState, key: string, versions: KeyVersions): void {
    if (versions.length > 0) bucket.versions!.set(key, versions);
    else bucket.versions!.delete(key);
    const live = liveObject(versions);
    if (live) bucket.objects.set(key, live);
    else bucket.objects.delete(key);
  }

  /** Rewrites an object's record (not its bytes) under the key's lock, durably: tags are changed so. */
  async updateObject(
    bucketName: string,
    key: string,
    change: (record: ObjectRecord) => ObjectRecord,
    options: Signal & { versionId?: string | undefined } = {},
  ): Promise<ObjectRecord> {
    const bucket = this.bucket(bucketName);
    return this.#lock.run(`${bucketName}\0${key}`, async () => {
      if (bucket.versions) {
        const old = this.getVersion(bucketName, key, options.versionId);
        const all = bucket.versions.get(key)!;
        const index = all.indexOf(old);
        const record = change(old);
        const unsynced = await this.#writeRecord(
          index === 0
            ? this.layout.objectMeta(bucketName, key)
            : this.layout.versionFile(bucketName, key, versionIdOf(old)),
          record,
          options,
        );
        this.#setVersions(
          bucket,
          key,
          all.map((v, i) => (i === index ? record : v)),
        );
        if (unsynced) throw unsynced;
        return record;
      }
      const current = bucket.objects.get(key);
      if (!current) throw new S3Error('NoSuchKey', undefined, { Key: key });
      const record = change(current);
      const unsynced = await this.#writeRecord(this.layout.objectMeta(bucketName, key), record, options);
      bucket.objects.set(key, record);
      // Versioning set while this write was under way (setVersioning): the index it built follows this write.
      (bucket as BucketState).versions?.set(key, [record]);
      if (unsynced) throw unsynced;
      return record;
    });
  }

  /** A stream of the object's bytes (or a range) across its data files; an overwrite does not cut it short. */
  readObject(bucketName: string, record: ObjectRecord, range?: ByteRange): Readable {
    const start = range?.start ?? 0;
    const end = range ? range.end + 1 : record.size;
    const pieces: { path: string; start: number; end: number }[] = [];
    let offset = 0;
    for (const segment of record.segments) {
      const segStart = offset;
      const segEnd = offset + segment.size;
      offset = segEnd;
      if (segEnd <= start || segStart >= end || segment.size === 0) continue;
      pieces.push({
        path: this.layout.dataFile(bucketName, segment.file),
        start: Math.max(start, segStart) - segStart,
        end: Math.min(end, segEnd) - segStart - 1,
      });
    }
    const files = pieces.map((p) => p.path);
    this.#reaper.retain(files);
    const reaper = this.#reaper;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      reaper.release(files);
    };
    async function* generate() {
      try {
        for (const piece of pieces) {
          const stream = createReadStream(piece.path, {
            start: piece.start,
            end: piece.end,
            highWaterMark: 1024 * 1024,
          });
          try {
            for await (const chunk of stream) yield chunk as Buffer;
          } finally {
            stream.destroy();
          }
        }
      } finally {
        release();
      }
    }
    const stream = Readable.from(generate(), { objectMode: false });
    // A stream destroyed before its first read never enters the generator, so its `finally` never runs.
    stream.once('close', release);
    return stream;
  }

  /** Publishes `record` as its key's current version: returned as written (with its version id, if any). */
  async #commitObject<R extends VersionRecord>(
    bucketName: string,
    record: R,
    options: Signal & CommitCheck,
  ): Promise<R> {
    const bucket = this.bucket(bucketName);
    // Counted in the tick that found the bucket: from here on a DeleteBucket finds it not empty.
    bucket.committing++;
    try {
      return await this.#commitLocked(bucket, bucketName, record, options);
    } finally {
      bucket.committing--;
    }
  }

  /** The write itself, under the key's lock. */
  async #commitLocked<R extends VersionRecord>(
    bucket: BucketState,
    bucketName: string,
    record: R,
    options: Signal & CommitCheck,
  ): Promise<R> {
    return this.#lock.run(`${bucketName}\0${record.key}`, async () => {
      options.check?.(); // under the key's lock: two conditional writers cannot both pass
      if (bucket.versions) return this.#commitVersion(bucket, bucketName, record, options);
      // Only a versioned bucket has delete markers.
      if (isDeleteMarker(record))
        throw new S3Error('InternalError', 'a delete marker in an unversioned bucket');
      // Once renamed into place the manifest is the object, even if its directory fsync failed: the index
      // follows it, and the failure is reported after.
      const unsynced = await this.#writeRecord(
        this.layout.objectMeta(bucketName, record.key),
        record,
        options,
      );
      const previous = bucket.objects.get(record.key);
      bucket.objects.set(record.key, record);
      // Versioning set while this write was under way (setVersioning): the index it built follows this write.
      (bucket as BucketState).versions?.set(record.key, [record]);
      if (previous) {
        const keep = new Set(record.segments.map((s) => s.file));
        await this.#reaper.discard(
          previous.segments
            .filter((s) => !keep.has(s.file))
            .map((s) => this.layout.dataFile(bucketName, s.file)),
        );
      }
      if (unsynced) throw unsynced;
      return record;
    });
  }

  /**
   * A new current version in a versioned bucket (an object or a delete marker), under the key's lock: Enabled,
   * with an id of its own; Suspended, as the "null" version, which it replaces. The version it displaces is
   * copied to versions/ first, then the key's manifest replaced, then a "null" version replaced removed from
   * versions/: a crash anywhere leaves every version there at least once.
   */
  async #commitVersion<R extends VersionRecord>(
    bucket: BucketState,
    bucketName: string,
    record: R,
    options: Signal,
  ): Promise<R> {
    const { key } = record;
    const all = bucket.versions!.get(key) ?? [];
    const { versionId: _none, ...rest } = record;
    const version = {
      ...rest,
      ...(bucket.record.versioning === 'Enabled' ? { versionId: newVersionId() } : {}),
      seq: nextSeq(all),
    } as R;
    const placed = placeVersion(all, version);
    const displaced = all[0];
    let unsynced: UnsyncedRenameError | undefined;
    if (displaced && displaced !== placed.replaced)
      unsynced = await this.#writeRecord(
        this.layout.versionFile(bucketName, key, versionIdOf(displaced)),
        displaced,
        options,
      );
    unsynced =
      (await this.#writeRecord(this.layout.objectMeta(bucketName, key), version, options)) ?? unsynced;
    if (placed.replaced && placed.replaced !== displaced)
      await unlinkIfThere(this.layout.versionFile(bucketName, key, NULL_VERSION_ID));
    this.#setVersions(bucket, key, placed.versions);
    await this.#reaper.discard(
      unusedFiles(placed.replaced, placed.versions).map((f) => this.layout.dataFile(bucketName, f)),
    );
    if (unsynced) throw unsynced;
    return version;
  }

  // ---------------------------------------------------------------- multipart

  async createUpload(
    bucketName: string,
    record: Omit<UploadRecord, 'uploadId' | 'initiated'>,
    options: Signal = {},
  ): Promise<UploadRecord> {
    const bucket = this.bucket(bucketName);
    const full: UploadRecord = { uploadId: newId(), initiated: this.now().toISOString(), ...record };
    const dir = this.layout.uploadDir(bucketName, full.uploadId);
    await mkdir(dir, { recursive: true });
    // Once its record is in place the upload is there (a restart loads it; ListMultipartUploads and the
    // janitor must see it), whichever fsync failed after.
    let unsynced: Error | undefined;
    try {
      unsynced = await this.#writeRecord(this.layout.uploadFile(bucketName, full.uploadId), full, options);
    } catch (error) {
      // No record, no upload: its folder goes too (a full disk left one for each create refused,
      // until a restart swept them).
      await this.#removeDir(dir).catch(() => {});
      throw error;
    }
    unsynced ??= await unsyncedOf(syncRenamed(dir, 'created'));
    bucket.uploads.set(full.uploadId, { record: full, parts: new Map(), state: 'open' });
    if (unsynced) throw unsynced;
    return full;
  }

  upload(bucketName: string, uploadId: string): UploadState {
    const upload = this.bucket(bucketName).uploads.get(uploadId);
    if (!upload || upload.state === 'gone')
      throw new S3Error('NoSuchUpload', undefined, { UploadId: uploadId });
    return upload;
  }

  /**
   * Publishes a part from a fully written temp file whose fsync (`synced`) may still be running. The file is
   * renamed into the data dir at once; its bytes, its directory entry and the part record's temp file then become
   * durable together, and only then is the record renamed into place, so a part record never names bytes that are
   * not on disk (a data file nothing names is removed at start). A part that lands after an abort cleans itself up.
   */
  async commitPart(
    bucketName: string,
    uploadId: string,
    tmpPath: string,
    synced: Promise<void>,
    part: Omit<PartRecord, 'file' | 'lastModified'>,
    options: Signal = {},
  ): Promise<PartRecord> {
    let upload: ReturnType<Store['upload']>;
    try {
      upload = this.upload(bucketName, uploadId);
    } catch (error) {
      // Aborted (or completed) while the body was arriving: the received bytes go too.
      await synced.catch(() => undefined);
      await removeQuietly(tmpPath);
      throw error;
    }
    const file = newId();
    const dataPath = this.layout.dataFile(bucketName, file);
    const metaPath = this.layout.partFile(bucketName, uploadId, part.partNumber);
    const metaTmp = this.layout.tmpFile();
    const noSuchUpload = () => new S3Error('NoSuchUpload', undefined, { UploadId: uploadId });
    const record: PartRecord = { ...part, file, lastModified: this.now().toISOString() };
    try {
      await rename(tmpPath, dataPath);
    } catch (error) {
      await synced.catch(() => undefined);
      await removeQuietly(tmpPath);
      if (upload.state === 'gone') throw noSuchUpload();
      throw error;
    }
    const discard = async () => {
      await removeQuietly(dataPath);
      await removeQuietly(metaTmp);
    };
    const results = await Promise.allSettled([
      synced,
      fsyncDir(this.layout.dataDirOf(bucketName)),
      writeFileDurable(metaTmp, JSON.stringify(record)),
    ]);
    const failed = results.find((r) => r.status === 'rejected');
    if (failed || upload.state === 'gone' || options.signal?.aborted) {
      await discard();
      if (upload.state === 'gone') throw noSuchUpload();
      options.signal?.throwIfAborted();
      throw failed!.reason;
    }
    return this.#lock.run(`${uploadId}\0${part.partNumber}`, async () => {
      if (upload.state === 'gone') {
        await discard();
        throw noSuchUpload();
      }
      try {
        await rename(metaTmp, metaPath);
      } catch (error) {
        await discard();
        if (isGone(upload)) throw noSuchUpload();
        throw error;
      }
      // Renamed, the record is the part (and has replaced any earlier one) even if its directory fsync fails:
      // the upload's parts follow it and the failure is reported after.
      const unsynced = await unsyncedOf(syncRenamed(metaPath));
      if (isGone(upload)) {
        await removeQuietly(dataPath);
        await removeQuietly(metaPath);
        throw noSuchUpload();
      }
      const previous = upload.parts.get(part.partNumber);
      upload.parts.set(part.partNumber, record);
      // A Complete under way may have chosen the part this one replaces: its bytes are then the
      // object's. The Complete discards what it did not use, or, if it fails, the parts replaced meanwhile.
      if (previous && upload.state === 'open')
        await this.#reaper.discard([this.layout.dataFile(bucketName, previous.file)]);
      if (unsynced) throw unsynced;
      return record;
    });
  }

  async abortUpload(bucketName: string, uploadId: string): Promise<void> {
    const bucket = this.bucket(bucketName);
    const upload = this.upload(bucketName, uploadId);
    if (upload.state === 'completing') throw new S3Error('NoSuchUpload', undefined, { UploadId: uploadId });
    upload.state = 'gone';
    bucket.uploads.delete(uploadId);
    await this.#removeDir(this.layout.uploadDir(bucketName, uploadId));
    await this.#reaper.discard(
      [...upload.parts.values()].map((p) => this.layout.dataFile(bucketName, p.file)),
    );
  }

  /**
   * Publishes the chosen parts as one object. `verify` sees the object checksum computed from the parts (the
   * client's claim is checked there) before anything changes: if it throws, the upload stays open to be retried.
   */
  async completeUpload(
    bucketName: string,
    uploadId: string,
    requested: readonly CompletePart[],
    options: Signal & CommitCheck & { verify?: (checksum: ObjectRecord['checksum']) => void } = {},
  ): Promise<ObjectRecord> {
    const bucket = this.bucket(bucketName);
    const upload = this.upload(bucketName, uploadId);
    if (upload.state !== 'open') throw new S3Error('NoSuchUpload', undefined, { UploadId: uploadId });
    const chosen = selectParts(upload, requested);
    const { checksumAlgorithm } = upload.record;
    const type = upload.record.checksumType ?? 'COMPOSITE';
    const checksum =
      checksumAlgorithm && chosen.every((p) => p.checksum?.algorithm === checksumAlgorithm)
        ? completeChecksum(checksumAlgorithm, type, chosen)
        : undefined;
    options.verify?.(checksum);
    upload.state = 'completing';
    let record: ObjectRecord = {
      key: upload.record.key,
      size: chosen.reduce((n, p) => n + p.size, 0),
      etag: multipartEtag(chosen.map((p) => p.etag)),
      lastModified: this.now().toISOString(),
      headers: upload.record.headers,
      ...(upload.record.tags?.length ? { tags: upload.record.tags } : {}),
      ...(checksum ? { checksum } : {}),
      // S3 keeps part checksums of a COMPOSITE object only (GET ?partNumber, GetObjectAttributes ObjectParts).
      ...(checksum?.type === 'COMPOSITE' ? { partChecksums: chosen.map((p) => p.checksum!.value) } : {}),
      partsCount: chosen.length,
      completedBy: completedBy(uploadId, chosen),
      segments: chosen.map((p) => ({ file: p.file, size: p.size })),
    };
    // A manifest renamed into place whose directory fsync failed is the object all the same: the upload is
    // finished as if that had succeeded (its parts are the object's now), and the failure is reported after.
    let unsynced: UnsyncedRenameError | undefined;
    try {
      record = await this.#commitObject(bucketName, record, options);
    } catch (error) {
      if (!(error instanceof UnsyncedRenameError)) {
        upload.state = 'open';
        const replaced = chosen.filter((p) => upload.parts.get(p.partNumber)?.file !== p.file);
        await this.#reaper.discard(replaced.map((p) => this.layout.dataFile(bucketName, p.file)));
        throw error;
      }
      unsynced = error;
    }
    upload.state = 'gone';
    bucket.uploads.delete(uploadId);
    const used = new Set(chosen.map((p) => p.file));
    const unused = [...upload.parts.values()].filter((p) => !used.has(p.file));
    await this.#removeDir(this.layout.uploadDir(bucketName, uploadId));
    await this.#reaper.discard(unused.map((p) => this.layout.dataFile(bucketName, p.file)));
    if (unsynced) throw unsynced;
    return record;
  }

  /**
   * Removes a directory in one step a crash cannot cut: renamed into tmp/ (which a restart wipes), then removed.
   * Removed in place, a crash part way could leave upload.json without the part records that said it was done.
   */
  async #removeDir(dir: string): Promise<void> {
    const doomed = this.layout.tmpFile();
    try {
      await rename(dir, doomed);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      await removeTree(dir);
      return;
    }
    await removeTree(doomed);
  }

  // ---------------------------------------------------------------- start-up

  async #load(options: Signal): Promise<void> {
    await rm(this.layout.tmpDir, { recursive: true, force: true });
    await mkdir(this.layout.tmpDir, { recursive: true });
    await mkdir(this.layout.bucketsDir, { recursive: true });
    for (const name of await readdir(this.layout.bucketsDir)) {
      options.signal?.throwIfAborted();
      if (!isValidBucketName(name)) continue;
      const record = await readJson<BucketRecord>(this.layout.bucketFile(name));
      if (!record) {
        // Only a CreateBucket or DeleteBucket cut short leaves a bucket dir without bucket.json, and then no
        // object in it: one with objects is kept for a person to look at.
        const objects = await readdir(this.layout.objectsDir(name)).catch((error: unknown) => {
          if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
          throw error;
        });
        if (objects.length > 0)
          throw new DataDirError(
            `${this.layout.bucketFile(name)} is missing but the bucket holds objects: the store did not start and deleted nothing. Restore the file (e.g. {"name":"${name}","created":"${new Date().toISOString()}"}).`,
          );
        await removeTree(this.layout.bucketDir(name));
        continue;
      }
      for (const dir of [
        this.layout.objectsDir(name),
        this.layout.dataDirOf(name),
        this.layout.uploadsDir(name),
      ])
        await mkdir(dir, { recursive: true });
      const referenced = new Set<string>();
      const objects = new SortedKeys<ObjectRecord>();
      const metaFiles = (await readdir(this.layout.objectsDir(name))).filter((f) => f.endsWith('.json'));
      const loaded = await mapLimit(metaFiles, 64, (f) =>
        readJson<ObjectRecord>(`${this.layout.objectsDir(name)}/${f}`),
      );
      const versions = record.versioning ? await this.#loadVersions(name, loaded) : undefined;
      if (versions)
        for (let i = 0; i < versions.size; i++) {
          const { key, value } = versions.at(i)!;
          const live = liveObject(value);
          if (live) objects.set(key, live);
          for (const v of value) if (!isDeleteMarker(v)) for (const s of v.segments) referenced.add(s.file);
        }
      else
        objects.load(
          loaded.flatMap((o) => {
            if (!o) return [];
            for (const s of o.segments) referenced.add(s.file);
            return [[o.key, o] as const];
          }),
        );
      // Uploads an object names as its maker are finished, whatever of them a crash left on disk.
      const completed = new Set(loaded.flatMap((o) => (o?.completedBy ? [o.completedBy.uploadId] : [])));
      const uploads = new Map<string, UploadState>();
      for (const uploadId of await readdir(this.layout.uploadsDir(name))) {
        if (!isId(uploadId)) continue;
        const upload = await this.#loadUpload(name, uploadId, referenced, completed);
        if (upload) uploads.set(uploadId, upload);
      }
      for (const file of await readdir(this.layout.dataDirOf(name)))
        if (!referenced.has(file)) await removeQuietly(`${this.layout.dataDirOf(name)}/${file}`);
      this.#buckets.set(name, { record, objects, uploads, committing: 0, ...(versions ? { versions } : {}) });
    }
  }

  /**
   * A versioned bucket's keys and their versions: the current ones (`current`, read from objects/) and the others
   * (versions/). A version a crash left twice is kept once and its extra copy removed (key-versions.ts).
   */
  async #loadVersions(
    name: string,
    current: readonly (VersionRecord | undefined)[],
  ): Promise<SortedKeys<KeyVersions>> {
    const dir = this.layout.versionsDir(name);
    await mkdir(dir, { recursive: true });
    const files = (await readdir(dir)).filter((f) => f.endsWith('.json'));
    const others = await mapLimit(files, 64, (f) => readJson<VersionRecord>(`${dir}/${f}`));
    const byKey = new Map<string, StoredVersion[]>();
    const add = (version: VersionRecord | undefined, isCurrent: boolean) => {
      if (!version) return;
      const list = byKey.get(version.key) ?? [];
      list.push({ version, current: isCurrent });
      byKey.set(version.key, list);
    };
    for (const v of current) add(v, true);
    for (const v of others) add(v, false);
    const index = new SortedKeys<KeyVersions>();
    const entries: (readonly [string, KeyVersions])[] = [];
    for (const [key, stored] of byKey) {
      const { versions, duplicates } = loadKeyVersions(stored);
      entries.push([key, versions]);
      for (const d of duplicates)
        if (!d.current) await removeQuietly(this.layout.versionFile(name, key, versionIdOf(d.version)));
    }
    index.load(entries);
    return index;
  }

  async #loadUpload(
    bucket: string,
    uploadId: string,
    referenced: Set<string>,
    completedUploads: ReadonlySet<string>,
  ): Promise<UploadState | undefined> {
    const dir = this.layout.uploadDir(bucket, uploadId);
    const record = await readJson<UploadRecord>(this.layout.uploadFile(bucket, uploadId));
    const parts = new Map<number, PartRecord>();
    for (const f of await readdir(dir)) {
      const m = /^part-(\d+)\.json$/.exec(f);
      if (!m) continue;
      const part = await readJson<PartRecord>(`${dir}/${f}`);
      if (part && isId(part.file)) parts.set(part.partNumber, part);
    }
    // A crash after the object manifest of a completion was written but before the upload was removed:
    // its parts now belong to the object, so the upload is finished.
    const completed =
      completedUploads.has(uploadId) || [...parts.values()].some((p) => referenced.has(p.file));
    if (!record || completed) {
      await removeTree(dir);
      return undefined;
    }
    for (const p of parts.values()) referenced.add(p.file);
    return { record, parts, state: 'open' };
  }
}

/** The headers that say a delete marker is what answered: x-amz-delete-marker and its version id. */
function markerHeaders(marker: DeleteMarkerRecord): Record<string, string> {
  return { 'x-amz-delete-marker': 'true', 'x-amz-version-id': versionIdOf(marker) };
}

/** Removes a file; one already gone is removed. Any other failure (EROFS, EIO, EACCES) is thrown. */
async function unlinkIfThere(path: string): Promise<void> {
  await unlink(path).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  });
}

/** Read through a function: the state changes while we await. */
function isGone(upload: UploadState): boolean {
  return upload.state === 'gone';
}

function selectParts(upload: UploadState, requested: readonly CompletePart[]): PartRecord[] {
  if (requested.length === 0)
    throw new S3Error(
      'MalformedXML',
      'The XML you provided was not well-formed or did not validate against our published schema',
    );
  const chosen: PartRecord[] = [];
  let previous = 0;
  const algorithm = upload.record.checksumAlgorithm;
  // A FULL_OBJECT upload's Complete may leave the part checksums out; any given must still match.
  const partChecksumsRequired = (upload.record.checksumType ?? 'COMPOSITE') === 'COMPOSITE';
  for (const want of requested) {
    if (want.partNumber <= previous) throw new S3Error('InvalidPartOrder');
    previous = want.partNumber;
    const part = upload.parts.get(want.partNumber);
    if (!part || unquoteEtag(part.etag) !== unquoteEtag(want.etag))
      throw new S3Error('InvalidPart', undefined, {
        PartNumber: String(want.partNumber),
        UploadId: upload.record.uploadId,
      });
    const given = algorithm ? want.checksums[algorithm] : undefined;
    if (algorithm && (given !== undefined || partChecksumsRequired)) {
      if (given === undefined || part.checksum?.algorithm !== algorithm || part.checksum.value !== given)
        throw new S3Error(
          'InvalidPart',
          given === undefined
            ? `The upload was created using a ${algorithm.toLowerCase()} checksum. The complete request must include the checksum for each part. It was missing for part ${want.partNumber} in the request.`
            : undefined,
          { PartNumber: String(want.partNumber) },
        );
    }
    chosen.push(part);
  }
  chosen.slice(0, -1).forEach((p) => {
    if (p.size < MIN_PART_SIZE)
      throw new S3Error('EntityTooSmall', undefined, {
        ProposedSize: String(p.size),
        MinSizeAllowed: String(MIN_PART_SIZE),
        PartNumber: String(p.partNumber),
        ETag: p.etag,
      });
  });
  return chosen;
}

/** COMPOSITE: the checksum of the part checksums, "-N"; FULL_OBJECT: the parts' CRCs combined, never re-read. */
function completeChecksum(
  algorithm: ChecksumAlgorithm,
  type: ChecksumType,
  parts: readonly PartRecord[],
): Checksum & { type: ChecksumType } {
  if (type === 'FULL_OBJECT')
    return {
      algorithm,
      type,
      value: fullObjectChecksum(
        algorithm,
        parts.map((p) => ({ value: p.checksum!.value, size: p.size })),
      ),
    };
  return {
    algorithm,
    type,
    value: compositeChecksum(
      algorithm,
      parts.map((p) => p.checksum!.value),
    ),
  };
}

/**
 * A metadata file, or undefined when there is none (ENOENT). A file that is there but cannot be read or parsed
 * stops the start: taken as absent, the sweep after would delete the bytes it names.
 */
async function readJson<T>(path: string): Promise<T | undefined> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw damaged(path, error);
  }
  if (typeof value !== 'object' || value === null) throw damaged(path, new Error('not a JSON object'));
  return value as T;
}

export function damaged(path: string, cause: unknown): DataDirError {
  const code = (cause as NodeJS.ErrnoException).code;
  // Not the file's content: what lets this process read it.
  const fix =
    code === 'EACCES' || code === 'EPERM'
      ? 'Give the user the store runs as read access to it (and its data dir).'
      : 'Restore the file from a backup or repair it; removing it drops what it describes.';
  return new DataDirError(
    `cannot read ${path} (${(cause as Error).message}): the store did not start and deleted nothing. ${fix}`,
    { cause },
  );
}
