import { describe, expect, it } from 'vitest';
import { hashBlob, type Hasher } from '../shared/hasher.ts';
import { canRetry, cancelledByCancelAll } from './upload-state.ts';
import {
  KEPT_SETTINGS_NOTE,
  OTHER_SETTINGS_NOTE,
  SENT_BY_OTHER_TAB_NOTE,
  TAKEN_OVER_NOTE,
} from './upload-notes.ts';
import { MemoryJournal } from './journal.ts';
import { UploadError } from './upload-error.ts';
import { drive, makeFile, settle, setup, statuses, until } from './testing/setup.ts';

/** Web Locks shared by the "tabs" of a test: `held` is what is taken now. */
/** Web Locks shared by the "tabs" of a test: taken if free, or waited for until released. */
function tabLocks() {
  const held = new Set<string>();
  const waiters: { name: string; take: () => void }[] = [];
  const release = (name: string) => () => {
    held.delete(name);
    const next = waiters.findIndex((w) => w.name === name);
    if (next >= 0) waiters.splice(next, 1)[0]!.take();
  };
  const locks = {
    acquire: (name: string) => Promise.resolve(held.has(name) ? null : (held.add(name), release(name))),
    held: (name: string) => Promise.resolve(held.has(name)),
    wait: (name: string, { signal }: { signal?: AbortSignal } = {}) =>
      new Promise<() => void>((resolve, reject) => {
        if (!held.has(name)) {
          held.add(name);
          resolve(release(name));
          return;
        }
        const waiter = {
          name,
          take: () => {
            held.add(name);
            resolve(release(name));
          },
        };
        waiters.push(waiter);
        signal?.addEventListener('abort', () => {
          waiters.splice(waiters.indexOf(waiter), 1);
          reject(signal.reason);
        });
      }),
  };
  return { held, locks };
}

/**
 * Tab A sends "l.bin" (part 1 of 3 answered, the lock held); tab B, sharing its journal and locks, is
 * given the same file and waits for tab A.
 */
async function secondTabWaiting(journal = new MemoryJournal()) {
  const { held, locks } = tabLocks();
  const tabA = setup({ partSize: 100, journal, locks });
  tabA.manager.add([{ file: makeFile('l.bin', 300, 5) }]);
  (await tabA.transport.nextRequest()).respond();
  await settle(10);
  expect(held.size).toBe(1);
  const tabB = setup({ partSize: 100, journal, locks, after: tabA });
  const [id] = tabB.manager.add([{ file: makeFile('l.bin', 300, 5) }]);
  await until(() => tabB.manager.get(id!)?.waiting === 'other-tab');
  return { held, tabA, tabB, id };
}

const signedBatches = (h: ReturnType<typeof setup>) =>
  h.api.calls
    .filter((c) => c.method === 'signParts')
    .map((c) => (c.args[1] as { partNumber: number }[]).map((p) => p.partNumber));

