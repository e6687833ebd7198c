import { describe, expect, it } from 'vitest';
import {
  downloadReducer,
  initialDownloadState,
  ownedDownloadReducer,
  toSnapshot,
  type DownloadAction,
  type DownloadState,
} from './download-state.ts';

const run = (actions: DownloadAction[], state: DownloadState = initialDownloadState()) =>
  actions.reduce(downloadReducer, state);

const added: DownloadAction = {
  type: 'added',
  items: [
    { id: 'a', key: 'p/a', relativePath: 'a', size: 1000, etag: 'e' },
    { id: 'b', key: 'p/', relativePath: null, size: 0, etag: 'd' },
  ],
};

describe('downloadReducer', () => {
  it('adds items queued, folder markers skipped', () => {
    const s = run([added]);
    expect(s.items.map((i) => i.status)).toEqual(['queued', 'skipped']);
  });

  it('returns the same state for actions that do not apply', () => {
    const s = run([added]);
    expect(downloadReducer(s, { type: 'done', id: 'a', verification: 'verified' })).toBe(s);
    expect(downloadReducer(s, { type: 'cancelled', ids: ['nope'] })).toBe(s);
    expect(downloadReducer(s, { type: 'skipped', ids: ['b'] })).toBe(s);
    expect(downloadReducer(s, { type: 'progress', loaded: new Map([['a', 5]]), now: 1 })).toBe(s);
  });

  it('lists the downloads done under another name than their key, in list order', () => {
    const s = run([
      {
        type: 'added',
        items: [
          { id: 'x', key: 'p/a:b.txt', relativePath: 'a_b.txt', keyPath: 'a:b.txt', size: 1, etag: 'e' },
          {
            id: 'y',
            key: 'p/plain.txt',
            relativePath: 'plain.txt',
            keyPath: 'plain.txt',
            size: 1,
            etag: 'e',
          },
          { id: 'z', key: 'p/con.txt', relativePath: '_con.txt', keyPath: 'con.txt', size: 1, etag: 'e' },
        ],
      },
      ...['x', 'y'].flatMap((id): DownloadAction[] => [
        { type: 'started', id, size: 1, etag: 'e', now: 0 },
        { type: 'done', id, verification: 'verified' },
      ]),
    ]);
    // Not "z": it is not saved (yet).
    expect(toSnapshot(s).renamed.map((i) => i.id)).toEqual(['x']);
  });

  it('says what a download waits for, the store before the connection in the totals', () => {
    const started = run([added, { type: 'started', id: 'a', size: 1000, etag: 'e', now: 0 }]);
    const forStore = downloadReducer(started, { type: 'waiting', id: 'a', waiting: 'store' });
    expect(forStore.items[0]!.waiting).toBe('store');
    expect(toSnapshot(forStore).totals).toMatchObject({ waiting: 1, waitingFor: 'store' });
    const back = downloadReducer(forStore, { type: 'waiting', id: 'a', waiting: null });
    expect(toSnapshot(back).totals).toMatchObject({ waiting: 0, waitingFor: null });
  });

  it('pauses a running item keeping its bytes, counts it as still to come, and queues it again from there', () => {
    const paused = run([
      added,
      { type: 'started', id: 'a', size: 1000, etag: 'e', now: 0 },
      { type: 'progress', loaded: new Map([['a', 300]]), now: 1000 },
      { type: 'paused', ids: ['a', 'b'] },
      { type: 'progress', loaded: new Map([['a', 400]]), now: 2000 },
    ]);
    expect(paused.items[0]).toMatchObject({ status: 'paused', loaded: 300, kept: 300, speed: 0, eta: null });
    expect(paused.items[1]!.status).toBe('skipped');
    // The stopped attempt says what it kept once it has settled.
    const kept = downloadReducer(paused, { type: 'kept', id: 'a', kept: 320 });
    expect(kept.items[0]).toMatchObject({ loaded: 320, kept: 320 });
    const snap = toSnapshot(kept);
    expect(snap).toMatchObject({ active: false, paused: true });
    expect(snap.totals).toMatchObject({
      bytes: 1000,
      loaded: 320,
      files: 1,
      complete: false,
      speed: 0,
      eta: null,
    });
    const resumed = downloadReducer(kept, { type: 'queued', ids: ['a'] });
    expect(resumed.items[0]).toMatchObject({ status: 'queued', loaded: 320 });
    expect(toSnapshot(resumed)).toMatchObject({ active: true, paused: false });
    // 'kept' applies to paused items only.
    expect(downloadReducer(resumed, { type: 'kept', id: 'a', kept: 0 })).toBe(resumed);
  });

  it('takes the size and etag of the signed link when started', () => {
    const s = run([added, { type: 'started', id: 'a', size: 1200, etag: 'e2', now: 0 }]);
    expect(s.items[0]).toMatchObject({ status: 'downloading', size: 1200, etag: 'e2' });
  });

  it('smooths speed, derives ETA and never lets progress go back', () => {
    const s = run([
      added,
      { type: 'started', id: 'a', size: 1000, etag: 'e', now: 0 },
      { type: 'progress', loaded: new Map([['a', 100]]), now: 1000 },
      { type: 'progress', loaded: new Map([['a', 300]]), now: 2000 },
      { type: 'progress', loaded: new Map([['a', 200]]), now: 3000 },
    ]);
    const item = s.items[0]!;
    expect(item.loaded).toBe(300);
    // The first bytes start the row's clock; 200 bytes in the next second are its first rate.
    expect(item.speed).toBe(200);
    expect(item.eta).toBe(Math.ceil(700 / item.speed));
    const snap = toSnapshot(s);
    // Two samples a second apart (the third went back, so it is no sample): a speed, no ETA yet.
    expect(snap.totals).toMatchObject({ bytes: 1000, loaded: 300, speed: 200, eta: null });
    expect(snap.active).toBe(true);
  });

  it("times a row's speed from its first bytes: the wait for a link, a request slot or the first byte is no slow link", () => {
    const s = run([
      added,
      // Started at 0, but the first bytes come 4 s later (other files held every request slot).
      { type: 'started', id: 'a', size: 10_000, etag: 'e', now: 0 },
      { type: 'progress', loaded: new Map([['a', 0]]), now: 2000 },
      { type: 'progress', loaded: new Map([['a', 500]]), now: 4000 },
      { type: 'progress', loaded: new Map([['a', 1500]]), now: 5000 },
    ]);
    const item = s.items[0]!;
    expect(item.speed).toBe(1000);
    expect(item.eta).toBe(9);
    // Paused and resumed: the clock starts again with the bytes after Resume.
    const resumed = run(
      [
        { type: 'paused', ids: ['a'] },
        { type: 'kept', id: 'a', kept: 1500 },
        { type: 'queued', ids: ['a'] },
        { type: 'started', id: 'a', size: 10_000, etag: 'e', loaded: 1500, now: 60_000 },
        { type: 'progress', loaded: new Map([['a', 1600]]), now: 63_000 },
        { type: 'progress', loaded: new Map([['a', 3600]]), now: 64_000 },
      ],
      s,
    );
    expect(resumed.items[0]!.speed).toBe(2000);
  });

  it('gives the totals an ETA once the rates settle, from bytes and files received since the work started', () => {
    // 100 files of 1,000 bytes; 10 finish per second, each in one progress sample just before it is done.
    const items = Array.from({ length: 100 }, (_, i) => ({
      id: `f${i}`,
      key: `f${i}`,
      relativePath: `f${i}`,
      size: 1000,
      etag: 'e',
    }));
    let s = run([{ type: 'added', items }]);
    for (let i = 0; i < 30; i++) {
      const now = 60_000 + i * 100;
      s = downloadReducer(s, { type: 'started', id: `f${i}`, size: 1000, etag: 'e', now });
      s = downloadReducer(s, { type: 'progress', loaded: new Map([[`f${i}`, 1000]]), now });
      s = downloadReducer(s, { type: 'done', id: `f${i}`, verification: 'verified' });
    }
    const { totals } = toSnapshot(s);
    expect(totals.speed).toBeCloseTo(10_000, -2);
    // 70 left at 10 files/s.
    expect(totals.eta).toBeGreaterThanOrEqual(7);
    expect(totals.eta).toBeLessThanOrEqual(8);
    expect(s.finished).toBe(30);
    expect(s.received).toBe(30_000);
  });

  it('counts the time left down with the bytes once only a big file runs, after a small one finished', () => {
    // 300 MB and 50 MB sharing 13 MB/s: the small one finishes first, the big one runs on alone. A
    // file under way is counted by its bytes, not as a file to go at the file rate: one finished file
    // over the window read "21 s left" until the end.
    const rate = 13e6;
    let s = run([
      {
        type: 'added',
        items: [
          { id: 'big', key: 'big', relativePath: 'big', size: 300e6, etag: 'e' },
          { id: 'small', key: 'small', relativePath: 'small', size: 50e6, etag: 'e' },
        ],
      },
      { type: 'started', id: 'big', size: 300e6, etag: 'e', now: 0 },
      { type: 'started', id: 'small', size: 50e6, etag: 'e', now: 0 },
    ]);
    let big = 0;
    let small = 0;
    const seen: { left: number; eta: number | null }[] = [];
    for (let now = 500; big < 300e6; now += 500) {
      const share = small < 50e6 ? rate / 4 : rate / 2;
      small = Math.min(50e6, small + (small < 50e6 ? share : 0));
      big = Math.min(300e6, big + (small < 50e6 ? share : rate / 2));
      s = downloadReducer(s, {
        type: 'progress',
        loaded: new Map([
          ['big', big],
          ['small', small],
        ]),
        now,
      });
      if (small >= 50e6 && s.items[1]!.status === 'downloading')
        s = downloadReducer(s, { type: 'done', id: 'small', verification: 'verified' });
      if (s.items[1]!.status === 'done' && big < 300e6)
        seen.push({ left: 300e6 - big, eta: toSnapshot(s).totals.eta });
    }
    expect(seen.length).toBeGreaterThan(20);
    for (const { left, eta } of seen) {
      expect(eta).not.toBeNull();
      expect(Math.abs(eta! - left / rate)).toBeLessThanOrEqual(2);
    }
    // Every byte in, the file checked: no time to say (not "0 s left" for a long verify).
    s = downloadReducer(s, { type: 'verifying', id: 'big' });
    expect(toSnapshot(s).totals.eta).toBeNull();
  });

  it('shows no speed and no time left while every running download waits (offline, the server or the store away)', () => {
    const items = Array.from({ length: 10 }, (_, i) => ({
      id: `f${i}`,
      key: `f${i}`,
      relativePath: `f${i}`,
      size: 1000,
      etag: 'e',
    }));
    let s = run([{ type: 'added', items }]);
    for (let i = 0; i < 5; i++) {
      const now = i * 500;
      s = downloadReducer(s, { type: 'started', id: `f${i}`, size: 1000, etag: 'e', now });
      s = downloadReducer(s, { type: 'progress', loaded: new Map([[`f${i}`, 1000]]), now });
      s = downloadReducer(s, { type: 'done', id: `f${i}`, verification: 'verified' });
    }
    s = run(
      [
        { type: 'started', id: 'f5', size: 1000, etag: 'e', now: 2500 },
        { type: 'started', id: 'f6', size: 1000, etag: 'e', now: 2500 },
        { type: 'waiting', id: 'f5', waiting: 'connection' },
      ],
      s,
    );
    // One of two waits, and a queued one waits for its link: the other running one still moves.
    s = downloadReducer(s, { type: 'waiting', id: 'f7', waiting: 'server' });
    expect(s.items[7]).toMatchObject({ status: 'queued', waiting: 'server' });
    expect(toSnapshot(s).totals.speed).toBeGreaterThan(0);
    expect(toSnapshot(s).totals.eta).not.toBeNull();
    s = downloadReducer(s, { type: 'waiting', id: 'f7', waiting: null });
    const stalled = downloadReducer(s, { type: 'waiting', id: 'f6', waiting: 'connection' });
    expect(toSnapshot(stalled).totals).toMatchObject({ waitingFor: 'connection', speed: 0, eta: null });
    const back = downloadReducer(stalled, { type: 'waiting', id: 'f6', waiting: null });
    expect(toSnapshot(back).totals.speed).toBeGreaterThan(0);
  });

  it('shows no speed and no time left once nothing came for a few seconds (a hung store), then again when bytes come', () => {
    const items = ['a', 'b'].map((id) => ({ id, key: id, relativePath: id, size: 100_000, etag: 'e' }));
    let s = run([
      { type: 'added', items },
      { type: 'started', id: 'a', size: 100_000, etag: 'e', now: 0 },
    ]);
    // 1 kB every 100 ms for 3 s: the rates settle.
    for (let t = 100; t <= 3_000; t += 100)
      s = downloadReducer(s, { type: 'progress', loaded: new Map([['a', t * 10]]), now: t });
    expect(toSnapshot(s).totals.speed).toBeGreaterThan(0);
    expect(toSnapshot(s).totals.eta).not.toBeNull();
    // The store stops: the heartbeat samples the same count each second.
    const at = (t: number) =>
      downloadReducer(s, { type: 'progress', loaded: new Map([['a', 30_000]]), now: t });
    for (let t = 4_000; t <= 7_000; t += 1_000) s = at(t);
    expect(toSnapshot(s).totals.speed).toBeGreaterThan(0); // 4 s: a pause in the stream
    expect(s.items[0]!.speed).toBeGreaterThan(0);
    s = at(8_000);
    expect(toSnapshot(s).totals).toMatchObject({ speed: 0, eta: null });
    expect(s.items[0]).toMatchObject({ speed: 0, eta: null });
    s = downloadReducer(s, { type: 'progress', loaded: new Map([['a', 31_000]]), now: 8_100 });
    expect(toSnapshot(s).totals.speed).toBeGreaterThan(0);
    expect(s.items[0]!.speed).toBeGreaterThan(0);
    expect(s.items[0]!.eta).not.toBeNull();
  });

  it('counts the bytes a row finishes with after its last progress sample', () => {
    const s = run([
      added,
      { type: 'started', id: 'a', size: 1000, etag: 'e', now: 0 },
      { type: 'progress', loaded: new Map([['a', 400]]), now: 10 },
      { type: 'done', id: 'a', verification: 'verified' },
    ]);
    expect(s.received).toBe(1000);
  });

  it('cancels many rows in one action, leaving finished ones alone', () => {
    const items = Array.from({ length: 5 }, (_, i) => ({
      id: `f${i}`,
      key: `f${i}`,
      relativePath: `f${i}`,
      size: 10,
      etag: 'e',
    }));
    const s = run([
      { type: 'added', items },
      { type: 'started', id: 'f0', size: 10, etag: 'e', now: 0 },
      { type: 'done', id: 'f0', verification: 'verified' },
      { type: 'started', id: 'f1', size: 10, etag: 'e', now: 0 },
      { type: 'cancelled', ids: ['f0', 'f1', 'f2', 'f3', 'f4'] },
    ]);
    expect(s.items.map((i) => i.status)).toEqual([
      'done',
      'cancelled',
      'cancelled',
      'cancelled',
      'cancelled',
    ]);
    expect(s.itemSpeeds.size).toBe(0);
    expect(toSnapshot(s).totals.counts).toMatchObject({ done: 1, cancelled: 4 });
    expect(toSnapshot(s).active).toBe(false);
  });

  it('resets an item for a retry and lists failures', () => {
    const failed = run([
      added,
      { type: 'started', id: 'a', size: 1000, etag: 'e', now: 0 },
      { type: 'progress', loaded: new Map([['a', 100]]), now: 10 },
      { type: 'failed', id: 'a', error: { code: 'network', message: 'offline' } },
    ]);
    const snap = toSnapshot(failed);
    expect(snap.failed.map((i) => i.error?.code)).toEqual(['network']);
    // Still counted (its bytes are missing), so the totals never read as all done.
    expect(snap.totals).toMatchObject({
      bytes: 1000,
      loaded: 0,
      files: 1,
      complete: false,
      speed: 0,
      eta: null,
    });
    expect(snap.active).toBe(false);
    const retried = downloadReducer(failed, { type: 'queued', ids: ['a'] });
    expect(retried.items[0]).toMatchObject({ status: 'queued', loaded: 0, error: null, retries: 0 });
  });

  it('a failed item that keeps nothing (its write hit a full disk) says 0 B, on its row as in the totals; so does one whose kept bytes are given up (big-file tester, session 44)', () => {
    const s = run([
      { type: 'added', items: [{ id: 'a', key: 'a', relativePath: 'a', size: 1000, etag: 'e' }] },
      { type: 'started', id: 'a', size: 1000, etag: 'e', now: 0 },
      { type: 'progress', loaded: new Map([['a', 600]]), now: 10 },
    ]);
    const full = downloadReducer(s, {
      type: 'failed',
      id: 'a',
      error: { code: 'disk-full', message: 'x' },
      kept: 0,
    });
    expect(full.items[0]).toMatchObject({ status: 'failed', loaded: 0, kept: 0 });
    expect(toSnapshot(full).totals).toMatchObject({ bytes: 1000, loaded: 0 });
    const kept = downloadReducer(s, {
      type: 'failed',
      id: 'a',
      error: { code: 'network', message: 'x' },
      kept: 500,
    });
    const discarded = downloadReducer(kept, { type: 'discarded', id: 'a' });
    expect(discarded.items[0]).toMatchObject({ status: 'failed', loaded: 0, kept: 0 });
    expect(toSnapshot(discarded).totals).toMatchObject({ loaded: 0 });
  });

  it('counts a failed item in the totals (its kept bytes as loaded): complete only when every item is done', () => {
    const s = run([
      {
        type: 'added',
        items: [
          { id: 'a', key: 'a', relativePath: 'a', size: 1000, etag: 'e' },
          { id: 'b', key: 'b', relativePath: 'b', size: 3000, etag: 'e' },
          { id: 'c', key: 'c', relativePath: null, size: 0, etag: 'e' },
        ],
      },
      { type: 'started', id: 'a', size: 1000, etag: 'e', now: 0 },
      { type: 'done', id: 'a', verification: 'verified' },
      { type: 'started', id: 'b', size: 3000, etag: 'e', now: 0 },
      { type: 'progress', loaded: new Map([['b', 2500]]), now: 10 },
    ]);
    const failed = downloadReducer(s, {
      type: 'failed',
      id: 'b',
      error: { code: 'network', message: 'x' },
      kept: 2000,
    });
    // The row says what it keeps, as the totals do.
    expect(failed.items.find((item) => item.id === 'b')).toMatchObject({ loaded: 2000, kept: 2000 });
    expect(toSnapshot(failed).totals).toMatchObject({
      bytes: 4000,
      loaded: 3000,
      files: 2,
      complete: false,
      counts: { done: 1, failed: 1, skipped: 1 },
    });
    const gone = downloadReducer(failed, { type: 'removed', ids: ['b'] });
    expect(toSnapshot(gone).totals).toMatchObject({ bytes: 1000, loaded: 1000, files: 1, complete: true });
  });

  it('moves exists → queued on replace, exists → skipped on skip', () => {
    const exists = run([added, { type: 'exists', id: 'a', existingSize: 0 }]);
    expect(toSnapshot(exists).existing).toHaveLength(1);
    expect(downloadReducer(exists, { type: 'queued', ids: ['a'] }).items[0]!.status).toBe('queued');
    expect(downloadReducer(exists, { type: 'skipped', ids: ['a'] }).items[0]!.status).toBe('skipped');
  });

  it('records what a finished download was checked against: the checksum, the MD5 ETag, or nothing', () => {
    const started = run([added, { type: 'started', id: 'a', size: 1000, etag: 'e', now: 0 }]);
    expect(started.items[0]?.verifiedAgainst).toBeNull();
    const done = (action: Extract<DownloadAction, { type: 'done' }>) =>
      downloadReducer(started, action).items[0];
    expect(done({ type: 'done', id: 'a', verification: 'verified', against: 'md5-etag' })).toMatchObject({
      verification: 'verified',
      verifiedAgainst: 'md5-etag',
    });
    expect(done({ type: 'done', id: 'a', verification: 'unverifiable', against: 'md5-etag' })).toMatchObject({
      verification: 'unverifiable',
      verifiedAgainst: 'md5-etag',
    });
    expect(done({ type: 'done', id: 'a', verification: 'unverified' })).toMatchObject({
      verification: 'unverified',
      verifiedAgainst: null,
    });
  });

  it('does not cancel what is finished', () => {
    const done = run([
      added,
      { type: 'started', id: 'a', size: 1000, etag: 'e', now: 0 },
      { type: 'done', id: 'a', verification: 'unverified' },
    ]);
    expect(done.items[0]).toMatchObject({ status: 'done', loaded: 1000 });
    expect(downloadReducer(done, { type: 'cancelled', ids: ['a'] })).toBe(done);
  });

  it('removes settled rows only, re-indexes the rest, and totals count what is left', () => {
    const s = run([
      {
        type: 'added',
        items: [
          { id: 'a', key: 'p/a', relativePath: 'a', size: 1000, etag: 'e' },
          { id: 'b', key: 'p/b', relativePath: 'b', size: 2000, etag: 'e' },
          { id: 'c', key: 'p/c', relativePath: 'c', size: 4000, etag: 'e' },
        ],
      },
      { type: 'started', id: 'a', size: 1000, etag: 'e', now: 0 },
      { type: 'done', id: 'a', verification: 'verified' },
      { type: 'started', id: 'b', size: 2000, etag: 'e', now: 0 },
      { type: 'progress', loaded: new Map([['b', 500]]), now: 10 },
    ]);
    expect(toSnapshot(s).totals).toMatchObject({ bytes: 7000, loaded: 1500 });
    // 'b' is downloading and 'c' queued: asked to go, they stay.
    const cleared = downloadReducer(s, { type: 'removed', ids: ['a', 'b', 'c'] });
    expect(cleared.items.map((i) => i.id)).toEqual(['b', 'c']);
    expect(toSnapshot(cleared).totals).toMatchObject({ bytes: 6000, loaded: 500 });
    expect(toSnapshot(cleared).totals.counts.done).toBe(0);
    // The index follows: later actions still find their rows.
    const next = downloadReducer(cleared, { type: 'progress', loaded: new Map([['b', 900]]), now: 20 });
    expect(next.items[0]).toMatchObject({ id: 'b', loaded: 900 });
    expect(downloadReducer(cleared, { type: 'removed', ids: ['a', 'b'] })).toBe(cleared);
  });

  it('while a request is retried, says so and shows no time left, until new bytes come', () => {
    let state = run([
      { type: 'added', items: [{ id: 'a', key: 'a', relativePath: 'a', size: 100, etag: '"e"' }] },
      { type: 'started', id: 'a', size: 100, etag: '"e"', now: 0 },
      { type: 'progress', loaded: new Map([['a', 10]]), now: 500 },
      { type: 'progress', loaded: new Map([['a', 40]]), now: 1000 },
    ]);
    expect(state.items[0]).toMatchObject({ retrying: false });
    expect(state.items[0]!.eta).toBeGreaterThan(0);
    state = downloadReducer(state, { type: 'retrying', id: 'a', retries: 1 });
    expect(state.items[0]).toMatchObject({ retrying: true, retries: 1, eta: null });
    // The retry fetches again what it had: nothing new, still retrying, still no time left.
    state = downloadReducer(state, { type: 'progress', loaded: new Map([['a', 40]]), now: 60_000 });
    expect(state.items[0]).toMatchObject({ retrying: true, eta: null });
    state = downloadReducer(state, { type: 'progress', loaded: new Map([['a', 50]]), now: 61_000 });
    expect(state.items[0]!.retrying).toBe(false);
    expect(state.items[0]!.eta).toBeGreaterThan(0);
  });
});

