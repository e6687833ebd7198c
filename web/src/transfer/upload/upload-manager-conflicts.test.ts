import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ApiError } from './upload-api.ts';
import { UploadError } from './upload-error.ts';
import { hashBlob, type Hasher } from '../shared/hasher.ts';
import { drive, makeFile, multipartEtagOf, settle, setup, statuses, until } from './testing/setup.ts';

const names = (n: number, prefix = 'f') => Array.from({ length: n }, (_, i) => `${prefix}${i}.txt`);

describe('UploadManager: a "for all" conflict choice', () => {
  it('skips every file of the queue whose name turns out taken later, without asking again', async () => {
    const h = setup({ partSize: 100, maxActiveFiles: 2 });
    const all = names(30);
    for (const n of all) h.api.existingKeys.add(n);
    // Names are checked as files reach the front of the queue: the server answers two of them first.
    const holds = all.map(() => h.api.hold('create'));
    const ids = h.manager.add(all.map((n) => ({ file: makeFile(n, 10) })));
    holds[0]!.release();
    holds[1]!.release();
    await until(() => statuses(h).filter((s) => s === 'conflict').length === 2);
    expect(statuses(h).filter((s) => s === 'queued')).toHaveLength(28);
    h.manager.resolveAllConflicts('skip');
    const asked: number[] = [];
    const unsubscribe = h.manager.subscribe(() =>
      asked.push(h.manager.getSnapshot().totals.byStatus.conflict),
    );
    for (const hold of holds) hold.release();
    await drive(h, () => ids.every((id) => h.manager.get(id)?.status === 'skipped'));
    unsubscribe();
    expect(asked.every((n) => n === 0)).toBe(true);
    expect(h.api.count('create')).toBe(30); // each name checked once
    expect(h.transport.requests).toHaveLength(0);
    expect(h.manager.getSnapshot().totals.byStatus.skipped).toBe(30);
  });

  it('replace or keep both for all also decides for files checked later; files added afterwards ask again', async () => {
    const h = setup({ partSize: 100, maxActiveFiles: 1 });
    for (const n of ['a.txt', 'b.txt', 'c.txt', 'd.txt']) h.api.existingKeys.add(n);
    const holds = [1, 2, 3].map(() => h.api.hold('create'));
    const first = h.manager.add(['a.txt', 'b.txt', 'c.txt'].map((n) => ({ file: makeFile(n, 10) })));
    holds[0]!.release();
    await until(() => h.manager.get(first[0]!)?.status === 'conflict');
    h.manager.resolveAllConflicts('keep-both');
    for (const hold of holds) hold.release();
    await drive(h, () => first.every((id) => h.manager.get(id)?.status === 'done'));
    expect(first.map((id) => h.manager.get(id)!.key)).toEqual(['a.txt (1)', 'b.txt (1)', 'c.txt (1)']);

    const [later] = h.manager.add([{ file: makeFile('d.txt', 10) }]);
    await drive(h, () => h.manager.get(later!)?.status === 'conflict');
    for (let i = 0; i < 10; i++) await h.clock.advance(1000);
    expect(h.manager.get(later!)!.status).toBe('conflict');
  });

  it('covers a name taken while the file uploaded (found at Complete)', async () => {
    const h = setup({ partSize: 100, maxActiveFiles: 1 });
    h.api.existingKeys.add('x.bin');
    const [x, y] = h.manager.add([{ file: makeFile('x.bin', 350) }, { file: makeFile('y.bin', 350) }]);
    await until(() => h.manager.get(x!)?.status === 'conflict' && h.api.count('create') === 2);
    h.manager.resolveAllConflicts('replace');
    h.api.existingKeys.add('y.bin'); // written by someone else while y's parts go up
    await drive(h, () => [x, y].every((id) => h.manager.get(id!)?.status === 'done'));
    const completes = h.api.calls
      .filter((c) => c.method === 'complete')
      .map((c) => `${h.api.upload(c.args[0] as string).plan.key} ${JSON.stringify(c.args[2])}`);
    expect(completes.sort()).toEqual([
      'x.bin {"replace":true}',
      'y.bin {"replace":false}', // refused: taken meanwhile
      'y.bin {"replace":true}', // decided by the choice for all, not asked
    ]);
    await settle();
    expect(statuses(h)).toEqual(['done', 'done']);
  });
});