describe('UploadManager: re-signing and re-hashing', () => {
  it('re-signs the URL after an expired-URL 403 and sends the part again', async () => {
    const h = setup({ partSize: 100 });
    const [id] = h.manager.add([{ file: makeFile('e.bin', 100) }]);
    const first = await h.transport.nextRequest();
    first.fail(new UploadError('expired-url', 'expired', { status: 403 }));
    const second = await h.transport.nextRequest();
    expect(second.part.partNumber).toBe(1);
    expect(second.part.url).not.toBe(first.part.url);
    expect(signedBatches(h)).toEqual([[1], [1]]);
    second.respond();
    await drive(h, () => h.manager.get(id!)?.status === 'done');
  });

  it('re-signs after a network failure (a CORS-less 403 looks the same)', async () => {
    const h = setup({ partSize: 100 });
    h.manager.add([{ file: makeFile('n.bin', 100) }]);
    const first = await h.transport.nextRequest();
    first.fail(new UploadError('network', 'Failed to fetch', { status: 0 }));
    const second = await h.transport.nextRequest();
    expect(second.part.url).not.toBe(first.part.url);
  });

  it('re-signs a URL that is within a minute of expiring before using it', async () => {
    const h = setup({ partSize: 100, concurrency: 1, stallTimeoutMs: 3_600_000 });
    h.api.urlTtlMs = 120_000;
    const [id] = h.manager.add([{ file: makeFile('t.bin', 300) }]);
    (await h.transport.nextRequest()).respond();
    const second = await h.transport.nextRequest();
    expect(signedBatches(h)).toEqual([[1], [2, 3]]);
    await h.clock.advance(70_000);
    second.respond();
    (await h.transport.nextRequest()).respond();
    await drive(h, () => h.manager.get(id!)?.status === 'done');
    expect(signedBatches(h)).toEqual([[1], [2, 3], [3]]);
  });

  it("measures a part URL's life by the server's clock: a browser clock 20 minutes off signs no more", async () => {
    for (const offset of [-20 * 60_000, 20 * 60_000]) {
      const h = setup({ partSize: 100, concurrency: 1, stallTimeoutMs: 3_600_000 });
      h.api.urlTtlMs = 15 * 60_000;
      h.api.serverClockOffsetMs = offset;
      const [id] = h.manager.add([{ file: makeFile('skew.bin', 500) }]);
      for (let i = 0; i < 5; i++) (await h.transport.nextRequest()).respond();
      await drive(h, () => h.manager.get(id!)?.status === 'done');
      // As with both clocks alike: part 1 alone, then the rest in batches; no part signed twice.
      expect(signedBatches(h).flat().sort()).toEqual([1, 2, 3, 4, 5]);
    }
  });

  it('hashes the part again and re-sends it after a bad digest', async () => {
    const hashed = new Map<number, number>();
    const file = makeFile('d.bin', 300);
    const hasher: Hasher = {
      hash: async (blob, algorithm, o) => {
        const part = blob.size === 100 ? 0 : -1;
        hashed.set(part, (hashed.get(part) ?? 0) + 1);
        return hashBlob(blob, algorithm, o);
      },
    };
    const h = setup({ partSize: 300, hasher });
    const [id] = h.manager.add([{ file }]);
    const first = await h.transport.nextRequest();
    expect(hashed.get(-1)).toBe(1);
    first.fail(new UploadError('bad-digest', 'BadDigest', { status: 400 }));
    const second = await h.transport.nextRequest();
    expect(hashed.get(-1)).toBe(2);
    expect(second.part.headers).toEqual(first.part.headers);
    second.respond();
    await drive(h, () => h.manager.get(id!)?.status === 'done');
  });

  it('throttled by the store (429, 503 SlowDown), fewer parts are sent at once; they grow back as parts go through', async () => {
    const h = setup({ partSize: 100, concurrency: 4 });
    const [id] = h.manager.add([{ file: makeFile('slow.bin', 1200) }]);
    (await h.transport.nextRequest()).respond(); // slow start: one part, then four at once
    await until(() => h.transport.inFlight.size === 4);
    const [throttled] = h.transport.inFlight;
    throttled!.fail(
      new UploadError('throttled', 'SlowDown: please reduce your request rate.', { status: 503 }),
    );
    await h.clock.advance(5_000);
    await settle(20);
    // Half of 4: the retry waits while the other three are still in flight.
    expect(h.transport.inFlight.size).toBe(3);
    const [next] = h.transport.inFlight;
    next!.respond();
    await until(() => h.transport.inFlight.size === 3);
    await settle(20);
    expect(h.transport.inFlight.size).toBe(3); // one more per part sent, as after a stall
    await drive(h, () => h.manager.get(id!)?.status === 'done');
  });

  it('parts throttled together are one signal: halved once, not once per answer', async () => {
    const h = setup({ partSize: 100, concurrency: 4 });
    const [id] = h.manager.add([{ file: makeFile('burst.bin', 1200) }]);
    (await h.transport.nextRequest()).respond();
    await until(() => h.transport.inFlight.size === 4);
    const [a, b, other] = h.transport.inFlight;
    for (const r of [a!, b!]) r.fail(new UploadError('throttled', 'SlowDown', { status: 503 }));
    await h.clock.advance(5_000);
    await settle(20);
    expect(h.transport.inFlight.size).toBe(2); // at the limit of 2: both retries wait
    other!.respond();
    // 3 now (not 2, as after two cuts to 1): both retries go beside the one left.
    await until(() => h.transport.inFlight.size === 3);
    await settle(20);
    expect(h.transport.inFlight.size).toBe(3);
    await drive(h, () => h.manager.get(id!)?.status === 'done');
  });

  it('a Complete refused for a part the store lost (409 parts-missing) sends that part again, once, and completes', async () => {
    const h = setup({ partSize: 100, concurrency: 1 });
    h.transport.auto = () => 'ok';
    const held = h.api.hold('complete');
    const [id] = h.manager.add([{ file: makeFile('lost.bin', 300) }]);
    await held.reached;
    const upload = [...h.api.uploads.values()][0]!;
    upload.parts.delete(2); // lost on the store after its 200
    const sent = h.transport.requests.length;
    held.release();
    await drive(h, () => h.manager.get(id!)!.status === 'done');
    expect(h.transport.requests.slice(sent).map((r) => r.part.partNumber)).toEqual([2]);
    expect(h.api.count('complete')).toBe(2);
    expect(upload.state).toBe('completed');
  });

  it('a Complete refused again for the same parts fails the row, saying why', async () => {
    const h = setup({ partSize: 100, concurrency: 1 });
    h.transport.auto = () => 'ok';
    const holds = [h.api.hold('complete'), h.api.hold('complete')];
    const [id] = h.manager.add([{ file: makeFile('lost.bin', 300) }]);
    for (const held of holds) {
      await held.reached;
      [...h.api.uploads.values()][0]!.parts.delete(3);
      held.release();
    }
    await drive(h, () => h.manager.get(id!)!.status === 'failed');
    expect(h.manager.get(id!)!.error).toMatchObject({ code: 'parts-missing' });
    expect(h.api.count('complete')).toBe(2);
    expect(canRetry(h.manager.get(id!)!)).toBe(true);
  });

  it('aborts a stalled part request and retries it', async () => {
    const h = setup({ partSize: 100, stallTimeoutMs: 60_000, minBytesPerSecond: 100 });
    const [id] = h.manager.add([{ file: makeFile('s.bin', 100) }]);
    const first = await h.transport.nextRequest();
    await h.clock.advance(60_500);
    expect(first.aborted).toBe(false);
    await h.clock.advance(600);
    expect(first.aborted).toBe(true);
    const second = await h.transport.nextRequest();
    second.respond();
    await drive(h, () => h.manager.get(id!)?.status === 'done');
  });
});

describe('UploadManager: pause, offline, progress', () => {
  it('pause aborts in-flight parts; resume lists parts and sends only the missing ones', async () => {
    const h = setup({ partSize: 100, concurrency: 3 });
    const [id] = h.manager.add([{ file: makeFile('p.bin', 1000) }]);
    const confirmed: number[] = [];
    for (let i = 0; i < 2; i++) {
      const request = await h.transport.nextRequest();
      request.respond();
      confirmed.push(request.part.partNumber);
    }
    await until(() => h.transport.inFlight.size === 3);
    const inFlight = [...h.transport.inFlight];
    h.manager.pause(id!);
    expect(h.manager.get(id!)).toMatchObject({ status: 'paused', bytesUploaded: 200 });
    expect(inFlight.every((r) => r.aborted)).toBe(true);
    await settle(20);
    const before = h.transport.requests.length;
    expect(h.transport.inFlight.size).toBe(0);

    h.manager.resume(id!);
    await drive(h, () => h.manager.get(id!)?.status === 'done');
    expect(h.api.count('listParts')).toBe(1);
    const resent = h.transport.requests.slice(before).map((r) => r.part.partNumber);
    const missing = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].filter((n) => !confirmed.includes(n));
    expect(resent.sort((a, b) => a - b)).toEqual(missing);
  });

  it('waits while offline without spending retries, then continues', async () => {
    const h = setup({ partSize: 100, maxRetries: 1 });
    const [id] = h.manager.add([{ file: makeFile('o.bin', 100) }]);
    for (let i = 0; i < 3; i++) {
      const request = await h.transport.nextRequest();
      h.online.set(false);
      request.fail(new UploadError('network', 'Failed to fetch', { status: 0 }));
      await settle(20);
      expect(h.transport.unclaimed).toHaveLength(0);
      expect(h.manager.get(id!)!.status).toBe('uploading');
      h.online.set(true);
    }
    (await h.transport.nextRequest()).respond();
    await drive(h, () => h.manager.get(id!)?.status === 'done');
    expect(h.online.listenerCount).toBe(0);
  });

  it('never moves progress backwards, except to take back a part S3 lost', async () => {
    const h = setup({ partSize: 100, concurrency: 2, maxRetries: 0 });
    const [id] = h.manager.add([{ file: makeFile('g.bin', 600) }]);
    const seen: number[] = [];
    const watch = () => {
      const bytes = h.manager.get(id!)!.bytesUploaded;
      if (seen.at(-1) !== bytes) seen.push(bytes);
    };
    const confirmed: number[] = [];
    for (let i = 0; i < 3; i++) {
      const request = await h.transport.nextRequest();
      request.respond();
      confirmed.push(request.part.partNumber);
      await settle(5);
      watch();
    }
    (await h.transport.nextRequest()).fail(new UploadError('http-5xx', 'boom', { status: 500 }));
    await until(() => h.manager.get(id!)?.status === 'failed');
    watch();
    expect(seen).toEqual([100, 200, 300]);
    // S3 lost a confirmed part (e.g. it was uploaded again elsewhere): retry takes its bytes back.
    [...h.api.uploads.values()][0]!.parts.delete(confirmed[1]!);
    h.manager.retry(id!);
    await until(() => h.api.count('listParts') === 1);
    await settle(5);
    watch();
    await drive(h, () => {
      watch();
      return h.manager.get(id!)?.status === 'done';
    });
    watch();
    expect(seen.slice(0, 4)).toEqual([100, 200, 300, 200]);
    const after = seen.slice(3);
    expect(after).toEqual([...after].sort((a, b) => a - b));
    expect(seen.at(-1)).toBe(600);
  });

  it('reports speed and ETA from confirmed bytes', async () => {
    const h = setup({ partSize: 1000, concurrency: 1 });
    const [id] = h.manager.add([{ file: makeFile('v.bin', 10_000) }]);
    for (let i = 0; i < 5; i++) {
      const request = await h.transport.nextRequest();
      await h.clock.advance(1000);
      request.respond();
      await settle(5);
    }
    const item = h.manager.get(id!)!;
    expect(item.bytesUploaded).toBe(5000);
    expect(item.bytesPerSecond).toBeGreaterThan(800);
    expect(item.bytesPerSecond).toBeLessThan(1100);
    expect(item.etaSeconds).toBeGreaterThanOrEqual(5);
    expect(item.etaSeconds).toBeLessThanOrEqual(7);
    expect(h.manager.getSnapshot().totals).toMatchObject({
      bytesTotal: 10_000,
      bytesUploaded: 5000,
      busy: true,
    });
  });
});

