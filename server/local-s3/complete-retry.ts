import { createHash } from 'node:crypto';
import { unquoteEtag } from '../uploads/multipart-etag.ts';
import type { CompletedBy, ObjectRecord } from './records.ts';

/**
 * A CompleteMultipartUpload sent again after it succeeded (its answer lost on the way, a client's retry) is
 * answered as S3 answers it: 200 with the same ETag, not NoSuchUpload. The object remembers the upload that made
 * it and a digest of the parts it was made of, so the same Complete is recognised for as long as the object is
 * still that one: an overwrite or a delete forgets it. Nothing else is kept: the object's manifest is already
 * the durable record, and the finished upload stays out of ListMultipartUploads and ListParts.
 */

interface PartRef {
  partNumber: number;
  etag: string;
}

export function completedBy(uploadId: string, parts: readonly PartRef[]): CompletedBy {
  return { uploadId, parts: partsDigest(parts) };
}

/** True when `record` is what a Complete of `uploadId` with these very parts made. */
export function isCompleteRetry(
  record: ObjectRecord | undefined,
  uploadId: string,
  parts: readonly PartRef[],
): boolean {
  const made = record?.completedBy;
  return made !== undefined && made.uploadId === uploadId && made.parts === partsDigest(parts);
}

/** Part numbers and ETags (quoted or not, as clients send them), in order. */
function partsDigest(parts: readonly PartRef[]): string {
  const hash = createHash('sha256');
  for (const p of parts) hash.update(`${p.partNumber} ${unquoteEtag(p.etag)}\n`);
  return hash.digest('base64url');
}