describe('ownedDownloadReducer', () => {
  const many: DownloadAction = {
    type: 'added',
    items: Array.from({ length: 1000 }, (_, i) => ({
      id: `i${i}`,
      key: `k${i}`,
      relativePath: `k${i}`,
      size: 10,
      etag: 'e',
    })),
  };

  it('changes the list in place until a snapshot hands it out: one copy per snapshot, not per action', () => {
    let s = ownedDownloadReducer(initialDownloadState(), many);
    const list = s.items;
    for (let i = 0; i < 1000; i++) {
      s = ownedDownloadReducer(s, { type: 'started', id: `i${i}`, size: 10, etag: 'e', now: 0 });
    }
    expect(s.items).toBe(list);
    expect(s.items.every((item) => item.status === 'downloading')).toBe(true);

    const shown = toSnapshot(s);
    const before = shown.items.map((item) => item.status);
    s = ownedDownloadReducer(s, { type: 'done', id: 'i0', verification: 'verified' });
    s = ownedDownloadReducer(s, { type: 'done', id: 'i1', verification: 'verified' });
    // What a subscriber holds never changes under it; the owner's next list is one new copy.
    expect(shown.items.map((item) => item.status)).toEqual(before);
    expect(s.items).not.toBe(shown.items);
    const copy = s.items;
    s = ownedDownloadReducer(s, { type: 'done', id: 'i2', verification: 'verified' });
    expect(s.items).toBe(copy);
    expect(toSnapshot(s).totals.counts).toMatchObject({ done: 3, downloading: 997 });
  });

  it('leaves downloadReducer pure, even on a list the owner made', () => {
    const owned = ownedDownloadReducer(initialDownloadState(), added);
    const started = downloadReducer(owned, { type: 'started', id: 'a', size: 1000, etag: 'e', now: 0 });
    expect(owned.items[0]!.status).toBe('queued');
    expect(started.items[0]!.status).toBe('downloading');
    expect(started.items).not.toBe(owned.items);
  });
});
