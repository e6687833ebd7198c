import { createHash, randomUUID } from 'node:crypto';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectVersionsCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DownloadLink, HealthAnswer, SignedPart, UploadPlan } from '../../server/shared/api-types.ts';
import { apiOver } from './api/harness.ts';
import { deleteEveryVersion, setVersioning as setBucketVersioning } from './support/versions.ts';
import { getTarget, targetKind, type S3Target } from './support/target.ts';

// What the health report says of the bucket's versioning, which the page's delete prompts follow:
// a delete on a versioned bucket only adds a delete marker.
let target: S3Target;
let h: Awaited<ReturnType<typeof apiOver>>;

beforeAll(async () => {
  target = await getTarget();
  h = await apiOver(target);
});
afterAll(async () => {
  // A versioned bucket keeps every version and delete marker: they go too, or it cannot be deleted.
  if (target) await deleteEveryVersion(target).catch(() => undefined);
  await target?.close();
});

async function health(): Promise<HealthAnswer> {
  const res = await h.app.request('/health?refresh=1');
  expect(res.status).toBe(200);
  return (await res.json()) as HealthAnswer;
}

const setVersioning = (Status: 'Enabled' | 'Suspended') => setBucketVersioning(target, Status);

describe("the bucket's versioning in the health report", () => {
  it('a bucket that never had versioning says "never"', async () => {
    expect((await health()).versioning).toBe('never');
    expect(h.selfTest.report().versioning).toBe('never');
  });

  it.runIf(targetKind() !== 'other')(
    'a versioned bucket says "enabled", and a delete there leaves the version behind a delete marker; suspended says "suspended"',
    async () => {
      await setVersioning('Enabled');
      expect((await health()).versioning).toBe('enabled');

      // What the page's prompt then says is true: Hoist's delete adds a marker, the version stays.
      const key = `versioned-${randomUUID().slice(0, 8)}.txt`;
      await target.client.send(new PutObjectCommand({ Bucket: target.bucket, Key: key, Body: 'kept' }));
      const deleted = await h.api.objects.delete.$post({ json: { keys: [key] } });
      expect(deleted.status).toBe(200);
      const listed = await h.api.objects.$get({ query: { prefix: key } });
      expect(((await listed.json()) as { objects: unknown[] }).objects).toEqual([]);
      const versions = await target.client.send(
        new ListObjectVersionsCommand({ Bucket: target.bucket, Prefix: key }),
      );
      expect(versions.Versions?.map((v) => v.Key)).toEqual([key]);
      expect(versions.DeleteMarkers?.map((m) => [m.Key, m.IsLatest])).toEqual([[key, true]]);

      await setVersioning('Suspended');
      expect((await health()).versioning).toBe('suspended');
    },
  );

  it.runIf(targetKind() !== 'other')(
    "the self-test's probe objects leave no version or delete marker behind, versioning on or suspended",
    async () => {
      const left = async () => {
        const page = await target.client.send(
          new ListObjectVersionsCommand({ Bucket: target.bucket, Prefix: '.hoist-selftest/' }),
        );
        return [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])].map(
          (v) => `${v.Key} ${v.VersionId}`,
        );
      };
      for (const status of ['Enabled', 'Suspended'] as const) {
        await setVersioning(status);
        // A server started now runs every probe (the metadata one is run once, at its first check);
        // the checks a page asks for again (about once a minute) run the checksum probe.
        const fresh = await apiOver(target);
        expect((await fresh.app.request('/health?refresh=1')).status).toBe(200);
        expect((await fresh.app.request('/health?refresh=1')).status).toBe(200);
        expect(fresh.selfTest.report().checks.every((c) => c.ok)).toBe(true);
        expect(await left(), status).toEqual([]);
      }
    },
  );
});

