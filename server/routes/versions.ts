import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps } from '../context.ts';
import { fail } from '../errors.ts';
import { validate } from '../validate.ts';
import { keyChecks } from './key-checks.ts';
import { keepTags } from '../s3/keep-tags.ts';
import { mapLimit } from '../shared/map-limit.ts';
import { statusOf } from '../s3/s3-gateway.ts';
import { decodeVersionCursor, encodeVersionCursor, type VersionMarker } from '../s3/version-listing.ts';
import type {
  DeletedObject,
  DeletedObjectsPage,
  DeletedVersion,
  ObjectVersionEntry,
  ObjectVersionsPage,
  RestoredVersion,
} from '../shared/api-types.ts';

/** Versions of one key a page shows at most. */
const VERSIONS_PER_PAGE = 100;
const versionId = z.string().min(1).max(1024);
const versionsQuery = z.object({
  key: z.string().min(1).max(1024),
  /** The last version id of the page before (its `nextCursor`). */
  cursor: versionId.optional(),
  limit: z.coerce.number().int().min(1).max(VERSIONS_PER_PAGE).optional(),
});
const deletedQuery = z.object({
  prefix: z.string().max(1024).optional(),
  cursor: z.string().max(4096).optional(),
  /** '1': everything under the prefix, its folders' objects too (no folders listed). */
  recursive: z.enum(['0', '1']).default('0'),
});
const restoreBody = z.object({
  key: z.string().min(1).max(1024),
  versionId,
  /**
   * The key's current version as the page showed it (null: none): another written since is not
   * overwritten unasked. Its ETag and date too: under suspended versioning every write is "null".
   */
  latest: z
    .object({
      versionId,
      etag: z.string().max(256).nullable(),
      lastModified: z.string().max(64).nullable(),
    })
    .nullable(),
});
const deleteVersionBody = z.object({ key: z.string().min(1).max(1024), versionId });

/** Deleted objects a page of "Deleted objects" holds at most, and the version-listing pages one call reads at most. */
const DELETED_PER_PAGE = 200;
const LISTING_PAGES_PER_CALL = 5;
/** Delete markers one restore removes at most (a key deleted again and again). */
const MARKERS_REMOVED_AT_MOST = 100;
/**
 * Folders after which a call reads no further page of the listing: each is looked into (a listing of
 * one key) for whether anything in it is left, all of them, 8 at a time.
 */
const DELETED_FOLDERS_PER_PAGE = 100;
const FOLDERS_CHECKED_AT_ONCE = 8;

/**
 * The versions of objects on a versioned bucket, as the S3 console's "Show versions" lists them: a
 * key's versions and delete markers, the keys a delete hid, and what can be done with an earlier
 * version: restore it (as the current one) or delete it for good. Nothing here is refused on a bucket
 * without versioning: there each object is its only version, "null".
 */
