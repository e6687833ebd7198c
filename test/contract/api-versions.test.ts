import { randomUUID } from 'node:crypto';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
  GetObjectTaggingCommand,
  ListObjectVersionsCommand,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  DeletedObjectsPage,
  DownloadLink,
  ObjectVersionsPage,
  RestoredVersion,
} from '../../server/shared/api-types.ts';
import { apiOver } from './api/harness.ts';
import { getTarget, type S3Target } from './support/target.ts';
import { deleteEveryVersion, setVersioning } from './support/versions.ts';

// The versions of objects on a versioned bucket, as the page's "Versions" and "Deleted objects" show them,
// and what can be done with one: restore it, or delete it for good. Also where the listings are easy to get
// wrong: versions dated the same second (the SDK splits versions and delete markers into two arrays, so their
// order comes from the answer), paging through them, more deleted folders than one page looks into, and a
// restore under suspended versioning, where every write is "null".
let target: S3Target;
let h: Awaited<ReturnType<typeof apiOver>>;

beforeAll(async () => {
  target = await getTarget();
  await setVersioning(target, 'Enabled');
  h = await apiOver(target);
});
afterAll(async () => {
  if (target) await deleteEveryVersion(target).catch(() => undefined);
  await target?.close();
});

const unique = (name: string) => `v-${randomUUID().slice(0, 8)}/${name}`;

async function put(key: string, body: string) {
  const r = await target.client.send(new PutObjectCommand({ Bucket: target.bucket, Key: key, Body: body }));
  return { versionId: r.VersionId!, etag: r.ETag! };
}

async function read(key: string) {
  const r = await target.client.send(new GetObjectCommand({ Bucket: target.bucket, Key: key }));
  return { body: await r.Body!.transformToString(), versionId: r.VersionId };
}

async function versions(key: string, query: { cursor?: string; limit?: string } = {}) {
  const res = await h.api.versions.$get({ query: { key, ...query } });
  expect(res.status).toBe(200);
  return (await res.json()) as ObjectVersionsPage;
}

async function del(key: string) {
  const r = await target.client.send(new DeleteObjectCommand({ Bucket: target.bucket, Key: key }));
  return r.VersionId!;
}

/** put v1, delete (marker), put v2, all dated the same second by the listing (tried again until they are). */
async function sameSecondHistory(skip: () => void) {
  for (let attempt = 0; attempt < 10; attempt++) {
    const key = unique('same-second.txt');
    const v1 = (await put(key, 'one')).versionId;
    const marker = await del(key);
    const v2 = (await put(key, 'two')).versionId;
    const listed = await target.client.send(
      new ListObjectVersionsCommand({ Bucket: target.bucket, Prefix: key }),
    );
    const times = new Set(
      [...(listed.Versions ?? []), ...(listed.DeleteMarkers ?? [])].map((v) => v.LastModified!.getTime()),
    );
    if (times.size === 1) return { key, v1, marker, v2 };
  }
  // Ceph RGW dates versions to the millisecond (AWS and the embedded store to the second).
  skip();
  throw new Error('unreachable');
}

/** The API's error code of a refused request. */
async function codeOf(res: Response): Promise<string> {
  return ((await res.json()) as { error: { code: string } }).error.code;
}

/** Restore, pinned to the current version as `versions` lists it (`latest`: its id; null: none). */
async function restore(key: string, versionId: string, latest: string | null) {
  const listed =
    latest === null ? undefined : (await versions(key)).versions.find((v) => v.versionId === latest);
  const shown =
    latest === null
      ? null
      : { versionId: latest, etag: listed?.etag ?? null, lastModified: listed?.lastModified ?? null };
  return h.api.versions.restore.$post({ json: { key, versionId, latest: shown } });
}

