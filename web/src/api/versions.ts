import type {
  DeletedObjectsPage,
  DeletedVersion,
  ObjectVersionEntry,
  ObjectVersionsPage,
  RestoredVersion,
} from '../../../server/shared/api-types.ts';
import { client, deadlineInit, unwrap } from './client.ts';

/** A version as the page showed it: its id, ETag (null for a delete marker) and date. */
export type ShownVersion = Pick<ObjectVersionEntry, 'versionId' | 'etag' | 'lastModified'>;

/** Reads: a minute without an answer is a lost connection (see `withDeadline`). */
const READ_TIMEOUT_MS = 60_000;

/** The versions of one key, newest first, a page at a time (`cursor`: the page before's `nextCursor`). */
export function listVersions(key: string, cursor: string | null, signal?: AbortSignal) {
  return unwrap<ObjectVersionsPage>(
    client.versions.$get(
      { query: { key, ...(cursor !== null && { cursor }) } },
      deadlineInit(READ_TIMEOUT_MS, signal),
    ),
  );
}

/**
 * The keys in the folder `prefix` whose current version is a delete marker; `recursive`: in its folders
 * too (and no folders listed).
 */
export function listDeleted(prefix: string, cursor: string | null, signal?: AbortSignal, recursive = false) {
  return unwrap<DeletedObjectsPage>(
    client.versions.deleted.$get(
      {
        query: { prefix, ...(cursor !== null && { cursor }), ...(recursive && { recursive: '1' as const }) },
      },
      deadlineInit(READ_TIMEOUT_MS, signal),
    ),
  );
}

/**
 * Makes `versionId` the key's current version again; `latest`: the current one as shown (null: none),
 * so a key written since is not overwritten unasked (409 `changed`).
 */
export function restoreVersion(
  key: string,
  versionId: string,
  latest: ShownVersion | null,
  signal?: AbortSignal,
) {
  return unwrap<RestoredVersion>(
    client.versions.restore.$post({ json: { key, versionId, latest } }, { init: { signal } }),
  );
}

/** Deletes one version (or delete marker) for good. */
export function deleteVersion(key: string, versionId: string, signal?: AbortSignal) {
  return unwrap<DeletedVersion>(
    client.versions.delete.$post({ json: { key, versionId } }, { init: { signal } }),
  );
}
