import type { Checksum, ChecksumAlgorithm, ChecksumType } from './checksum.ts';
import type { CorsRule } from './cors.ts';
import type { Tag } from './tagging.ts';

/** What the store persists (as JSON) and keeps in memory. */

export interface BucketRecord {
  name: string;
  created: string;
  cors?: CorsRule[];
}

export interface DataSegment {
  /** data file id under the bucket's data dir */
  file: string;
  size: number;
}

export interface ObjectRecord {
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
