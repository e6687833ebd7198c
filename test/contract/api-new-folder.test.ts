import { randomUUID } from 'node:crypto';
import { HeadObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NewFolder, ObjectPage } from '../../server/shared/api-types.ts';
import { apiOver } from './api/harness.ts';
import { getTarget, type S3Target } from './support/target.ts';
import { sha256Hex, sha256Of } from './support/object-bytes.ts';

let target: S3Target;
let h: Awaited<ReturnType<typeof apiOver>>;
let prefix: string;

beforeAll(async () => {
  target = await getTarget();
  prefix = `new-folder-${randomUUID().slice(0, 8)}/`;
  h = await apiOver(target, { HOIST_KEY_PREFIX: prefix });
});
afterAll(async () => {
  await target?.close();
});

const create = (folder: string, name: string) => h.api.objects.folder.$post({ json: { folder, name } });

describe('POST /api/objects/folder', () => {
  it('writes the empty "name/" object the S3 console\'s "Create folder" writes, so the folder is listed with nothing in it', async () => {
    const res = await create('', 'reports');
    expect(res.status).toBe(200);
    expect((await res.json()) as NewFolder).toEqual({ key: `${prefix}reports/`, created: true });
    const head = await target.client.send(
      new HeadObjectCommand({ Bucket: target.bucket, Key: `${prefix}reports/` }),
    );
    expect(head.ContentLength).toBe(0);
    // The folder is listed where it was made, as any tool lists it (a common prefix).
    const listed = await h.api.objects.$get({ query: { prefix, delimiter: '/' } });
    expect(((await listed.json()) as ObjectPage).folders).toContain(`${prefix}reports/`);
    const s3 = await target.client.send(
      new ListObjectsV2Command({ Bucket: target.bucket, Prefix: prefix, Delimiter: '/' }),
    );
    expect(s3.CommonPrefixes?.map((p) => p.Prefix)).toEqual([`${prefix}reports/`]);
  });

  it('inside a folder shown, in NFC; made again, it says so and writes nothing', async () => {
    const res = await create('reports/', 'cafe\u0301');
    expect((await res.json()) as NewFolder).toEqual({ key: `${prefix}reports/caf\u00e9/`, created: true });
    const again = await create('reports/', 'caf\u00e9');
    expect((await again.json()) as NewFolder).toEqual({ key: `${prefix}reports/caf\u00e9/`, created: false });
  });

  it('never overwrites an object another tool wrote at that key ("name/" with content)', async () => {
    const body = Buffer.from('not a marker');
    await target.client.send(
      new PutObjectCommand({ Bucket: target.bucket, Key: `${prefix}kept/`, Body: body }),
    );
    const res = await create('', 'kept');
    expect((await res.json()) as NewFolder).toEqual({ key: `${prefix}kept/`, created: false });
    expect(await sha256Of(target, `${prefix}kept/`)).toBe(sha256Hex(body));
  });

  it('a folder that holds objects but has no marker is there already: nothing is written into it', async () => {
    await target.client.send(
      new PutObjectCommand({ Bucket: target.bucket, Key: `${prefix}docs/deep/a.txt`, Body: 'a' }),
    );
    const res = await create('', 'docs');
    expect((await res.json()) as NewFolder).toEqual({ key: `${prefix}docs/`, created: false });
    const s3 = await target.client.send(
      new ListObjectsV2Command({ Bucket: target.bucket, Prefix: `${prefix}docs/` }),
    );
    expect(s3.Contents?.map((c) => c.Key)).toEqual([`${prefix}docs/deep/a.txt`]);
  });

  it('refuses a name the key rules refuse, saying why', async () => {
    for (const [name, why] of [
      ['a/b', 'cannot contain "/"'],
      ['..', '".." as a folder name'],
      ['x'.repeat(1010), 'S3 allows at most 1024'], // with the key prefix and "/"
    ] as const) {
      const res = await create('', name);
      expect(res.status, name).toBe(400);
      const body = (await res.json()) as unknown as { error: { code: string; message: string } };
      expect(body.error.code).toBe('invalid-key');
      expect(body.error.message).toContain(why);
    }
  });
});
