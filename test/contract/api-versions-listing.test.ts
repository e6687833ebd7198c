import { randomUUID } from 'node:crypto';
import { DeleteObjectCommand, ListObjectVersionsCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeletedObjectsPage, ObjectVersionsPage } from '../../server/shared/api-types.ts';
import { apiOver } from './api/harness.ts';
import { getTarget, type S3Target } from './support/target.ts';
import { deleteEveryVersion, setVersioning } from './support/versions.ts';

// The versions API's listings where they are easy to get wrong: versions dated the same second (the SDK
// splits versions and delete markers into two arrays, so their order comes from the answer), paging
// through them, and more deleted folders than one page looks into.
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

const unique = (name: string) => `r-${randomUUID().slice(0, 8)}/${name}`;

async function put(key: string, body: string) {
  const r = await target.client.send(new PutObjectCommand({ Bucket: target.bucket, Key: key, Body: body }));
  return r.VersionId!;
}
async function del(key: string) {
  const r = await target.client.send(new DeleteObjectCommand({ Bucket: target.bucket, Key: key }));
  return r.VersionId!;
}

async function versions(key: string, query: { cursor?: string; limit?: string } = {}) {
  const res = await h.api.versions.$get({ query: { key, ...query } });
  expect(res.status).toBe(200);
  return (await res.json()) as ObjectVersionsPage;
}

/** put v1, delete (marker), put v2, all dated the same second by the listing (tried again until they are). */
async function sameSecondHistory(skip: () => void) {
  for (let attempt = 0; attempt < 10; attempt++) {
    const key = unique('same-second.txt');
    const v1 = await put(key, 'one');
    const marker = await del(key);
    const v2 = await put(key, 'two');
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
