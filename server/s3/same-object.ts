/**
 * Whether two objects are alike in everything a CopyObject carries over: bytes (size and ETag), type,
 * the other headers and metadata, storage class and encryption. Pure; tags are compared apart
 * (`sameTags`), as they take a call of their own to read.
 */
import type { ObjectHeaders } from '../shared/api-types.ts';
import { normalEtag } from '../shared/etag.ts';
import { sortedEntries } from '../shared/sorted-entries.ts';
import type { HeadResult } from './s3-gateway.ts';

/** The headers of an object that a copy keeps, unset ones as the store would answer them. */
function carriedHeaders(h: ObjectHeaders | undefined): string {
  return JSON.stringify([
    sortedEntries(h?.metadata),
    // S3 leaves STANDARD out of HeadObject's answer; some stores name it.
    h?.storageClass ?? 'STANDARD',
    h?.cacheControl ?? null,
    h?.contentDisposition ?? null,
    h?.contentEncoding ?? null,
    h?.contentLanguage ?? null,
    h?.expires ?? null,
    h?.serverSideEncryption ?? null,
    h?.sseCustomerAlgorithm ?? null,
    h?.sseKmsKeyId ?? null,
  ]);
}

export function sameStoredObject(a: HeadResult, b: HeadResult): boolean {
  return (
    a.size === b.size &&
    normalEtag(a.etag) === normalEtag(b.etag) &&
    a.contentType === b.contentType &&
    carriedHeaders(a.headers) === carriedHeaders(b.headers)
  );
}

/** The same tags, in any order (none and an empty set alike). */
export function sameTags(
  a: readonly { key: string; value: string }[] | null,
  b: readonly { key: string; value: string }[] | null,
): boolean {
  const record = (tags: typeof a) => Object.fromEntries((tags ?? []).map((t) => [t.key, t.value]));
  return JSON.stringify(sortedEntries(record(a))) === JSON.stringify(sortedEntries(record(b)));
}
