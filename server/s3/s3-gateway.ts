import { contentDisposition } from './content-disposition.ts';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectAttributesCommand,
  GetBucketCorsCommand,
  GetObjectTaggingCommand,
  PutObjectTaggingCommand,
  PutObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  ListPartsCommand,
  PutBucketCorsCommand,
  S3ServiceException,
  UploadPartCopyCommand,
  type CORSRule,
  type ServerSideEncryption,
  type StorageClass,
  type CompletedPart,
} from '@aws-sdk/client-s3';
import { planCopy, type CopyRange } from './plan-copy.ts';
import { readBucketVersioning } from './bucket-versioning.ts';
import { entryOrder, versionSequence, type VersionMarker } from './version-listing.ts';
import { keepAnswerText } from './answer-text.ts';
import { createFastPresigner } from './fast-presigner.ts';
import { usableClockOffset } from './store-clock.ts';
import { withContentMd5 } from './content-md5.ts';
import type {
  BucketVersioning,
  ChecksumAlgorithm,
  ObjectChecksumAlgorithm,
  ObjectEntry,
  ObjectHeaders,
  ObjectProperties,
  ObjectVersionEntry,
  UploadedPart,
} from '../shared/api-types.ts';
import { propertyHeaders, taggingHeader } from '../shared/object-properties.ts';
import { layoutOf, type FirstPart, type PartLayout } from '../shared/part-layout.ts';
import { unquoteEtag } from '../uploads/multipart-etag.ts';
import { mapLimit } from '../shared/map-limit.ts';
import { headerText } from '../shared/utf8.ts';
import { withUtf8Headers } from './utf8-headers.ts';
import type { S3Clients } from './s3-clients.ts';

type Opts = { signal?: AbortSignal };

/** One object as HeadObject saw it; `versionId` on a versioned bucket (see `pinnableVersion`). */
export interface ObjectVersion {
  etag: string;
  size: number;
  versionId?: string;
}

/**
 * The version id a download can pin its links to: what HeadObject said on a versioned bucket. None for
 * an unversioned bucket, nor "null" (the version a suspended bucket overwrites in place).
 */
export function pinnableVersion(head: HeadResult): string | undefined {
  const id = head.headers?.versionId;
  return id && id !== 'null' ? id : undefined;
}

export interface HeadResult {
  size: number;
  etag: string;
  lastModified: string | null;
  contentType: string | null;
  checksum?: { algorithm: ObjectChecksumAlgorithm; value: string; composite: boolean };
  /** The rest of what HeadObject tells, for the object's details (absent when not set). */
  headers?: ObjectHeaders;
}

export interface PresignedRequest {
  url: string;
  headers: Record<string, string>;
}

export interface MultipartUploadInfo {
  key: string;
  uploadId: string;
  initiated: Date | null;
}

/** What a copy is pinned to: the source as HeadObject saw it (`versionId`: that version of the key). */
export interface CopySource {
  key: string;
  versionId?: string;
  size: number;
  etag: string;
  checksumAlgorithm?: NonNullable<HeadResult['checksum']>['algorithm'];
}

/**
 * What a copy (or an in-place rewrite) must name to keep the source's storage class and encryption,
 * as the S3 console's Copy does: CopyObject otherwise writes STANDARD with the bucket's default
 * encryption. SSE-C is not carried (it needs the customer's key).
 */
function storageSettings(h: ObjectHeaders | undefined) {
  return {
    ...(h?.storageClass !== undefined &&
      h.storageClass !== 'STANDARD' && { StorageClass: h.storageClass as StorageClass }),
    ...(h?.serverSideEncryption !== undefined && {
      ServerSideEncryption: h.serverSideEncryption as ServerSideEncryption,
    }),
    ...(h?.sseKmsKeyId !== undefined && { SSEKMSKeyId: h.sseKmsKeyId }),
  };
}

/**
 * An object's properties (its type aside) as CreateMultipartUpload and CopyObject take them: what is
 * absent is not named. Tags only where asked (`Tagging`; a CopyObject takes them only with a directive).
 */
function propertyFields(p: Omit<ObjectProperties, 'contentType'> | undefined, o: { tags: boolean }) {
  return {
    ...(p?.cacheControl !== undefined && { CacheControl: p.cacheControl }),
    ...(p?.contentDisposition !== undefined && { ContentDisposition: p.contentDisposition }),
    ...(p?.contentEncoding !== undefined && { ContentEncoding: p.contentEncoding }),
    ...(p?.contentLanguage !== undefined && { ContentLanguage: p.contentLanguage }),
    ...(p?.metadata && { Metadata: p.metadata }),
    ...(p?.storageClass !== undefined && { StorageClass: p.storageClass as StorageClass }),
    ...(o.tags && p?.tags && Object.keys(p.tags).length > 0 && { Tagging: taggingHeader(p.tags) }),
  };
}

/** The key holds another version than the one an edit began from (replaceProperties). */
class ChangedMeanwhile extends Error {}

/** S3's most parts per object: a listing that goes on past it is not believed. */
const MAX_LISTED_PARTS = 10_000;

/**
 * How long a call the store answers at once (a read: HeadObject, a listing page; or a control call:
 * create, list parts, abort, delete, tags, bucket checks) may go without its answer: a healthy store
 * answers in well under a second, and the page gives up on its own call after 60 s.
 */
export const STORE_READ_TIMEOUT_MS = 20_000;
/**
 * CompleteMultipartUpload: S3 may take minutes to assemble 10,000 parts (it answers 200 at once and
 * sends the result when done), so it gets longer; the page asks again, and a second Complete of a
 * completed upload is answered as done.
 */
export const STORE_COMPLETE_TIMEOUT_MS = 120_000;
/** A copy inside the store (CopyObject, UploadPartCopy) takes time by the size of what it copies. */
export const STORE_COPY_TIMEOUT_MS = 300_000;

/** Part copies in flight at once for an object over the single-copy limit. */
const PART_COPIES_AT_ONCE = 4;
/** HeadObject requests at once while asking every part's size (partSizes). */
const PART_HEADS_AT_ONCE = 8;