describe('UploadManager: many files', () => {
  it('uploads 1,000 small files with throttled notifications and a stable snapshot', async () => {
    const h = setup({ partSize: 1000, notifyIntervalMs: 50 });
    h.transport.auto = () => 'ok';
    let notifications = 0;
    h.manager.subscribe(() => notifications++);
    const files = Array.from({ length: 1000 }, (_, i) => ({ file: makeFile(`small-${i}.txt`, 20) }));
    const ids = h.manager.add(files);
    const first = h.manager.getSnapshot();
    expect(h.manager.getSnapshot()).toBe(first);
    const t0 = h.clock.now();
    let done = 0;
    for (let i = 0; i < 5000 && done < 1000; i++) {
      await settle(1);
      if (i % 10 === 0) await h.clock.advance(10);
      done = h.manager.getSnapshot().totals.byStatus.done;
    }
    expect(done).toBe(1000);
    await h.clock.advance(100);
    const elapsed = h.clock.now() - t0;
    expect(notifications).toBeGreaterThan(0);
    expect(notifications).toBeLessThanOrEqual(elapsed / 50 + 2);
    expect(h.transport.maxInFlight).toBeLessThanOrEqual(6);
    expect(ids.every((id) => h.manager.get(id)?.status === 'done')).toBe(true);
  }, 30_000);
});

