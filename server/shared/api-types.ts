// Wire types shared by the server routes and the web engines. The routes validate requests with zod
// and `hc<AppType>` checks the rest; these aliases give the engines a name for each shape.

import type { FirstPart, PartLayout } from './part-layout.ts';

/** How each part's integrity is proved to S3: a flexible checksum, or Content-MD5 where the store only checks that. */
export type ChecksumAlgorithm = 'CRC32' | 'MD5';

/**
 * What the store does with "_" in a user metadata name: keeps it, as S3 and the embedded store do, or
 * turns it into "-", as Ceph RGW does (x-amz-meta-reviewed_by is stored as reviewed-by). Hoist then
 * refuses such names rather than let them be changed.
 */
export type MetadataUnderscore = 'kept' | 'dashed';

export type ConflictChoice = 'replace' | 'keep-both' | 'skip';

export interface CreateUploadRequest {
  name: string;
  size: number;
  type: string;
  lastModified: number;
  /** Path inside a dropped/picked folder, e.g. "photos/2024/a.jpg" (includes the name). */
  relativePath?: string;
  /**
   * The listed folder the file goes into (relative to the key prefix, ending in "/"); `relativePath`
   * starts with it. Kept as listed, while the rest of the path is normalised to NFC and checked.
   */
  folder?: string;
  /** Absent (or 'skip'): a 409 `key-exists` answer if the key is taken. */
  onConflict?: ConflictChoice;
  /**
   * With `onConflict: 'replace'`: the ETag of the object the user chose to replace (as key-exists
   * showed it). Part 1 signed in the answer is then a PUT `If-Match` it (see `replaceIf` of sign).
   */
  replaceIf?: string;
  /** Part 1 already hashed (plan guessed from the size): signed in the answer if the plan agrees. */
  firstPart?: { size: number; checksumAlgorithm: ChecksumAlgorithm; checksum: string };
  /** Set on the object (checked by `propertiesProblem`). */
  properties?: ObjectProperties;
}

/**
 * What an upload sets on the object besides its bytes, as the S3 console's upload "Properties" and
 * `aws s3 cp --content-type --cache-control --content-disposition --metadata` do. "Edit properties"
 * sends them in full: one absent is removed.
 */
export interface ObjectProperties {
  /** Instead of the type the browser guessed from the file name. */
  contentType?: string;
  cacheControl?: string;
  contentDisposition?: string;
  contentEncoding?: string;
  contentLanguage?: string;
  /** User metadata, stored as `x-amz-meta-<name>` (lowercase names). */
  metadata?: Record<string, string>;
  tags?: Record<string, string>;
  /**
   * The S3 storage class (`STANDARD_IA`…), one the server offers (`HealthAnswer.storageClasses`), as the
   * S3 console's upload and `aws s3 cp --storage-class` set it. Absent: the bucket's default for an
   * upload; the object's own class kept, for "Edit properties".
   */
  storageClass?: string;
}

export interface UploadPlan {
  /** 'single': one presigned PUT (part 1 is the whole file); 'multipart': CreateMultipartUpload was called. */
  kind: 'single' | 'multipart';
  key: string;
  uploadId: string | null;
  size: number;
  partSize: number;
  partCount: number;
  checksumAlgorithm: ChecksumAlgorithm;
  /** HMAC token binding key, uploadId, size, part size and expiry; required by every later call. */
  token: string;
  /** Epoch ms after which the token (and so the upload) can no longer be continued. */
  expiresAt: number;
  /** Part 1's URL, when the request's `firstPart` matched the plan. */
  firstPart?: SignedPart;
}

/** At most this many files per `POST /api/uploads/many`. */
export const MAX_CREATES_PER_CALL = 50;

/**
 * One file's answer in `POST /api/uploads/many`, as `POST /api/uploads` would have answered it alone:
 * its plan, the name taken (409), or why it was refused (the error and status the single call has).
 */
export type CreateManyResult =
  | { plan: UploadPlan }
  | { keyExists: KeyExists }
  | { error: { code: string; message: string }; status: number; details?: Record<string, unknown> };

export interface KeyExists {
  error: { code: 'key-exists'; message: string };
  key: string;
  /** `checksum`: the object's full-object checksum (base64, of `checksumAlgorithm`) when the store keeps one. */
  existing: {
    size: number;
    lastModified: string | null;
    etag: string | null;
    checksum?: string;
    checksumAlgorithm?: ObjectChecksumAlgorithm;
    /** Its storage class, when not STANDARD. */
    storageClass?: string;
  };
  /**
   * A free key for "keep both", e.g. "report (1).pdf"; none when no numbered name fits in S3's 1,024
   * bytes (a folder path that long): the file can still replace the object or be skipped.
   */
  suggestedKey?: string;
}