/** Everything the server asks of S3, behind one small interface so routes never touch the SDK. */
export interface ObjectStore {
  readonly bucket: string;
  /** `versionId`: that version (a download pinned to the version it began with), else the current one. */
  head(key: string, o?: Opts & { versionId?: string }): Promise<HeadResult | null>;
  /**
   * The part layout of the multipart object `key` at version `etag` (GetObjectAttributes with
   * ObjectParts, every page), uniform or not: null when the object changed, or the store cannot tell
   * (no checksums, no GetObjectAttributes, no permission).
   */
  partLayout(key: string, version: ObjectVersion, o?: Opts): Promise<PartLayout | null>;
  /**
   * Part 1's size and the part count of the multipart object `key` at version `etag` (HeadObject with
   * PartNumber=1, which AWS S3 and the embedded store answer for any multipart object, checksum or
   * not): null when the object changed or the store does not tell (Ceph RGW 16 answers with the whole
   * object and no part count; once seen, it is not asked again).
   */
  firstPart(key: string, version: ObjectVersion, o?: Opts): Promise<FirstPart | null>;
  /**
   * The size of every part of the multipart object `key` at version `etag`, in order, once part 1 is
   * known (`first`): HeadObject with PartNumber=2…count, a few at a time. Null when a part is not told,
   * a HEAD fails, or the object changed meanwhile.
   */
  partSizes(key: string, version: ObjectVersion, first: FirstPart, o?: Opts): Promise<number[] | null>;
  /**
   * The object's tags (GetObjectTagging), in the store's order; null when they cannot be read (the
   * object is gone, the credentials may not read tags, or the store has no tagging).
   */
  tags(key: string, o?: Opts & { versionId?: string }): Promise<{ key: string; value: string }[] | null>;
  /** PutObjectTagging: replaces the object's tags. */
  putTags(key: string, tags: Record<string, string>, o?: Opts): Promise<void>;
  /**
   * An empty object at `key` (a folder's "name/"), as the S3 console's "Create folder" makes, only if
   * nothing is there (`If-None-Match: *`): 'exists' when an object was (412), never overwriting it.
   */
  putFolderMarker(key: string, o?: Opts): Promise<'created' | 'exists'>;
  /** `properties`: the headers (Cache-Control, Content-Disposition, …), metadata and tags for the completed object. */
  createMultipart(
    key: string,
    contentType: string,
    algorithm: ChecksumAlgorithm,
    o?: Opts & { properties?: Omit<ObjectProperties, 'contentType'> },
  ): Promise<string>;
  presignPart(
    key: string,
    uploadId: string,
    partNumber: number,
    size: number,
    algorithm: ChecksumAlgorithm,
    checksum: string | undefined,
    ttlSeconds: number,
  ): Promise<PresignedRequest>;
  /**
   * `onlyIfAbsent` signs `If-None-Match: *`: the PUT fails (412) if the key exists by then; `ifMatch`
   * signs `If-Match: <etag>`: it fails (412) if the key holds another object by then.
   * `properties` (Cache-Control, Content-Disposition, -Encoding, -Language, metadata, tags) are signed
   * as headers the browser must send.
   */
  presignPut(
    key: string,
    size: number,
    contentType: string,
    algorithm: ChecksumAlgorithm,
    checksum: string | undefined,
    ttlSeconds: number,
    options?: {
      onlyIfAbsent?: boolean;
      ifMatch?: string;
      properties?: Omit<ObjectProperties, 'contentType'>;
    },
  ): Promise<PresignedRequest>;
  /**
   * A GET saved as `filename` (`versionId`: a link to that version, which stays the same bytes whatever
   * is written at the key since). `view`: shown in the browser's tab instead ("Open"), as the
   * `contentType` given where there is one, its encoding left for the browser to undo.
   */
  presignGet(
    key: string,
    o: { filename: string; ttlSeconds: number; versionId?: string; view?: { contentType?: string } },
  ): Promise<string>;
  /**
   * When the credentials presigned URLs are signed with end (ms since the epoch): temporary ones (an
   * IAM role, SSO, STS) do, and every URL signed with them stops working then; null for keys that last.
   */
  credentialsExpireAt(): Promise<number | null>;
  /**
   * The store's clock minus this server's (ms), as the S3 client learned it from the store's answers;
   * 0 within a few seconds. Presigned links are dated by the store's clock, so their `expiresAt` is too.
   */
  clockOffsetMs(): number;
  /** null when the upload is gone (NoSuchUpload, or RGW's NoSuchKey). Follows pagination. */
  listParts(key: string, uploadId: string, o?: Opts): Promise<UploadedPart[] | null>;
  /**
   * `onlyIfAbsent` sends `If-None-Match: *` (412 PreconditionFailed if the key exists by then);
   * `ifMatch` sends `If-Match: <etag>` (412 if the key holds another object by then).
   */
  complete(
    key: string,
    uploadId: string,
    algorithm: ChecksumAlgorithm,
    parts: { partNumber: number; etag: string; checksum?: string }[],
    o?: Opts & { onlyIfAbsent?: boolean; ifMatch?: string },
  ): Promise<void>;
  abort(key: string, uploadId: string, o?: Opts): Promise<void>;
  listUploads(prefix: string, o?: Opts): Promise<MultipartUploadInfo[]>;
  listObjects(
    prefix: string,
    options: { delimiter?: string; cursor?: string; limit: number },
    o?: Opts,
  ): Promise<{ folders: string[]; objects: ObjectEntry[]; nextCursor: string | null }>;
  /**
   * DeleteObjects, 1,000 keys a request. `etags`: per key, the ETag it is deleted at (a conditional
   * delete, the ETag element S3 takes): a key written since is kept, its error `changed`. `versions`:
   * per key, the version deleted (for good, leaving no delete marker). `markers`: per key, the delete
   * marker a versioned bucket added for it.
   */
  deleteObjects(
    keys: string[],
    o?: Opts & { etags?: Readonly<Record<string, string>>; versions?: Readonly<Record<string, string>> },
  ): Promise<{
    deleted: string[];
    errors: { key: string; message: string; changed?: true }[];
    markers?: Record<string, string>;
  }>;
  /**
   * Server-side copy to `target` (CopyObject, or UploadPartCopy ranges above 5 GiB), pinned with
   * x-amz-copy-source-if-match to the version seen: 'changed' when the source is another one by now.
   * With `onlyIfAbsent` (If-None-Match: *), 'exists' when an object appeared at `target`. The
   * source's checksum algorithm is kept (recomputed over the copy), and with `source.headers` its
   * storage class and encryption (see storageSettings); a multipart copy also gets its content
   * headers and metadata, which CopyObject keeps by itself.
   */
  copy(
    source: CopySource & { headers?: ObjectHeaders },
    target: string,
    o?: Opts & { onlyIfAbsent?: boolean },
  ): Promise<'copied' | 'changed' | 'exists'>;
  /**
   * Rewrites an object's content type, Cache-Control, Content-Disposition, -Encoding, -Language and
   * x-amz-meta-* in place (one not given is removed): CopyObject onto itself with
   * x-amz-metadata-directive REPLACE, pinned to the version seen ('changed' when it is another by now).
   * What is not edited is carried over from `source.headers` (Expires, storage class, SSE-S3 or SSE-KMS
   * with its key) with the checksum algorithm; tags stay (on S3: Ceph RGW 16 drops them). Over 5 GiB
   * (one CopyObject's most), a multipart copy of the object onto itself, made with `properties.tags`
   * (a new upload has none of the object's), completed only while the key holds the version seen:
   * checked by a HEAD just before, and by `o.ifMatch` (its ETag in the form the store takes If-Match in;
   * absent where it takes none) on Complete, which Ceph RGW 16 ignores.
   */
  replaceProperties(
    source: CopySource & { headers?: ObjectHeaders },
    properties: ObjectProperties & { contentType: string },
    o?: Opts & { ifMatch?: string },
  ): Promise<'replaced' | 'changed'>;
  /**
   * ListObjectVersions: a page of the versions and delete markers under `prefix`, key by key, each
   * key's newest first (see versionSequence); `after` where the page before ended (its `next`).
   */
  listVersions(
    prefix: string,
    options: { delimiter?: string; after?: VersionMarker; limit: number },
    o?: Opts,
  ): Promise<{ versions: ObjectVersionEntry[]; folders: string[]; next: VersionMarker | null }>;
  /**
   * DeleteObject of one version (or delete marker) for good, as the S3 console's "Permanently delete":
   * no delete marker is added. A version that is not there (deleted already) is no error, as S3 answers
   * it (some stores say NoSuchVersion).
   */
  deleteVersion(key: string, versionId: string, o?: Opts): Promise<void>;
  /** DeleteObject with If-Match: 'changed' (and nothing deleted) when the key holds another version. */
  deleteIfUnchanged(key: string, etag: string, o?: Opts): Promise<'deleted' | 'changed'>;
  /**
   * The bucket is there and these keys may list it: a listing of one key, not a HEAD, whose error
   * answers carry S3's code (NoSuchBucket, InvalidAccessKeyId, SignatureDoesNotMatch…), which a HEAD's
   * bodiless ones cannot. An endpoint that answers but is no S3 API (a web page, a console on the wrong
   * port) throws NotS3AnswerError: a 404 with no S3 code, or a 200 that is no listing.
   */
  checkBucket(o?: Opts): Promise<void>;
  /** GetBucketVersioning; 'unknown' when the store answers with an error (see readBucketVersioning). */
  versioning(o?: Opts): Promise<BucketVersioning>;
  getCors(o?: Opts): Promise<CORSRule[] | null>;
  putCors(rules: CORSRule[], o?: Opts): Promise<void>;
}

