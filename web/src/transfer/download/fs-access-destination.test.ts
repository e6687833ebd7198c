import { describe, expect, it, vi } from 'vitest';
import { DownloadManager } from './download-manager.ts';
import { createFileSystemDestination, partialName } from './fs-access-destination.ts';
import { FakeApi, bytes, instantClock } from './testing/fake-api.ts';
import { FakeDirectory } from './testing/fake-fs-access.ts';
import { ScriptedFetch } from './testing/scripted-fetch.ts';
import { sharedLocks } from '../shared/testing/shared-locks.ts';

const enc = (s: string) => new TextEncoder().encode(s);

/**
 * "Downloads" and "Downloads/photos", each picked for a download (the inner one knows it lies in the
 * outer), with a manager that downloads through `net`.
 */
async function nestedFolders(api: FakeApi, net: ScriptedFetch) {
  const downloads = new FakeDirectory('Downloads');
  const photos = await downloads.getDirectoryHandle('photos', { create: true });
  const manager = new DownloadManager(api, { fetch: net.fetch, clock: instantClock().clock });
  const item = (id: string | undefined) => manager.getSnapshot().items.find((i) => i.id === id)!;
  const outer = createFileSystemDestination(downloads.asHandle());
  const inner = createFileSystemDestination(photos.asHandle(), {
    overlaps: [{ destination: outer, relation: 'inside', path: 'photos' }],
  });
  return { downloads, photos, manager, item, outer, inner };
}