export function versionRoutes(deps: AppDeps) {
  const { config, store } = deps;
  const { checkKey } = keyChecks(config);

  /**
   * The versions of `key`, newest first: `limit` of them after the version id `after`, and whether
   * more follow (`next`: the last one's id). A listing under the key as a prefix gives its versions
   * first (every other key under it sorts after it); the first other key ends them.
   */
  const versionsOf = async (
    key: string,
    after: string | undefined,
    limit: number,
    signal: AbortSignal,
  ): Promise<{ versions: ObjectVersionEntry[]; next: string | null }> => {
    const found: ObjectVersionEntry[] = [];
    let marker: VersionMarker | undefined = after === undefined ? undefined : { key, versionId: after };
    for (;;) {
      const page = await store.listVersions(
        key,
        { limit: Math.min(1000, limit + 1 - found.length), ...(marker && { after: marker }) },
        { signal },
      );
      for (const v of page.versions) {
        if (v.key !== key) return { versions: found, next: null };
        if (found.length === limit) return { versions: found, next: found.at(-1)!.versionId };
        found.push(v);
      }
      if (!page.next) return { versions: found, next: null };
      marker = page.next;
    }
  };

  /** The key's current version (a delete marker when it reads as deleted); null when it has none. */
  const currentOf = async (key: string, signal: AbortSignal) =>
    (await versionsOf(key, undefined, 1, signal)).versions.find((v) => v.isLatest) ?? null;

  const gone = () => fail(404, 'not-found', 'This version is not in the bucket (any more).');

  return (
    new Hono()
      .get('/', validate('query', versionsQuery), async (c) => {
        const { key, cursor, limit } = c.req.valid('query');
        checkKey(key);
        const { versions, next } = await versionsOf(
          key,
          cursor,
          limit ?? VERSIONS_PER_PAGE,
          c.req.raw.signal,
        );
        const answer: ObjectVersionsPage = { key, versions, nextCursor: next };
        return c.json(answer, 200);
      })

      // The keys in a folder whose current version is a delete marker: what a delete hid, and can bring back.
      .get('/deleted', validate('query', deletedQuery), async (c) => {
        const q = c.req.valid('query');
        const prefix = q.prefix ?? config.keyPrefix;
        if (!prefix.startsWith(config.keyPrefix)) {
          fail(400, 'invalid-prefix', `Listing is limited to "${config.keyPrefix}".`);
        }
        let marker: VersionMarker | null | undefined;
        if (q.cursor !== undefined) {
          marker = decodeVersionCursor(q.cursor);
          if (!marker) fail(400, 'invalid-cursor', 'This page token is not one the listing gave.');
        }
        const signal = c.req.raw.signal;
        const objects: DeletedObject[] = [];
        const folders: string[] = [];
        /** A deleted key whose earlier versions follow on the page after. */
        let open: DeletedObject | null = null;
        let pages = 0;
        do {
          const page = await store.listVersions(
            prefix,
            {
              ...(q.recursive === '0' && { delimiter: '/' }),
              limit: 1000,
              ...(marker && { after: marker }),
            },
            { signal },
          );
          pages++;
          folders.push(...page.folders);
          for (const v of page.versions) {
            if (open && v.key !== open.key) open = null;
            if (v.isLatest && v.deleteMarker) {
              open = { key: v.key, markerVersionId: v.versionId, deletedAt: v.lastModified, previous: null };
              objects.push(open);
            } else if (open && !v.deleteMarker && open.previous === null) {
              open.previous = v;
            }
          }
          marker = page.next;
        } while (
          marker &&
          pages < LISTING_PAGES_PER_CALL &&
          objects.length < DELETED_PER_PAGE &&
          folders.length < DELETED_FOLDERS_PER_PAGE
        );
        // The page ended inside a deleted key's versions: its newest earlier one is asked for alone.
        if (open && open.previous === null && marker) {
          const rest = await versionsOf(open.key, marker.versionId, 50, signal);
          open.previous = rest.versions.find((v) => !v.deleteMarker) ?? null;
        }
        // A folder the version listing has and the object listing has not: everything in it was deleted.
        const emptied = await mapLimit(folders, FOLDERS_CHECKED_AT_ONCE, async (folder) => {
          const live = await store.listObjects(folder, { delimiter: '/', limit: 1 }, { signal });
          return live.objects.length === 0 && live.folders.length === 0;
        });
        const answer: DeletedObjectsPage = {
          prefix,
          // The folder's own marker ("name/") is no object in it; listed with everything under it, it comes back too.
          objects: q.recursive === '1' ? objects : objects.filter((o) => o.key !== prefix),
          folders: folders.filter((_, i) => emptied[i] === true),
          nextCursor: marker ? encodeVersionCursor(marker) : null,
        };
        return c.json(answer, 200);
      })

      // Makes an earlier version the current one, as S3's guide to restoring one says. A version under
      // delete markers only (a deleted object's last) is current again once they go, as it was (same
      // version id, no copy). Any other version is copied onto the key (inside S3), and what it replaces
      // (a version, or delete markers) stays as an earlier one.
      .post('/restore', validate('json', restoreBody), async (c) => {
        const { key, versionId: wanted, latest } = c.req.valid('json');
        checkKey(key);
        const signal = c.req.raw.signal;
        const listed = (await versionsOf(key, undefined, VERSIONS_PER_PAGE, signal)).versions;
        const current = listed.find((v) => v.isLatest) ?? null;
        const same =
          current === null
            ? latest === null
            : latest !== null &&
              current.versionId === latest.versionId &&
              current.etag === latest.etag &&
              current.lastModified === latest.lastModified;
        if (!same) {
          fail(
            409,
            'changed',
            `"${key}" was written or deleted since its versions were shown; look at them again.`,
          );
        }
        const deleteMarker = () =>
          fail(400, 'delete-marker', 'A delete marker has no bytes to restore: pick a version.');
        if (current?.versionId === wanted && current.deleteMarker) deleteMarker();
        if (current?.versionId === wanted)
          fail(409, 'already-current', 'This is the current version already.');
        // S3 answers a HEAD of a delete marker's version with 405 (Ceph RGW 16 with 404).
        const head = await store.head(key, { versionId: wanted, signal }).catch((error: unknown) => {
          if (statusOf(error) === 405) deleteMarker();
          throw error;
        });
        if (!head) return gone();
        // The version wanted is under delete markers only (a deleted object): they go, the current one each
        // time, until a version is current, which is then the one wanted. Any other version is copied on
        // top, and delete markers stay where they are, as history (as the S3 console leaves them).
        const at = listed.findIndex((v) => v.versionId === wanted);
        if (at > 0 && listed.slice(0, at).every((v) => v.deleteMarker)) {
          let top = current;
          for (let removed = 0; top?.deleteMarker && removed < MARKERS_REMOVED_AT_MOST; removed++) {
            await store.deleteVersion(key, top.versionId, { signal });
            top = await currentOf(key, signal);
          }
          if (top?.versionId === wanted) {
            const answer: RestoredVersion = { key, how: 'undeleted', versionId: wanted };
            return c.json(answer, 200);
          }
        }
        const copied = await store.copy(
          {
            key,
            versionId: wanted,
            size: head.size,
            etag: head.etag,
            ...(head.checksum && { checksumAlgorithm: head.checksum.algorithm }),
            ...(head.headers && { headers: head.headers }),
          },
          key,
          { signal },
        );
        if (copied !== 'copied') return gone();
        // A copy over 5 GiB starts with no tags (and Ceph RGW 16 drops them on any copy).
        const tags = await store.tags(key, { versionId: wanted, signal });
        if (tags)
          await keepTags(store, key, Object.fromEntries(tags.map((t) => [t.key, t.value])), { signal });
        const now = await store.head(key, { signal });
        const answer: RestoredVersion = { key, how: 'copied', versionId: now?.headers?.versionId ?? null };
        return c.json(answer, 200);
      })

      // Deletes one version (or delete marker) for good, as the S3 console's "Permanently delete".
      .post('/delete', validate('json', deleteVersionBody), async (c) => {
        const { key, versionId: id } = c.req.valid('json');
        checkKey(key);
        // A version already gone (deleted from another tab) is no failure: S3 says nothing of it either.
        await store.deleteVersion(key, id, { signal: c.req.raw.signal });
        const answer: DeletedVersion = { key, versionId: id };
        return c.json(answer, 200);
      })
  );
}