describe('UploadManager: journal, locks, conflicts', () => {
  it('resumes after a reload with only the missing parts', async () => {
    const journal = new MemoryJournal();
    const first = setup({ partSize: 100, concurrency: 1, journal });
    const file = makeFile('j.bin', 500, 42);
    first.manager.add([{ file }]);
    (await first.transport.nextRequest()).respond();
    (await first.transport.nextRequest()).respond();
    await settle(10);
    first.manager.destroy();
    const [record] = await journal.list();
    expect(record).toMatchObject({ name: 'j.bin', size: 500, partCount: 5, key: 'j.bin' });
    expect(record!.parts.map((p) => p.partNumber)).toEqual([1, 2]);
    expect(JSON.stringify(record)).not.toContain('bytes');

    const second = setup({ partSize: 100, concurrency: 1, journal, after: first });
    expect((await second.manager.listResumable()).map((r) => r.id)).toEqual([record!.id]);
    const sameFile = makeFile('j.bin', 500, 42);
    const [id] = second.manager.add([{ file: sameFile }]);
    await drive(second, () => second.manager.get(id!)?.status === 'done');
    expect(second.api.count('create')).toBe(1);
    expect(second.api.count('listParts')).toBe(1);
    expect(second.transport.requests.map((r) => r.part.partNumber)).toEqual([3, 4, 5]);
    expect(second.manager.get(id!)).toMatchObject({ resumed: true, status: 'done' });
    await settle(10);
    expect(await journal.list()).toEqual([]);
  });

  it('a changed file picked again after a reload is a new upload, and once it completes the old unfinished one at its key is discarded', async () => {
    const journal = new MemoryJournal();
    const first = setup({ partSize: 100, concurrency: 2, journal });
    first.manager.add([{ file: makeFile('c.bin', 500, 3) }, { file: makeFile('other.bin', 500, 4) }]);
    // Parts are answered until each file has one in the journal. A record waits for the file's sampled
    // hash, which takes real time (more on a busy machine): waited for before the journal is looked at.
    const hashed = async () => {
      for (let t = 0; t < 5_000 && first.hashing() > 0; t++) await new Promise((r) => setTimeout(r, 1));
      await settle(10);
    };
    for (let i = 0; i < 6 && (await journal.list()).length < 2; i++) {
      (await first.transport.nextRequest()).respond();
      await hashed();
    }
    first.manager.destroy();
    const before = await journal.list();
    expect(before.map((r) => r.key).sort()).toEqual(['c.bin', 'other.bin']);
    const old = before.find((r) => r.key === 'c.bin')!;

    // Rewritten on disk since (new bytes and date): no record matches it, so it is a new upload.
    const second = setup({ partSize: 100, concurrency: 1, journal, after: first });
    const [id] = second.manager.add([{ file: makeFile('c.bin', 500, 9, 2_000) }]);
    await drive(second, () => second.manager.get(id!)?.status === 'done');
    expect(second.manager.get(id!)).toMatchObject({ resumed: false, key: 'c.bin' });
    await settle(10);
    // The old upload at c.bin is gone from the journal and aborted; the one at another key stays.
    expect((await second.manager.listResumable()).map((r) => r.key)).toEqual(['other.bin']);
    const aborted = second.api.calls.filter((c) => c.method === 'abort').map((c) => c.args[0]);
    expect(aborted).toEqual([old.token]);
  });

  it('…but an unfinished upload at that key running in another tab is left alone', async () => {
    const journal = new MemoryJournal();
    const { held, locks } = tabLocks();
    const tabA = setup({ partSize: 100, concurrency: 1, journal, locks });
    tabA.manager.add([{ file: makeFile('t.bin', 500, 3) }]);
    (await tabA.transport.nextRequest()).respond();
    await settle(10);
    expect(held.size).toBe(1);
    const tabB = setup({ partSize: 100, concurrency: 1, journal, locks, after: tabA });
    const [id] = tabB.manager.add([{ file: makeFile('t.bin', 500, 9, 2_000) }]);
    // Tab A's parts wait unanswered while tab B's file goes through.
    await drive(tabB, () => tabB.manager.get(id!)?.status === 'done');
    await settle(10);
    expect((await journal.list()).map((r) => r.key)).toEqual(['t.bin']);
    expect(tabB.api.count('abort')).toBe(0);
  });

  it('a resumed upload keeps the "Replace" chosen before the reload: it completes without asking again', async () => {
    const journal = new MemoryJournal();
    const first = setup({ partSize: 100, concurrency: 1, journal });
    first.api.existingKeys.add('r.bin');
    const file = makeFile('r.bin', 300, 7);
    const [before] = first.manager.add([{ file }]);
    await until(() => first.manager.get(before!)?.status === 'conflict');
    first.manager.resolveConflict(before!, 'replace');
    (await first.transport.nextRequest()).respond();
    await settle(10);
    first.manager.destroy();
    expect((await journal.list())[0]).toMatchObject({ replace: true });

    const second = setup({ partSize: 100, concurrency: 1, journal, after: first });
    const [id] = second.manager.add([{ file: makeFile('r.bin', 300, 7) }]);
    await drive(second, () => second.manager.get(id!)?.status === 'done');
    expect(second.api.calls.filter((c) => c.method === 'complete').map((c) => c.args[2])).toEqual([
      { replace: true },
    ]);
  });

  it('a file picked again after a reload with other upload settings is a new upload with them; the old one stays unfinished until it is done', async () => {
    const journal = new MemoryJournal();
    const first = setup({ partSize: 100, concurrency: 1, journal });
    const before = { contentType: 'text/plain', cacheControl: 'no-cache' };
    first.manager.add([{ file: makeFile('p.bin', 500, 42), properties: before }]);
    (await first.transport.nextRequest()).respond();
    await settle(10);
    first.manager.destroy();
    const [record] = await journal.list();
    expect(record).toMatchObject({ properties: before });

    const second = setup({ partSize: 100, concurrency: 1, journal, after: first });
    const now = { contentType: 'image/png', cacheControl: 'max-age=60', tags: { team: 'x' } };
    const [id] = second.manager.add([{ file: makeFile('p.bin', 500, 42), properties: now }]);
    await until(() => second.manager.get(id!)?.status === 'uploading');
    expect((await second.manager.listResumable()).map((r) => r.id)).toEqual([record!.id]);
    await drive(second, () => second.manager.get(id!)?.status === 'done');
    const created = second.api.calls.filter((c) => c.method === 'create');
    expect(created.map((c) => (c.args[0] as { properties?: unknown }).properties)).toEqual([before, now]);
    expect(second.manager.get(id!)).toMatchObject({ resumed: false, note: OTHER_SETTINGS_NOTE });
    expect(second.transport.requests.map((r) => r.part.partNumber)).toEqual([1, 2, 3, 4, 5]);
    await settle(10);
    expect(await second.manager.listResumable()).toEqual([]);
  });

  it('a file picked again after a reload with no upload settings (they are not kept) goes on with those it was started with', async () => {
    const journal = new MemoryJournal();
    const first = setup({ partSize: 100, concurrency: 1, journal });
    const before = { cacheControl: 'no-cache', tags: { team: 'x' } };
    first.manager.add([{ file: makeFile('r.bin', 500, 44), properties: before }]);
    (await first.transport.nextRequest()).respond();
    await settle(10);
    first.manager.destroy();

    const second = setup({ partSize: 100, concurrency: 1, journal, after: first });
    const [id] = second.manager.add([{ file: makeFile('r.bin', 500, 44) }]);
    await drive(second, () => second.manager.get(id!)?.status === 'done');
    expect(second.api.count('create')).toBe(1);
    expect(second.manager.get(id!)).toMatchObject({ resumed: true, note: KEPT_SETTINGS_NOTE });
    expect(second.transport.requests.map((r) => r.part.partNumber)).toEqual([2, 3, 4, 5]);
  });

  it('…and when that unfinished upload had expired, the new one is made with those settings too', async () => {
    const journal = new MemoryJournal();
    const first = setup({ partSize: 100, concurrency: 1, journal });
    first.api.tokenTtlMs = 10_000;
    const before = { cacheControl: 'no-cache', tags: { team: 'x' } };
    first.manager.add([{ file: makeFile('s.bin', 500, 45), properties: before }]);
    (await first.transport.nextRequest()).respond();
    await settle(10);
    first.manager.destroy();
    await first.clock.advance(10_000);

    const second = setup({ partSize: 100, concurrency: 1, journal, after: first });
    const [id] = second.manager.add([{ file: makeFile('s.bin', 500, 45) }]);
    await drive(second, () => second.manager.get(id!)?.status === 'done');
    const created = second.api.calls.filter((c) => c.method === 'create');
    expect(created.map((c) => (c.args[0] as { properties?: unknown }).properties)).toEqual([before, before]);
    expect(second.manager.get(id!)).toMatchObject({ resumed: false });
  });

  it('a file picked again after a reload with the same upload settings resumes (metadata in any order)', async () => {
    const journal = new MemoryJournal();
    const first = setup({ partSize: 100, concurrency: 1, journal });
    const file = makeFile('q.bin', 300, 43);
    first.manager.add([{ file, properties: { cacheControl: 'no-cache', metadata: { a: '1', b: '2' } } }]);
    (await first.transport.nextRequest()).respond();
    await settle(10);
    first.manager.destroy();

    const second = setup({ partSize: 100, concurrency: 1, journal, after: first });
    const properties = { metadata: { b: '2', a: '1' }, cacheControl: 'no-cache' };
    const [id] = second.manager.add([{ file: makeFile('q.bin', 300, 43), properties }]);
    await drive(second, () => second.manager.get(id!)?.status === 'done');
    expect(second.api.count('create')).toBe(1);
    expect(second.manager.get(id!)).toMatchObject({ resumed: true });
  });

  it('refuses a different file with the same name, size and date', async () => {
    const journal = new MemoryJournal();
    const first = setup({ partSize: 100, journal });
    first.manager.add([{ file: makeFile('k.bin', 500, 1) }]);
    (await first.transport.nextRequest()).respond();
    await settle(10);
    first.manager.destroy();

    const second = setup({ partSize: 100, journal, after: first });
    const [id] = second.manager.add([{ file: makeFile('k.bin', 500, 2) }]);
    await until(() => second.manager.get(id!)?.status === 'failed');
    expect(second.manager.get(id!)!.error!.code).toBe('not-same-file');
    expect(second.transport.requests).toHaveLength(0);
    expect(second.api.count('create')).toBe(1);

    const [record] = await journal.list();
    await second.manager.discard(record!.id);
    expect(second.api.count('abort')).toBe(1);
    expect(await journal.list()).toEqual([]);
  });

  it('waits while another tab sends the upload, and goes on with it by itself once that tab lets it go', async () => {
    const { held, tabA, tabB, id } = await secondTabWaiting();
    await settle(10);
    expect(tabB.manager.get(id!)).toMatchObject({ error: null, waiting: 'other-tab' });
    expect(tabB.api.count('listParts')).toBe(0);
    expect(tabB.transport.requests).toHaveLength(0);

    tabA.manager.destroy(); // the tab closed: its upload stays in the journal
    await drive(tabB, () => tabB.manager.get(id!)?.status === 'done');
    expect(tabB.manager.get(id!)!.waiting).toBeNull();
    // Went on with the upload tab A started: part 1 was not sent again.
    expect(tabB.transport.requests.map((r) => r.part.partNumber).sort()).toEqual([2, 3]);
    expect(held.size).toBe(0);
  });

  it('a file waiting for another tab that finishes it is done too, not asked about its name', async () => {
    const { held, tabA, tabB, id } = await secondTabWaiting();
    const [a] = tabA.manager.getSnapshot().items;
    await drive(tabA, () => tabA.manager.get(a!.id)?.status === 'done');
    await drive(tabB, () => ['done', 'conflict', 'failed'].includes(tabB.manager.get(id!)!.status));
    expect(tabB.manager.get(id!)).toMatchObject({
      status: 'done',
      key: 'l.bin',
      note: SENT_BY_OTHER_TAB_NOTE,
    });
    expect(tabB.transport.requests).toHaveLength(0);
    // Told by the stored parts' checksums, which the file's hashes matched; nothing was completed again.
    const checks = tabB.api.calls.filter(
      (c) => c.method === 'complete' && (c.args[2] as { check?: boolean }).check,
    );
    expect(checks).toHaveLength(1);
    expect(held.size).toBe(0);
  });

  it('…but one whose other tab cancelled it, with an object of its size put at the key meanwhile, is asked', async () => {
    const { tabA, tabB, id } = await secondTabWaiting();
    const [a] = tabA.manager.getSnapshot().items;
    tabA.manager.cancel(a!.id);
    await drive(tabA, () => tabA.manager.get(a!.id)?.status === 'cancelled');
    tabA.api.existingKeys.add('l.bin'); // another tool's object, the same size
    tabA.api.existingInfo.set('l.bin', { size: 300, lastModified: null, etag: '"other"' });
    await drive(tabB, () => ['done', 'conflict', 'failed'].includes(tabB.manager.get(id!)!.status));
    expect(tabB.manager.get(id!)).toMatchObject({ status: 'conflict' });
    expect(tabB.api.calls.filter((c) => c.method === 'complete')).toHaveLength(1); // the check, said no
  });

  it('a file waiting for another tab can be paused, which stops the wait', async () => {
    const { held, tabA, tabB, id } = await secondTabWaiting();
    tabB.manager.pause(id!);
    await until(() => tabB.manager.get(id!)?.status === 'paused');
    expect(tabB.manager.get(id!)!.waiting).toBeNull();
    tabA.manager.destroy();
    await settle(10);
    expect(held.size).toBe(0); // tab B, paused, did not take it
    expect(tabB.transport.requests).toHaveLength(0);
  });

  it('a tab that pauses lets the tab waiting for the file take it over; resumed, it waits for that tab and is done when it finishes', async () => {
    const { held, tabA, tabB, id } = await secondTabWaiting();
    const [a] = tabA.manager.getSnapshot().items;
    tabA.manager.pause(a!.id);
    // Tab B goes on from the part tab A sent: it asks for part 2 or 3, never part 1.
    const taken = await tabB.transport.nextRequest();
    expect(taken.part.partNumber).toBeGreaterThan(1);
    expect(tabB.manager.get(id!)!.waiting).toBeNull();
    expect(held.size).toBe(1); // tab B's

    tabA.manager.resume(a!.id);
    await until(() => tabA.manager.get(a!.id)?.waiting === 'other-tab');
    const sentByA = tabA.transport.requests.length;
    taken.respond();
    await drive(tabB, () => tabB.manager.get(id!)?.status === 'done');
    expect(tabB.transport.requests.map((r) => r.part.partNumber).sort()).toEqual([2, 3]);
    await drive(tabA, () => ['done', 'conflict', 'failed'].includes(tabA.manager.get(a!.id)!.status));
    expect(tabA.manager.get(a!.id)).toMatchObject({
      status: 'done',
      key: 'l.bin',
      note: SENT_BY_OTHER_TAB_NOTE,
    });
    expect(tabA.transport.requests).toHaveLength(sentByA); // nothing sent again
    expect(held.size).toBe(0);
  });

  it('…and cancelling the paused row there cancels only that row: the upload goes on in the tab that took it over', async () => {
    const journal = new MemoryJournal();
    const { held, tabA, tabB, id } = await secondTabWaiting(journal);
    const [a] = tabA.manager.getSnapshot().items;
    tabA.manager.pause(a!.id);
    const taken = await tabB.transport.nextRequest();
    tabA.manager.cancel(a!.id);
    await until(() => tabA.manager.get(a!.id)?.status === 'cancelled');
    expect(tabA.manager.get(a!.id)!.note).toBe(TAKEN_OVER_NOTE);
    expect(tabA.api.count('abort')).toBe(0);
    expect(await journal.list()).toHaveLength(1); // tab B's to finish
    taken.respond();
    await drive(tabB, () => tabB.manager.get(id!)?.status === 'done');
    expect(await journal.list()).toEqual([]);
    expect(held.size).toBe(0);
  });

  it('a paused upload nobody took over is resumed from its parts, its lock taken again; cancelled, it is aborted', async () => {
    const journal = new MemoryJournal();
    const { held, locks } = tabLocks();
    const h = setup({ partSize: 100, concurrency: 1, journal, locks });
    const [id] = h.manager.add([{ file: makeFile('p.bin', 300, 3) }]);
    (await h.transport.nextRequest()).respond();
    await h.transport.nextRequest();
    h.manager.pause(id!);
    await until(() => held.size === 0);
    h.manager.resume(id!);
    const next = await h.transport.nextRequest();
    expect(next.part.partNumber).toBe(2);
    expect(held.size).toBe(1);
    h.manager.pause(id!);
    await until(() => held.size === 0);
    h.manager.cancel(id!);
    await drive(h, () => h.manager.get(id!)?.status === 'cancelled');
    expect(h.manager.get(id!)!.note).toBeNull();
    expect(h.api.count('abort')).toBe(1);
    expect(await journal.list()).toEqual([]);
    expect(held.size).toBe(0);
  });

  it('a file picked again after its tab closed while "Completing" (the Complete went through) is done, not a name conflict', async () => {
    const journal = new MemoryJournal();
    const first = setup({ partSize: 100, journal });
    const hold = first.api.hold('complete', { applyOnAbort: true });
    first.manager.add([{ file: makeFile('closing.bin', 300, 8) }]);
    await drive(first, () => first.api.count('complete') === 1);
    await hold.reached;
    first.manager.destroy(); // the tab closes; the server completes the upload all the same
    expect(await journal.list()).toHaveLength(1);

    const second = setup({ partSize: 100, journal, after: first });
    const [id] = second.manager.add([{ file: makeFile('closing.bin', 300, 8) }]);
    await drive(second, () => second.manager.get(id!)?.status === 'done');
    expect(second.manager.get(id!)).toMatchObject({ status: 'done', key: 'closing.bin', error: null });
    expect(second.manager.get(id!)!.note).toMatch(/completed before/);
    expect(second.api.count('create')).toBe(1); // the first tab's only: nothing was sent again
    expect(second.transport.requests).toHaveLength(0);
    expect(await journal.list()).toEqual([]);
  });

  it('uploads as usual when the journal cannot be read or written (storage blocked, data cleared)', async () => {
    const broken = new Error('The database connection is closing.');
    const journal = {
      get: () => Promise.reject(broken),
      put: () => Promise.reject(broken),
      list: () => Promise.reject(broken),
      delete: () => Promise.reject(broken),
    };
    const h = setup({ partSize: 100, journal });
    const [big, small] = h.manager.add([{ file: makeFile('j.bin', 300) }, { file: makeFile('s.bin', 50) }]);
    await drive(h, () => statuses(h).every((s) => s === 'done'));
    expect([big, small].map((id) => h.manager.get(id!)!.error)).toEqual([null, null]);
  });

  it("does not list another tab's running upload as unfinished, and will not discard it", async () => {
    const journal = new MemoryJournal();
    const { held, locks } = tabLocks();
    const tabA = setup({ partSize: 100, journal, locks });
    tabA.manager.add([{ file: makeFile('live.bin', 300, 5) }]);
    (await tabA.transport.nextRequest()).respond();
    await settle(10);
    const [record] = await journal.list();
    expect(record).toBeDefined();

    const tabB = setup({ partSize: 100, journal, locks, after: tabA });
    expect(await tabB.manager.listResumable()).toEqual([]);
    await expect(tabB.manager.discard(record!.id)).rejects.toMatchObject({ code: 'locked-elsewhere' });
    expect(tabB.api.count('abort')).toBe(0);
    expect((await journal.list()).map((r) => r.id)).toEqual([record!.id]);
    expect(held.size).toBe(1); // tab A's lock only: tab B let go of what it tried

    // Tab A gone (closed): the upload is unfinished now, and tab B may discard it.
    tabA.manager.destroy();
    expect((await tabB.manager.listResumable()).map((r) => r.id)).toEqual([record!.id]);
    await tabB.manager.discard(record!.id);
    expect(tabB.api.count('abort')).toBe(1);
    expect(await journal.list()).toEqual([]);
    expect(held.size).toBe(0);
  });

  it('does not add a file that is in the list unfinished again, and says so; once done it can be sent again', async () => {
    const h = setup({ partSize: 100, journal: new MemoryJournal() });
    const file = makeFile('twice.bin', 300);
    const ids = h.manager.add([{ file }, { file }]);
    expect(ids).toHaveLength(1);
    expect(h.manager.getSnapshot().notice).toBe(
      '“twice.bin” is already in the list, so it was not added again.',
    );
    expect(h.manager.add([{ file }])).toEqual([]);
    // Another file of the same name in another folder is another key: added.
    const other = h.manager.add([{ file, relativePath: 'sub/twice.bin' }]);
    expect(other).toHaveLength(1);
    expect(h.manager.getSnapshot().notice).toBeNull();
    await drive(h, () => [...ids, ...other].every((id) => h.manager.get(id)?.status === 'done'));
    expect(h.api.count('create')).toBe(2);
    const [again] = h.manager.add([{ file }]);
    await drive(h, () => h.manager.get(again!)?.status === 'conflict');
    h.manager.resolveConflict(again!, 'replace');
    await drive(h, () => h.manager.get(again!)?.status === 'done');
    h.manager.clearFinished();
    expect(h.manager.getSnapshot().items).toEqual([]);
  });

  it('a failed file picked again is retried in its row, from the parts already sent, not sent again beside it', async () => {
    const h = setup({ partSize: 100, concurrency: 1, journal: new MemoryJournal() });
    const file = makeFile('flaky.bin', 300);
    const [id] = h.manager.add([{ file }]);
    (await h.transport.nextRequest()).respond();
    (await h.transport.nextRequest()).fail(new UploadError('client-4xx', 'refused', { status: 400 }));
    await until(() => h.manager.get(id!)?.status === 'failed');
    const sentBefore = h.transport.requests.length;

    expect(h.manager.add([{ file }])).toEqual([]);
    expect(h.manager.getSnapshot().notice).toBe(
      '“flaky.bin” had failed: it is tried again in its row, going on from what was sent.',
    );
    await drive(h, () => h.manager.get(id!)?.status === 'done');
    expect(h.manager.getSnapshot().items).toHaveLength(1);
    expect(h.api.count('create')).toBe(1);
    // Parts 2 and 3 only: part 1 was kept.
    expect(
      h.transport.requests
        .slice(sentBefore)
        .map((r) => r.part.partNumber)
        .sort(),
    ).toEqual([2, 3]);
  });

  it('a failed file picked again for another folder, or with other settings, is a new row', async () => {
    const h = setup({ partSize: 100, concurrency: 1, journal: new MemoryJournal() });
    const file = makeFile('moved.bin', 300);
    const [id] = h.manager.add([{ file, folder: 'a/' }]);
    (await h.transport.nextRequest()).fail(new UploadError('client-4xx', 'refused', { status: 400 }));
    await until(() => h.manager.get(id!)?.status === 'failed');
    expect(h.manager.add([{ file, folder: 'b/' }])).toHaveLength(1);
    expect(h.manager.add([{ file, folder: 'a/', properties: { cacheControl: 'no-store' } }])).toHaveLength(1);
    expect(h.manager.get(id!)?.status).toBe('failed');
    expect(h.manager.getSnapshot().notice).toBeNull();
  });

  it('asks again when the key was written while the parts uploaded: replace completes the same parts', async () => {
    const h = setup({ partSize: 100 });
    const [id] = h.manager.add([{ file: makeFile('late.bin', 350) }]);
    await until(() => h.api.count('create') === 1);
    h.api.existingKeys.add('late.bin'); // another tab, the CLI, or another file of this queue
    await drive(h, () => h.manager.get(id!)?.status === 'conflict');
    expect(h.manager.get(id!)).toMatchObject({ conflict: { key: 'late.bin', suggestedKey: 'late.bin (1)' } });
    const puts = h.api.calls.length;
    h.manager.resolveConflict(id!, 'replace');
    await drive(h, () => h.manager.get(id!)?.status === 'done');
    expect(h.api.calls.slice(puts).map((c) => c.method)).toEqual(['complete']);
    expect(h.api.calls.filter((c) => c.method === 'complete').map((c) => c.args[2])).toEqual([
      { replace: false },
      { replace: true },
    ]);
    expect(h.api.count('create')).toBe(1);
  });

  it('after a late conflict, keep both aborts the upload and sends the file again under a free name; skip aborts it', async () => {
    const h = setup({ partSize: 100 });
    const [a, b] = h.manager.add([{ file: makeFile('x.bin', 350) }, { file: makeFile('y.bin', 350) }]);
    await until(() => h.api.count('create') === 2);
    h.api.existingKeys.add('x.bin');
    h.api.existingKeys.add('y.bin');
    await drive(h, () => [a, b].every((id) => h.manager.get(id!)?.status === 'conflict'));
    const [first, second] = [...h.api.uploads.values()];
    h.manager.resolveConflict(a!, 'keep-both');
    h.manager.resolveConflict(b!, 'skip');
    await drive(h, () => h.manager.get(a!)?.status === 'done' && h.manager.get(b!)?.status === 'skipped');
    expect([first!.state, second!.state]).toEqual(['aborted', 'aborted']);
    expect(h.manager.get(a!)!.key).toBe('x.bin (1)');
    expect(
      h.api.calls
        .filter((c) => c.method === 'create')
        .map((c) => (c.args[0] as { onConflict?: string }).onConflict),
    ).toEqual([undefined, undefined, 'keep-both']);
  });

  it('waits in conflict for a choice: keep both uploads beside it, skip leaves it', async () => {
    const h = setup({ partSize: 100 });
    h.api.existingKeys.add('a.txt');
    h.api.existingKeys.add('b.txt');
    const [a, b] = h.manager.add([{ file: makeFile('a.txt', 10) }, { file: makeFile('b.txt', 10) }]);
    await until(() => h.manager.get(b!)?.status === 'conflict');
    expect(h.manager.get(a!)).toMatchObject({ status: 'conflict', conflict: { suggestedKey: 'a.txt (1)' } });
    h.manager.resolveConflict(a!, 'keep-both');
    h.manager.resolveConflict(b!, 'skip');
    await drive(h, () => h.manager.get(a!)?.status === 'done');
    expect(h.manager.get(a!)!.key).toBe('a.txt (1)');
    expect(h.manager.get(b!)!.status).toBe('skipped');
    expect(h.manager.getSnapshot().totals.files).toBe(1);
  });

  it('a single PUT refused with 412 creates again: a free key uploads once, the same bytes count as done, others ask', async () => {
    const refused = () =>
      new UploadError('key-exists', 'An object with this name was created meanwhile.', { status: 412 });
    const h = setup({ partSize: 100 });
    const free = makeFile('free.txt', 10);
    const same = makeFile('same.txt', 10);
    const other = makeFile('other.txt', 10);
    const sameChecksum = await hashBlob(same, 'CRC32');
    const sameEtag = `"${Buffer.from(await hashBlob(same, 'MD5'), 'base64').toString('hex')}"`;
    // Each file's first PUT is refused. Meanwhile: nothing at free.txt any more, our own bytes at
    // same.txt (the answer to an earlier PUT was lost), someone else's at other.txt.
    const refusedOnce = new Set<string>();
    h.transport.auto = (request) => {
      const key = decodeURIComponent(new URL(request.part.url).pathname.slice(1));
      if (refusedOnce.has(key)) return 'hold';
      refusedOnce.add(key);
      if (key !== 'free.txt') h.api.existingKeys.add(key);
      if (key === 'same.txt')
        h.api.existingInfo.set(key, { size: 10, lastModified: null, etag: sameEtag, checksum: sameChecksum });
      return refused();
    };
    const ids = h.manager.add([{ file: free }, { file: same }, { file: other }]);
    await drive(h, () => statuses(h).join() === 'done,done,conflict');
    expect(h.manager.get(ids[1]!)!.note).toMatch(/already at its key/);
    for (let i = 0; i < 20; i++) await h.clock.advance(1000);
    await settle(20);
    expect(statuses(h)).toEqual(['done', 'done', 'conflict']);
    expect(h.api.count('create')).toBe(6);
    // Single PUTs: the PUT's 200 is the proof, no Complete call.
    expect(h.api.count('complete')).toBe(0);
  });

  it('a Cancel while a late conflict is being dropped for "keep both" wins', async () => {
    const h = setup({ partSize: 100 });
    const [id] = h.manager.add([{ file: makeFile('late.bin', 350) }]);
    await until(() => h.api.count('create') === 1);
    h.api.existingKeys.add('late.bin');
    await drive(h, () => h.manager.get(id!)?.status === 'conflict');
    const abort = h.api.hold('abort');
    h.manager.resolveConflict(id!, 'keep-both');
    await abort.reached;
    h.manager.cancel(id!);
    abort.release();
    await until(() => h.manager.get(id!)?.status === 'cancelled');
    await settle(20);
    expect(h.manager.get(id!)!.status).toBe('cancelled');
    expect(h.api.count('create')).toBe(1);
    expect(h.api.count('abort')).toBe(1);
  });

  it('resolves every conflict at once', async () => {
    const h = setup({ partSize: 100 });
    for (const k of ['a.txt', 'b.txt', 'c.txt']) h.api.existingKeys.add(k);
    const ids = h.manager.add(['a.txt', 'b.txt', 'c.txt'].map((n) => ({ file: makeFile(n, 10) })));
    await until(() => ids.every((id) => h.manager.get(id)?.status === 'conflict'));
    h.manager.resolveAllConflicts('keep-both');
    await drive(h, () => ids.every((id) => h.manager.get(id)?.status === 'done'));
    expect(ids.map((id) => h.manager.get(id)!.key)).toEqual(['a.txt (1)', 'b.txt (1)', 'c.txt (1)']);
  });
});