describe('createFileSystemDestination', () => {
  it('creates nested folders and writes at offsets, committed on close', async () => {
    const root = new FakeDirectory();
    const dest = createFileSystemDestination(root.asHandle());
    const file = await dest.openFile('a/b/c.txt', { size: 6 });
    await file.write(3, enc('def'));
    await file.write(0, enc('abc'));
    expect(root.text('a/b/c.txt')).toBeUndefined(); // not under its name until complete
    expect(root.list()).toEqual(['a/', 'a/b/', 'a/b/c.txt.hoist-partial']);
    await file.close();
    expect(root.text('a/b/c.txt')).toBe('abcdef');
    expect(await dest.stat('a/b/c.txt')).toEqual({ size: 6 });
    expect(await dest.stat('a/b')).toBeNull(); // a folder is not a file
    expect(await dest.stat('x/y.txt')).toBeNull();
    expect(root.list()).toEqual(['a/', 'a/b/', 'a/b/c.txt']);
  });

  it('writes under a partial name, so an unfinished download never looks like the file', async () => {
    const root = new FakeDirectory();
    const dest = createFileSystemDestination(root.asHandle());
    const old = await dest.openFile('r.pdf', { size: 3 });
    await old.write(0, enc('old'));
    await old.close();
    const file = await dest.openFile('r.pdf', { size: 6 });
    await file.write(0, enc('new'));
    await file.write(3, enc(' pd'));
    // A tab closed now leaves the old file whole and the new one under a name that says so.
    expect(root.text('r.pdf')).toBe('old');
    expect(root.list()).toEqual(['r.pdf', 'r.pdf.hoist-partial']);
    await file.close();
    expect(root.text('r.pdf')).toBe('new pd');
    expect(root.list()).toEqual(['r.pdf']);
  });

  it("leaves a file already at the partial name alone (a leftover or the user's own) and writes beside it", async () => {
    const root = new FakeDirectory();
    const mine = await root.getFileHandle('v.bin.hoist-partial', { create: true });
    mine.data = enc('a file of the user');
    const dest = createFileSystemDestination(root.asHandle());
    const file = await dest.openFile('v.bin', { size: 2 });
    await file.write(1, enc('k'));
    expect(root.list()).toEqual(['v.bin (1).hoist-partial', 'v.bin.hoist-partial']);
    await file.write(0, enc('o'));
    await file.close();
    expect(root.list()).toEqual(['v.bin', 'v.bin.hoist-partial']);
    expect(root.text('v.bin')).toBe('ok');
    expect(root.text('v.bin.hoist-partial')).toBe('a file of the user');
    // Cancelled, it removes its own partial file only.
    const again = await dest.openFile('v.bin', { size: 2 });
    await again.write(0, enc('n'));
    await again.abort();
    expect(root.list()).toEqual(['v.bin', 'v.bin.hoist-partial']);
  });

  it("takes the name of an empty partial file no tab holds (a closed tab's leftover), removing it; never one a tab writes, one with bytes, or any without locks", async () => {
    const locks = sharedLocks();
    const root = new FakeDirectory();
    await root.getFileHandle('v.bin.hoist-partial', { create: true }); // a reloaded tab's, empty
    const mine = await root.getFileHandle('w.bin.hoist-partial', { create: true });
    mine.data = enc('a file of the user');
    const tab1 = createFileSystemDestination(root.asHandle(), { locks: locks.tab() });
    const v = await tab1.openFile('v.bin', { size: 2 });
    await v.write(1, enc('k'));
    expect(root.list()).toEqual(['v.bin.hoist-partial', 'w.bin.hoist-partial']);
    // Another tab downloading the same file meanwhile: the partial file is the first tab's.
    const tab2 = createFileSystemDestination(root.asHandle(), { locks: locks.tab() });
    const v2 = await tab2.openFile('v.bin', { size: 2 });
    await v2.write(1, enc('2'));
    expect(root.list()).toContain('v.bin (1).hoist-partial');
    await v2.abort();
    await v.write(0, enc('o'));
    await v.close();
    expect(root.text('v.bin')).toBe('ok');
    // A file with bytes at the partial name is not a leftover of Hoist's: left alone.
    const w = await tab1.openFile('w.bin', { size: 2 });
    await w.write(0, enc('w'));
    expect(root.list()).toEqual(['v.bin', 'w.bin (1).hoist-partial', 'w.bin.hoist-partial']);
    await w.abort();
    expect(locks.held()).toEqual([]);
    // Without locks a leftover cannot be told from a file another tab writes: it stays.
    await root.getFileHandle('x.bin.hoist-partial', { create: true });
    const x = await createFileSystemDestination(root.asHandle()).openFile('x.bin', { size: 2 });
    await x.write(1, enc('x'));
    expect(root.list()).toContain('x.bin (1).hoist-partial');
    expect(root.list()).toContain('x.bin.hoist-partial');
  });

  it('never takes over the partial file of a download into a folder picked around this one (its locks are named otherwise): the browser refuses to remove a file being written', async () => {
    const locks = sharedLocks();
    const downloads = new FakeDirectory('Downloads');
    const photos = await downloads.getDirectoryHandle('photos', { create: true });
    // "Downloads" picked in one tab, "Downloads/photos" in another: one file, two lock names.
    const outer = await createFileSystemDestination(downloads.asHandle(), { locks: locks.tab() }).openFile(
      'photos/x.jpg',
      { size: 2 },
    );
    await outer.write(1, enc('k'));
    expect(photos.list()).toEqual(['x.jpg.hoist-partial']); // empty until it is closed, as a leftover
    const inner = await createFileSystemDestination(photos.asHandle(), { locks: locks.tab() }).openFile(
      'x.jpg',
      { size: 2 },
    );
    await inner.write(1, enc('2'));
    expect(photos.list()).toEqual(['x.jpg (1).hoist-partial', 'x.jpg.hoist-partial']);
    await outer.write(0, enc('o'));
    await outer.close();
    expect(downloads.text('photos/x.jpg')).toBe('ok');
    await inner.write(0, enc('#'));
    await inner.close();
    expect(photos.list()).toEqual(['x.jpg']);
    expect(locks.held()).toEqual([]);
  });

  it('a download into a folder picked inside or around another one downloading waits for the file they share, then asks about it', async () => {
    const api = new FakeApi();
    const net = new ScriptedFetch();
    api.put('photos/x.jpg', 'from photos/');
    api.put('backup/x.jpg', 'from backup/, longer');
    const { downloads, photos, manager, item, outer, inner } = await nestedFolders(api, net);
    // "photos/" into Downloads, then "backup/x.jpg" into Downloads/photos: one file, Downloads/photos/x.jpg.
    const [first] = manager.start([api.entry('photos/x.jpg')], outer);
    const held = await net.nextRequest();
    const [second] = manager.start([api.entry('backup/x.jpg')], inner, { prefix: 'backup/' });
    await vi.waitFor(() => expect(item(second)).toMatchObject({ status: 'queued', behind: first }));
    expect(net.requests).toHaveLength(1);
    api.server()(held);
    net.autoRespond = api.server();
    await manager.whenIdle();
    expect(photos.text('x.jpg')).toBe('from photos/');
    expect(item(second)).toMatchObject({ status: 'exists', existingSize: 'from photos/'.length });
    manager.resolveExisting(second!, 'keep-both');
    await manager.whenIdle();
    expect(item(second)).toMatchObject({ status: 'done', relativePath: 'x (1).jpg' });

    // The other way round: Downloads picked after Downloads/photos.
    net.autoRespond = null;
    const [third] = manager.start([api.entry('backup/x.jpg')], inner, { prefix: 'backup/' });
    await vi.waitFor(() => expect(item(third)?.status).toBe('exists'));
    manager.resolveExisting(third!, 'replace');
    const replacing = await net.nextRequest();
    const around = createFileSystemDestination(downloads.asHandle(), {
      overlaps: [{ destination: inner, relation: 'around', path: 'photos' }],
    });
    const [fourth] = manager.start([api.entry('photos/x.jpg')], around);
    await vi.waitFor(() => expect(item(fourth)).toMatchObject({ status: 'queued', behind: third }));
    api.server()(replacing);
    net.autoRespond = api.server();
    await manager.whenIdle();
    expect(photos.text('x.jpg')).toBe('from backup/, longer');
    expect(item(fourth)).toMatchObject({ status: 'exists', existingSize: 'from backup/, longer'.length });
    expect(photos.list()).toEqual(['x (1).jpg', 'x.jpg']);
  });

  it('two tabs downloading one object into one folder at once each end with the whole file: a small one in one write (no partial name, no lock) as a ranged one', async () => {
    for (const size of [20, 100]) {
      const api = new FakeApi();
      const data = bytes(size, size);
      api.put('x.bin', data);
      const root = new FakeDirectory('Downloads');
      const locks = sharedLocks();
      const tabs = [0, 1].map(() => {
        const net = new ScriptedFetch();
        const manager = new DownloadManager(api, {
          fetch: net.fetch,
          clock: instantClock().clock,
          rangeThreshold: 64,
          rangeSize: 16,
        });
        manager.start(
          [api.entry('x.bin')],
          createFileSystemDestination(root.asHandle(), { locks: locks.tab() }),
        );
        return { net, manager };
      });
      // Both asked for it before either wrote a byte: neither found a file to ask about.
      await Promise.all(tabs.map((t) => t.net.nextRequest()));
      for (const t of tabs) {
        t.net.autoRespond = api.server();
        for (const request of t.net.requests) if (!request.answered) api.server()(request);
      }
      await Promise.all(tabs.map((t) => t.manager.whenIdle()));
      for (const t of tabs) expect(t.manager.getSnapshot().items.map((i) => i.status)).toEqual(['done']);
      // Each wrote its own swap file, committed whole: the last one's replaced the first's.
      expect(root.list()).toEqual(['x.bin']);
      expect((await root.getFileHandle('x.bin')).data).toEqual(data);
      expect(locks.held()).toEqual([]);
    }
  });

  it('gives files open at once their own partial names, also long names alike up to the cut', async () => {
    const root = new FakeDirectory();
    const dest = createFileSystemDestination(root.asHandle());
    const stem = 'x'.repeat(250);
    const a = await dest.openFile(`${stem}-a.bin`, { size: 2 });
    const b = await dest.openFile(`${stem}-b.bin`, { size: 2 });
    await Promise.all([a.write(0, enc('a')), b.write(0, enc('b'))]);
    expect(root.list()).toHaveLength(2);
    await a.write(1, enc('1'));
    await b.write(1, enc('2'));
    await b.abort(); // removes b's partial, never a's
    await a.close();
    expect(root.list()).toEqual([`${stem}-a.bin`]);
    expect(root.text(`${stem}-a.bin`)).toBe('a1');
    // The name is free again once its file is gone.
    const c = await dest.openFile(`${stem}-c.bin`, { size: 2 });
    await c.write(0, enc('c'));
    expect(root.list()).toEqual([`${stem}-a.bin`, partialName(`${stem}-c.bin`)].sort());
  });

  it('keeps both objects when the bucket holds "v.bin" and "v.bin.hoist-partial", downloaded at once', async () => {
    const root = new FakeDirectory();
    const api = new FakeApi();
    const net = new ScriptedFetch();
    const big = bytes(40, 1);
    api.put('v.bin', big, 'va');
    api.put('v.bin.hoist-partial', 'tiny', 'vb');
    const manager = new DownloadManager(api, {
      fetch: net.fetch,
      clock: instantClock().clock,
      writeBufferBytes: 8,
    });
    const ids = manager.start(
      [api.entry('v.bin'), api.entry('v.bin.hoist-partial')],
      createFileSystemDestination(root.asHandle()),
    );
    const [a, b] = await net.nextRequests(2);
    const [reqA, reqB] = a!.key === 'v.bin' ? [a!, b!] : [b!, a!];
    const bodyA = reqA.stream(200, { etag: '"va"' });
    bodyA.push(big.slice(0, 8)); // v.bin's partial file is created
    await vi.waitFor(() => expect(root.list()).toContain('v.bin.hoist-partial'));
    reqB.serve(enc('tiny'), 'vb'); // the object of that name, meanwhile, in one write
    await vi.waitFor(() =>
      expect(manager.getSnapshot().items.find((i) => i.id === ids[1])?.status).toBe('done'),
    );
    bodyA.push(big.slice(8));
    bodyA.end();
    await manager.whenIdle();
    const items = manager.getSnapshot().items;
    expect(items.map((i) => i.status)).toEqual(['done', 'done']);
    expect(items[1]?.relativePath).toBe('v.bin.hoist-partial_');
    expect(root.list()).toEqual(['v.bin', 'v.bin.hoist-partial_']);
    expect(root.text('v.bin.hoist-partial_')).toBe('tiny');
  });

  it('copies into the real name where the browser has no move()', async () => {
    const root = new FakeDirectory();
    root.noMove = true;
    const dest = createFileSystemDestination(root.asHandle());
    for (const text of ['first', 'second!']) {
      const file = await dest.openFile('d/m.txt', { size: text.length });
      await file.write(0, enc(text.slice(0, 2)));
      await file.write(2, enc(text.slice(2)));
      await file.close();
      expect(root.text('d/m.txt')).toBe(text);
      expect(root.list()).toEqual(['d/', 'd/m.txt']);
    }
  });

  it('leaves no empty file under the real name when the copy into it fails (no move())', async () => {
    const root = new FakeDirectory();
    root.noMove = true;
    const dest = createFileSystemDestination(root.asHandle());
    const file = await dest.openFile('c.txt', { size: 4 });
    await file.write(0, enc('ab'));
    await file.write(2, enc('cd'));
    await file.flush();
    root.failClose = new DOMException('The disk is full.', 'QuotaExceededError');
    await expect(file.close()).rejects.toThrow('The disk is full.');
    expect(await dest.stat('c.txt')).toBeNull();
    // A file it was replacing stays as it was.
    root.failClose = null;
    const old = await dest.openFile('c.txt', { size: 3 });
    await old.write(0, enc('old'));
    await old.close();
    const again = await dest.openFile('c.txt', { size: 4 });
    await again.write(0, enc('ne'));
    await again.write(2, enc('w!'));
    await again.flush();
    root.failClose = new DOMException('The disk is full.', 'QuotaExceededError');
    await expect(again.close()).rejects.toThrow('The disk is full.');
    expect(root.text('c.txt')).toBe('old');
  });

  it('creates nothing before the first bytes, and writes a file that comes in one write under its name', async () => {
    const root = new FakeDirectory();
    root.noMove = true;
    const dest = createFileSystemDestination(root.asHandle());
    const idle = await dest.openFile('s/idle.txt', { size: 4 });
    expect(root.list()).toEqual([]); // not even its folder: a download that fails leaves none behind
    await idle.abort();
    expect(root.list()).toEqual([]);
    const whole = await dest.openFile('s/one.txt', { size: 4 });
    await whole.write(0, enc('four'));
    expect(root.list()).toEqual(['s/', 's/one.txt']); // no partial name, no rename (move() would throw)
    expect(root.text('s/one.txt')).toBe(''); // committed only on close
    await whole.close();
    expect(root.text('s/one.txt')).toBe('four');
    const empty = await dest.openFile('s/empty.txt', { size: 0 });
    await empty.close();
    expect(root.list()).toEqual(['s/', 's/empty.txt', 's/one.txt']);
  });

  it('keeps partial names within 255 bytes, as the name', () => {
    expect(partialName('a.txt')).toBe('a.txt.hoist-partial');
    const long = 'x'.repeat(250) + '.mp4';
    expect(partialName(long)).toHaveLength(255);
    expect(partialName(long).endsWith('.hoist-partial')).toBe(true);
    // 85 Japanese characters (255 bytes) take their name, and their partial name fits too.
    const japanese = `${'東'.repeat(83)}.pdf`;
    for (const n of [0, 3]) {
      const partial = partialName(japanese, n);
      expect(new TextEncoder().encode(partial).length).toBeLessThanOrEqual(255);
      expect(partial).toMatch(n === 0 ? /^東+\.hoist-partial$/ : /^東+ \(3\)\.hoist-partial$/);
    }
  });

  it('removes the entry it created when aborted', async () => {
    const root = new FakeDirectory();
    const dest = createFileSystemDestination(root.asHandle());
    const file = await dest.openFile('d/new.txt', { size: 3 });
    await file.write(0, enc('abc'));
    await file.abort();
    expect(await dest.stat('d/new.txt')).toBeNull();
    expect(root.list()).toEqual(['d/']);
  });

  it('removes what it created when saving fails, whole or partial, and leaves a replaced file as it was', async () => {
    const root = new FakeDirectory();
    const dest = createFileSystemDestination(root.asHandle());
    const kept = await dest.openFile('kept.txt', { size: 3 });
    await kept.write(0, enc('old'));
    await kept.close();
    root.failClose = new DOMException('The disk is full.', 'QuotaExceededError');
    const whole = await dest.openFile('whole.txt', { size: 3 });
    await whole.write(0, enc('abc'));
    await expect(whole.close()).rejects.toThrow('The disk is full.');
    const partial = await dest.openFile('partial.txt', { size: 6 });
    await partial.write(0, enc('abc'));
    await partial.write(3, enc('def'));
    await expect(partial.close()).rejects.toThrow('The disk is full.');
    const replacing = await dest.openFile('kept.txt', { size: 3 });
    await replacing.write(0, enc('new'));
    await expect(replacing.close()).rejects.toThrow('The disk is full.');
    expect(root.list()).toEqual(['kept.txt']);
    expect(root.text('kept.txt')).toBe('old');
  });

  it('removes the empty file it created when no writable can be opened on it (no room for the swap file)', async () => {
    const root = new FakeDirectory();
    const dest = createFileSystemDestination(root.asHandle());
    root.failOpen = new DOMException('The disk is full.', 'QuotaExceededError');
    const whole = await dest.openFile('whole.txt', { size: 3 });
    await expect(whole.write(0, enc('abc'))).rejects.toThrow('The disk is full.');
    const partial = await dest.openFile('partial.txt', { size: 6 });
    await expect(partial.write(0, enc('abc'))).rejects.toThrow('The disk is full.');
    await whole.abort();
    await partial.abort();
    expect(root.list()).toEqual([]);
  });

  it('a file saved at the name by another tab after this download opened is never removed by its cancel', async () => {
    // Both tabs found the name free; the other one saved first, while this one's body came.
    const root = new FakeDirectory();
    const dest = createFileSystemDestination(root.asHandle());
    const mine = await dest.openFile('same.txt', { size: 3 });
    const theirs = await dest.openFile('same.txt', { size: 6 });
    await theirs.write(0, enc('theirs'));
    await theirs.close();
    await mine.write(0, enc('new'));
    await mine.flush();
    await mine.abort(); // Cancel while "Saving…"
    expect(root.list()).toEqual(['same.txt']);
    expect(root.text('same.txt')).toBe('theirs');
  });

  it('leaves a file it was replacing untouched when aborted', async () => {
    const root = new FakeDirectory();
    const dest = createFileSystemDestination(root.asHandle());
    const first = await dest.openFile('keep.txt', { size: 3 });
    await first.write(0, enc('old'));
    await first.close();
    const second = await dest.openFile('keep.txt', { size: 3 });
    await second.write(0, enc('new'));
    await second.abort();
    expect(root.text('keep.txt')).toBe('old');
    expect(root.list()).toEqual(['keep.txt']);
  });

  it('replacing a file, writes even a one-write download under a partial name: cancelled while it is checked, the old file stays', async () => {
    const root = new FakeDirectory();
    const dest = createFileSystemDestination(root.asHandle());
    for (const size of [3, 0]) {
      const first = await dest.openFile('keep.txt', { size: 3 });
      await first.write(0, enc('old'));
      await first.close();
      // "Replace": the new bytes come in one write (or none), are saved and then read back to be checked.
      const second = await dest.openFile('keep.txt', { size });
      if (size > 0) await second.write(0, enc('new'));
      await second.flush();
      expect(root.text('keep.txt')).toBe('old');
      await second.abort(); // Cancel, while "Saving…"
      expect(root.list()).toEqual(['keep.txt']);
      expect(root.text('keep.txt')).toBe('old');
      // Not cancelled, it takes the name.
      const third = await dest.openFile('keep.txt', { size });
      if (size > 0) await third.write(0, enc('new'));
      await third.close();
      expect(root.list()).toEqual(['keep.txt']);
      expect(root.text('keep.txt')).toBe(size > 0 ? 'new' : '');
    }
  });

  it('reads a flushed file back before it takes its name, and removes files', async () => {
    const root = new FakeDirectory();
    const dest = createFileSystemDestination(root.asHandle());
    const old = await dest.openFile('r.txt', { size: 2 });
    await old.write(0, enc('ok'));
    await old.close();
    const file = await dest.openFile('r.txt', { size: 2 });
    await file.write(0, enc('h'));
    await file.write(1, enc('i'));
    await file.flush();
    expect(await new Response(await file.read!()).text()).toBe('hi');
    expect(root.text('r.txt')).toBe('ok'); // not yet replaced
    await file.close();
    expect(root.text('r.txt')).toBe('hi');
    expect(root.list()).toEqual(['r.txt']);
    // Proved wrong after the flush: it goes, and the file there stays as it was.
    const wrong = await dest.openFile('r.txt', { size: 2 });
    await wrong.write(0, enc('x'));
    await wrong.write(1, enc('y'));
    await wrong.flush();
    await wrong.abort();
    expect(root.list()).toEqual(['r.txt']);
    expect(root.text('r.txt')).toBe('hi');
    await dest.remove('r.txt');
    await dest.remove('r.txt'); // already gone: fine
    expect(await dest.stat('r.txt')).toBeNull();
  });

  it('refuses paths that would step out of the folder', async () => {
    const dest = createFileSystemDestination(new FakeDirectory().asHandle());
    await expect(dest.openFile('../x', { size: 1 })).rejects.toThrow(/Unsafe/);
    await expect(dest.openFile('a/./b', { size: 1 })).rejects.toThrow(/Unsafe/);
    await expect(dest.openFile('', { size: 1 })).rejects.toThrow(/Unsafe/);
  });

  it('serves the download manager end to end, folder clash included', async () => {
    const root = new FakeDirectory();
    const api = new FakeApi();
    const net = new ScriptedFetch();
    api.put('p/a', 'object a');
    api.put('p/a/b.txt', 'object b');
    api.put('p/../evil', 'nope');
    net.autoRespond = api.server();
    const manager = new DownloadManager(api, { fetch: net.fetch });
    manager.start(
      ['p/a', 'p/a/b.txt', 'p/../evil'].map((k) => api.entry(k)),
      createFileSystemDestination(root.asHandle()),
      { prefix: 'p/' },
    );
    await manager.whenIdle();
    expect(manager.getSnapshot().totals.counts.done).toBe(3);
    expect(root.list()).toEqual(['__/', '__/evil', 'a (file)', 'a/', 'a/b.txt']);
    expect(root.text('a (file)')).toBe('object a');
  });

  it('a ranged download whose write hit the full disk finishes on Resume once there is room', async () => {
    // The browser errors a FileSystemWritableFileStream whose write fails: Resume must not go on
    // through it (every write would fail again), but through a fresh one.
    const root = new FakeDirectory();
    const api = new FakeApi();
    const net = new ScriptedFetch();
    const data = new TextEncoder().encode('0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHI');
    api.put('big', data, 'v1');
    const serve = api.server();
    net.autoRespond = (req) => {
      if (req.range === 'bytes=20-29' && root.failWrites === null && net.requests.length < 4) {
        root.failWrites = new DOMException('The disk is full.', 'QuotaExceededError');
      }
      serve(req);
    };
    const manager = new DownloadManager(api, {
      fetch: net.fetch,
      clock: instantClock().clock,
      rangeThreshold: 32,
      rangeSize: 10,
      rangeConcurrency: 1,
    });
    const [id] = manager.start([api.entry('big')], createFileSystemDestination(root.asHandle()));
    await manager.whenIdle();
    const row = () => manager.getSnapshot().items.find((i) => i.id === id);
    expect(row()).toMatchObject({ status: 'failed', error: { code: 'disk-full' } });

    root.failWrites = null;
    manager.resumeHeld();
    await new Promise((resolve) => setTimeout(resolve, 0));
    await manager.whenIdle();
    expect(row()).toMatchObject({ status: 'done' });
    expect(root.list()).toEqual(['big']);
    expect(root.text('big')).toBe(new TextDecoder().decode(data));
  });

  it("reports a folder in the way as 'write-failed'", async () => {
    const root = new FakeDirectory();
    await root.getDirectoryHandle('clash', { create: true });
    const api = new FakeApi();
    const net = new ScriptedFetch();
    api.put('clash', 'x');
    net.autoRespond = api.server();
    const manager = new DownloadManager(api, { fetch: net.fetch });
    manager.start([api.entry('clash')], createFileSystemDestination(root.asHandle()));
    await manager.whenIdle();
    expect(manager.getSnapshot().failed[0]?.error?.code).toBe('write-failed');
  });

  it('a folder download whose every object fails leaves no empty copy of the folder tree', async () => {
    const root = new FakeDirectory();
    const api = new FakeApi();
    const net = new ScriptedFetch();
    api.put('p/a/one.txt', 'one');
    api.put('p/a/b/two.txt', 'two');
    net.autoRespond = (req) => req.respond(403, '<Error><Code>AccessDenied</Code></Error>');
    const manager = new DownloadManager(api, {
      fetch: net.fetch,
      clock: instantClock().clock,
      maxRetries: 0,
    });
    manager.start(
      [api.entry('p/a/one.txt'), api.entry('p/a/b/two.txt')],
      createFileSystemDestination(root.asHandle()),
      { prefix: 'p/' },
    );
    await manager.whenIdle();
    expect(manager.getSnapshot().failed).toHaveLength(2);
    expect(root.list()).toEqual([]);
  });

  it('fails at once on a folder in the way of the file, or a file in the way of a folder, creating nothing', async () => {
    const root = new FakeDirectory();
    await (
      await root.getDirectoryHandle('a', { create: true })
    ).getDirectoryHandle('clash', { create: true });
    await root.getFileHandle('f', { create: true });
    const dest = createFileSystemDestination(root.asHandle());
    await expect(dest.openFile('a/clash', { size: 3 })).rejects.toThrow();
    await expect(dest.openFile('f/x/y.txt', { size: 3 })).rejects.toThrow();
    expect(root.list()).toEqual(['a/', 'a/clash/', 'f']);
  });
});