describe('UploadManager: "Skip" or "Keep both" for a name taken while the file uploaded', () => {
  // The server may take the other writer's object for this upload's own when it matches in size and
  // time (409 already-completed to the abort): nothing of this upload is left either way.
  it.each(['skip', 'keep-both'] as const)(
    '%s goes on when the abort answers already-completed',
    async (choice) => {
      const h = setup({ partSize: 100, maxActiveFiles: 1 });
      const [x] = h.manager.add([{ file: makeFile('x.bin', 350) }]);
      await until(() => h.api.count('create') === 1);
      h.api.existingKeys.add('x.bin'); // written by someone else while x's parts go up
      await drive(h, () => h.manager.get(x!)?.status === 'conflict');
      h.api.fail('abort', new ApiError('already-completed', 409, 'This upload has already completed'));
      h.manager.resolveAllConflicts(choice);
      await drive(h, () => ['skipped', 'done', 'failed'].includes(h.manager.get(x!)!.status));
      expect(h.manager.get(x!)).toMatchObject(
        choice === 'skip' ? { status: 'skipped' } : { status: 'done', key: 'x.bin (1)' },
      );
    },
  );
});

describe('UploadManager: a name taken by the same bytes', () => {
  const crcOf = (file: File) => hashBlob(file, 'CRC32');
  const md5Hex = async (file: File) => Buffer.from(await hashBlob(file, 'MD5'), 'base64').toString('hex');

  it('is done without asking or sending when the object there holds the same bytes (as aws s3 sync skips it)', async () => {
    const h = setup({ partSize: 100, checksumHint: () => 'CRC32' });
    const same = makeFile('same.txt', 10);
    const changed = makeFile('changed.txt', 10);
    h.api.existingKeys.add('same.txt');
    h.api.existingInfo.set('same.txt', {
      size: 10,
      lastModified: null,
      etag: `"${await md5Hex(same)}"`,
      checksum: await crcOf(same),
      checksumAlgorithm: 'CRC32',
    });
    h.api.existingKeys.add('changed.txt');
    const other = makeFile('changed.txt', 10); // other bytes, same size
    h.api.existingInfo.set('changed.txt', {
      size: 10,
      lastModified: null,
      etag: `"${await md5Hex(other)}"`,
      checksum: await crcOf(other),
      checksumAlgorithm: 'CRC32',
    });
    const [a, b] = h.manager.add([{ file: same }, { file: changed }]);
    await drive(h, () => statuses(h).join() === 'done,conflict');
    expect(h.manager.get(a!)!.note).toMatch(/same bytes, so it was not sent again/);
    expect(h.manager.get(b!)!.note).toBeNull();
    expect(h.transport.requests).toHaveLength(0);
  });

  it('asks when only a CRC32 matches: 32 bits, which a file of other bytes can be made to have', async () => {
    // An outside tester forged a file to the size and CRC32 of the object at its name, and the row said
    // it was already there with the same bytes. An object whose ETag is no single PUT's MD5 (another
    // tool's multipart upload, or none given) cannot be proved the same: the user chooses.
    const h = setup({ partSize: 100, checksumHint: () => 'CRC32' });
    const file = makeFile('forged.txt', 10);
    h.api.existingKeys.add('forged.txt');
    h.api.existingInfo.set('forged.txt', {
      size: 10,
      lastModified: null,
      etag: '"25f9e794323b453885f5181f1b624d0b-2"',
      checksum: await crcOf(file),
      checksumAlgorithm: 'CRC32',
    });
    h.api.existingKeys.add('forged-2.txt');
    const file2 = makeFile('forged-2.txt', 10);
    h.api.existingInfo.set('forged-2.txt', {
      size: 10,
      lastModified: null,
      etag: null,
      checksum: await crcOf(file2),
      checksumAlgorithm: 'CRC32',
    });
    const [a, b] = h.manager.add([{ file }, { file: file2 }]);
    await drive(h, () => statuses(h).join() === 'conflict,conflict');
    expect(h.manager.get(a!)!.note).toBeNull();
    expect(h.manager.get(b!)!.note).toBeNull();
    expect(h.transport.requests).toHaveLength(0);
  });

  it("is done without asking when the store's algorithm was not known yet at pick time (hashed once the name is found taken)", async () => {
    // Right after the page opens the health report (the store's algorithm) has not arrived: create
    // goes without part 1's checksum, so the file is hashed when the answer says the name is taken.
    const h = setup({ partSize: 100 });
    const same = makeFile('same.txt', 10);
    const changed = makeFile('changed.txt', 10);
    const sameMd5 = makeFile('same-md5.txt', 10);
    const otherMd5 = makeFile('other-md5.txt', 10);
    const existing = {
      'same.txt': {
        checksum: await crcOf(same),
        checksumAlgorithm: 'CRC32' as const,
        etag: `"${await md5Hex(same)}"`,
      },
      'changed.txt': {
        checksum: await crcOf(makeFile('x', 10)),
        checksumAlgorithm: 'CRC32' as const,
        etag: `"${await md5Hex(makeFile('x', 10))}"`,
      },
      // A store that keeps no checksums (Ceph RGW here): a single PUT's ETag is its MD5.
      'same-md5.txt': { etag: `"${await md5Hex(sameMd5)}"` },
      'other-md5.txt': { etag: `"${await md5Hex(makeFile('y', 10))}"` },
    };
    for (const [key, info] of Object.entries(existing)) {
      h.api.existingKeys.add(key);
      h.api.existingInfo.set(key, { size: 10, lastModified: null, ...info });
    }
    const ids = h.manager.add([same, changed, sameMd5, otherMd5].map((file) => ({ file })));
    await drive(h, () => !statuses(h).some((s) => s === 'queued' || s === 'hashing'));
    expect(statuses(h)).toEqual(['done', 'conflict', 'done', 'conflict']);
    expect(ids.map((id) => h.manager.get(id!)!.note)).toEqual([
      'Already in the bucket with the same bytes, so it was not sent again.',
      null,
      'Already in the bucket with the same bytes, so it was not sent again.',
      null,
    ]);
    expect(h.api.calls.filter((c) => c.method === 'create').map((c) => c.args[0])).not.toContainEqual(
      expect.objectContaining({ firstPart: expect.anything() }),
    );
    expect(h.transport.requests).toHaveLength(0);
  });

  it('is replaced all the same under a "Replace" chosen for all (its type or metadata may be what changes)', async () => {
    const h = setup({ partSize: 100, maxActiveFiles: 2, checksumHint: () => 'CRC32' });
    const files = [makeFile('p.txt', 10), makeFile('q.txt', 10)];
    for (const f of files) {
      h.api.existingKeys.add(f.name);
      h.api.existingInfo.set(f.name, {
        size: 10,
        lastModified: null,
        etag: null,
        checksum: f.name === 'p.txt' ? 'AAAAAA==' : await crcOf(f),
        checksumAlgorithm: 'CRC32',
      });
    }
    // q's name is checked once the choice is made (a later file of the same list).
    const holds = files.map(() => h.api.hold('create'));
    const ids = h.manager.add(files.map((file) => ({ file })));
    holds[0]!.release();
    await until(() => h.manager.get(ids[0]!)?.status === 'conflict');
    h.manager.resolveAllConflicts('replace');
    for (const hold of holds) hold.release();
    await drive(h, () => statuses(h).join() === 'done,done');
    expect(h.transport.requests.length).toBe(2);
    expect(ids.map((id) => h.manager.get(id)!.note)).toEqual([null, null]);
  });
});

