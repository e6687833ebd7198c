import type { Checksum, ChecksumAlgorithm, ChecksumType } from './checksum.ts';
import type { CorsRule } from './cors.ts';
import type { Tag } from './tagging.ts';

/** What the store persists (as JSON) and keeps in memory. */

/** A bucket's versioning, once set (S3: it is never unset again, only suspended). */
export type VersioningStatus = 'Enabled' | 'Suspended';

export interface BucketRecord {
  name: string;
  created: string;
  cors?: CorsRule[];
  /** absent: versioning was never set (no version ids, no delete markers: the default) */
  versioning?: VersioningStatus;
}

export interface DataSegment {
  /** data file id under the bucket's data dir */
  file: string;
  size: number;
}

/** Where a version sits among its key's: which one (absent: the "null" version) and its order (absent: 0). */
export interface VersionStamp {
  /** absent: the "null" version (written while versioning was never set, or Suspended) */
  versionId?: string;
  /** The key's versions, newest first, are in descending order of this: one more than the newest at write. */
  seq?: number;
}

export interface ObjectRecord extends VersionStamp {
  key: string;
  size: number;
  /** quoted */
  etag: string;
  lastModified: string;
  /** content-type, cache-control, content-disposition, content-encoding, content-language, expires, x-amz-meta-* */
  headers: Record<string, string>;
  checksum?: Checksum & { type: ChecksumType };
  /** object tags (absent: none) */
  tags?: readonly Tag[];
  /** Multipart objects: the number of parts; `segments[i]` is then part i + 1. */
  partsCount?: number;
  /** Multipart objects with checksums: each part's checksum (base64), in part order. */
  partChecksums?: string[];
  /** Multipart objects: the upload that made them, to answer that Complete sent again (complete-retry.ts). */
  completedBy?: CompletedBy;
  segments: DataSegment[];
}

/** The current version of a key a DELETE made in a versioned bucket: the key reads as absent while it is latest. */
export interface DeleteMarkerRecord extends VersionStamp {
  key: string;
  lastModified: string;
  deleteMarker: true;
}

/** One version of a key in a versioned bucket: an object, or a delete marker. */
export type VersionRecord = ObjectRecord | DeleteMarkerRecord;

export function isDeleteMarker(version: VersionRecord): version is DeleteMarkerRecord {
  return (version as DeleteMarkerRecord).deleteMarker === true;
}

export interface CompletedBy {
  uploadId: string;
  /** digest of the part numbers and ETags the Complete named */
  parts: string;
}

export interface UploadRecord {
  uploadId: string;
  key: string;
  initiated: string;
  headers: Record<string, string>;
  checksumAlgorithm?: ChecksumAlgorithm;
  checksumType?: ChecksumType;
  /** x-amz-tagging of CreateMultipartUpload, given to the completed object */
  tags?: readonly Tag[];
}

export interface PartRecord {
  partNumber: number;
  etag: string;
  size: number;
  lastModified: string;
  file: string;
  checksum?: Checksum;
}