describe('the versions of one key', () => {
  it('are listed newest first, the current one marked, with size and ETag; keys under it as a prefix are not', async () => {
    const key = unique('report.txt');
    const v1 = await put(key, 'one');
    const v2 = await put(key, 'two!');
    const v3 = await put(key, 'three');
    await put(`${key}2`, 'another key');
    await put(`${key}/inside`, 'another key');

    const page = await versions(key);
    expect(page.nextCursor).toBeNull();
    expect(page.versions.map((v) => [v.versionId, v.isLatest, v.size, v.etag, v.deleteMarker])).toEqual([
      [v3.versionId, true, 5, v3.etag, false],
      [v2.versionId, false, 4, v2.etag, false],
      [v1.versionId, false, 3, v1.etag, false],
    ]);
    expect(page.versions.every((v) => v.key === key && v.lastModified !== null)).toBe(true);
  });

  it('come a page at a time, each page going on where the one before ended', async () => {
    const key = unique('paged.txt');
    const ids = [];
    for (const body of ['a', 'bb', 'ccc', 'dddd', 'eeeee']) ids.push((await put(key, body)).versionId);
    const first = await versions(key, { limit: '2' });
    expect(first.versions.map((v) => v.versionId)).toEqual([ids[4], ids[3]]);
    const second = await versions(key, { limit: '2', cursor: first.nextCursor! });
    expect(second.versions.map((v) => v.versionId)).toEqual([ids[2], ids[1]]);
    const last = await versions(key, { limit: '2', cursor: second.nextCursor! });
    expect(last.versions.map((v) => v.versionId)).toEqual([ids[0]]);
    expect(last.nextCursor).toBeNull();
  });

  it('show a delete as a delete marker on top', async () => {
    const key = unique('deleted.txt');
    const v1 = await put(key, 'kept');
    await target.client.send(new DeleteObjectCommand({ Bucket: target.bucket, Key: key }));
    const page = await versions(key);
    expect(page.versions.map((v) => [v.deleteMarker, v.isLatest, v.etag])).toEqual([
      [true, true, null],
      [false, false, v1.etag],
    ]);
  });

  it('open one by one, a delete marker as no version to show (a HEAD of it is 405 in S3)', async () => {
    const key = unique('opened.txt');
    const v1 = await put(key, 'first words');
    await put(key, 'second words');
    await target.client.send(new DeleteObjectCommand({ Bucket: target.bucket, Key: key }));
    const [marker] = (await versions(key)).versions;
    const opened = await h.api.objects.open.$get({ query: { key, versionId: v1.versionId! } });
    expect(opened.status).toBe(302);
    expect(await (await fetch(opened.headers.get('location')!)).text()).toBe('first words');
    for (const asked of [
      h.api.objects.open.$get({ query: { key, versionId: marker!.versionId } }),
      h.api.objects.download.$post({ json: { key, versionId: marker!.versionId } }),
    ]) {
      const res = await asked;
      expect(res.status).toBe(404);
      expect(await codeOf(res)).toBe('not-found');
    }
  });

  it("outside the server's key prefix are refused", async () => {
    const scoped = await apiOver(target, { HOIST_KEY_PREFIX: 'scoped/' });
    const res = await scoped.api.versions.$get({ query: { key: 'elsewhere.txt' } });
    expect(res.status).toBe(400);
    expect(await codeOf(res)).toBe('invalid-key');
  });
});

describe('restoring a version', () => {
  it('copies an earlier version onto the key as the current one; the version it replaced stays', async () => {
    const key = unique('restore.txt');
    const v1 = await put(key, 'the first words');
    await target.client.send(
      new PutObjectTaggingCommand({
        Bucket: target.bucket,
        Key: key,
        VersionId: v1.versionId,
        Tagging: { TagSet: [{ Key: 'team', Value: 'blue' }] },
      }),
    );
    const v2 = await put(key, 'replaced by mistake');

    const res = await restore(key, v1.versionId, v2.versionId);
    expect(res.status).toBe(200);
    const answer = (await res.json()) as RestoredVersion;
    expect(answer.how).toBe('copied');
    const now = await read(key);
    expect(now.body).toBe('the first words');
    expect(answer.versionId).toBe(now.versionId);
    const tags = await target.client.send(new GetObjectTaggingCommand({ Bucket: target.bucket, Key: key }));
    expect(tags.TagSet).toEqual([{ Key: 'team', Value: 'blue' }]);
    const page = await versions(key);
    expect(page.versions.map((v) => v.versionId)).toEqual([now.versionId, v2.versionId, v1.versionId]);
  });

  it('under delete markers only, removes them: the version is current again as it was, no copy made', async () => {
    const key = unique('undelete.txt');
    const v1 = await put(key, 'deleted by mistake');
    await target.client.send(new DeleteObjectCommand({ Bucket: target.bucket, Key: key }));
    await target.client.send(new DeleteObjectCommand({ Bucket: target.bucket, Key: key }));
    const before = await versions(key);
    const marker = before.versions[0]!;
    expect(marker.deleteMarker).toBe(true);

    const res = await restore(key, v1.versionId, marker.versionId);
    expect(res.status).toBe(200);
    expect((await res.json()) as RestoredVersion).toEqual({ key, how: 'undeleted', versionId: v1.versionId });
    expect(await read(key)).toEqual({ body: 'deleted by mistake', versionId: v1.versionId });
    expect((await versions(key)).versions.map((v) => [v.versionId, v.isLatest])).toEqual([
      [v1.versionId, true],
    ]);
  });

  it("of a deleted object's older version, copies that version on top and keeps the delete marker as history", async () => {
    const key = unique('older.txt');
    const v1 = await put(key, 'the one wanted');
    const v2 = await put(key, 'a later one');
    const marker = await target.client.send(new DeleteObjectCommand({ Bucket: target.bucket, Key: key }));
    const res = await restore(key, v1.versionId, marker.VersionId!);
    expect(res.status).toBe(200);
    expect(((await res.json()) as RestoredVersion).how).toBe('copied');
    const now = await read(key);
    expect(now.body).toBe('the one wanted');
    const listed = (await versions(key)).versions;
    expect(listed.map((v) => [v.versionId, v.deleteMarker])).toEqual([
      [now.versionId, false],
      [marker.VersionId, true],
      [v2.versionId, false],
      [v1.versionId, false],
    ]);
  });

  it('is refused when the key was written since its versions were shown, and nothing changes', async () => {
    const key = unique('raced.txt');
    const v1 = await put(key, 'old');
    const v2 = await put(key, 'shown');
    const v3 = await put(key, 'written meanwhile');
    const res = await restore(key, v1.versionId, v2.versionId);
    expect(res.status).toBe(409);
    expect(await codeOf(res)).toBe('changed');
    expect(await read(key)).toEqual({ body: 'written meanwhile', versionId: v3.versionId });
  });

  it('of the current version, of a delete marker, or of a version deleted since, says why not', async () => {
    const key = unique('refused.txt');
    const v1 = await put(key, 'one');
    const current = await restore(key, v1.versionId, v1.versionId);
    expect(current.status).toBe(409);
    expect(await codeOf(current)).toBe('already-current');

    const marked = await target.client.send(new DeleteObjectCommand({ Bucket: target.bucket, Key: key }));
    const marker = await restore(key, marked.VersionId!, marked.VersionId!);
    expect(marker.status).toBe(400);
    expect(await codeOf(marker)).toBe('delete-marker');

    await target.client.send(
      new DeleteObjectCommand({ Bucket: target.bucket, Key: key, VersionId: v1.versionId }),
    );
    const gone = await restore(key, v1.versionId, marked.VersionId!);
    expect(gone.status).toBe(404);
  });
});

