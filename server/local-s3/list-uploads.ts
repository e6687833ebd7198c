import { commonPrefixOf } from './list-keys.ts';

/**
 * The listing walk of ListMultipartUploads: uploads ordered by key (UTF-8 bytes), then by initiation; prefix;
 * key-marker (exclusive) with upload-id-marker (resume after that upload of the marker key); delimiter →
 * common prefixes, each counted once against max-uploads, as ListObjects does (list-keys.ts).
 */

export interface UploadEntry {
  key: string;
  uploadId: string;
  initiated: string;
}

export interface ListUploadsInput {
  prefix: string;
  delimiter: string;
  keyMarker: string;
  uploadIdMarker: string;
  maxUploads: number;
}

export interface ListUploadsOutput<T> {
  uploads: T[];
  commonPrefixes: string[];
  isTruncated: boolean;
  /** where the next page starts: the last upload's key and id, or the last common prefix and '' */
  nextKeyMarker?: string;
  nextUploadIdMarker?: string;
}

export function listUploads<T extends UploadEntry>(
  all: Iterable<T>,
  input: ListUploadsInput,
): ListUploadsOutput<T> {
  // max-uploads=0: an empty page, not truncated (as S3; a truncated empty page would loop a client).
  if (input.maxUploads === 0) return { uploads: [], commonPrefixes: [], isTruncated: false };
  const sorted = [...all]
    .filter((u) => u.key.startsWith(input.prefix))
    .map((u) => ({ u, bytes: Buffer.from(u.key, 'utf8') }))
    .sort(
      (a, b) =>
        Buffer.compare(a.bytes, b.bytes) ||
        a.u.initiated.localeCompare(b.u.initiated) ||
        a.u.uploadId.localeCompare(b.u.uploadId),
    );
  const markerBytes = input.keyMarker === '' ? undefined : Buffer.from(input.keyMarker, 'utf8');
  let start = 0;
  if (markerBytes) {
    start = sorted.findIndex((s) => Buffer.compare(s.bytes, markerBytes) > 0);
    if (start === -1) start = sorted.length;
    if (input.uploadIdMarker !== '') {
      const at = sorted.findIndex(
        (s) => s.u.key === input.keyMarker && s.u.uploadId === input.uploadIdMarker,
      );
      if (at !== -1) start = at + 1;
    }
  }
  const uploads: T[] = [];
  const commonPrefixes: string[] = [];
  let next: { key: string; uploadId: string } | undefined;
  let lastCommon: string | undefined;
  let isTruncated = false;
  for (const { u } of sorted.slice(start)) {
    const common = commonPrefixOf(u.key, input.prefix, input.delimiter);
    // An upload under a prefix already listed (on this page, or up to the key-marker on an earlier one) is in it.
    if (
      common !== undefined &&
      (common === lastCommon ||
        (markerBytes !== undefined && Buffer.compare(Buffer.from(common, 'utf8'), markerBytes) <= 0))
    )
      continue;
    if (uploads.length + commonPrefixes.length >= input.maxUploads) {
      isTruncated = true;
      break;
    }
    if (common !== undefined) {
      commonPrefixes.push(common);
      lastCommon = common;
      next = { key: common, uploadId: '' };
    } else {
      uploads.push(u);
      next = { key: u.key, uploadId: u.uploadId };
    }
  }
  return {
    uploads,
    commonPrefixes,
    isTruncated,
    ...(next ? { nextKeyMarker: next.key, nextUploadIdMarker: next.uploadId } : {}),
  };
}
