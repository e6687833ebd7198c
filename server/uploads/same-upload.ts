/**
 * Is the object now at the key the one these parts made? Asked when an upload is gone but an object
 * is there: a Complete whose answer was lost (then it is ours, report success) or another writer's
 * object (then it is not). Pure; no I/O.
 */
import { crc32 } from 'node:zlib';
import type { HeadResult } from '../s3/s3-gateway.ts';
import { normalEtag } from '../shared/etag.ts';
import { multipartEtag } from './multipart-etag.ts';

export interface ClientPart {
  partNumber: number;
  etag: string;
  /** The part's CRC32, base64, as the client signed it. */
  checksum?: string;
}

/**
 * The composite CRC32 first, where the object and every part have one: it is computed from the bytes
 * alone, so it holds under SSE-KMS too, whose ETags are not MD5s. Else the multipart ETag (MD5 of the
 * parts' MD5s, "-N"), as S3 makes it without SSE-KMS. When neither can tell, yes: the size was checked
 * by the caller and the key was written by this upload's token holder.
 */
export function isObjectOfParts(
  head: Pick<HeadResult, 'etag' | 'checksum'>,
  parts: readonly ClientPart[],
  /** Answer no when neither can tell (the object is there but the upload still is too). */
  o: { surely?: boolean } = {},
): boolean {
  const inOrder = [...parts].sort((a, b) => a.partNumber - b.partNumber);
  const composite = compositeCrc32(inOrder);
  if (head.checksum?.algorithm === 'CRC32' && head.checksum.composite && composite !== null) {
    return baseOf(head.checksum.value) === composite && countOf(head.checksum.value) === inOrder.length;
  }
  const value = normalEtag(head.etag);
  if (!/-\d+$/.test(value)) return false;
  if (!inOrder.every((p) => /^[0-9a-f]{32}$/.test(normalEtag(p.etag)))) return !o.surely; // cannot tell
  return normalEtag(multipartEtag(inOrder.map((p) => p.etag))) === value;
}

/** S3's composite CRC32: the CRC32 of the parts' CRC32s, big-endian, one after another. Base64. */
export function compositeCrc32(parts: readonly ClientPart[]): string | null {
  if (parts.length === 0) return null;
  const bytes = Buffer.alloc(4 * parts.length);
  for (const [i, part] of parts.entries()) {
    if (!part.checksum) return null;
    const crc = Buffer.from(part.checksum, 'base64');
    if (crc.length !== 4) return null;
    crc.copy(bytes, 4 * i);
  }
  const out = Buffer.alloc(4);
  out.writeUInt32BE(crc32(bytes) >>> 0);
  return out.toString('base64');
}

const baseOf = (value: string) => value.replace(/-\d+$/, '');
const countOf = (value: string) => Number(/-(\d+)$/.exec(value)?.[1] ?? NaN);