const notReadable = () => new DOMException('The requested file could not be read', 'NotReadableError');

/** A Blob every read of which is refused, as Chromium refuses a picked file that changed on disk. */
function refusedBlob(size: number): Blob {
  const blob = new Blob([new Uint8Array(size)]);
  blob.arrayBuffer = () => Promise.reject(notReadable());
  blob.slice = (start = 0, end = size) => refusedBlob(Math.max(0, Math.min(end, size) - start));
  return blob;
}

/**
 * The file changes on disk once `reads` parts were hashed: from then on the hasher and every read of
 * the file are refused (NotReadableError), as Chromium refuses a File whose size or mtime changed.
 */
function changesAfter(reads: number, file: File): { file: File; hasher: Hasher } {
  let calls = 0;
  let changed = false;
  const slice = file.slice.bind(file);
  file.slice = (start, end, type) =>
    changed ? refusedBlob(Math.min(end ?? file.size, file.size) - (start ?? 0)) : slice(start, end, type);
  const hasher: Hasher = {
    hash: (blob, algorithm, o) => {
      if (++calls > reads) changed = true;
      return changed ? Promise.reject(notReadable()) : hashBlob(blob, algorithm, o);
    },
  };
  return { file, hasher };
}

describe('UploadManager: the file changed on disk after it was picked', () => {
  it('fails for good saying so, and removes what was sent (server upload aborted, journal record gone)', async () => {
    // Parts 1 and 2 read; from part 3 on the browser refuses the File, as Chromium does once it changed.
    const { file, hasher } = changesAfter(2, makeFile('changed.bin', 500));
    const journal = new MemoryJournal();
    const h = setup({ partSize: 100, concurrency: 1, signBatchSize: 1, hasher, journal });
    const [id] = h.manager.add([{ file }]);
    (await h.transport.nextRequest()).respond();
    (await h.transport.nextRequest()).respond();
    await drive(h, () => h.manager.get(id!)!.status === 'failed');
    const item = h.manager.get(id!)!;
    expect(item.error).toMatchObject({ code: 'file-unreadable' });
    expect(item.error!.message).toMatch(/changed on disk.*Pick it again/);
    expect(canRetry(item)).toBe(false);
    await until(() => h.api.count('abort') === 1);
    expect([...h.api.uploads.values()].map((u) => u.state)).toEqual(['aborted']);
    await settle(20);
    expect(await journal.list()).toEqual([]);
  });

  it('a hash that fails while the file still reads (a read hiccup, a worker that died) is tried again, and the upload completes', async () => {
    let calls = 0;
    const hasher: Hasher = {
      hash: (blob, algorithm, o) =>
        ++calls === 3 ? Promise.reject(notReadable()) : hashBlob(blob, algorithm, o),
    };
    const h = setup({ partSize: 100, concurrency: 1, signBatchSize: 1, hasher });
    const file = makeFile('hiccup.bin', 500);
    const [id] = h.manager.add([{ file }]);
    await drive(h, () => h.manager.get(id!)!.status === 'done');
    expect(h.manager.get(id!)).toMatchObject({ status: 'done', error: null });
    expect(calls).toBe(6); // part 3 hashed twice
    expect(h.api.count('abort')).toBe(0);
    expect([...h.api.uploads.values()].map((u) => u.state)).toEqual(['completed']);
  });

  it('keeps its reason through Cancel all and Cancel: nothing of it is left to remove', async () => {
    const { file, hasher } = changesAfter(2, makeFile('changed.bin', 500));
    const h = setup({ partSize: 100, concurrency: 1, hasher });
    const [id] = h.manager.add([{ file }]);
    await drive(h, () => h.manager.get(id!)!.status === 'failed');
    await until(() => h.api.count('abort') === 1);
    expect(cancelledByCancelAll(h.manager.get(id!)!)).toBe(false);
    h.manager.cancelAll();
    h.manager.cancel(id!);
    await settle(20);
    expect(h.manager.get(id!)).toMatchObject({ status: 'failed', error: { code: 'file-unreadable' } });
    expect(h.api.count('abort')).toBe(1);
  });

  /** The file as Chromium gives it once it changed on disk: reading it whole is refused (its parts' reads too). */
  function unreadableWhole(file: File): File {
    file.arrayBuffer = () =>
      Promise.reject(new DOMException('The requested file could not be read', 'NotReadableError'));
    return file;
  }

  it('a file picked again after a reload that can no longer be read fails for good saying so', async () => {
    const journal = new MemoryJournal();
    const first = setup({ partSize: 100, concurrency: 1, journal });
    first.manager.add([{ file: makeFile('gone.bin', 500, 44) }]);
    (await first.transport.nextRequest()).respond();
    await settle(10);
    first.manager.destroy();

    const second = setup({ partSize: 100, concurrency: 1, journal, after: first });
    const [id] = second.manager.add([{ file: unreadableWhole(makeFile('gone.bin', 500, 44)) }]);
    await until(() => second.manager.get(id!)!.status === 'failed');
    const item = second.manager.get(id!)!;
    expect(item.error).toMatchObject({ code: 'file-unreadable' });
    expect(item.error!.message).toMatch(/"gone.bin" can no longer be read.*Pick it again/);
    expect(canRetry(item)).toBe(false);
    expect(second.transport.requests).toHaveLength(0);
  });

  it('one that cannot be read for its journal record after create fails for good, its upload aborted at once', async () => {
    const journal = new MemoryJournal();
    const h = setup({ partSize: 100, concurrency: 1, journal });
    const [id] = h.manager.add([{ file: unreadableWhole(makeFile('new.bin', 500)) }]);
    await until(() => h.manager.get(id!)!.status === 'failed');
    const item = h.manager.get(id!)!;
    expect(item.error).toMatchObject({ code: 'file-unreadable' });
    expect(canRetry(item)).toBe(false);
    await until(() => h.api.count('abort') === 1);
    expect([...h.api.uploads.values()].map((u) => u.state)).toEqual(['aborted']);
    await settle(20);
    expect(await journal.list()).toEqual([]);
  });
});
