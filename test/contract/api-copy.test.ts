import { randomBytes, randomUUID } from 'node:crypto';
import {
  CopyObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CopiedObjects } from '../../server/shared/api-types.ts';
import { apiOver } from './api/harness.ts';
import { getTarget, type S3Target } from './support/target.ts';
import { sha256Hex, sha256Of } from './support/object-bytes.ts';

const MiB = 1024 * 1024;
let target: S3Target;
let h: Awaited<ReturnType<typeof apiOver>>;
let prefix: string;

beforeAll(async () => {
  target = await getTarget();
  prefix = `copy-${randomUUID().slice(0, 8)}/`;
  // Objects over 6 MiB are copied part by part (5 MiB ranges), as objects over 5 GiB are for real.
  h = await apiOver(
    target,
    { HOIST_KEY_PREFIX: prefix },
    { copy: { singleLimit: 6 * MiB, partSize: 5 * MiB } },
  );
});
afterAll(async () => {
  await target?.close();
});

async function put(path: string, body: Buffer) {
  await target.client.send(
    new PutObjectCommand({
      Bucket: target.bucket,
      Key: prefix + path,
      Body: body,
      ContentType: 'image/jpeg',
      ChecksumAlgorithm: 'CRC32',
    }),
  );
}

const sha256 = (key: string) => sha256Of(target, key);
const digest = sha256Hex;
const copy = (
  paths: string[],
  o: {
    from?: string;
    base?: string;
    to: string;
    move: boolean;
    replace?: boolean;
    replaceIf?: Record<string, string>;
  },
) =>
  h.api.objects.copy.$post({
    json: {
      keys: paths.map((p) => prefix + p),
      from: o.from ?? '',
      base: o.base ?? o.from ?? '',
      to: o.to,
      move: o.move,
      ...(o.replace !== undefined && { replace: o.replace }),
      ...(o.replaceIf && {
        replaceIf: Object.fromEntries(Object.entries(o.replaceIf).map(([p, etag]) => [prefix + p, etag])),
      }),
    },
  });
const answerOf = async (res: Response) => {
  expect(res.status).toBe(200);
  const answer = (await res.json()) as CopiedObjects;
  return {
    ...answer,
    /** Where each failed key was to go, when the server got that far. */
    taken: answer.failed.map((f) => f.newKey?.slice(prefix.length)),
    existing: answer.failed.map((f) => f.existing),
    done: answer.done.map((d) => [d.key.slice(prefix.length), d.newKey.slice(prefix.length)]),
    failed: answer.failed.map((f) => [f.key.slice(prefix.length), f.code]),
  };
};

