import { describe, expect, it } from 'vitest';
import { UploadError } from './upload-error.ts';
import { drive, makeFile, settle, setup, until } from './testing/setup.ts';

describe('UploadManager: progress between part answers', () => {
  it('shows nothing before the first part is confirmed, then moves the parts in flight at the measured rate', async () => {
    const h = setup({ partSize: 1000, concurrency: 3 });
    const [id] = h.manager.add([{ file: makeFile('smooth.bin', 4000) }]);
    const item = () => h.manager.get(id!)!;
    await until(() => h.transport.unclaimed.length === 1);
    for (let i = 0; i < 8; i++) await h.clock.advance(250); // no rate measured yet: no estimate
    expect(item()).toMatchObject({ status: 'uploading', bytesUploaded: 0, bytesSending: 0 });
    h.transport.claim()!.respond(); // 1000 B in 2 s: 500 B/s
    await until(() => h.transport.unclaimed.length === 3);
    expect(item()).toMatchObject({ bytesUploaded: 1000, bytesSending: 0 });

    const seen: number[] = [];
    for (let i = 0; i < 12; i++) {
      await h.clock.advance(250);
      seen.push(item().bytesSending);
    }
    // Three parts share 500 B/s: about 42 B each per tick, each at most 95 % of its 1000 B.
    expect(seen[0]).toBeGreaterThan(100);
    expect(seen[0]).toBeLessThan(150);
    for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeGreaterThanOrEqual(seen[i - 1]!);
    expect(seen.at(-1)).toBeLessThanOrEqual(3 * 950);
    const before = item().bytesUploaded + item().bytesSending;
    h.transport.claim()!.respond(); // a part confirmed: at least as far as the estimate said
    await settle();
    expect(item().bytesUploaded).toBe(2000);
    expect(item().bytesUploaded + item().bytesSending).toBeGreaterThan(before);
  });

  it("holds a retried part's estimate (the bar never steps back), drops it when paused or failed for good", async () => {
    const h = setup({ partSize: 1000, concurrency: 2, maxRetries: 3 });
    const [id] = h.manager.add([{ file: makeFile('drop.bin', 3000) }]);
    const item = () => h.manager.get(id!)!;
    const shown = () => item().bytesUploaded + item().bytesSending;
    await until(() => h.transport.unclaimed.length === 1);
    await h.clock.advance(1000);
    h.transport.claim()!.respond();
    await until(() => h.transport.unclaimed.length === 2);
    await h.clock.advance(1000);
    const both = shown();
    expect(item().bytesSending).toBeGreaterThan(0);
    h.transport.claim()!.fail(new UploadError('network', 'connection reset'));
    await settle();
    expect(item().retrying).not.toBeNull();
    expect(item().bytesUploaded).toBe(1000);
    expect(shown()).toBe(both);
    // Through the backoff and the next attempt's start, the bar only holds or moves on.
    let last = both;
    for (let i = 0; i < 40; i++) {
      await h.clock.advance(250);
      expect(shown()).toBeGreaterThanOrEqual(last);
      last = shown();
    }
    h.manager.pause(id!);
    await settle();
    expect(item()).toMatchObject({ status: 'paused', bytesUploaded: 1000, bytesSending: 0 });
  });

  it('drops what a part showed when it fails for good: the bar falls back to what S3 confirmed', async () => {
    const h = setup({ partSize: 1000, concurrency: 2, maxRetries: 0 });
    const [id] = h.manager.add([{ file: makeFile('final.bin', 3000) }]);
    const item = () => h.manager.get(id!)!;
    await until(() => h.transport.unclaimed.length === 1);
    await h.clock.advance(1000);
    h.transport.claim()!.respond();
    await until(() => h.transport.unclaimed.length === 2);
    await h.clock.advance(1000);
    expect(item().bytesSending).toBeGreaterThan(0);
    h.transport.claim()!.fail(new UploadError('network', 'connection reset'));
    await until(() => item().status === 'failed');
    expect(item()).toMatchObject({ bytesUploaded: 1000, bytesSending: 0 });
    await h.clock.advance(1000);
    expect(h.clock.pending).toEqual([]);
  });

  it('re-renders at most 4 times a second for the estimate, and stops its timer when nothing is in flight', async () => {
    const h = setup({ partSize: 1000, concurrency: 6 });
    h.manager.add([{ file: makeFile('ticks.bin', 7000) }]);
    await until(() => h.transport.unclaimed.length === 1);
    await h.clock.advance(1000);
    h.transport.claim()!.respond();
    await until(() => h.transport.unclaimed.length === 6);
    let notified = 0;
    const unsubscribe = h.manager.subscribe(() => notified++);
    await h.clock.advance(10_000);
    unsubscribe();
    expect(notified).toBeGreaterThan(10);
    expect(notified).toBeLessThanOrEqual(40);
    for (const r of h.transport.takeAll()) r.respond();
    await until(() => h.manager.getSnapshot().items[0]!.status === 'done');
    await h.clock.advance(1000);
    expect(h.clock.pending).toEqual([]);
  });

  it('small files whose calls all hang (a store that stopped answering): the totals drop their speed a few seconds later, with nothing else happening', async () => {
    const h = setup({ partSize: 1000, concurrency: 2 });
    const totals = () => h.manager.getSnapshot().totals;
    h.manager.add([{ file: makeFile('a.txt', 500) }, { file: makeFile('b.txt', 500) }]);
    const done = () => h.manager.getSnapshot().items.filter((item) => item.status === 'done').length;
    while (done() < 2) {
      await until(() => h.transport.unclaimed.length > 0 || done() === 2);
      await h.clock.advance(500);
      for (const r of h.transport.takeAll()) r.respond();
      await settle();
    }
    // The next files' create calls get no answer: the Hoist server waits on the store.
    const holds = [h.api.hold('create'), h.api.hold('create')];
    h.manager.add([{ file: makeFile('c.txt', 500) }, { file: makeFile('d.txt', 500) }]);
    await Promise.all(holds.map((hold) => hold.reached));
    await settle();
    expect(totals().bytesPerSecond).toBeGreaterThan(0);
    let notified = 0;
    const unsubscribe = h.manager.subscribe(() => notified++);
    for (let i = 0; i < 30; i++) await h.clock.advance(250);
    unsubscribe();
    expect(notified).toBeGreaterThan(0); // the page is told, so it shows it
    expect(totals()).toMatchObject({ bytesPerSecond: 0, etaSeconds: null });
    for (const hold of holds) hold.release();
    await drive(h, () => h.manager.getSnapshot().items.every((item) => item.status === 'done'));
    await h.clock.advance(10_000);
    expect(h.clock.pending).toEqual([]);
  });

  it('shows no speed or time left, on the row or the totals, once nothing moved for a few seconds (a hung store), until a part is confirmed', async () => {
    const h = setup({ partSize: 1000, concurrency: 1 });
    const [id] = h.manager.add([{ file: makeFile('hung.bin', 4000) }]);
    const item = () => h.manager.get(id!)!;
    const totals = () => h.manager.getSnapshot().totals;
    await until(() => h.transport.unclaimed.length === 1);
    await h.clock.advance(1000);
    h.transport.claim()!.respond(); // 1000 B/s
    await until(() => h.transport.unclaimed.length === 1);
    const hung = h.transport.claim()!; // no answer: the store was stopped
    await h.clock.advance(250);
    expect(item()).toMatchObject({ bytesPerSecond: 1000, etaSeconds: 3 });
    expect(totals().bytesPerSecond).toBe(1000);
    // The estimate reaches 95 % of the part in about a second; then nothing moves, and 5 s later
    // the row claims no speed or time left (it does not wait for anything: the store is not asked yet).
    // The speed is the slope of the bar: a little less as the estimate slowed to its stop.
    for (let i = 0; i < 12; i++) await h.clock.advance(250);
    expect(item().bytesPerSecond).toBeGreaterThan(950);
    for (let i = 0; i < 12; i++) await h.clock.advance(250);
    expect(item()).toMatchObject({ status: 'uploading', waiting: null, bytesPerSecond: 0, etaSeconds: null });
    expect(totals()).toMatchObject({ bytesPerSecond: 0, etaSeconds: null });
    hung.respond();
    await until(() => item().bytesPerSecond > 0);
    expect(item().etaSeconds).not.toBeNull();
    expect(totals().bytesPerSecond).toBeGreaterThan(0);
  });

  it('keeps the speed and time left, on the row and the totals, while a part on a slow link takes 10 % longer than measured', async () => {
    // (The stall deadline of a part request is minutes on such a link: link-pacing.ts.)
    const h = setup({ partSize: 1000, concurrency: 1, stallTimeoutMs: 300_000 });
    const [id] = h.manager.add([{ file: makeFile('slow.bin', 4000) }]);
    const item = () => h.manager.get(id!)!;
    const totals = () => h.manager.getSnapshot().totals;
    await until(() => h.transport.unclaimed.length === 1);
    await h.clock.advance(60_000);
    h.transport.claim()!.respond(); // a part a minute
    await until(() => h.transport.unclaimed.length === 1);
    const slower = h.transport.claim()!;
    // The estimate stops at 95 % of the part (57 s); the part takes 66 s: 9 s with nothing moving,
    // which is no stall for a part of a minute.
    for (let t = 0; t < 66_000; t += 250) {
      await h.clock.advance(250);
      expect(item().bytesPerSecond).toBeGreaterThan(0);
      expect(item().etaSeconds).not.toBeNull();
      expect(totals().bytesPerSecond).toBeGreaterThan(0);
      expect(totals().etaSeconds).not.toBeNull();
    }
    slower.respond();
    await until(() => item().partsDone === 2);
    expect(item().bytesPerSecond).toBeGreaterThan(0);
  });

  it('keeps the speed and time left while small files wait for their create calls between their PUTs', async () => {
    // Each create call takes 300 ms and each PUT 100 ms: most of the time every file being worked on is in
    // its create call, and none hashes or sends. The page still moves (files finish every 400 ms).
    const h = setup({ partSize: 1000, concurrency: 2 });
    const ids = h.manager.add(Array.from({ length: 24 }, (_, i) => ({ file: makeFile(`s${i}.txt`, 100) })));
    const done = (from: number) => ids.slice(0, from).every((id) => h.manager.get(id)!.status === 'done');
    const seen: [number, number | null][] = [];
    let holds = [h.api.hold('create'), h.api.hold('create')];
    for (let pair = 0; pair < 12; pair++) {
      await Promise.all(holds.map((x) => x.reached));
      await h.clock.advance(300);
      await settle();
      const { totals } = h.manager.getSnapshot();
      // From 2 s of files finishing on, there is a time left (throughput.ts RATE_SETTLE_MS).
      if (pair >= 7) seen.push([totals.bytesPerSecond, totals.etaSeconds]);
      const next = pair < 11 ? [h.api.hold('create'), h.api.hold('create')] : [];
      for (const x of holds) x.release();
      holds = next;
      // (The page's very first PUT goes alone: the second follows it.)
      while (!done(2 * pair + 2)) {
        await until(() => h.transport.unclaimed.length > 0 || done(2 * pair + 2));
        await h.clock.advance(100);
        for (const r of h.transport.takeAll()) r.respond();
        await settle();
      }
    }
    // 200 B every 400 ms: 500 B/s, and the files left at 5 a second (10 left: 2-3 s … 2 left: 1 s).
    expect(seen.map(([speed]) => speed > 400 && speed < 600)).toEqual(Array(5).fill(true));
    expect(seen.map(([, eta]) => eta !== null && eta >= 1 && eta <= 3)).toEqual(Array(5).fill(true));
  });

  it("starts a new batch's speed from its own files, not the rate of the batch before", async () => {
    const h = setup({ partSize: 1000, concurrency: 1 });
    const [big] = h.manager.add([{ file: makeFile('big.bin', 20_000) }]);
    // 20 parts of 1000 B, one every 100 ms: 10 kB/s.
    for (let n = 0; n < 20; n++) {
      await until(() => h.transport.unclaimed.length === 1);
      await h.clock.advance(100);
      h.transport.claim()!.respond();
    }
    await until(() => h.manager.get(big!)!.status === 'done');
    await h.clock.advance(3_000);
    // Tiny files dropped next, one of 10 B every 250 ms: 40 B/s.
    h.manager.add(Array.from({ length: 12 }, (_, i) => ({ file: makeFile(`tiny-${i}.txt`, 10) })));
    for (let n = 0; n < 12; n++) {
      await until(() => h.transport.unclaimed.length === 1);
      await h.clock.advance(250);
      h.transport.claim()!.respond();
      await settle();
      if (n >= 2) expect(h.manager.getSnapshot().totals.bytesPerSecond).toBeLessThan(100);
    }
  });
});