describe('deleting a version for good', () => {
  it('removes only that version: deleting the current one makes the one before current', async () => {
    const key = unique('forgood.txt');
    const v1 = await put(key, 'before');
    const v2 = await put(key, 'bad upload');
    const res = await h.api.versions.delete.$post({ json: { key, versionId: v2.versionId } });
    expect(res.status).toBe(200);
    expect(await read(key)).toEqual({ body: 'before', versionId: v1.versionId });
    expect((await versions(key)).versions.map((v) => v.versionId)).toEqual([v1.versionId]);

    // Gone either way: deleting it again (from another tab) is no failure, and changes nothing.
    const again = await h.api.versions.delete.$post({ json: { key, versionId: v2.versionId } });
    expect(again.status).toBe(200);
    expect((await versions(key)).versions.map((v) => v.versionId)).toEqual([v1.versionId]);
  });
});

describe('the objects deleted in a folder', () => {
  it('are the keys whose current version is a delete marker, each with the version Restore brings back, and the folders with nothing left', async () => {
    const folder = unique('');
    const gone = await put(`${folder}gone.txt`, 'old words');
    await target.client.send(new DeleteObjectCommand({ Bucket: target.bucket, Key: `${folder}gone.txt` }));
    await put(`${folder}live.txt`, 'here');
    await put(`${folder}sub/deep.txt`, 'in a folder');
    await target.client.send(
      new DeleteObjectCommand({ Bucket: target.bucket, Key: `${folder}sub/deep.txt` }),
    );
    await put(`${folder}back.txt`, 'one');
    await target.client.send(new DeleteObjectCommand({ Bucket: target.bucket, Key: `${folder}back.txt` }));
    await put(`${folder}back.txt`, 'written again');
    await put(`${folder}sub/`, ''); // its marker, as "New folder" makes it
    await target.client.send(new DeleteObjectCommand({ Bucket: target.bucket, Key: `${folder}sub/` }));
    await put(`${folder}alive/x.txt`, 'a folder with an object left');
    await put(`${folder}alive/y.txt`, 'deleted');
    await target.client.send(new DeleteObjectCommand({ Bucket: target.bucket, Key: `${folder}alive/y.txt` }));

    const res = await h.api.versions.deleted.$get({ query: { prefix: folder } });
    expect(res.status).toBe(200);
    const page = (await res.json()) as DeletedObjectsPage;
    expect(page.nextCursor).toBeNull();
    expect(page.objects.map((o) => [o.key, o.previous?.versionId, o.previous?.size])).toEqual([
      [`${folder}gone.txt`, gone.versionId, 9],
    ]);
    expect(page.objects[0]!.deletedAt).not.toBeNull();
    // A folder whose every object was deleted is gone from the object list: it is named here.
    expect(page.folders).toEqual([`${folder}sub/`]);

    // Everything under the folder, its folders' objects too ("Restore all"), and no folders.
    const all = await h.api.versions.deleted.$get({ query: { prefix: folder, recursive: '1' } });
    const every = (await all.json()) as DeletedObjectsPage;
    expect(every.objects.map((o) => o.key)).toEqual([
      `${folder}alive/y.txt`,
      `${folder}gone.txt`,
      `${folder}sub/`,
      `${folder}sub/deep.txt`,
    ]);
    // A folder's own marker comes back with it ("Restore folder" lists from the folder itself).
    const sub = await h.api.versions.deleted.$get({ query: { prefix: `${folder}sub/`, recursive: '1' } });
    expect(((await sub.json()) as DeletedObjectsPage).objects.map((o) => o.key)).toEqual([
      `${folder}sub/`,
      `${folder}sub/deep.txt`,
    ]);
    expect(every.folders).toEqual([]);
  });
});

