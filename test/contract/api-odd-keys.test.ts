import { randomUUID } from 'node:crypto';
import { HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  DownloadLink,
  DownloadLinks,
  RenamedObject,
  UploadPlan,
} from '../../server/shared/api-types.ts';
import { apiOver } from './api/harness.ts';
import { errorOf } from './support/error-of.ts';
import { getTarget, type S3Target } from './support/target.ts';

/** Keys other S3 tools write and the S3 console lists, though Hoist would not make them itself. */
let target: S3Target;
let h: Awaited<ReturnType<typeof apiOver>>;
let prefix: string;

beforeAll(async () => {
  target = await getTarget();
  prefix = `odd-${randomUUID().slice(0, 8)}/`;
  h = await apiOver(target, { HOIST_KEY_PREFIX: prefix });
});
afterAll(async () => {
  await target?.close();
});

async function put(key: string, body: string) {
  await target.client.send(new PutObjectCommand({ Bucket: target.bucket, Key: key, Body: body }));
}

describe('objects with keys Hoist would not write', () => {
  const fetchable = ['a//b.txt', '/lead.txt', 'tab\there.txt', 'trailing.'];

  it('downloads them: one link, or a batch of links', async () => {
    for (const [i, path] of fetchable.entries()) await put(prefix + path, `body ${i}`);
    for (const [i, path] of fetchable.entries()) {
      const res = await h.api.objects.download.$post({ json: { key: prefix + path } });
      expect(res.status, path).toBe(200);
      const link = (await res.json()) as DownloadLink;
      expect(await (await fetch(link.url)).text(), path).toBe(`body ${i}`);
    }
    const batch = await h.api.objects['download-links'].$post({
      json: { keys: fetchable.map((p) => prefix + p) },
    });
    expect(batch.status).toBe(200);
    const answer = (await batch.json()) as DownloadLinks;
    expect(answer.links.map((l) => l.key).sort()).toEqual(fetchable.map((p) => prefix + p).sort());
    expect(answer.missing).toEqual([]);
  });

  it('downloads and shares an object whose key ends in "/" under its last name, not "download"', async () => {
    await put(`${prefix}keys/trailing/`, 'an object named like a folder');
    const res = await h.api.objects.download.$post({ json: { key: `${prefix}keys/trailing/` } });
    expect(res.status).toBe(200);
    const got = await fetch(((await res.json()) as DownloadLink).url);
    expect(await got.text()).toBe('an object named like a folder');
    expect(got.headers.get('content-disposition')).toContain('filename="trailing"');
  });

  it('a rename to a path longer than S3 takes says so in bytes, however many characters it has', async () => {
    const key = `${prefix}short.txt`;
    await put(key, 'short');
    for (const newPath of ['x'.repeat(1100), 'é'.repeat(600)]) {
      const res = await h.api.objects.rename.$post({ json: { key, newPath, replace: false } });
      expect(res.status).toBe(400);
      const body = (await res.json()) as unknown as { error: { code: string; message: string } };
      expect(body.error.message).toMatch(/ bytes; S3 allows at most 1024\.$/);
    }
  });

  it('says why a key with a "." or ".." folder is not downloaded, shared or renamed; it can be deleted', async () => {
    const dotted = `${prefix}sub/../up.txt`;
    await put(dotted, 'dotted');
    const refused = [
      await h.api.objects.download.$post({ json: { key: dotted } }),
      await h.api.objects.share.$post({ json: { key: dotted, expiresInSeconds: 60 } }),
      await h.api.objects.rename.$post({ json: { key: dotted, newPath: 'up.txt', replace: false } }),
    ];
    for (const res of refused) {
      expect(res.status).toBe(400);
      const body = (await res.json()) as unknown as { error: { code: string; message: string } };
      expect(body.error.code).toBe('dot-segment');
      expect(body.error.message).toContain('".."');
    }
    // In a batch it gets no link and is not "missing" either: asked for alone, it is explained.
    const batch = await h.api.objects['download-links'].$post({
      json: { keys: [dotted, prefix + 'a//b.txt'] },
    });
    const answer = (await batch.json()) as DownloadLinks;
    expect(answer.links.map((l) => l.key)).toEqual([prefix + 'a//b.txt']);
    expect(answer.missing).toEqual([]);

    const deleted = await h.api.objects.delete.$post({ json: { keys: [dotted] } });
    expect(deleted.status).toBe(200);
    const head = target.client.send(new HeadObjectCommand({ Bucket: target.bucket, Key: dotted }));
    expect((await errorOf(head)).$metadata.httpStatusCode).toBe(404);
  });

  it('renames one to a plain name', async () => {
    await put(`${prefix}x//y.txt`, 'xy');
    const renamed = await h.api.objects.rename.$post({
      json: { key: `${prefix}x//y.txt`, newPath: 'y.txt', replace: false },
    });
    expect(renamed.status).toBe(200);
    const res = await h.api.objects.download.$post({ json: { key: `${prefix}y.txt` } });
    const link = (await res.json()) as DownloadLink;
    expect(await (await fetch(link.url)).text()).toBe('xy');
  });

  it('uploads into, and renames in, a folder another tool named ("x//", NFD) as it is listed', async () => {
    const nfd = 'Re\u0301sume\u0301/';
    for (const folder of ['x//', nfd, '/']) {
      const res = await h.api.uploads.$post({
        json: {
          name: 'Cafe\u0301.txt',
          size: 3,
          type: 'text/plain',
          lastModified: 0,
          folder,
          relativePath: `${folder}Cafe\u0301.txt`,
        },
      });
      expect(res.status, folder).toBe(200);
      // The folder as listed, the new name in NFC.
      expect(((await res.json()) as UploadPlan).key).toBe(`${prefix}${folder}Café.txt`);

      await put(`${prefix}${folder}old.txt`, 'old');
      const renamed = await h.api.objects.rename.$post({
        json: { key: `${prefix}${folder}old.txt`, newPath: 'new.txt', folder, replace: false },
      });
      expect(renamed.status, folder).toBe(200);
      expect(((await renamed.json()) as RenamedObject).key).toBe(`${prefix}${folder}new.txt`);
    }
    const outside = await h.api.uploads.$post({
      json: {
        name: 'a.txt',
        size: 3,
        type: 'text/plain',
        lastModified: 0,
        folder: 'x//',
        relativePath: 'a.txt',
      },
    });
    expect(outside.status).toBe(400);
  });

  it('"keep both" beside a key near the 1,024-byte limit suggests, and takes, a shorter numbered name', async () => {
    const name = `${'k'.repeat(1018 - prefix.length)}.txt`; // a key of 1,022 bytes
    await put(prefix + name, 'x');

    const again = await h.api.uploads.$post({ json: { name, size: 1, type: 'text/plain', lastModified: 0 } });
    expect(again.status).toBe(409);
    const { suggestedKey } = (await again.json()) as { suggestedKey: string };
    expect(Buffer.byteLength(suggestedKey)).toBeLessThanOrEqual(1024);
    expect(suggestedKey).toMatch(/k \(1\)\.txt$/);
    const kept = await h.api.uploads.$post({
      json: { name, size: 1, type: 'text/plain', lastModified: 0, onConflict: 'keep-both' },
    });
    expect(kept.status).toBe(200);
    expect(((await kept.json()) as UploadPlan).key).toBe(suggestedKey);
  });

  it('a name taken where no numbered name fits is still a conflict to answer (replace, skip), with no suggestion', async () => {
    const path = `${'f'.repeat(1019 - prefix.length)}/ab`; // a key of 1,022 bytes: "a (1)" would not fit
    await put(prefix + path, 'x');
    const again = await h.api.uploads.$post({
      json: { name: 'ab', relativePath: path, size: 1, type: 'text/plain', lastModified: 0 },
    });
    expect(again.status).toBe(409);
    const conflict = (await again.json()) as { key: string; suggestedKey?: string };
    expect(conflict.key).toBe(prefix + path);
    expect(conflict.suggestedKey).toBeUndefined();
  });

  it('still refuses keys outside the prefix', async () => {
    const res = await h.api.objects.download.$post({ json: { key: 'elsewhere/a//b.txt' } });
    expect(res.status).toBe(400);
  });
});
