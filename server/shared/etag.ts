/**
 * What an S3 ETag can say of an object's bytes. Pure (the server and the page both read it).
 * - 32 hex digits: the MD5 of the content, for an object written in one request (PutObject, CopyObject)
 *   on AWS S3 (not under SSE-KMS or SSE-C), MinIO, Ceph RGW, R2 and most S3-compatibles;
 * - 32 hex digits, "-", a part count N: an object completed from N parts (CompleteMultipartUpload): the
 *   MD5 of the parts' binary MD5s, one after another. Only the part sizes give it back from the bytes.
 * Anything else (a store's own opaque tag) says nothing of the bytes: null.
 */
import { MAX_PARTS } from './s3-limits.ts';

export type EtagDigest = { kind: 'md5'; md5: string } | { kind: 'multipart'; md5: string; parts: number };

/** The ETag without quotes or a weak prefix, hex in lower case: `"ABC…-2"` → `abc…-2`. */
export function normalEtag(etag: string): string {
  return etag.trim().replace(/^W\//, '').replace(/^"|"$/g, '').toLowerCase();
}

export function parseEtag(etag: string): EtagDigest | null {
  const match = /^([0-9a-f]{32})(?:-(\d{1,5}))?$/.exec(normalEtag(etag));
  if (!match) return null;
  const md5 = match[1]!;
  if (match[2] === undefined) return { kind: 'md5', md5 };
  const parts = Number(match[2]);
  return parts >= 1 && parts <= MAX_PARTS ? { kind: 'multipart', md5, parts } : null;
}

/**
 * The encryptions under which S3 makes an ETag that is no MD5 of the bytes, even for one request:
 * SSE-KMS (`aws:kms`, `aws:kms:dsse`) and SSE-C (a customer key). SSE-S3 (`AES256`) keeps MD5 ETags.
 */
export function etagHidesMd5(o: { serverSideEncryption?: string; sseCustomerAlgorithm?: string }): boolean {
  return o.serverSideEncryption?.startsWith('aws:kms') === true || !!o.sseCustomerAlgorithm;
}