describe('"Replace" of a one-part file where the store takes no If-Match on a PUT', () => {
  it.runIf(targetKind() === 'rgw')(
    'replaces only the object the user chose: one written at the key meanwhile is kept, and the page asked again',
    async () => {
      // Ceph RGW 16 refuses If-Match on a versioned bucket, even for the very object. The server (started
      // before versioning was turned on, and checked since) learns it again when versioning changes.
      await setVersioning('Enabled');
      const fresh = h;
      expect((await health()).versioning).toBe('enabled');
      expect(fresh.selfTest.ifMatchForm()).toBe('none');

      const name = `replace-${randomUUID().slice(0, 8)}.txt`;
      const body = 'from the page';
      const shown = await target.client.send(
        new PutObjectCommand({ Bucket: target.bucket, Key: name, Body: 'shown' }),
      );
      const created = await fresh.api.uploads.$post({
        json: {
          name,
          size: body.length,
          type: 'text/plain',
          lastModified: 0,
          onConflict: 'replace',
          replaceIf: shown.ETag!,
        },
      });
      expect(created.status).toBe(200);
      const plan = (await created.json()) as UploadPlan;
      const put = async () => {
        const signed = await fresh.api.uploads.sign.$post({
          json: {
            token: plan.token,
            parts: [{ partNumber: 1, checksum: createHash('md5').update(body).digest('base64') }],
            replace: true,
            replaceIf: shown.ETag!,
          },
        });
        const [part] = ((await signed.json()) as { parts: SignedPart[] }).parts;
        const res = await fetch(part!.url, { method: 'PUT', headers: part!.headers, body });
        await res.arrayBuffer();
        return res.status;
      };
      const read = async () =>
        (
          await target.client.send(new GetObjectCommand({ Bucket: target.bucket, Key: name }))
        ).Body!.transformToString();

      // Written by another tool while the prompt waited: the Replace is refused (412), that object kept.
      await target.client.send(
        new PutObjectCommand({ Bucket: target.bucket, Key: name, Body: 'written meanwhile' }),
      );
      expect(await put()).toBe(412);
      expect(await read()).toBe('written meanwhile');
      // The object shown back at the key (the same bytes, the same ETag): replaced.
      await target.client.send(new PutObjectCommand({ Bucket: target.bucket, Key: name, Body: 'shown' }));
      expect(await put()).toBe(200);
      expect(await read()).toBe(body);
      await setVersioning('Suspended'); // as the tests before it leave the bucket
    },
  );
});

describe('download links on a versioned bucket', () => {
  const put = (key: string, body: string) =>
    target.client.send(new PutObjectCommand({ Bucket: target.bucket, Key: key, Body: body }));
  const link = async (key: string, versionId?: string) => {
    const res = await h.api.objects.download.$post({ json: { key, ...(versionId && { versionId }) } });
    expect(res.status).toBe(200);
    return (await res.json()) as DownloadLink;
  };
  const read = async (url: string) => (await fetch(url)).text();

  it('a link on a bucket without versioning names no version', async () => {
    const key = `plain-${randomUUID().slice(0, 8)}.txt`;
    await put(key, 'plain');
    const plain = await link(key);
    expect(plain.versionId).toBeUndefined();
    expect(await read(plain.url)).toBe('plain');
  });

  it.runIf(targetKind() !== 'other')(
    'a link reads the version HeadObject saw, also once the key is written again and when renewed by its version; a deleted version is not found',
    async () => {
      await setVersioning('Enabled');
      const key = `pinned-${randomUUID().slice(0, 8)}.txt`;
      await put(key, 'first version');
      const first = await link(key);
      expect(first.versionId).toMatch(/\S/);
      await put(key, 'second, longer version');
      expect(await read(first.url)).toBe('first version');

      // What a download renewing its link mid-way asks for: the same version, ETag and size.
      const renewed = await link(key, first.versionId);
      expect(renewed).toMatchObject({ versionId: first.versionId, etag: first.etag, size: first.size });
      expect(await read(renewed.url)).toBe('first version');
      const current = await link(key);
      expect(current.versionId).not.toBe(first.versionId);
      expect(await read(current.url)).toBe('second, longer version');

      await target.client.send(
        new DeleteObjectCommand({ Bucket: target.bucket, Key: key, VersionId: first.versionId }),
      );
      const gone = await h.api.objects.download.$post({ json: { key, versionId: first.versionId! } });
      expect(gone.status).toBe(404);
      await setVersioning('Suspended');
    },
  );
});