describe('UploadManager: a name taken by the same bytes, uploaded in parts', () => {
  const MiB = 1024 ** 2;
  const etagOf = multipartEtagOf;
  const taken = (h: ReturnType<typeof setup>, key: string, size: number, etag: string) => {
    h.api.existingKeys.add(key);
    h.api.existingInfo.set(key, { size, lastModified: null, etag });
  };

  it("is done without asking or sending when its parts make the object's ETag (Hoist's parts, or the AWS CLI's); the row says it compares", async () => {
    const h = setup({ partSize: 5 * MiB, checksumHint: () => 'CRC32', notifyIntervalMs: 0 });
    const ours = makeFile('ours.bin', 12 * MiB); // 3 parts of 5 MiB, as Hoist sends it
    const cli = makeFile('cli.bin', 20 * MiB); // 3 parts of 8 MiB, as aws s3 cp sends it
    const changed = makeFile('changed.bin', 12 * MiB);
    taken(h, 'ours.bin', ours.size, await etagOf(ours, 5 * MiB));
    taken(h, 'cli.bin', cli.size, await etagOf(cli, 8 * MiB));
    taken(h, 'changed.bin', changed.size, await etagOf(makeFile('other', 12 * MiB), 5 * MiB));
    const compared = new Map<string, number[]>();
    h.manager.subscribe(() => {
      for (const item of h.manager.getSnapshot().items)
        if (item.comparing !== null)
          compared.set(item.name, [...(compared.get(item.name) ?? []), item.comparing]);
    });
    const ids = h.manager.add([ours, cli, changed].map((file) => ({ file })));
    await drive(h, () => !statuses(h).some((s) => s === 'queued' || s === 'hashing'));
    expect(statuses(h)).toEqual(['done', 'done', 'conflict']);
    expect(ids.map((id) => h.manager.get(id!)!.note)).toEqual([
      'Already in the bucket with the same bytes, so it was not sent again.',
      'Already in the bucket with the same bytes, so it was not sent again.',
      null,
    ]);
    expect(h.transport.requests).toHaveLength(0);
    expect(h.api.calls.filter((c) => c.method === 'abort')).toHaveLength(0);
    // Part by part, to the file's end.
    const steps = compared.get('ours.bin')!;
    expect(steps[0]).toBe(0);
    expect(steps.at(-1)).toBe(12 * MiB);
    expect(steps).toEqual([...steps].sort((x, y) => x - y));
    expect(compared.get('changed.bin')?.at(-1)).toBe(12 * MiB);
    expect(ids.map((id) => h.manager.get(id!)!.comparing)).toEqual([null, null, null]);
  });

  it("tries every common layout of the ETag's part count, and the MD5 of an object written in one request (a copy)", async () => {
    const h = setup({ partSize: 5 * MiB, checksumHint: () => 'CRC32' });
    // 10 MiB in 2 parts: Hoist's 5 MiB and the AWS CLI's 8 MiB; this one the CLI sent.
    const cli = makeFile('cli.bin', 10 * MiB);
    taken(h, 'cli.bin', cli.size, await etagOf(cli, 8 * MiB));
    // Copied (CopyObject, as Rename or Edit properties do): one MD5 over 12 MiB, and its CRC32.
    const copied = makeFile('copied.bin', 12 * MiB);
    const md5 = createHash('md5')
      .update(new Uint8Array(await copied.arrayBuffer()))
      .digest('hex');
    h.api.existingKeys.add('copied.bin');
    h.api.existingInfo.set('copied.bin', {
      size: copied.size,
      lastModified: null,
      etag: `"${md5}"`,
      checksum: await hashBlob(copied, 'CRC32'),
      checksumAlgorithm: 'CRC32',
    });
    // The same MD5, a CRC32 of other bytes: not proved.
    const crcOff = makeFile('crc-off.bin', 12 * MiB);
    h.api.existingKeys.add('crc-off.bin');
    h.api.existingInfo.set('crc-off.bin', {
      size: crcOff.size,
      lastModified: null,
      etag: `"${createHash('md5')
        .update(new Uint8Array(await crcOff.arrayBuffer()))
        .digest('hex')}"`,
      checksum: 'AAAAAA==',
      checksumAlgorithm: 'CRC32',
    });
    // Exactly 8 MiB, as the CLI sends it: one part ("…-1").
    const onePart = makeFile('one-part.bin', 8 * MiB);
    taken(h, 'one-part.bin', onePart.size, await etagOf(onePart, 8 * MiB));
    const ids = h.manager.add([cli, copied, crcOff, onePart].map((file) => ({ file })));
    await drive(h, () => !statuses(h).some((s) => s === 'queued' || s === 'hashing'));
    expect(statuses(h)).toEqual(['done', 'done', 'conflict', 'done']);
    expect(ids.map((id) => h.manager.get(id!)!.note)).toEqual([
      'Already in the bucket with the same bytes, so it was not sent again.',
      'Already in the bucket with the same bytes, so it was not sent again.',
      null,
      'Already in the bucket with the same bytes, so it was not sent again.',
    ]);
    expect(h.transport.requests).toHaveLength(0);
  });

  it('a "Replace" for all chosen while it compares replaces it, as it would have without comparing', async () => {
    // The parts' MD5s wait until the choice is made.
    let open!: () => void;
    const opened = new Promise<void>((resolve) => (open = resolve));
    const hasher: Hasher = {
      async hash(blob, algorithm, o) {
        if (algorithm === 'MD5') await opened;
        return hashBlob(blob, algorithm, o);
      },
    };
    const h = setup({ partSize: 5 * MiB, checksumHint: () => 'CRC32', maxActiveFiles: 2, hasher });
    const first = makeFile('first.txt', 10);
    h.api.existingKeys.add('first.txt');
    const same = makeFile('same.bin', 12 * MiB);
    taken(h, 'same.bin', same.size, await etagOf(same, 5 * MiB));
    const [asks, big] = h.manager.add([{ file: first }, { file: same }]);
    await until(() => h.manager.get(asks!)?.status === 'conflict' && h.manager.get(big!)?.comparing !== null);
    h.manager.resolveAllConflicts('replace');
    open();
    await drive(h, () => ['done', 'failed'].includes(h.manager.get(big!)!.status));
    expect(h.manager.get(big!)).toMatchObject({ status: 'done', note: null });
    expect(h.transport.requests.length).toBeGreaterThan(0);
  });

  it('is not read under a "Replace" or "Skip" chosen for all, nor when its size differs', async () => {
    const run = async (rule: 'replace' | 'skip' | null, size: number) => {
      const h = setup({
        partSize: 5 * MiB,
        checksumHint: () => 'CRC32',
        notifyIntervalMs: 0,
        maxActiveFiles: 2,
      });
      // A first file asks, and the choice for all is made before the big one's name is checked.
      const first = makeFile('first.txt', 10);
      h.api.existingKeys.add('first.txt');
      const file = makeFile('big.bin', size);
      taken(h, 'big.bin', 12 * MiB, await etagOf(makeFile('big.bin', 12 * MiB, 42), 5 * MiB));
      let compared = false;
      h.manager.subscribe(() => {
        compared ||= h.manager.getSnapshot().items.some((item) => item.comparing !== null);
      });
      const holds = [h.api.hold('create'), h.api.hold('create')];
      const [asks, big] = h.manager.add([{ file: first }, { file }]);
      holds[0]!.release();
      await until(() => h.manager.get(asks!)?.status === 'conflict');
      if (rule) h.manager.resolveAllConflicts(rule);
      holds[1]!.release();
      await drive(h, () => ['done', 'skipped', 'conflict'].includes(h.manager.get(big!)!.status));
      return { status: h.manager.get(big!)!.status, compared };
    };
    expect(await run('replace', 12 * MiB)).toEqual({ status: 'done', compared: false });
    expect(await run('skip', 12 * MiB)).toEqual({ status: 'skipped', compared: false });
    expect(await run(null, 12 * MiB + 1)).toEqual({ status: 'conflict', compared: false });
    // The same file with no choice made is read (and differs here: asked).
    expect(await run(null, 12 * MiB)).toEqual({ status: 'conflict', compared: true });
  });
});

