import { randomUUID } from 'node:crypto';
import { GetObjectCommand, ListObjectVersionsCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ObjectVersionsPage } from '../../server/shared/api-types.ts';
import { apiOver } from './api/harness.ts';
import { getTarget, type S3Target } from './support/target.ts';
import { deleteEveryVersion, setVersioning } from './support/versions.ts';

// Under suspended versioning every write is the "null" version: restore's pin to the current version shown
// must tell the "null" version the page showed from one written since (its ETag and date, not its id alone).
let target: S3Target;
let h: Awaited<ReturnType<typeof apiOver>>;

beforeAll(async () => {
  target = await getTarget();
  h = await apiOver(target);
});
afterAll(async () => {
  if (target) await deleteEveryVersion(target).catch(() => undefined);
  await target?.close();
});

async function put(key: string, body: string) {
  const r = await target.client.send(new PutObjectCommand({ Bucket: target.bucket, Key: key, Body: body }));
  return r.VersionId ?? 'null';
}

describe('restoring a version under suspended versioning', () => {
  it('is refused when the "null" version shown was replaced since, and the newer write is kept', async () => {
    const key = `s-${randomUUID().slice(0, 8)}/report.txt`;
    await setVersioning(target, 'Enabled');
    const v1 = await put(key, 'the old report');
    await setVersioning(target, 'Suspended');
    await put(key, 'shown on the page'); // the page lists this one as current: "null"
    const shown = (await (await h.api.versions.$get({ query: { key } })).json()) as ObjectVersionsPage;
    const { versionId, etag, lastModified } = shown.versions[0]!;
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
});