describe('nested folders: a cancelled and removed row', () => {
  it('a "keep both" copy never takes the name a download in the folder around it is writing', async () => {
    const api = new FakeApi();
    const net = new ScriptedFetch();
    api.put('photos/x (1).jpg', 'the object x (1).jpg');
    api.put('backup/x (1).jpg', 'another x (1).jpg');
    api.put('backup/x.jpg', 'a copy of x.jpg');
    const { photos, manager, item, outer, inner } = await nestedFolders(api, net);
    // The user's own Downloads/photos/x.jpg.
    const own = await inner.openFile('x.jpg', { size: 3 });
    await own.write(0, enc('own'));
    await own.close();

    // "photos/" into Downloads: its "x (1).jpg" is on its way (its body not here yet).
    const [first] = manager.start([api.entry('photos/x (1).jpg')], outer);
    await net.nextRequest();
    // "backup/x (1).jpg" into Downloads/photos waits for it; cancelled, its row removed.
    const [second] = manager.start([api.entry('backup/x (1).jpg')], inner, { prefix: 'backup/' });
    await vi.waitFor(() => expect(item(second)).toMatchObject({ status: 'queued', behind: first }));
    manager.cancel(second!);
    manager.remove(second!);
    // "backup/x.jpg" into Downloads/photos finds the user's x.jpg: "Keep both".
    const [third] = manager.start([api.entry('backup/x.jpg')], inner, { prefix: 'backup/' });
    await vi.waitFor(() => expect(item(third)?.status).toBe('exists'));
    manager.resolveExisting(third!, 'keep-both');
    await vi.waitFor(() => expect(item(third)?.status).not.toBe('exists'));
    net.autoRespond = api.server();
    for (const request of net.requests) if (!request.answered) api.server()(request);
    await manager.whenIdle();
    // Both objects kept: the copy is not named as the file the first download writes.
    expect(item(first)).toMatchObject({ status: 'done', relativePath: 'photos/x (1).jpg' });
    expect(item(third)).toMatchObject({ status: 'done', relativePath: 'x (2).jpg' });
    expect(photos.text('x (1).jpg')).toBe('the object x (1).jpg');
    expect(photos.text('x (2).jpg')).toBe('a copy of x.jpg');
  });
});
