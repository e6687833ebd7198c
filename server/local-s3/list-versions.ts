import { commonPrefixOf } from './list-keys.ts';
import type { SortedKeys } from './sorted-keys.ts';

/**
 * The walk of ListObjectVersions: keys in byte order, each key's versions newest first; prefix, delimiter →
 * common prefixes, key-marker (with version-id-marker: on from the version after it, within that key), and
 * max-keys counting versions, delete markers and common prefixes alike.
 */

export interface ListVersionsInput {
  prefix: string;
  delimiter: string;
  maxKeys: number;
  keyMarker?: string;
  /** with keyMarker only: list that key's versions older than this one, then the keys after it */
  versionIdMarker?: string;
}

export interface ListedVersion<V> {
  key: string;
  version: V;
  isLatest: boolean;
}

export interface ListVersionsOutput<V> {
  /** versions and delete markers, in the order S3 lists them */
  versions: ListedVersion<V>[];
  commonPrefixes: string[];
  isTruncated: boolean;
  /** when truncated: where the next page starts (a common prefix has no version id) */
  nextKeyMarker?: string;
  nextVersionIdMarker?: string;
}

export function listVersions<T, V>(
  index: SortedKeys<T>,
  versionsOf: (value: T) => readonly V[],
  idOf: (version: V) => string,
  input: ListVersionsInput,
): ListVersionsOutput<V> {
  const empty = { versions: [], commonPrefixes: [], isTruncated: false };
  if (input.maxKeys === 0) return empty;
  const prefixBytes = Buffer.from(input.prefix, 'utf8');
  const markerBytes = input.keyMarker === undefined ? undefined : Buffer.from(input.keyMarker, 'utf8');
  const within = input.versionIdMarker !== undefined;
  const versions: ListedVersion<V>[] = [];
  const commonPrefixes: string[] = [];
  let next: { key: string; versionId?: string } | undefined;
  let isTruncated = false;
  const full = () => versions.length + commonPrefixes.length >= input.maxKeys;
  let i =
    markerBytes && Buffer.compare(markerBytes, prefixBytes) >= 0
      ? within
        ? index.lowerBound(markerBytes)
        : index.upperBound(markerBytes)
      : index.lowerBound(prefixBytes);
  walk: while (i < index.size) {
    const entry = index.at(i)!;
    if (Buffer.compare(entry.bytes.subarray(0, prefixBytes.length), prefixBytes) !== 0) break;
    const common = commonPrefixOf(entry.key, input.prefix, input.delimiter);
    if (common !== undefined) {
      const commonBytes = Buffer.from(common, 'utf8');
      i = index.afterPrefix(commonBytes);
      if (markerBytes && Buffer.compare(commonBytes, markerBytes) <= 0) continue;
      if (full()) {
        isTruncated = true;
        break;
      }
      commonPrefixes.push(common);
      next = { key: common };
      continue;
    }
    const all = versionsOf(entry.value);
    let start = 0;
    if (within && entry.key === input.keyMarker) {
      // A marker version deleted meanwhile: the key is listed again from its newest (repeated, never missed).
      const at = all.findIndex((v) => idOf(v) === input.versionIdMarker);
      start = at + 1;
    }
    for (let v = start; v < all.length; v++) {
      if (full()) {
        isTruncated = true;
        break walk;
      }
      versions.push({ key: entry.key, version: all[v]!, isLatest: v === 0 });
      next = { key: entry.key, versionId: idOf(all[v]!) };
    }
    i++;
  }
  if (!isTruncated || !next) return { versions, commonPrefixes, isTruncated: false };
  return {
    versions,
    commonPrefixes,
    isTruncated,
    nextKeyMarker: next.key,
    ...(next.versionId !== undefined ? { nextVersionIdMarker: next.versionId } : {}),
  };
}