describe('POST /api/objects/copy', () => {
  it('copies a selection (an object and a folder) into another folder: names and paths kept, sources kept', async () => {
    const a = randomBytes(3000);
    const b = randomBytes(12 * MiB + 5); // copied part by part
    const c = randomBytes(10);
    await put('photos/a.jpg', a);
    await put('photos/2024/b.jpg', b);
    await put('photos/2024/deep/c.jpg', c);
    const answer = await answerOf(
      await copy(['photos/a.jpg', 'photos/2024/b.jpg', 'photos/2024/deep/c.jpg'], {
        from: 'photos/',
        to: '/archive',
        move: false,
      }),
    );
    expect(answer.folder).toBe('archive/');
    expect(answer.failed).toEqual([]);
    expect(answer.done.sort()).toEqual([
      ['photos/2024/b.jpg', 'archive/2024/b.jpg'],
      ['photos/2024/deep/c.jpg', 'archive/2024/deep/c.jpg'],
      ['photos/a.jpg', 'archive/a.jpg'],
    ]);
    expect(await sha256(`${prefix}archive/a.jpg`)).toBe(digest(a));
    expect(await sha256(`${prefix}archive/2024/b.jpg`)).toBe(digest(b));
    expect(await sha256(`${prefix}archive/2024/deep/c.jpg`)).toBe(digest(c));
    expect(await sha256(`${prefix}photos/2024/b.jpg`)).toBe(digest(b));
    const head = await target.client.send(
      new HeadObjectCommand({ Bucket: target.bucket, Key: `${prefix}archive/a.jpg` }),
    );
    expect(head.ContentType).toBe('image/jpeg');
  });

  it('keeps headers on a part-by-part copy: content headers, Expires and metadata, as a single copy does', async () => {
    const expires = 'Wed, 21 Oct 2037 07:28:00 GMT';
    await target.client.send(
      new PutObjectCommand({
        Bucket: target.bucket,
        Key: `${prefix}headers/big.bin`,
        Body: randomBytes(7 * MiB),
        ContentType: 'application/x-test',
        ContentDisposition: 'attachment; filename="big.bin"',
        CacheControl: 'max-age=60',
        Expires: new Date(expires),
        // The embedded store refuses website redirects (it has no website endpoint); S3 and RGW keep them.
        ...(target.kind === 'embedded' ? {} : { WebsiteRedirectLocation: '/elsewhere.html' }),
        Metadata: { owner: 'ann' },
      }),
    );
    const head = (key: string) =>
      target.client.send(new HeadObjectCommand({ Bucket: target.bucket, Key: `${prefix}${key}` }));
    const source = await head('headers/big.bin');
    const answer = await answerOf(
      await copy(['headers/big.bin'], { from: 'headers/', to: '/kept', move: false }),
    );
    expect(answer.failed).toEqual([]);
    const copied = await head('kept/big.bin');
    expect(copied.ContentType).toBe('application/x-test');
    expect(copied.ContentDisposition).toBe('attachment; filename="big.bin"');
    expect(copied.CacheControl).toBe('max-age=60');
    expect(copied.ExpiresString).toBe(expires);
    expect(copied.Metadata).toEqual({ owner: 'ann' });
    // Kept where the store keeps it.
    expect(copied.WebsiteRedirectLocation).toBe(source.WebsiteRedirectLocation);
  });

  it('moves: the copies are checked, then the sources are gone', async () => {
    const a = randomBytes(2000);
    const b = randomBytes(7 * MiB);
    await put('inbox/a.bin', a);
    await put('inbox/sub/b.bin', b);
    const answer = await answerOf(
      await copy(['inbox/a.bin', 'inbox/sub/b.bin'], { from: 'inbox/', to: 'done', move: true }),
    );
    expect(answer.folder).toBe('inbox/done/');
    expect(answer.failed).toEqual([]);
    expect(await sha256(`${prefix}inbox/done/a.bin`)).toBe(digest(a));
    expect(await sha256(`${prefix}inbox/done/sub/b.bin`)).toBe(digest(b));
    expect(await sha256(`${prefix}inbox/a.bin`)).toBeNull();
    expect(await sha256(`${prefix}inbox/sub/b.bin`)).toBeNull();
  });

  it('renames a folder: its contents and its marker take the new folder name', async () => {
    const a = randomBytes(100);
    await put('old/', Buffer.alloc(0));
    await put('old/a.txt', a);
    await put('old/sub/b.txt', a);
    const answer = await answerOf(
      await copy(['old/', 'old/a.txt', 'old/sub/b.txt'], { from: 'old/', base: '', to: 'new', move: true }),
    );
    expect(answer.folder).toBe('new/');
    expect(answer.done.map(([, n]) => n).sort()).toEqual(['new/', 'new/a.txt', 'new/sub/b.txt']);
    expect(await sha256(`${prefix}new/sub/b.txt`)).toBe(digest(a));
    expect(await sha256(`${prefix}old/a.txt`)).toBeNull();
    expect(await sha256(`${prefix}old/`)).toBeNull();
  });

  it('renames a folder onto a console-made folder: the two markers are one folder, the old one goes', async () => {
    const a = randomBytes(100);
    await put('marked-old/', Buffer.alloc(0));
    await put('marked-old/a.txt', a);
    await put('marked-new/', Buffer.alloc(0));
    await put('kept-old/', Buffer.alloc(0));
    await put('kept-new/', Buffer.alloc(0));
    const moved = await answerOf(
      await copy(['marked-old/', 'marked-old/a.txt'], {
        from: 'marked-old/',
        base: '',
        to: 'marked-new',
        move: true,
      }),
    );
    expect(moved.failed).toEqual([]);
    expect(moved.done.map(([, n]) => n).sort()).toEqual(['marked-new/', 'marked-new/a.txt']);
    expect(await sha256(`${prefix}marked-old/`)).toBeNull();
    expect(await sha256(`${prefix}marked-new/`)).not.toBeNull();
    expect(await sha256(`${prefix}marked-new/a.txt`)).toBe(digest(a));
    // A copy leaves both markers.
    const copied = await answerOf(
      await copy(['kept-old/'], { from: 'kept-old/', base: '', to: 'kept-new', move: false }),
    );
    expect([copied.done, copied.failed]).toEqual([[['kept-old/', 'kept-new/']], []]);
    expect(await sha256(`${prefix}kept-old/`)).not.toBeNull();
  });

  it('takes the copy an earlier call made (a server restarted mid-move) as made: the move removes the old key, as `aws s3 mv` run again would; a copy with other metadata is still "taken"', async () => {
    const mine = randomBytes(1000);
    await put('cut/a.bin', mine);
    await put('cut/b.bin', mine);
    // What the cut-off call left: each copied, neither old key deleted; b's copy then given other metadata.
    for (const name of ['a.bin', 'b.bin']) {
      await target.client.send(
        new CopyObjectCommand({
          Bucket: target.bucket,
          Key: `${prefix}cut-dst/${name}`,
          CopySource: `${target.bucket}/${prefix}cut/${name}`,
        }),
      );
    }
    await target.client.send(
      new CopyObjectCommand({
        Bucket: target.bucket,
        Key: `${prefix}cut-dst/b.bin`,
        CopySource: `${target.bucket}/${prefix}cut-dst/b.bin`,
        MetadataDirective: 'REPLACE',
        ContentType: 'image/jpeg',
        Metadata: { owner: 'someone-else' },
      }),
    );
    const again = await answerOf(
      await copy(['cut/a.bin', 'cut/b.bin'], { from: 'cut/', base: 'cut/', to: '/cut-dst', move: true }),
    );
    expect(again.done).toEqual([['cut/a.bin', 'cut-dst/a.bin']]);
    expect(again.failed).toEqual([['cut/b.bin', 'key-exists']]);
    expect(await sha256(`${prefix}cut/a.bin`)).toBeNull();
    expect(await sha256(`${prefix}cut-dst/a.bin`)).toBe(digest(mine));
    expect(await sha256(`${prefix}cut/b.bin`)).toBe(digest(mine));
  });

  it('takes an object alike in bytes but not in tags or headers as a name taken: a copy leaves its tags, a move keeps the old key (code review, session 44)', async () => {
    const bytes = randomBytes(2000);
    const putWith = (path: string, extra: Partial<ConstructorParameters<typeof PutObjectCommand>[0]>) =>
      target.client.send(
        new PutObjectCommand({
          Bucket: target.bucket,
          Key: prefix + path,
          Body: bytes,
          ContentType: 'image/jpeg',
          ...extra,
        }),
      );
    const tagsOf = async (path: string) =>
      (await target.client.send(new GetObjectTaggingCommand({ Bucket: target.bucket, Key: prefix + path })))
        .TagSet;
    await putWith('alike/tagged.bin', { Tagging: 'owner=alice' });
    await putWith('alike-dst/tagged.bin', { Tagging: 'owner=bob&legal-hold=yes' });
    await putWith('alike/named.bin', {
      ContentDisposition: 'attachment; filename="Q3 report.bin"',
      CacheControl: 'max-age=31536000',
    });
    await putWith('alike-dst/named.bin', {});
    const copied = await answerOf(
      await copy(['alike/tagged.bin'], { from: 'alike/', to: '/alike-dst', move: false }),
    );
    expect(copied.failed).toEqual([['alike/tagged.bin', 'key-exists']]);
    expect((await tagsOf('alike-dst/tagged.bin'))?.map((t) => `${t.Key}=${t.Value}`).sort()).toEqual([
      'legal-hold=yes',
      'owner=bob',
    ]);
    const moved = await answerOf(
      await copy(['alike/named.bin'], { from: 'alike/', to: '/alike-dst', move: true }),
    );
    expect(moved.failed).toEqual([['alike/named.bin', 'key-exists']]);
    const source = await target.client.send(
      new HeadObjectCommand({ Bucket: target.bucket, Key: `${prefix}alike/named.bin` }),
    );
    expect(source.ContentDisposition).toBe('attachment; filename="Q3 report.bin"');
  });

  it('never overwrites unasked: a key taken at the destination fails alone, and is replaced when told to', async () => {
    const mine = randomBytes(100);
    const theirs = randomBytes(200);
    await put('src/one.txt', mine);
    await put('src/two.txt', mine);
    await put('dst/two.txt', theirs);
    const first = await answerOf(
      await copy(['src/one.txt', 'src/two.txt'], { from: 'src/', base: '', to: 'dst/', move: true }),
    );
    expect(first.done).toEqual([['src/one.txt', 'dst/one.txt']]);
    expect(first.failed).toEqual([['src/two.txt', 'key-exists']]);
    expect(first.taken).toEqual(['dst/two.txt']);
    // What is there, for the page to show, and to pin a "Replace" to.
    const shown = (
      await target.client.send(new HeadObjectCommand({ Bucket: target.bucket, Key: `${prefix}dst/two.txt` }))
    ).ETag!;
    expect(first.existing).toEqual([{ etag: shown, size: 200 }]);
    expect(await sha256(`${prefix}dst/two.txt`)).toBe(digest(theirs));
    expect(await sha256(`${prefix}src/two.txt`)).toBe(digest(mine));

    // Written again after the page showed it: "Replace" of what was shown replaces nothing, and says
    // what is there now.
    const later = randomBytes(300);
    await put('dst/two.txt', later);
    const replacing = async (etag: string) =>
      answerOf(
        await copy(['src/two.txt'], {
          from: 'src/',
          base: '',
          to: 'dst/',
          move: true,
          replace: true,
          replaceIf: { 'src/two.txt': etag },
        }),
      );
    const refused = await replacing(shown);
    expect(refused.failed).toEqual([['src/two.txt', 'key-exists']]);
    expect(refused.existing).toEqual([{ etag: expect.any(String), size: 300 }]);
    expect(await sha256(`${prefix}dst/two.txt`)).toBe(digest(later));
    expect(await sha256(`${prefix}src/two.txt`)).toBe(digest(mine));

    const again = await replacing(refused.existing[0]!.etag);
    expect(again.failed).toEqual([]);
    expect(await sha256(`${prefix}dst/two.txt`)).toBe(digest(mine));
    expect(await sha256(`${prefix}src/two.txt`)).toBeNull();
  });

  it('a move whose old key could not be deleted is finished by deleting it only, pinned to the version copied', async () => {
    let failDeletes = 0;
    const flaky = await apiOver(
      target,
      { HOIST_KEY_PREFIX: prefix },
      {},
      {
        wrapStore: (store) => ({
          ...store,
          deleteIfUnchanged: (key, etag, o) => {
            if (failDeletes > 0) {
              failDeletes--;
              return Promise.reject(new Error('SlowDown: please reduce your request rate'));
            }
            return store.deleteIfUnchanged(key, etag, o);
          },
        }),
      },
    );
    const move = (keys: string[], made?: CopiedObjects['failed'][number]['made'] & {}) =>
      flaky.api.objects.copy.$post({
        json: {
          keys: keys.map((k) => prefix + k),
          from: 'half/',
          base: 'half/',
          to: 'there',
          move: true,
          ...(made && { made: Object.fromEntries(keys.map((k) => [prefix + k, made])) }),
        },
      });
    const a = randomBytes(100);
    await put('half/a.txt', a);
    await put('half/b.txt', a);
    failDeletes = 2;
    const first = (await (await move(['half/a.txt', 'half/b.txt'])).json()) as CopiedObjects;
    expect(first.failed.map((f) => f.code)).toEqual(['delete-failed', 'delete-failed']);
    const [madeA, madeB] = first.failed.map((f) => f.made);
    expect(madeA).toMatchObject({ etag: expect.any(String), copyEtag: expect.any(String) });
    // Finished: the copy is not made again (no "name taken"), the old key goes.
    const again = await answerOf(await move(['half/a.txt'], madeA));
    expect([again.done, again.failed]).toEqual([[['half/a.txt', 'half/there/a.txt']], []]);
    expect(await sha256(`${prefix}half/a.txt`)).toBeNull();
    expect(await sha256(`${prefix}half/there/a.txt`)).toBe(digest(a));
    // The new key written over since: it is no longer the copy, so the old key is kept.
    await put('half/there/b.txt', randomBytes(5));
    const changed = await answerOf(await move(['half/b.txt'], madeB));
    expect(changed.failed).toEqual([['half/b.txt', 'changed']]);
    expect(await sha256(`${prefix}half/b.txt`)).toBe(digest(a));
  });

  it('says for each key what went wrong, and goes on with the others', async () => {
    const body = randomBytes(50);
    await put('mixed/here.txt', body);
    await put('elsewhere.txt', body);
    const answer = await answerOf(
      await copy(['mixed/here.txt', 'mixed/gone.txt', 'elsewhere.txt'], {
        from: 'mixed/',
        to: '/mixed-copy/',
        move: false,
      }),
    );
    expect(answer.done).toEqual([['mixed/here.txt', 'mixed-copy/here.txt']]);
    expect(answer.failed.sort()).toEqual([
      ['elsewhere.txt', 'invalid-key'],
      ['mixed/gone.txt', 'not-found'],
    ]);
  });

  it('refuses a destination that is no folder Hoist would write, or the folder the selection is in', async () => {
    await put('keep/x.txt', randomBytes(10));
    const errorOf = async (res: Response) => {
      expect(res.status).toBe(400);
      return ((await res.json()) as unknown as { error: { code: string; message: string } }).error;
    };
    const up = await errorOf(await copy(['keep/x.txt'], { from: 'keep/', to: '../y', move: true }));
    expect(up.code).toBe('invalid-key');
    expect(up.message).toContain('start the path with "/"');
    expect((await errorOf(await copy(['keep/x.txt'], { from: 'keep/', to: 'a//b', move: true }))).code).toBe(
      'invalid-key',
    );
    const same = await errorOf(await copy(['keep/x.txt'], { from: 'keep/', to: '', move: true }));
    expect(same.code).toBe('same-folder');
    expect(same.message).toContain('already in “keep/”');
    expect(await sha256(`${prefix}keep/x.txt`)).not.toBeNull();
  });
});