export interface SignPartsRequest {
  token: string;
  /** Base64 checksum of each part in the plan's algorithm (CRC32 or MD5); signed into the URL. */
  parts: { partNumber: number; checksum?: string }[];
}

export interface SignedPart {
  partNumber: number;
  url: string;
  method: 'PUT';
  /** Headers the client must send exactly (signed), e.g. content-md5 or x-amz-checksum-crc32. */
  headers: Record<string, string>;
  /** Exact byte length the URL is signed for. */
  size: number;
  expiresAt: number;
}

/**
 * A sign or parts call's fresh token: the same claims, valid for another stale-upload TTL from now.
 * The client uses it from then on (and journals it), so an upload that keeps going never expires.
 */
export interface RefreshedToken {
  token: string;
  /** Epoch ms. */
  expiresAt: number;
}

export interface SignedParts extends RefreshedToken {
  parts: SignedPart[];
}

export interface ListedParts extends RefreshedToken {
  parts: UploadedPart[];
}

export interface UploadedPart {
  partNumber: number;
  size: number;
  etag: string;
  /** ISO time the store received the part (ListParts `LastModified`), when it says. */
  lastModified?: string;
  checksum?: string;
}

export interface CompleteRequest {
  token: string;
  parts: { partNumber: number; etag: string; checksum?: string }[];
}

export interface CompletedUpload {
  key: string;
  etag: string;
  size: number;
  checksum?: string;
  /** True when the object already existed as completed (e.g. a lost Complete response was retried). */
  alreadyCompleted?: boolean;
}

export interface AbortResult {
  key: string;
  /** Parts the store still listed before the final abort confirmed the upload gone. */
  partsRemoved: number;
  /** Always true in a success answer: ListParts/ListMultipartUploads no longer know the upload. */
  confirmed: true;
}

export interface ApiErrorBody {
  error: { code: string; message: string };
}

export interface ObjectEntry {
  key: string;
  size: number;
  lastModified: string;
  etag: string;
  /** The listing's StorageClass, when not STANDARD (the S3 console's "Storage class" column). */
  storageClass?: string;
}

export interface ObjectPage {
  prefix: string;
  folders: string[];
  objects: ObjectEntry[];
  nextCursor: string | null;
}

/**
 * The algorithms of a checksum S3 keeps for an object (HeadObject's x-amz-checksum-*). CRC64NVME is S3's
 * default since late 2024, and is always a full-object checksum (never "…-N").
 */
export type ObjectChecksumAlgorithm = 'CRC32' | 'CRC32C' | 'CRC64NVME' | 'SHA256' | 'SHA1';

/**
 * A presigned GET and what proves the bytes: the stored checksum, else the ETag (server/shared/etag.ts),
 * which is the MD5 of the bytes unless the object's encryption (below) says otherwise.
 */
export interface DownloadLink extends Pick<ObjectHeaders, 'serverSideEncryption' | 'sseCustomerAlgorithm'> {
  key: string;
  url: string;
  size: number;
  etag: string;
  /**
   * On a versioned bucket, the version the link reads (HeadObject's): a link renewed mid-download asks
   * for this version again (POST /download with `versionId`), so the bytes stay those it began with.
   */
  versionId?: string;
  checksum?: {
    algorithm: ObjectChecksumAlgorithm;
    value: string;
    composite: boolean;
    /**
     * A composite checksum's part layout (the object's, from GetObjectAttributes), when the server
     * learned it: it also gives back the multipart ETag.
     */
    parts?: PartLayout;
  };
  /**
   * A multipart object's part 1 size and part count (HeadObject with PartNumber=1), asked for when its
   * ETag is an MD5 of part MD5s and no layout is known: the layout is guessed from it.
   */
  firstPart?: FirstPart;
  /**
   * Every part's size (HeadObject with PartNumber=1…N), asked with `firstPart` for an object of at
   * most 100 parts: the layout it was made with, uniform or not, so its ETag is recomputed, not guessed.
   */
  partLayout?: PartLayout;
  expiresAt: number;
}

