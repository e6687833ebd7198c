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

export function encodeContinuationToken(marker: string): string {
  return Buffer.from(marker, 'utf8').toString('base64url');
}

export function decodeContinuationToken(token: string): string | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(token)) return undefined;
  return Buffer.from(token, 'base64url').toString('utf8');
}

/** encoding-type=url as S3 applies it in listings: form encoding (`/` → %2F, space → +), like Java's URLEncoder. */
export function urlEncodeKey(key: string): string {
  return encodeURIComponent(key)
    .replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}
