import type { KeyEntry, SortedKeys } from './sorted-keys.ts';

/** The listing walk of ListObjects(V2): prefix, delimiter → common prefixes, exclusive marker, max-keys. */

export interface ListKeysInput {
  prefix: string;
  delimiter: string;
  maxKeys: number;
  /** exclusive: list what sorts after this (start-after, continuation token or marker) */
  after?: string;
}

export interface ListKeysOutput<T> {
  contents: KeyEntry<T>[];
  commonPrefixes: string[];
  isTruncated: boolean;
  /** the last key or common prefix returned; where the next page starts */
  last?: string;
}

export function listKeys<T>(index: SortedKeys<T>, input: ListKeysInput): ListKeysOutput<T> {
  // max-keys=0 is an empty page that is not truncated, as S3 answers it: a truncated page with nothing in it
  // has no next marker, and a client paging on IsTruncated would ask again for ever.
  if (input.maxKeys === 0) return { contents: [], commonPrefixes: [], isTruncated: false };
  const prefixBytes = Buffer.from(input.prefix, 'utf8');
  const afterBytes = input.after === undefined ? undefined : Buffer.from(input.after, 'utf8');
  const contents: KeyEntry<T>[] = [];
  const commonPrefixes: string[] = [];
  let last: string | undefined;
  let isTruncated = false;
  let i =
    afterBytes && Buffer.compare(afterBytes, prefixBytes) >= 0
      ? index.upperBound(afterBytes)
      : index.lowerBound(prefixBytes);
  while (i < index.size) {
    const entry = index.at(i)!;
    if (Buffer.compare(entry.bytes.subarray(0, prefixBytes.length), prefixBytes) !== 0) break;
    const common = commonPrefixOf(entry.key, input.prefix, input.delimiter);
    if (common !== undefined) {
      const commonBytes = Buffer.from(common, 'utf8');
      const next = index.afterPrefix(commonBytes);
      if (afterBytes && Buffer.compare(commonBytes, afterBytes) <= 0) {
        i = next;
        continue;
      }
      if (contents.length + commonPrefixes.length >= input.maxKeys) {
        isTruncated = true;
        break;
      }
      commonPrefixes.push(common);
      last = common;
      i = next;
      continue;
    }
    if (contents.length + commonPrefixes.length >= input.maxKeys) {
      isTruncated = true;
      break;
    }
    contents.push(entry);
    last = entry.key;
    i++;
  }
  return { contents, commonPrefixes, isTruncated, ...(last === undefined ? {} : { last }) };
}

/** The common prefix a key (under `prefix`) rolls up into: up to and including the first delimiter after it. */
export function commonPrefixOf(key: string, prefix: string, delimiter: string): string | undefined {
  const cut = delimiter === '' ? -1 : key.indexOf(delimiter, prefix.length);
  return cut === -1 ? undefined : key.slice(0, cut + delimiter.length);
}

/** The format of continuation tokens; a token of another version is refused as any unknown token is. */
const TOKEN_VERSION = 1;

/**
 * A ListObjectsV2 continuation token: opaque to clients, but self-checking, so the store can refuse one it did not
 * issue (a typo, a token from another prefix) as S3 does instead of listing from wherever it happens to decode to.
 * It holds a version byte, the byte length of the prefix it was issued for (two bytes) and the key or common prefix
 * the next page starts after, which begins with that prefix: no longer than the key alone plus three bytes, so it
 * still fits where Hoist's API passes it back.
 */
export function encodeContinuationToken(marker: string, prefix: string): string {
  const header = Buffer.alloc(3);
  header[0] = TOKEN_VERSION;
  header.writeUInt16BE(Buffer.byteLength(prefix, 'utf8'), 1);
  return Buffer.concat([header, Buffer.from(marker, 'utf8')]).toString('base64url');
}

/** Where a token continues after, or undefined when it is not one this store issued for `prefix`. */
export function decodeContinuationToken(token: string, prefix: string): string | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(token)) return undefined;
  const bytes = Buffer.from(token, 'base64url');
  if (bytes.length < 3 || bytes[0] !== TOKEN_VERSION || bytes.toString('base64url') !== token)
    return undefined;
  const prefixBytes = Buffer.from(prefix, 'utf8');
  const marker = bytes.subarray(3);
  if (
    bytes.readUInt16BE(1) !== prefixBytes.length ||
    !marker.subarray(0, prefixBytes.length).equals(prefixBytes)
  )
    return undefined;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(marker);
  } catch {
    return undefined;
  }
}

/** encoding-type=url as S3 applies it in listings: form encoding (`/` → %2F, space → +), like Java's URLEncoder. */
export function urlEncodeKey(key: string): string {
  return encodeURIComponent(key)
    .replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}