/** The endpoint answered, but not as S3 does (see `checkBucket`). */
export class NotS3AnswerError extends Error {
  override name = 'NotS3Answer';
  readonly $metadata: { httpStatusCode: number };
  constructor(status: number) {
    super(status === 404 ? 'HTTP 404 with no S3 error code' : `HTTP ${status} that is no S3 bucket listing`);
    this.$metadata = { httpStatusCode: status };
  }
}

export function isS3Error(error: unknown, ...names: string[]): error is S3ServiceException {
  return error instanceof S3ServiceException && (names.length === 0 || names.includes(error.name));
}

const GONE = ['NoSuchUpload', 'NoSuchKey', 'NotFound'];

/** The HTTP status of an SDK error (a HEAD's error has no code to name it). */
export function statusOf(error: unknown): number | undefined {
  return error instanceof S3ServiceException ? error.$metadata.httpStatusCode : undefined;
}

export function createS3Gateway(
  clients: S3Clients,
  bucket: string,
  options: {
    copy?: { singleLimit?: number; partSize?: number };
    readTimeoutMs?: number;
    completeTimeoutMs?: number;
    copyTimeoutMs?: number;
  } = {},
): ObjectStore {
  const { api, presign } = clients;
  const Bucket = bucket;
  /** The caller's signal, and given up after `ms`. */
  const within = (ms: number) => (signal: AbortSignal | undefined) => {
    const timeout = AbortSignal.timeout(ms);
    return signal ? AbortSignal.any([signal, timeout]) : timeout;
  };
  /**
   * Every call to the store has a deadline, so a store that takes the connection and never answers
   * fails the request (503 `store-unreachable`, "did not answer in time": errors.ts) instead of holding
   * the page on "Loading…" or a caller's connection open for good: `reading` for what the store answers
   * at once (reads and control calls), `completing` and `copying` for the calls that take longer.
   */
  const reading = within(options.readTimeoutMs ?? STORE_READ_TIMEOUT_MS);
  const completing = within(options.completeTimeoutMs ?? STORE_COMPLETE_TIMEOUT_MS);
  const copying = within(options.copyTimeoutMs ?? STORE_COPY_TIMEOUT_MS);
  /** Whether the store answered HeadObject with PartNumber as a plain HEAD (see firstPart). */
  let partNumbersIgnored = false;

  /** HeadObject with PartNumber=n: part n's size and the part count, or null (see firstPart). */
  const headPart = async (
    key: string,
    version: ObjectVersion,
    n: number,
    o?: Opts,
  ): Promise<FirstPart | null> => {
    try {
      const r = await api.send(
        new HeadObjectCommand({
          Bucket,
          Key: key,
          PartNumber: n,
          ...(version.versionId !== undefined && { VersionId: version.versionId }),
        }),
        { abortSignal: reading(o?.signal) },
      );
      if (unquoteEtag(r.ETag ?? '') !== unquoteEtag(version.etag)) return null; // another version by now
      const size = r.ContentLength;
      const count = r.PartsCount;
      // The whole object and no part count: a store that ignores part numbers (Ceph RGW 16), which
      // would answer every later HEAD the same.
      if (n === 1 && count === undefined && size === version.size) partNumbersIgnored = true;
      if (!(Number.isSafeInteger(size) && size! > 0 && Number.isSafeInteger(count) && count! > 0)) {
        return null;
      }
      return { size: size!, count: count! };
    } catch (error) {
      o?.signal?.throwIfAborted();
      // Gone, not allowed, or a store that does not know part numbers: the caller goes without.
      if (error instanceof S3ServiceException) return null;
      throw error;
    }
  };

  const checksumHeaders = (
    algorithm: ChecksumAlgorithm,
    checksum: string | undefined,
  ): Record<string, string> => {
    if (!checksum) return {};
    return algorithm === 'MD5' ? { 'content-md5': checksum } : { 'x-amz-checksum-crc32': checksum };
  };

  // content-length is signed so S3 refuses a body of any other size; the checksum stays a signed
  // *header*, so S3 checks the body against it and the URL cannot be reused with other bytes.
  const clockOffsetMs = () => usableClockOffset(api.config.systemClockOffset);
  const presignFast = createFastPresigner(presign, bucket, () => new Date(Date.now() + clockOffsetMs()));

  /**
   * UploadPartCopy for every range, a few at a time. The first failure stops new parts, and the call
   * returns only once every part request has ended, so the abort that follows races none of them.
   */
  const copyParts = async (
    copy: {
      target: string;
      uploadId: string | undefined;
      pin: { CopySource: string; CopySourceIfMatch: string };
    },
    ranges: CopyRange[],
    outer: AbortSignal | undefined,
  ): Promise<CompletedPart[]> => {
    const stop = new AbortController();
    const signal = outer ? AbortSignal.any([outer, stop.signal]) : stop.signal;
    const parts: CompletedPart[] = [];
    let firstError: unknown;
    let next = 0;
    const worker = async () => {
      while (next < ranges.length && !signal.aborted) {
        const r = ranges[next++]!;
        try {
          const { CopyPartResult: result } = await api.send(
            new UploadPartCopyCommand({
              Bucket,
              Key: copy.target,
              UploadId: copy.uploadId,
              PartNumber: r.partNumber,
              CopySourceRange: `bytes=${r.first}-${r.last}`,
              ...copy.pin,
            }),
            { abortSignal: copying(signal) },
          );
          parts[r.partNumber - 1] = {
            PartNumber: r.partNumber,
            ETag: result?.ETag,
            ChecksumCRC32: result?.ChecksumCRC32,
            ChecksumCRC32C: result?.ChecksumCRC32C,
            ChecksumCRC64NVME: result?.ChecksumCRC64NVME,
            ChecksumSHA1: result?.ChecksumSHA1,
            ChecksumSHA256: result?.ChecksumSHA256,
          };
        } catch (error) {
          if (firstError === undefined) firstError = error;
          stop.abort();
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(PART_COPIES_AT_ONCE, ranges.length) }, worker));
    outer?.throwIfAborted();
    if (firstError !== undefined) throw firstError;
    return parts;
  };

  return {
    bucket,

    async head(key, o) {
      try {
        const r = await api.send(
          new HeadObjectCommand({
            Bucket,
            Key: key,
            ChecksumMode: 'ENABLED',
            ...(o?.versionId !== undefined && { VersionId: o.versionId }),
          }),
          { abortSignal: reading(o?.signal) },
        );
        const checksum = pickChecksum(r);
        return {
          size: r.ContentLength ?? 0,
          etag: r.ETag ?? '',
          lastModified: r.LastModified?.toISOString() ?? null,
          contentType: r.ContentType ?? null,
          ...(checksum ? { checksum } : {}),
          headers: definedOnly({
            metadata: r.Metadata && Object.keys(r.Metadata).length > 0 ? r.Metadata : undefined,
            storageClass: r.StorageClass,
            // Another tool's UTF-8 (botocore sends it as bytes) read as the text it is, not as Latin-1.
            cacheControl: headerText(r.CacheControl),
            contentDisposition: headerText(r.ContentDisposition),
            contentEncoding: headerText(r.ContentEncoding),
            contentLanguage: headerText(r.ContentLanguage),
            expires: r.ExpiresString ?? r.Expires?.toUTCString(),
            serverSideEncryption: r.ServerSideEncryption,
            sseCustomerAlgorithm: r.SSECustomerAlgorithm,
            sseKmsKeyId: r.SSEKMSKeyId,
            versionId: r.VersionId,
          }),
        };
      } catch (error) {
        if (isS3Error(error, ...GONE)) return null;
        // A version id the store cannot read (S3: 400 for a malformed one) names no version there, nor
        // does a delete marker's (S3 answers its HEAD 405 Method Not Allowed): nothing to show or save.
        if (o?.versionId !== undefined && (statusOf(error) === 400 || statusOf(error) === 405)) return null;
        throw error;
      }
    },

    async tags(key, o) {
      try {
        const r = await api.send(
          new GetObjectTaggingCommand({
            Bucket,
            Key: key,
            ...(o?.versionId !== undefined && { VersionId: o.versionId }),
          }),
          { abortSignal: reading(o?.signal) },
        );
        return (r.TagSet ?? []).map((t) => ({ key: t.Key ?? '', value: t.Value ?? '' }));
      } catch (error) {
        o?.signal?.throwIfAborted();
        if (isS3Error(error, ...GONE, 'AccessDenied', 'NotImplemented', 'MethodNotAllowed')) return null;
        throw error;
      }
    },

    async putTags(key, tags, o) {
      await api.send(
        new PutObjectTaggingCommand({
          Bucket,
          Key: key,
          Tagging: { TagSet: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) },
        }),
        { abortSignal: reading(o?.signal) },
      );
    },

    async putFolderMarker(key, o) {
      try {
        await api.send(
          new PutObjectCommand({
            Bucket,
            Key: key,
            Body: new Uint8Array(0),
            ContentLength: 0,
            IfNoneMatch: '*',
          }),
          { abortSignal: reading(o?.signal) },
        );
        return 'created';
      } catch (error) {
        const refused = isS3Error(error, 'PreconditionFailed', 'ConditionalRequestConflict');
        if (refused || statusOf(error) === 412) return 'exists';
        throw error;
      }
    },

    async partLayout(key, version, o) {
      const sizes: number[] = [];
      try {
        for (let marker: string | undefined; ;) {
          const r = await api.send(
            new GetObjectAttributesCommand({
              Bucket,
              Key: key,
              ...(version.versionId !== undefined && { VersionId: version.versionId }),
              ObjectAttributes: ['ETag', 'ObjectParts'],
              MaxParts: 1000,
              ...(marker ? { PartNumberMarker: marker } : {}),
            }),
            { abortSignal: reading(o?.signal) },
          );
          if (unquoteEtag(r.ETag ?? '') !== unquoteEtag(version.etag)) return null; // another version by now
          const page = r.ObjectParts;
          if (!page?.Parts?.length) return null;
          for (const part of page.Parts) {
            if (part.PartNumber !== sizes.length + 1 || part.Size === undefined) return null;
            sizes.push(part.Size);
          }
          if (!page.IsTruncated) break;
          if (!page.NextPartNumberMarker || sizes.length >= MAX_LISTED_PARTS) return null;
          marker = page.NextPartNumberMarker;
        }
      } catch (error) {
        o?.signal?.throwIfAborted();
        // Not implemented (RGW 16, some S3-compatibles), not allowed, or gone: the caller goes without.
        if (error instanceof S3ServiceException) return null;
        throw error;
      }
      return layoutOf(sizes, version.size);
    },

    async firstPart(key, version, o) {
      if (partNumbersIgnored) return null;
      return headPart(key, version, 1, o);
    },

    async partSizes(key, version, first, o) {
      if (partNumbersIgnored) return null;
      const rest = Array.from({ length: first.count - 1 }, (_, i) => i + 2);
      const stop = new AbortController();
      const signal = o?.signal ? AbortSignal.any([o.signal, stop.signal]) : stop.signal;
      try {
        const parts = await mapLimit(rest, PART_HEADS_AT_ONCE, async (n) => {
          const part = signal.aborted ? null : await headPart(key, version, n, { signal });
          if (!part || part.count !== first.count) stop.abort(); // one missing part: the rest are no use
          return part?.count === first.count ? part.size : null;
        });
        return parts.every((s) => s !== null) ? [first.size, ...(parts as number[])] : null;
      } catch {
        stop.abort(); // none goes on after the call
        o?.signal?.throwIfAborted();
        // A part not told (the HEADs still out were stopped) or a HEAD that failed: the layout is only
        // worth having, and the page goes without it (a guess from part 1), as it does on Ceph RGW.
        return null;
      }
    },

    async createMultipart(key, contentType, algorithm, o) {
      const r = await api.send(
        new CreateMultipartUploadCommand({
          Bucket,
          Key: key,
          ContentType: contentType,
          ...(algorithm === 'CRC32' ? { ChecksumAlgorithm: 'CRC32' } : {}),
          ...propertyFields(o?.properties, { tags: true }),
        }),
        { abortSignal: reading(o?.signal) },
      );
      if (!r.UploadId) throw new Error('CreateMultipartUpload returned no UploadId');
      return r.UploadId;
    },

    async presignPart(key, uploadId, partNumber, size, algorithm, checksum, ttl) {
      const headers = { 'content-length': String(size), ...checksumHeaders(algorithm, checksum) };
      const url = await presignFast({
        method: 'PUT',
        key,
        query: { partNumber: String(partNumber), uploadId },
        headers,
        unhoistable: Object.keys(headers).filter((h) => h.startsWith('x-amz-')),
        expiresIn: ttl,
      });
      return { url, headers: withoutLength(headers) };
    },

    async presignPut(key, size, contentType, algorithm, checksum, ttl, options) {
      const headers = {
        'content-length': String(size),
        'content-type': contentType,
        ...checksumHeaders(algorithm, checksum),
        ...(options?.onlyIfAbsent ? { 'if-none-match': '*' } : {}),
        ...(options?.ifMatch !== undefined ? { 'if-match': options.ifMatch } : {}),
        ...propertyHeaders(options?.properties),
      };
      const url = await presignFast({
        method: 'PUT',
        key,
        headers,
        unhoistable: Object.keys(headers).filter((h) => h.startsWith('x-amz-')),
        expiresIn: ttl,
      });
      return { url, headers: withoutLength(headers) };
    },

    clockOffsetMs,

    async credentialsExpireAt() {
      const credentials = await presign.config.credentials();
      return credentials.expiration ? credentials.expiration.getTime() : null;
    },

    presignGet(key, { filename, ttlSeconds, versionId, view }) {
      return presignFast({
        method: 'GET',
        key,
        query: {
          ...(versionId !== undefined && { versionId }),
          ...(view
            ? {
                // Shown as the S3 console's Open shows it: a gzip-encoded page is decoded by the browser.
                'response-content-disposition': contentDisposition(filename, 'inline'),
                ...(view.contentType !== undefined && { 'response-content-type': view.contentType }),
              }
            : {
                'response-content-disposition': contentDisposition(filename),
                // `identity`: an object stored gzip-encoded arrives as its stored bytes, as `aws s3 cp` gives
                // them. Left as `gzip`, the browser would decode it on the fly: a saved file other than the
                // object (under a name still ending in .gz), its size and checksum wrong, its ranges undecodable.
                'response-content-encoding': 'identity',
              }),
        },
        expiresIn: ttlSeconds,
      });
    },

    async listParts(key, uploadId, o) {
      const parts: UploadedPart[] = [];
      /** Each part once, should a store answer a page again. */
      const seen = new Set<number>();
      let marker: string | undefined;
      try {
        for (;;) {
          const r = await api.send(
            new ListPartsCommand({ Bucket, Key: key, UploadId: uploadId, PartNumberMarker: marker }),
            { abortSignal: reading(o?.signal) },
          );
          for (const p of r.Parts ?? []) {
            if (seen.has(p.PartNumber ?? 0)) continue;
            seen.add(p.PartNumber ?? 0);
            parts.push({
              partNumber: p.PartNumber ?? 0,
              size: p.Size ?? 0,
              etag: p.ETag ?? '',
              ...(p.LastModified ? { lastModified: p.LastModified.toISOString() } : {}),
              ...(p.ChecksumCRC32 ? { checksum: p.ChecksumCRC32 } : {}),
            });
          }
          // As listUploads: a marker that does not move on (part numbers only grow) ends the list
          // rather than asking for the same pages forever (the janitor's sweep would never end).
          if (!r.IsTruncated || !r.NextPartNumberMarker) break;
          if (!(Number(r.NextPartNumberMarker) > Number(marker ?? 0))) break;
          marker = r.NextPartNumberMarker;
        }
      } catch (error) {
        if (isS3Error(error, ...GONE)) return null;
        throw error;
      }
      return parts;
    },

    async complete(key, uploadId, algorithm, parts, o) {
      // The SDK turns a 200 answer with an <Error> body into a thrown S3ServiceException.
      await api.send(
        new CompleteMultipartUploadCommand({
          Bucket,
          Key: key,
          UploadId: uploadId,
          ...(o?.onlyIfAbsent ? { IfNoneMatch: '*' } : {}),
          ...(o?.ifMatch !== undefined ? { IfMatch: o.ifMatch } : {}),
          MultipartUpload: {
            Parts: parts.map((p) => ({
              PartNumber: p.partNumber,
              ETag: p.etag,
              ...(algorithm === 'CRC32' && p.checksum ? { ChecksumCRC32: p.checksum } : {}),
            })),
          },
        }),
        { abortSignal: completing(o?.signal) },
      );
    },

    async abort(key, uploadId, o) {
      await api.send(new AbortMultipartUploadCommand({ Bucket, Key: key, UploadId: uploadId }), {
        abortSignal: reading(o?.signal),
      });
    },

    async listUploads(prefix, o) {
      const uploads: MultipartUploadInfo[] = [];
      /** Each upload once, should a store answer a page again. */
      const seen = new Set<string>();
      let keyMarker: string | undefined;
      let uploadIdMarker: string | undefined;
      for (;;) {
        const r = await api.send(
          new ListMultipartUploadsCommand({
            Bucket,
            Prefix: prefix || undefined,
            KeyMarker: keyMarker,
            UploadIdMarker: uploadIdMarker,
          }),
          { abortSignal: reading(o?.signal) },
        );
        for (const u of r.Uploads ?? []) {
          if (!u.Key || !u.UploadId || seen.has(`${u.Key}\n${u.UploadId}`)) continue;
          seen.add(`${u.Key}\n${u.UploadId}`);
          uploads.push({ key: u.Key, uploadId: u.UploadId, initiated: u.Initiated ?? null });
        }
        if (!r.IsTruncated) break;
        // A store that says "truncated" but names no next marker is asked from its page's last
        // upload on, as S3 itself would name it; one whose markers do not move ends the list here
        // rather than asking for the same page forever (the janitor's sweep would never end).
        const last = r.Uploads?.at(-1);
        const nextKey = r.NextKeyMarker || last?.Key;
        const nextUploadId = r.NextUploadIdMarker || last?.UploadId;
        if (!nextKey || (nextKey === keyMarker && nextUploadId === uploadIdMarker)) break;
        keyMarker = nextKey;
        uploadIdMarker = nextUploadId;
      }
      return uploads;
    },

    async listObjects(prefix, { delimiter, cursor, limit }, o) {
      const r = await api.send(
        new ListObjectsV2Command({
          Bucket,
          Prefix: prefix || undefined,
          Delimiter: delimiter,
          ContinuationToken: cursor,
          MaxKeys: limit,
        }),
        { abortSignal: reading(o?.signal) },
      );
      return {
        folders: (r.CommonPrefixes ?? []).flatMap((p) => (p.Prefix ? [p.Prefix] : [])),
        objects: (r.Contents ?? []).flatMap((c) =>
          c.Key
            ? [
                {
                  key: c.Key,
                  size: c.Size ?? 0,
                  lastModified: c.LastModified?.toISOString() ?? '',
                  etag: c.ETag ?? '',
                  ...(c.StorageClass !== undefined &&
                    c.StorageClass !== 'STANDARD' && { storageClass: c.StorageClass }),
                },
              ]
            : [],
        ),
        nextCursor: r.IsTruncated ? (r.NextContinuationToken ?? null) : null,
      };
    },

    async deleteObjects(keys, o) {
      const deleted: string[] = [];
      const errors: { key: string; message: string; changed?: true }[] = [];
      const markers: Record<string, string> = {};
      const etags = o?.etags ?? {};
      const versions = o?.versions ?? {};
      for (let i = 0; i < keys.length; i += 1000) {
        const batch = keys.slice(i, i + 1000);
        const r = await api.send(
          withContentMd5(
            new DeleteObjectsCommand({
              Bucket,
              Delete: {
                Objects: batch.map((Key) => ({
                  Key,
                  ...(Object.hasOwn(etags, Key) && { ETag: etags[Key] }),
                  ...(Object.hasOwn(versions, Key) && { VersionId: versions[Key] }),
                })),
                Quiet: false,
              },
            }),
          ),
          { abortSignal: completing(o?.signal) },
        );
        for (const d of r.Deleted ?? []) {
          if (!d.Key) continue;
          deleted.push(d.Key);
          if (d.DeleteMarker && d.DeleteMarkerVersionId && d.VersionId === undefined)
            markers[d.Key] = d.DeleteMarkerVersionId;
        }
        for (const e of r.Errors ?? []) {
          // Gone already (another tool deleted it after the count): what was asked, as S3 says of a
          // missing key deleted with no condition. With its ETag pinned, S3 answers NoSuchKey instead.
          if (e.Key && (e.Code === 'NoSuchKey' || e.Code === 'NoSuchVersion')) {
            deleted.push(e.Key);
            continue;
          }
          errors.push({
            key: e.Key ?? '',
            message: e.Message ?? e.Code ?? 'failed',
            ...(e.Code === 'PreconditionFailed' && { changed: true as const }),
          });
        }
      }
      return { deleted, errors, markers };
    },

    async copy(source, target, o) {
      const CopySource = `${encodeURIComponent(Bucket)}/${encodeURIComponent(source.key)}${
        source.versionId !== undefined ? `?versionId=${encodeURIComponent(source.versionId)}` : ''
      }`;
      const pin = { CopySource, CopySourceIfMatch: source.etag };
      const absent = o?.onlyIfAbsent ? { IfNoneMatch: '*' } : {};
      const algorithm = source.checksumAlgorithm ? { ChecksumAlgorithm: source.checksumAlgorithm } : {};
      const kept = storageSettings(source.headers);
      const plan = planCopy(source.size, options.copy);
      try {
        if (plan.kind === 'single') {
          await api.send(
            new CopyObjectCommand({ Bucket, Key: target, ...pin, ...kept, ...algorithm, ...absent }),
            {
              abortSignal: copying(o?.signal),
            },
          );
          return 'copied';
        }
        // CopyObject keeps the source's metadata; a multipart copy starts bare, so it is passed on.
        const meta = await api.send(
          new HeadObjectCommand({
            Bucket,
            Key: source.key,
            IfMatch: source.etag,
            ...(source.versionId !== undefined && { VersionId: source.versionId }),
          }),
          {
            abortSignal: reading(o?.signal),
          },
        );
        // Expires as it was stored (the SDK's Date is unset for a value it cannot parse).
        const expires = meta.ExpiresString ?? meta.Expires?.toUTCString();
        // Headers another tool wrote in UTF-8 as the text they are, and sent so (withUtf8Headers).
        const { UploadId } = await api.send(
          withUtf8Headers(
            new CreateMultipartUploadCommand({
              Bucket,
              Key: target,
              ContentType: headerText(meta.ContentType),
              ContentDisposition: headerText(meta.ContentDisposition),
              ContentEncoding: headerText(meta.ContentEncoding),
              ContentLanguage: headerText(meta.ContentLanguage),
              CacheControl: headerText(meta.CacheControl),
              ...(expires !== undefined &&
                !Number.isNaN(Date.parse(expires)) && { Expires: new Date(expires) }),
              WebsiteRedirectLocation: headerText(meta.WebsiteRedirectLocation),
              Metadata: meta.Metadata,
              ...kept,
              ...algorithm,
            }),
          ),
          { abortSignal: reading(o?.signal) },
        );
        try {
          const parts = await copyParts({ target, uploadId: UploadId, pin }, plan.ranges, o?.signal);
          await api.send(
            new CompleteMultipartUploadCommand({
              Bucket,
              Key: target,
              UploadId,
              MultipartUpload: { Parts: parts },
              ...absent,
            }),
            { abortSignal: completing(o?.signal) },
          );
          return 'copied';
        } catch (error) {
          await api
            .send(new AbortMultipartUploadCommand({ Bucket, Key: target, UploadId }), {
              abortSignal: reading(undefined),
            })
            .catch(() => {});
          throw error;
        }
      } catch (error) {
        const refused = isS3Error(error, 'PreconditionFailed', 'ConditionalRequestConflict');
        if (!refused && statusOf(error) !== 412) throw error;
        // 412 is either condition: the source's If-Match or the target's If-None-Match.
        if (o?.onlyIfAbsent && (await this.head(target, o))) return 'exists';
        return 'changed';
      }
    },

    async replaceProperties(source, properties, o) {
      const h = source.headers ?? {};
      const CopySource = `${encodeURIComponent(Bucket)}/${encodeURIComponent(source.key)}`;
      const pin = { CopySource, CopySourceIfMatch: source.etag };
      const wanted = {
        ContentType: properties.contentType,
        // REPLACE: metadata not given is removed.
        Metadata: {},
        ...(h.expires !== undefined &&
          !Number.isNaN(Date.parse(h.expires)) && { Expires: new Date(h.expires) }),
        ...storageSettings(h),
        // After the kept class: a class asked for replaces it.
        ...propertyFields(properties, { tags: false }),
        ...(source.checksumAlgorithm ? { ChecksumAlgorithm: source.checksumAlgorithm } : {}),
      };
      const plan = planCopy(source.size, options.copy);
      try {
        if (plan.kind === 'single') {
          await api.send(
            withUtf8Headers(
              new CopyObjectCommand({
                Bucket,
                Key: source.key,
                ...pin,
                MetadataDirective: 'REPLACE',
                ...wanted,
              }),
            ),
            { abortSignal: copying(o?.signal) },
          );
          return 'replaced';
        }
        // Over what one CopyObject takes (5 GiB): made again from its own bytes, a part copy at a time,
        // as `aws s3 cp s3://b/k s3://b/k --metadata-directive REPLACE` does, and put in place only
        // while the key still holds the version copied (If-Match on Complete). Its tags are set on the
        // new upload, so the object is never without them (nothing of the old object comes along).
        const { UploadId } = await api.send(
          withUtf8Headers(
            new CreateMultipartUploadCommand({
              Bucket,
              Key: source.key,
              ...wanted,
              ...propertyFields({ tags: properties.tags ?? {} }, { tags: true }),
            }),
          ),
          { abortSignal: reading(o?.signal) },
        );
        try {
          const parts = await copyParts(
            { target: source.key, uploadId: UploadId, pin },
            plan.ranges,
            o?.signal,
          );
          // Written meanwhile: that version stays (the catch below aborts this upload).
          if ((await this.head(source.key, o))?.etag !== source.etag) throw new ChangedMeanwhile();
          await api.send(
            new CompleteMultipartUploadCommand({
              Bucket,
              Key: source.key,
              UploadId,
              MultipartUpload: { Parts: parts },
              ...(o?.ifMatch !== undefined && { IfMatch: o.ifMatch }),
            }),
            { abortSignal: completing(o?.signal) },
          );
          return 'replaced';
        } catch (error) {
          await api
            .send(new AbortMultipartUploadCommand({ Bucket, Key: source.key, UploadId }), {
              abortSignal: reading(undefined),
            })
            .catch(() => {});
          throw error;
        }
      } catch (error) {
        const refused = isS3Error(error, 'PreconditionFailed', 'ConditionalRequestConflict');
        if (refused || error instanceof ChangedMeanwhile || statusOf(error) === 412) return 'changed';
        throw error;
      }
    },

    async listVersions(prefix, { delimiter, after, limit }, o) {
      const command = new ListObjectVersionsCommand({
        Bucket,
        Prefix: prefix || undefined,
        Delimiter: delimiter,
        MaxKeys: limit,
        ...(after && { KeyMarker: after.key, VersionIdMarker: after.versionId }),
      });
      // The SDK splits versions and delete markers into two arrays: their order is read from the answer.
      const answer = keepAnswerText(command);
      const r = await api.send(command, { abortSignal: reading(o?.signal) });
      const text = answer.text();
      return {
        versions: versionSequence(
          r.Versions,
          r.DeleteMarkers,
          text === undefined ? undefined : entryOrder(text),
        ),
        folders: (r.CommonPrefixes ?? []).flatMap((p) => (p.Prefix ? [p.Prefix] : [])),
        next:
          r.IsTruncated && r.NextKeyMarker !== undefined
            ? { key: r.NextKeyMarker, versionId: r.NextVersionIdMarker ?? '' }
            : null,
      };
    },

    async deleteVersion(key, versionId, o) {
      try {
        await api.send(new DeleteObjectCommand({ Bucket, Key: key, VersionId: versionId }), {
          abortSignal: reading(o?.signal),
        });
      } catch (error) {
        if (!isS3Error(error, ...GONE, 'NoSuchVersion')) throw error;
      }
    },

    async deleteIfUnchanged(key, etag, o) {
      try {
        await api.send(new DeleteObjectCommand({ Bucket, Key: key, IfMatch: etag }), {
          abortSignal: reading(o?.signal),
        });
        return 'deleted';
      } catch (error) {
        if (isS3Error(error, 'PreconditionFailed') || statusOf(error) === 412) return 'changed';
        if (isS3Error(error, ...GONE)) return 'deleted'; // someone else deleted it: gone either way
        throw error;
      }
    },

    async checkBucket(o) {
      let listed: { Name?: string | undefined };
      try {
        listed = await api.send(new ListObjectsV2Command({ Bucket, MaxKeys: 1 }), {
          abortSignal: reading(o?.signal),
        });
      } catch (error) {
        // S3 answers a listing of a missing bucket NoSuchBucket: a bare 404 came from something else.
        if (isS3Error(error, 'NotFound') && statusOf(error) === 404) throw new NotS3AnswerError(404);
        throw error;
      }
      if (listed.Name === undefined) throw new NotS3AnswerError(200);
    },

    versioning(o) {
      return readBucketVersioning(api, Bucket, { signal: reading(o?.signal) });
    },

    async getCors(o) {
      try {
        const r = await api.send(new GetBucketCorsCommand({ Bucket }), { abortSignal: reading(o?.signal) });
        return r.CORSRules ?? [];
      } catch (error) {
        if (isS3Error(error, 'NoSuchCORSConfiguration')) return null;
        throw error;
      }
    },

    async putCors(rules, o) {
      await api.send(new PutBucketCorsCommand({ Bucket, CORSConfiguration: { CORSRules: rules } }), {
        abortSignal: reading(o?.signal),
      });
    },
  };
}

