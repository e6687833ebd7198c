import type { DeleteMarkerEntry, ObjectVersion as S3Version } from '@aws-sdk/client-s3';
import type { ObjectVersionEntry } from '../shared/api-types.ts';

/**
 * The order of the entries in a ListObjectVersions answer: 'V' for each <Version>, 'D' for each
 * <DeleteMarker>, as the XML lists them (a key's text is escaped, so no tag can hide in one). Pure.
 */
export function entryOrder(xml: string): ('V' | 'D')[] {
  return [...xml.matchAll(/<(Version|DeleteMarker)>/g)].map((m) => (m[1] === 'Version' ? 'V' : 'D'));
}

/**
 * ListObjectVersions lists a page of versions and delete markers in one sequence: key by key (in
 * UTF-8 byte order), each key's newest first. The SDK hands them back as two arrays, each in that order,
 * so the sequence is put together again here: by `order` (entryOrder of the answer) when it tells, else
 * by key, then the current one first, then newest first (a version before a delete marker of the same
 * instant: a guess, as the listing dates them to the second). Pure.
 */
export function versionSequence(
  versions: readonly S3Version[] | undefined,
  markers: readonly DeleteMarkerEntry[] | undefined,
  order?: readonly ('V' | 'D')[],
): ObjectVersionEntry[] {
  const entries: ObjectVersionEntry[] = [
    ...(versions ?? []).flatMap((v): ObjectVersionEntry[] =>
      v.Key === undefined
        ? []
        : [
            {
              key: v.Key,
              versionId: v.VersionId ?? 'null',
              isLatest: v.IsLatest ?? false,
              deleteMarker: false,
              size: v.Size ?? 0,
              etag: v.ETag ?? null,
              lastModified: v.LastModified?.toISOString() ?? null,
              ...(v.StorageClass !== undefined &&
                v.StorageClass !== 'STANDARD' && { storageClass: v.StorageClass }),
            },
          ],
    ),
    ...(markers ?? []).flatMap((m): ObjectVersionEntry[] =>
      m.Key === undefined
        ? []
        : [
            {
              key: m.Key,
              versionId: m.VersionId ?? 'null',
              isLatest: m.IsLatest ?? false,
              deleteMarker: true,
              size: 0,
              etag: null,
              lastModified: m.LastModified?.toISOString() ?? null,
            },
          ],
    ),
  ];
  const versionCount = entries.filter((e) => !e.deleteMarker).length;
  if (order && order.length === entries.length && order.filter((k) => k === 'V').length === versionCount) {
    let v = 0;
    let d = versionCount;
    return order.map((k) => entries[k === 'V' ? v++ : d++]!);
  }
  const time = (e: ObjectVersionEntry) => (e.lastModified ? Date.parse(e.lastModified) : 0);
  return entries
    .map((e, i) => ({ e, i }))
    .sort(
      (a, b) =>
        Buffer.compare(Buffer.from(a.e.key, 'utf8'), Buffer.from(b.e.key, 'utf8')) ||
        Number(b.e.isLatest) - Number(a.e.isLatest) ||
        time(b.e) - time(a.e) ||
        Number(a.e.deleteMarker) - Number(b.e.deleteMarker) ||
        a.i - b.i,
    )
    .map(({ e }) => e);
}

/** Where a version listing goes on: the last key and version id a page gave (KeyMarker, VersionIdMarker). */
export interface VersionMarker {
  key: string;
  versionId: string;
}

/** A page token for the API: the marker as base64url JSON (opaque to the page). */
export function encodeVersionCursor(marker: VersionMarker): string {
  return Buffer.from(JSON.stringify([marker.key, marker.versionId]), 'utf8').toString('base64url');
}

/** The marker of a page token; null when it is none this API gave. */
export function decodeVersionCursor(cursor: string): VersionMarker | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      typeof value[0] === 'string' &&
      typeof value[1] === 'string'
    ) {
      return { key: value[0], versionId: value[1] };
    }
  } catch {
    // not JSON: no cursor of ours
  }
  return null;
}