describe('GET /api/versions with versions dated the same second', () => {
  it('lists them in the order S3 keeps them (newest first): the delete marker above the version it hid', async (ctx) => {
    const { key, v1, marker, v2 } = await sameSecondHistory(() => ctx.skip());
    const page = await versions(key);
    expect(page.versions.map((v) => v.versionId)).toEqual([v2, marker, v1]);
  });

  it('pages through every version exactly once', async (ctx) => {
    const { key, v1, marker, v2 } = await sameSecondHistory(() => ctx.skip());
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 5; i++) {
      const page = await versions(key, { limit: '2', ...(cursor !== null && { cursor }) });
      seen.push(...page.versions.map((v) => v.versionId));
      cursor = page.nextCursor;
      if (cursor === null) break;
    }
    expect(seen.sort()).toEqual([v2, marker, v1].sort());
  });
});

describe('GET /api/versions/deleted with many deleted folders', () => {
  it(
    'names every folder whose objects were all deleted, on this page or a later one',
    { timeout: 120_000 },
    async () => {
      const folder = unique('');
      const count = 105;
      for (let i = 0; i < count; i++) {
        const key = `${folder}f${String(i).padStart(3, '0')}/x.txt`;
        await put(key, 'x');
        await del(key);
      }
      const named: string[] = [];
      let cursor: string | null = null;
      for (let i = 0; i < 20; i++) {
        const res = await h.api.versions.deleted.$get({
          query: { prefix: folder, ...(cursor !== null && { cursor }) },
        });
        expect(res.status).toBe(200);
        const page = (await res.json()) as DeletedObjectsPage;
        named.push(...page.folders);
        cursor = page.nextCursor;
        if (cursor === null) break;
      }
      expect(named.length).toBe(count);
    },
  );
});

// Last: it leaves versioning suspended.
describe('restoring a version under suspended versioning', () => {
  it('is refused when the "null" version shown was replaced since, and the newer write is kept', async () => {
    const key = unique('suspended.txt');
    await setVersioning(target, 'Enabled');
    const v1 = (await put(key, 'the old report')).versionId;
    await setVersioning(target, 'Suspended');
    await put(key, 'shown on the page'); // the page lists this one as current: "null"
    const { versionId, etag, lastModified } = (await versions(key)).versions[0]!;
    expect(versionId).toBe('null');
    await put(key, 'written from another tab since'); // replaces the "null" version

    const res = await h.api.versions.restore.$post({
      json: { key, versionId: v1, latest: { versionId, etag, lastModified } },
    });
    expect(res.status).toBe(409);
    const now = await target.client.send(new GetObjectCommand({ Bucket: target.bucket, Key: key }));
    expect(await now.Body!.transformToString()).toBe('written from another tab since');
    const listed = await target.client.send(
      new ListObjectVersionsCommand({ Bucket: target.bucket, Prefix: key }),
    );
    expect(listed.Versions?.length).toBe(2);
  });

  it('downloads the "null" version asked for, not the current one', async () => {
    const key = unique('null-version.txt');
    await setVersioning(target, 'Suspended');
    await put(key, 'written while suspended');
    await setVersioning(target, 'Enabled');
    await put(key, 'the current one, longer');
    const res = await h.api.objects.download.$post({ json: { key, versionId: 'null' } });
    expect(res.status).toBe(200);
    const link = (await res.json()) as DownloadLink;
    expect(link.size).toBe('written while suspended'.length);
    expect(await (await fetch(link.url)).text()).toBe('written while suspended');

    const gone = await h.api.objects.download.$post({ json: { key, versionId: 'no-such-version' } });
    expect(gone.status).toBeGreaterThanOrEqual(400);
  });
});
