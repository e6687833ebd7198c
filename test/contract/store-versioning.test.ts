import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
  UploadPartCommand,
  type ListObjectVersionsCommandInput,
  type S3ServiceException,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorOf } from './support/error-of.ts';
import { deleteEveryVersion, setVersioning as setBucketVersioning } from './support/versions.ts';
import { getSignedUrl, presignClient } from './support/presign.ts';
import { getTarget, targetKind, type S3Target } from './support/target.ts';

// S3 bucket versioning, as AWS S3 does it, on the embedded store and on Ceph RGW alike: versions made by every
// write, read, tagged, copied and deleted by id, delete markers, ListObjectVersions and its paging, Suspended.
// Where RGW 16 answers otherwise, the embedded store follows AWS and the test says what RGW does.

let target: S3Target;
beforeAll(async () => {
  target = await getTarget();
});
afterAll(async () => {
  // Every version and delete marker goes too, or the bucket cannot be deleted.
  if (target) await deleteEveryVersion(target).catch(() => undefined);
  await target?.close();
});

const s3 = () => target.client;
const Bucket = () => target.bucket;

const setVersioning = (Status: 'Enabled' | 'Suspended') => setBucketVersioning(target, Status);

const put = async (Key: string, Body: string, extra: { IfNoneMatch?: string; IfMatch?: string } = {}) =>
  s3().send(new PutObjectCommand({ Bucket: Bucket(), Key, Body, ...extra }));

async function read(Key: string, VersionId?: string) {
  const got = await s3().send(new GetObjectCommand({ Bucket: Bucket(), Key, VersionId }));
  return { text: await got.Body!.transformToString(), versionId: got.VersionId };
}

/**
 * ListObjectVersions as the answer lists it: the SDK splits versions and delete markers into two arrays, losing
 * their order, so the XML is fetched (presigned) and read in document order.
 */