/** Stored headers and settings of an object, as the S3 console's "Properties" show them. */
export interface ObjectHeaders {
  metadata?: Record<string, string>;
  storageClass?: string;
  cacheControl?: string;
  contentDisposition?: string;
  contentEncoding?: string;
  contentLanguage?: string;
  expires?: string;
  /** x-amz-server-side-encryption: 'AES256' (SSE-S3), 'aws:kms', 'aws:kms:dsse'. */
  serverSideEncryption?: string;
  /** x-amz-server-side-encryption-customer-algorithm: set for an object encrypted with a customer key (SSE-C). */
  sseCustomerAlgorithm?: string;
  /** x-amz-server-side-encryption-aws-kms-key-id: the KMS key of an SSE-KMS object. */
  sseKmsKeyId?: string;
  versionId?: string;
}

/** `POST /api/objects/details`: what HeadObject says of one object (the S3 console's "Properties"). */
export interface ObjectDetails extends ObjectHeaders {
  key: string;
  size: number;
  etag: string;
  lastModified: string | null;
  contentType: string | null;
  checksum?: DownloadLink['checksum'];
  /** Set for an object uploaded in parts: how many. */
  partCount?: number;
  /** The object's tags; absent when the store would not say (no permission, no tagging). */
  tags?: { key: string; value: string }[];
}

/**
 * One version of an object on a versioned bucket (ListObjectVersions), or a delete marker: what a
 * delete left on top of the versions it hid. A delete marker has no bytes (`size` 0, no ETag).
 */
export interface ObjectVersionEntry {
  key: string;
  /** "null" for what was written while versioning was off or suspended. */
  versionId: string;
  /** The current one: what a GET of the key gives (a delete marker: the key reads as deleted). */
  isLatest: boolean;
  deleteMarker: boolean;
  size: number;
  etag: string | null;
  lastModified: string | null;
  /** Absent for STANDARD, as in `ObjectEntry`. */
  storageClass?: string;
}

/** `GET /api/versions?key=`: the versions of one key, newest first, a page at a time. */
export interface ObjectVersionsPage {
  key: string;
  versions: ObjectVersionEntry[];
  nextCursor: string | null;
}

/**
 * `GET /api/versions/deleted?prefix=`: the keys in one folder whose current version is a delete
 * marker (deleted on a versioned bucket, their earlier versions kept), with the version each would
 * come back as. `nextCursor` for the next page of the bucket's version listing.
 */
export interface DeletedObjectsPage {
  prefix: string;
  objects: DeletedObject[];
  /** Folders in it whose every object was deleted (the object listing no longer has them). */
  folders: string[];
  nextCursor: string | null;
}

export interface DeletedObject {
  key: string;
  /** The delete marker on top, and when it was made. */
  markerVersionId: string;
  deletedAt: string | null;
  /** The newest version under the marker(s): what Restore brings back. Null when there is none. */
  previous: ObjectVersionEntry | null;
}

/**
 * `POST /api/versions/restore`: the version is the key's current one again. `how`: 'undeleted' when
 * the delete markers above it were removed (it is current again as it was, same version id, no copy
 * made); 'copied' when it was copied onto the key as a new current version (the one it replaced stays,
 * as an earlier version). `versionId`: the current version now.
 */
export interface RestoredVersion {
  key: string;
  how: 'undeleted' | 'copied';
  versionId: string | null;
}

/** `POST /api/versions/delete`: the version is deleted for good; `versionId` of the key's current one now, if any. */
export interface DeletedVersion {
  key: string;
  versionId: string;
}

/** `POST /api/objects/share`: a presigned GET to give to someone else, valid for a chosen time. */
export interface ShareLink {
  key: string;
  url: string;
  /** When the link stops working: the time asked, or sooner when the server's credentials end first. */
  expiresAt: number;
  /** The server signs with temporary credentials that end before the time asked: the link ends with them. */
  endsWithCredentials?: true;
}

/** `POST /api/objects/folder`: the folder's marker key; `created`: false when an object was there already. */
export interface NewFolder {
  key: string;
  created: boolean;
}

/** `POST /api/objects/rename`: the object under its new key. */
export interface RenamedObject {
  key: string;
  size: number;
  etag: string;
  /** Set when the old key was not removed because a newer version had been written to it. */
  note?: string;
}

/**
 * What the edit form was filled from (`POST /api/objects/properties` `shown`): an object whose type,
 * Cache-Control, metadata or tags are no longer these was changed by someone else since, and is not
 * edited (409 changed). The ETag alone cannot tell: a metadata rewrite or a tag put keeps it.
 */
export interface ShownProperties {
  contentType: string | null;
  cacheControl: string | null;
  contentDisposition: string | null;
  contentEncoding: string | null;
  contentLanguage: string | null;
  metadata: Record<string, string>;
  /** Null when the store would not say. */
  tags: Record<string, string> | null;
}