/** The browser sets Content-Length itself (and may not set it by hand). */
function withoutLength(headers: Record<string, string>): Record<string, string> {
  const { 'content-length': _length, ...rest } = headers;
  return rest;
}

/**
 * The object's checksum from HeadObject. S3 keeps one per object; should a store answer several, a CRC is
 * taken before a SHA (a ranged download combines the ranges' CRCs, where a SHA needs the file read back), and
 * CRC32/CRC32C before CRC64NVME as before (their composite form can be recomputed part by part too).
 */
function pickChecksum(r: {
  ChecksumCRC32?: string;
  ChecksumCRC32C?: string;
  ChecksumCRC64NVME?: string;
  ChecksumSHA256?: string;
  ChecksumSHA1?: string;
}): HeadResult['checksum'] {
  const found = (
    [
      ['CRC32', r.ChecksumCRC32],
      ['CRC32C', r.ChecksumCRC32C],
      ['CRC64NVME', r.ChecksumCRC64NVME],
      ['SHA256', r.ChecksumSHA256],
      ['SHA1', r.ChecksumSHA1],
    ] as const
  ).find(([, v]) => v);
  if (!found?.[1]) return undefined;
  const [algorithm, raw] = found;
  const composite = /-\d+$/.test(raw);
  return { algorithm, value: raw, composite };
}

function definedOnly<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== '')) as T;
}