async function listAll(input: Omit<ListObjectVersionsCommandInput, 'Bucket'>) {
  const url = await getSignedUrl(
    presignClient(target),
    new ListObjectVersionsCommand({ Bucket: Bucket(), ...input }),
  );
  const res = await fetch(url);
  const xml = await res.text();
  expect(res.status, xml).toBe(200);
  const text = (body: string, name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(body)?.[1];
  const entries = [...xml.matchAll(/<(Version|DeleteMarker)>([\s\S]*?)<\/\1>/g)].map((m) => ({
    key: text(m[2]!, 'Key')!,
    id: text(m[2]!, 'VersionId')!,
    latest: text(m[2]!, 'IsLatest') === 'true',
    marker: m[1] === 'DeleteMarker',
  }));
  return {
    entries,
    isTruncated: text(xml, 'IsTruncated') === 'true',
    nextKeyMarker: text(xml, 'NextKeyMarker'),
    nextVersionIdMarker: text(xml, 'NextVersionIdMarker'),
    commonPrefixes: [...xml.matchAll(/<CommonPrefixes><Prefix>([^<]*)<\/Prefix><\/CommonPrefixes>/g)].map(
      (m) => m[1],
    ),
  };
}

/** The key's versions and delete markers, newest first, with IsLatest. */
async function history(key: string) {
  return (await listAll({ Prefix: key })).entries
    .filter((e) => e.key === key)
    .map(({ id, latest, marker }) => ({ id, latest, marker }));
}

/** The version a CopyObject made: from its answer, or (RGW 16 does not say) from a HEAD after. */
async function copiedVersion(answered: string | undefined, Key: string) {
  if (target.kind !== 'rgw') return answered;
  expect(answered).toBeUndefined();
  return (await s3().send(new HeadObjectCommand({ Bucket: Bucket(), Key }))).VersionId;
}

const headerOf = (e: S3ServiceException, name: string) =>
  (e as { $response?: { headers: Record<string, string> } }).$response?.headers[name];

describe('bucket versioning', () => {
  it('a bucket never versioned has no status; PutBucketVersioning Enabled is then said so', async () => {
    const never = await s3().send(new GetBucketVersioningCommand({ Bucket: Bucket() }));
    expect(never.Status).toBeUndefined();
    // Written before: it becomes the key's "null" version.
    await put('v/before.txt', 'before versioning');
    await setVersioning('Enabled');
    const enabled = await s3().send(new GetBucketVersioningCommand({ Bucket: Bucket() }));
    expect(enabled.Status).toBe('Enabled');
    // AWS says nothing of MFA delete until it was set; RGW 16 says Disabled.
    expect(enabled.MFADelete).toBe(target.kind === 'rgw' ? 'Disabled' : undefined);
  });

  it('refuses MFA delete (the embedded store: 501 NotImplemented)', async () => {
    const e = await errorOf(
      s3().send(
        new PutBucketVersioningCommand({
          Bucket: Bucket(),
          VersioningConfiguration: { Status: 'Enabled', MFADelete: 'Enabled' },
        }),
      ),
    );
    // AWS asks for the x-amz-mfa header; RGW 16 for the same. Neither is something the embedded store has.
    if (target.kind === 'embedded')
      expect([e.name, e.$metadata.httpStatusCode]).toEqual(['NotImplemented', 501]);
    else expect(e.$metadata.httpStatusCode).toBeGreaterThanOrEqual(400);
    expect((await s3().send(new GetBucketVersioningCommand({ Bucket: Bucket() }))).Status).toBe('Enabled');
  });

  it('each PUT makes a new version, x-amz-version-id on PUT, GET and HEAD; each is read by its id; an object from before is "null"', async () => {
    const key = 'v/before.txt';
    const first = await put(key, 'one');
    const second = await put(key, 'two, longer');
    expect(first.VersionId).toMatch(/\S/);
    expect(second.VersionId).toMatch(/\S/);
    expect(new Set([first.VersionId, second.VersionId, 'null']).size).toBe(3);
    expect(await read(key)).toEqual({ text: 'two, longer', versionId: second.VersionId });
    expect(await read(key, first.VersionId)).toEqual({ text: 'one', versionId: first.VersionId });
    expect(await read(key, 'null')).toEqual({ text: 'before versioning', versionId: 'null' });
    const head = await s3().send(
      new HeadObjectCommand({ Bucket: Bucket(), Key: key, VersionId: first.VersionId }),
    );
    expect([head.ContentLength, head.VersionId]).toEqual([3, first.VersionId]);
    expect(await history(key)).toEqual([
      { id: second.VersionId, latest: true, marker: false },
      { id: first.VersionId, latest: false, marker: false },
      { id: 'null', latest: false, marker: false },
    ]);
  });

  it('DELETE without a version id makes a delete marker: the key reads as absent (404 with x-amz-delete-marker), its versions stay; removing the marker brings it back', async () => {
    const key = 'v/marked.txt';
    const kept = await put(key, 'kept');
    const deleted = await s3().send(new DeleteObjectCommand({ Bucket: Bucket(), Key: key }));
    expect(deleted.DeleteMarker).toBe(true);
    expect(deleted.VersionId).toMatch(/\S/);
    expect(deleted.VersionId).not.toBe(kept.VersionId);

    // AWS says why the key is absent (x-amz-delete-marker: true, and the marker's id); RGW 16 says nothing.
    const get = await errorOf(read(key));
    expect([get.name, get.$metadata.httpStatusCode]).toEqual(['NoSuchKey', 404]);
    const head = await errorOf(s3().send(new HeadObjectCommand({ Bucket: Bucket(), Key: key })));
    expect(head.$metadata.httpStatusCode).toBe(404);
    if (target.kind !== 'rgw')
      for (const e of [get, head])
        expect([headerOf(e, 'x-amz-delete-marker'), headerOf(e, 'x-amz-version-id')]).toEqual([
          'true',
          deleted.VersionId,
        ]);
    // Naming the delete marker itself: 405 MethodNotAllowed, still saying it is one (AWS); RGW 16: 404.
    const named = await errorOf(read(key, deleted.VersionId));
    const namedHead = await errorOf(
      s3().send(new HeadObjectCommand({ Bucket: Bucket(), Key: key, VersionId: deleted.VersionId })),
    );
    if (target.kind === 'rgw') expect(named.$metadata.httpStatusCode).toBe(404);
    else {
      expect([named.name, named.$metadata.httpStatusCode]).toEqual(['MethodNotAllowed', 405]);
      expect(namedHead.$metadata.httpStatusCode).toBe(405);
      for (const e of [named, namedHead]) expect(headerOf(e, 'x-amz-delete-marker')).toBe('true');
    }

    const listed = await s3().send(new ListObjectsV2Command({ Bucket: Bucket(), Prefix: key }));
    expect(listed.Contents ?? []).toEqual([]);
    expect(await read(key, kept.VersionId)).toEqual({ text: 'kept', versionId: kept.VersionId });
    expect(await history(key)).toEqual([
      { id: deleted.VersionId, latest: true, marker: true },
      { id: kept.VersionId, latest: false, marker: false },
    ]);

    // Undelete: the marker removed, the version behind it is current again.
    const undeleted = await s3().send(
      new DeleteObjectCommand({ Bucket: Bucket(), Key: key, VersionId: deleted.VersionId }),
    );
    expect([undeleted.DeleteMarker, undeleted.VersionId]).toEqual([true, deleted.VersionId]);
    expect(await read(key)).toEqual({ text: 'kept', versionId: kept.VersionId });
    expect(await history(key)).toEqual([{ id: kept.VersionId, latest: true, marker: false }]);
  });

  it('DELETE of a version removes it for good; of the current one, the next newest becomes current; an id gone is 404 NoSuchVersion', async () => {
    const key = 'v/remove.txt';
    const a = await put(key, 'a');
    const b = await put(key, 'b');
    const c = await put(key, 'c');
    const removed = await s3().send(
      new DeleteObjectCommand({ Bucket: Bucket(), Key: key, VersionId: b.VersionId }),
    );
    expect(removed.VersionId).toBe(b.VersionId);
    expect(removed.DeleteMarker).toBeUndefined();
    const gone = await errorOf(read(key, b.VersionId));
    // AWS: NoSuchVersion; RGW 16: NoSuchKey.
    expect([gone.name, gone.$metadata.httpStatusCode]).toEqual([
      target.kind === 'rgw' ? 'NoSuchKey' : 'NoSuchVersion',
      404,
    ]);
    expect(await read(key)).toEqual({ text: 'c', versionId: c.VersionId });

    await s3().send(new DeleteObjectCommand({ Bucket: Bucket(), Key: key, VersionId: c.VersionId }));
    expect(await read(key)).toEqual({ text: 'a', versionId: a.VersionId });
    expect(await history(key)).toEqual([{ id: a.VersionId, latest: true, marker: false }]);
    // Deleting a version that is no longer there changes nothing, and succeeds.
    await s3().send(new DeleteObjectCommand({ Bucket: Bucket(), Key: key, VersionId: c.VersionId }));
    await s3().send(new DeleteObjectCommand({ Bucket: Bucket(), Key: key, VersionId: a.VersionId }));
    expect(await history(key)).toEqual([]);
    expect((await errorOf(read(key))).name).toBe('NoSuchKey');
  });

  it('ListObjectVersions: prefix, delimiter, IsLatest, delete markers, and paging by key and version-id markers through everything', async () => {
    const p = 'list/';
    const ids: Record<string, string[]> = {};
    const add = (key: string, id: string) => (ids[key] = [id, ...(ids[key] ?? [])]);
    for (const key of [`${p}a`, `${p}b`, `${p}a`, `${p}dir/x`, `${p}c`, `${p}a`])
      add(key, (await put(key, key)).VersionId!);
    add(`${p}b`, (await s3().send(new DeleteObjectCommand({ Bucket: Bucket(), Key: `${p}b` }))).VersionId!);

    const whole = await listAll({ Prefix: p });
    expect(whole.isTruncated).toBe(false);
    const expected = Object.keys(ids)
      .sort()
      .flatMap((key) => ids[key]!.map((id, i) => `${key} ${id} ${i === 0}`));
    const lines = (page: Awaited<ReturnType<typeof listAll>>) =>
      page.entries.map((e) => `${e.key} ${e.id} ${e.latest}`);
    expect(lines(whole)).toEqual(expected);
    expect(whole.entries.filter((e) => e.marker).map((m) => [m.key, m.latest])).toEqual([[`${p}b`, true]]);

    // Two at a time: every version once, in order, each page but the last truncated with its markers.
    const seen: string[] = [];
    let markers: { KeyMarker?: string; VersionIdMarker?: string } = {};
    for (let pages = 0; pages < 20; pages++) {
      const page = await listAll({ Prefix: p, MaxKeys: 2, ...markers });
      seen.push(...lines(page));
      if (!page.isTruncated) break;
      expect(page.entries).toHaveLength(2);
      markers = { KeyMarker: page.nextKeyMarker!, VersionIdMarker: page.nextVersionIdMarker! };
    }
    expect(seen).toEqual(expected);

    // A page that ends inside a key's versions says where: that key and the last version listed.
    const first = await listAll({ Prefix: p, MaxKeys: 2 });
    expect([first.isTruncated, first.nextKeyMarker, first.nextVersionIdMarker]).toEqual([
      true,
      `${p}a`,
      ids[`${p}a`]![1],
    ]);

    const rolled = await listAll({ Prefix: p, Delimiter: '/' });
    expect(rolled.commonPrefixes).toEqual([`${p}dir/`]);
    expect(rolled.entries.some((e) => e.key.startsWith(`${p}dir/`))).toBe(false);
    // A key marker alone starts after that key's versions (AWS); RGW 16 lists that key's versions again.
    const afterA = await listAll({ Prefix: p, KeyMarker: `${p}a` });
    expect(lines(afterA)[0]).toBe(
      expected.find((e) => e.startsWith(target.kind === 'rgw' ? `${p}a ` : `${p}b `)),
    );
  });

  it('CompleteMultipartUpload and CopyObject make versions; a copy reads the version named; copying an old version over the key restores it', async () => {
    const key = 'v/copied.txt';
    const old = await put(key, 'old bytes');
    const current = await put(key, 'current bytes');

    const created = await s3().send(new CreateMultipartUploadCommand({ Bucket: Bucket(), Key: key }));
    const part = await s3().send(
      new UploadPartCommand({
        Bucket: Bucket(),
        Key: key,
        UploadId: created.UploadId,
        PartNumber: 1,
        Body: 'from parts',
      }),
    );
    const completed = await s3().send(
      new CompleteMultipartUploadCommand({
        Bucket: Bucket(),
        Key: key,
        UploadId: created.UploadId,
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] },
      }),
    );
    expect(completed.VersionId).toMatch(/\S/);
    expect(await read(key)).toEqual({ text: 'from parts', versionId: completed.VersionId });

    const copy = await s3().send(
      new CopyObjectCommand({
        Bucket: Bucket(),
        Key: 'v/copy-of-old.txt',
        CopySource: `${Bucket()}/${key}?versionId=${old.VersionId}`,
      }),
    );
    // x-amz-copy-source-version-id: AWS sends it; RGW 16 does not.
    expect(copy.CopySourceVersionId).toBe(target.kind === 'rgw' ? undefined : old.VersionId);
    // x-amz-version-id of the copy: AWS sends it; RGW 16 does not (a HEAD tells).
    const copyId = await copiedVersion(copy.VersionId, 'v/copy-of-old.txt');
    expect(copyId).toMatch(/\S/);
    expect(await read('v/copy-of-old.txt')).toEqual({ text: 'old bytes', versionId: copyId });

    // Restore: the old version copied over its own key becomes a new current version; all the others stay.
    const restored = await s3().send(
      new CopyObjectCommand({
        Bucket: Bucket(),
        Key: key,
        CopySource: `${Bucket()}/${key}?versionId=${old.VersionId}`,
      }),
    );
    const restoredId = await copiedVersion(restored.VersionId, key);
    expect(await read(key)).toEqual({ text: 'old bytes', versionId: restoredId });
    expect((await history(key)).map((v) => v.id)).toEqual([
      restoredId,
      completed.VersionId,
      current.VersionId,
      old.VersionId,
    ]);

    const marker = await s3().send(new DeleteObjectCommand({ Bucket: Bucket(), Key: key }));
    const fromMarker = await errorOf(
      s3().send(
        new CopyObjectCommand({
          Bucket: Bucket(),
          Key: 'v/copy-of-marker.txt',
          CopySource: `${Bucket()}/${key}?versionId=${marker.VersionId}`,
        }),
      ),
    );
    // A delete marker named as a copy source: AWS 400 InvalidRequest; RGW 16 404.
    expect(fromMarker.$metadata.httpStatusCode).toBe(target.kind === 'rgw' ? 404 : 400);
    if (target.kind !== 'rgw') expect(fromMarker.name).toBe('InvalidRequest');
    const fromDeleted = await errorOf(
      s3().send(
        new CopyObjectCommand({
          Bucket: Bucket(),
          Key: 'v/copy-of-marker.txt',
          CopySource: `${Bucket()}/${key}`,
        }),
      ),
    );
    expect([fromDeleted.name, fromDeleted.$metadata.httpStatusCode]).toEqual(['NoSuchKey', 404]);
  });

  it('DeleteObjects: without a version id makes delete markers; with one removes that version (a marker too), saying which', async () => {
    const a = await put('v/batch-a', 'a');
    const b1 = await put('v/batch-b', 'b1');
    await put('v/batch-b', 'b2');
    const answer = await s3().send(
      new DeleteObjectsCommand({
        Bucket: Bucket(),
        Delete: { Objects: [{ Key: 'v/batch-a' }, { Key: 'v/batch-b', VersionId: b1.VersionId }] },
      }),
    );
    expect(answer.Errors ?? []).toEqual([]);
    const byKey = Object.fromEntries((answer.Deleted ?? []).map((d) => [d.Key, d]));
    expect(byKey['v/batch-a']).toMatchObject({ DeleteMarker: true });
    const markerId = byKey['v/batch-a']!.DeleteMarkerVersionId!;
    expect(markerId).toMatch(/\S/);
    expect(byKey['v/batch-b']).toMatchObject({ VersionId: b1.VersionId });
    expect(byKey['v/batch-b']!.DeleteMarker).toBeFalsy();
    expect((await history('v/batch-b')).length).toBe(1);

    const undo = await s3().send(
      new DeleteObjectsCommand({
        Bucket: Bucket(),
        Delete: { Objects: [{ Key: 'v/batch-a', VersionId: markerId }] },
      }),
    );
    expect(undo.Deleted?.[0]).toMatchObject({
      Key: 'v/batch-a',
      VersionId: markerId,
      DeleteMarker: true,
      DeleteMarkerVersionId: markerId,
    });
    expect(await read('v/batch-a')).toEqual({ text: 'a', versionId: a.VersionId });
  });

  it('tags belong to a version: Put/GetObjectTagging by version id, the current version untouched', async () => {
    const key = 'v/tagged.txt';
    const old = await put(key, 'old');
    await put(key, 'new');
    const tagged = await s3().send(
      new PutObjectTaggingCommand({
        Bucket: Bucket(),
        Key: key,
        VersionId: old.VersionId,
        Tagging: { TagSet: [{ Key: 'keep', Value: 'yes' }] },
      }),
    );
    // x-amz-version-id of PutObjectTagging: AWS sends it; RGW 16 does not.
    expect(tagged.VersionId).toBe(target.kind === 'rgw' ? undefined : old.VersionId);
    const oldTags = await s3().send(
      new GetObjectTaggingCommand({ Bucket: Bucket(), Key: key, VersionId: old.VersionId }),
    );
    // x-amz-version-id of GetObjectTagging: AWS sends it; RGW 16 does not.
    expect([oldTags.TagSet, oldTags.VersionId]).toEqual([
      [{ Key: 'keep', Value: 'yes' }],
      target.kind === 'rgw' ? undefined : old.VersionId,
    ]);
    const currentTags = await s3().send(new GetObjectTaggingCommand({ Bucket: Bucket(), Key: key }));
    expect(currentTags.TagSet).toEqual([]);
    expect(await read(key, old.VersionId)).toEqual({ text: 'old', versionId: old.VersionId });
  });

  it('conditional writes apply to the current version; a key behind a delete marker is absent to If-None-Match: *', async () => {
    const key = 'v/conditional.txt';
    const first = await put(key, 'first');
    const status = (p: Promise<unknown>) =>
      p.then(
        () => 200,
        (e: S3ServiceException) => e.$metadata.httpStatusCode,
      );
    // RGW 16 ignores If-None-Match: * on a PUT in a versioned bucket: it writes a new version (asserted).
    const again = await status(put(key, 'again', { IfNoneMatch: '*' }));
    expect(again).toBe(target.kind === 'rgw' ? 200 : 412);
    await s3().send(new DeleteObjectCommand({ Bucket: Bucket(), Key: key }));
    // Behind a delete marker the key is absent: If-None-Match: * takes the write.
    expect(await status(put(key, 'after the marker', { IfNoneMatch: '*' }))).toBe(200);
    expect((await read(key)).text).toBe('after the marker');

    const current = await s3().send(new HeadObjectCommand({ Bucket: Bucket(), Key: key }));
    const ifMatch = await status(put(key, 'matched', { IfMatch: first.ETag! }));
    const ifMatchCurrent = await status(put(key, 'matched', { IfMatch: current.ETag! }));
    // RGW 16 refuses If-Match on a versioned bucket whatever the ETag (api-versioning.test.ts).
    if (target.kind !== 'rgw') {
      expect([ifMatch, ifMatchCurrent]).toEqual([412, 200]);
      expect((await read(key)).text).toBe('matched');
    }

    // A DeleteObjects entry with an ETag: of the current version, then a delete marker as any delete.
    const now = await s3().send(new HeadObjectCommand({ Bucket: Bucket(), Key: key }));
    const conditional = await s3().send(
      new DeleteObjectsCommand({
        Bucket: Bucket(),
        Delete: { Objects: [{ Key: key, ETag: first.ETag }] },
      }),
    );
    if (target.kind !== 'rgw') {
      expect(conditional.Errors?.map((e) => e.Code)).toEqual(['PreconditionFailed']);
      const matched = await s3().send(
        new DeleteObjectsCommand({ Bucket: Bucket(), Delete: { Objects: [{ Key: key, ETag: now.ETag }] } }),
      );
      expect(matched.Deleted?.[0]).toMatchObject({ Key: key, DeleteMarker: true });
      expect((await history(key))[0]).toMatchObject({ latest: true, marker: true });
    }
  });

  it.runIf(targetKind() === 'embedded')(
    'keeps versions, delete markers and their order over a restart; a version removed takes its data file with it',
    async () => {
      const key = 'v/restart.txt';
      const one = await put(key, 'one');
      const two = await put(key, 'two');
      const marker = await s3().send(new DeleteObjectCommand({ Bucket: Bucket(), Key: key }));
      const before = await history(key);
      const dataDir = join(target.dataDir!, 'buckets', Bucket(), 'data');
      const files = (await readdir(dataDir)).length;
      await target.restart!();
      expect(await history(key)).toEqual(before);
      expect((await s3().send(new GetBucketVersioningCommand({ Bucket: Bucket() }))).Status).toBe('Enabled');
      expect((await errorOf(read(key))).name).toBe('NoSuchKey');
      expect(await read(key, one.VersionId)).toEqual({ text: 'one', versionId: one.VersionId });
      expect(await read(key, 'null').catch((e: S3ServiceException) => e.name)).toBe('NoSuchVersion');
      expect((await readdir(dataDir)).length).toBe(files);

      await s3().send(new DeleteObjectCommand({ Bucket: Bucket(), Key: key, VersionId: two.VersionId }));
      expect((await readdir(dataDir)).length).toBe(files - 1);
      await s3().send(new DeleteObjectCommand({ Bucket: Bucket(), Key: key, VersionId: marker.VersionId }));
      expect(await read(key)).toEqual({ text: 'one', versionId: one.VersionId });
      await target.restart!();
      expect(await read(key)).toEqual({ text: 'one', versionId: one.VersionId });
      expect(await history(key)).toEqual([{ id: one.VersionId, latest: true, marker: false }]);
    },
  );

  it('Suspended: writes and deletes replace the key\'s "null" version; versions saved while Enabled stay', async () => {
    const key = 'v/suspended.txt';
    const enabled = await put(key, 'while enabled');
    await setVersioning('Suspended');
    expect((await s3().send(new GetBucketVersioningCommand({ Bucket: Bucket() }))).Status).toBe('Suspended');
    const n1 = await put(key, 'null one');
    // AWS answers a write in a Suspended bucket with x-amz-version-id: null, or none: either means "null".
    expect(n1.VersionId ?? 'null').toBe('null');
    await put(key, 'null two');
    expect(await history(key)).toEqual([
      { id: 'null', latest: true, marker: false },
      { id: enabled.VersionId, latest: false, marker: false },
    ]);
    // A GET of the "null" version says x-amz-version-id: null (AWS); RGW 16 sends no version id.
    expect(await read(key)).toEqual({
      text: 'null two',
      versionId: target.kind === 'rgw' ? undefined : 'null',
    });

    const deleted = await s3().send(new DeleteObjectCommand({ Bucket: Bucket(), Key: key }));
    expect([deleted.DeleteMarker, deleted.VersionId]).toEqual([true, 'null']);
    expect(await history(key)).toEqual([
      { id: 'null', latest: true, marker: true },
      { id: enabled.VersionId, latest: false, marker: false },
    ]);
    expect(await read(key, enabled.VersionId)).toEqual({
      text: 'while enabled',
      versionId: enabled.VersionId,
    });

    // Back to Enabled: a new version on top, the "null" marker stays below it.
    await setVersioning('Enabled');
    const again = await put(key, 'enabled again');
    expect((await history(key)).map((v) => [v.id, v.marker])).toEqual([
      [again.VersionId, false],
      ['null', true],
      [enabled.VersionId, false],
    ]);
    // Suspended again, a write replaces that "null" marker, not the versions around it.
    await setVersioning('Suspended');
    await put(key, 'null three');
    expect((await history(key)).map((v) => [v.id, v.marker])).toEqual([
      ['null', false],
      [again.VersionId, false],
      [enabled.VersionId, false],
    ]);
    await setVersioning('Enabled');
  });
});