describe('UploadManager: "Replace" replaces the object the user was shown', () => {
  it('an object written at the key after the choice asks again; Replace then replaces that one', async () => {
    const h = setup({ partSize: 100 });
    h.api.existingKeys.add('r.bin');
    const shown = { size: 5, lastModified: null, etag: '"shown"' };
    h.api.existingInfo.set('r.bin', shown);
    const [id] = h.manager.add([{ file: makeFile('r.bin', 350) }]);
    await until(() => h.manager.get(id!)?.status === 'conflict');
    h.manager.resolveConflict(id!, 'replace');
    // Written by someone else after the choice, while the parts go up.
    h.api.existingInfo.set('r.bin', { size: 6, lastModified: null, etag: '"later"' });
    await drive(h, () => ['conflict', 'done'].includes(h.manager.get(id!)!.status));
    expect(h.manager.get(id!)).toMatchObject({
      status: 'conflict',
      conflict: { existing: { etag: '"later"' } },
    });
    h.manager.resolveConflict(id!, 'replace');
    await drive(h, () => h.manager.get(id!)!.status === 'done');
    const completes = h.api.calls.filter((c) => c.method === 'complete').map((c) => c.args[2]);
    expect(completes).toEqual([
      { replace: true, replaceIf: '"shown"' },
      { replace: true, replaceIf: '"later"' },
    ]);
    // The parts already sent were completed again, not sent again.
    expect(h.transport.requests.map((r) => r.part.partNumber)).toEqual([1, 2, 3, 4]);
  });

  it('a "Replace" PUT refused (412) though the key still holds the object chosen fails, saying why; a Replace for all does not loop', async () => {
    const h = setup({ partSize: 1000 });
    h.api.existingKeys.add('q.txt');
    h.api.existingInfo.set('q.txt', { size: 5, lastModified: null, etag: '"shown"' });
    const [id] = h.manager.add([{ file: makeFile('q.txt', 10) }]);
    await until(() => h.manager.get(id!)?.status === 'conflict');
    h.manager.resolveAllConflicts('replace');
    const put = await h.transport.nextRequest();
    put.fail(new UploadError('key-exists', 'Precondition failed.', { status: 412 }));
    await until(() => h.manager.get(id!)?.status === 'failed');
    expect(h.manager.get(id!)!.error).toMatchObject({
      code: 'replace-refused',
      message: expect.stringContaining('does not take the If-Match condition'),
    });
    expect(h.transport.requests).toHaveLength(1);
  });

  it('a single PUT refused (412) because the object changed after the choice asks again', async () => {
    const h = setup({ partSize: 1000 });
    h.api.existingKeys.add('s.txt');
    h.api.existingInfo.set('s.txt', { size: 5, lastModified: null, etag: '"shown"' });
    const [id] = h.manager.add([{ file: makeFile('s.txt', 10) }]);
    await until(() => h.manager.get(id!)?.status === 'conflict');
    h.manager.resolveConflict(id!, 'replace');
    const put = await h.transport.nextRequest();
    h.api.existingInfo.set('s.txt', { size: 6, lastModified: null, etag: '"later"' });
    put.fail(new UploadError('key-exists', 'An object appeared at the key.', { status: 412 }));
    await until(() => h.manager.get(id!)?.status === 'conflict');
    expect(h.manager.get(id!)!.conflict).toMatchObject({ existing: { etag: '"later"' } });
    const creates = h.api.calls.filter((c) => c.method === 'create').map((c) => c.args[0]);
    expect(creates.map((c) => (c as { replaceIf?: string }).replaceIf)).toEqual([
      undefined,
      '"shown"',
      undefined,
    ]);
  });
});