/** `POST /api/objects/properties`: whether anything had to be written (nothing when the form was unchanged). */
export interface EditedProperties {
  key: string;
  changed: boolean;
}

/** Keys per call of POST /api/objects/copy: the page sends a selection in batches of at most this many. */
export const MAX_COPIES_PER_CALL = 100;

/** What POST /api/objects/copy did with each key it was given. */
export interface CopiedObjects {
  /** The destination folder, relative to the key prefix ('' or ending in "/"). */
  folder: string;
  done: { key: string; newKey: string; size: number; note?: string }[];
  /** Keys not copied (or not moved), each with why: a stable code and a message a user can act on. */
  failed: {
    key: string;
    code: string;
    message: string;
    /** Where it was to go, once known. */ newKey?: string;
    /** `delete-failed`: the copy was made; what a retry sends back (`made`) to delete the old key only. */
    made?: MadeCopy;
    /** `key-exists`: the object at `newKey` (a "Replace" sends its ETag back as `replaceIf`). */
    existing?: TakenObject;
  }[];
}

/** An object found at the key a copy or move was to take. */
export interface TakenObject {
  etag: string;
  size: number;
}

/**
 * A move's copy that was made while its old key could not be deleted: the ETag the old key had (the
 * version copied, the one to delete) and the copy's. Given back to POST /api/objects/copy, the move
 * is finished without copying again: the old key is deleted, pinned to `etag`, if the new key is
 * still that copy.
 */
export interface MadeCopy {
  etag: string;
  copyEtag: string;
}

/** SigV4 presigned URLs live at most 7 days. */
export const SHARE_LINK_MAX_SECONDS = 7 * 24 * 60 * 60;
export const SHARE_LINK_MIN_SECONDS = 60;

/** `POST /api/objects/download-links`: at most this many keys per call. */
export const MAX_LINKS_PER_CALL = 100;

export interface DownloadLinks {
  links: DownloadLink[];
  /** Keys that do not exist (any more). */
  missing: string[];
}

export interface HealthReport {
  ok: boolean;
  store: 'embedded' | 'external';
  bucket: string;
  /** HOIST_KEY_PREFIX: everything the app lists and uploads lives under it. */
  prefix: string;
  checks: { name: string; ok: boolean; message: string }[];
  checksumAlgorithm: ChecksumAlgorithm;
  /** What a delete does: see BucketVersioning. */
  versioning: BucketVersioning;
  /** Learned from the self-test's probe object: 'kept' until it shows otherwise. */
  metadataUnderscore: MetadataUnderscore;
}

/**
 * GET /api/health/store: can this server reach the store right now (the bucket check: a listing of one key)? The page asks when
 * its own requests to the store fail with no answer: a store that is down for everyone is waited for,
 * not counted as a failure of the file.
 */
export interface StoreReachability {
  /** The store answered (an error answer too, save a 5xx): it is not down. */
  reachable: boolean;
  /** Why not, as the health banner says it; null when reachable. */
  message: string | null;
  /**
   * Reachable, but it refused the bucket check (the bucket was deleted, the key deactivated…): what the
   * page's requests to it fail with, so the file fails with this reason rather than waiting for it.
   * `code` as the API's errors have it ('no-such-bucket', 'store-denied', 'store-error'); null: none.
   */
  problem: { code: string; message: string } | null;
}

/**
 * The bucket's versioning (GetBucketVersioning): 'never' enabled, so a delete removes the object;
 * 'enabled' or 'suspended', so a delete adds a delete marker and earlier versions stay; 'unknown'
 * when the store would not say (AccessDenied, NotImplemented) or has not been asked yet.
 */
export type BucketVersioning = 'enabled' | 'suspended' | 'never' | 'unknown';

/** GET /api/health: the self-test's report, and what the page needs to know of the server's setup. */
/**
 * The header the page sends its origin in (\`location.origin\`) when it asks GET /api/health: the
 * bucket's CORS rule must let exactly that one upload. A header, so the URL stays as it is.
 */
export const PAGE_ORIGIN_HEADER = 'x-hoist-page-origin';

export interface HealthAnswer extends HealthReport {
  /** HOIST_ACCESS_TOKEN is set: the API takes a session or the token, and the page offers Sign out. */
  signInRequired: boolean;
  /** The storage classes an upload or "Edit properties" may give an object (HOIST_STORAGE_CLASSES). */
  storageClasses: string[];
}
