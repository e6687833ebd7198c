import { describe, expect, it } from 'vitest';
import {
  canRetry,
  createItem,
  failedForGood,
  isFinished,
  leaveAsks,
  reduceUpload,
  UPLOAD_STATUSES,
  summarize,
  type UploadItem,
} from './upload-state.ts';

describe('canRetry', () => {
  it('offers a retry for failures that may pass next time', () => {
    for (const code of ['network', 'http-5xx', 'expired-url', 'parts-missing'])
      expect(canRetry({ status: 'failed', error: { code, message: '' } })).toBe(true);
    expect(canRetry({ status: 'failed', error: null })).toBe(true);
  });

  it('offers none when the file itself is refused, or changed on disk (the browser never reads it again)', () => {
    for (const code of ['too-large', 'invalid-key', 'not-same-file', 'file-unreadable'])
      expect(canRetry({ status: 'failed', error: { code, message: '' } })).toBe(false);
  });

  it('offers none for uploads that have not failed', () => {
    expect(canRetry({ status: 'uploading', error: null })).toBe(false);
    expect(canRetry({ status: 'done', error: null })).toBe(false);
  });
});

describe('failedForGood and isFinished', () => {
  it('a refused file has failed for good and is finished; a failure a retry may fix is neither', () => {
    const tooLarge = { status: 'failed', error: { code: 'too-large', message: '' } } as const;
    const network = { status: 'failed', error: { code: 'network', message: '' } } as const;
    expect([failedForGood(tooLarge), isFinished(tooLarge)]).toEqual([true, true]);
    expect([failedForGood(network), isFinished(network)]).toEqual([false, false]);
    for (const status of ['done', 'cancelled', 'skipped'] as const)
      expect(isFinished({ status, error: null })).toBe(true);
    expect(isFinished({ status: 'paused', error: null })).toBe(false);
  });
});

describe('sizes read after the pick', () => {
  it('counts files whose size is not read yet apart, and adds each size once it is', () => {
    const unsized = [0, 1, 2].map((i) =>
      createItem(`u${i}`, { name: `f${i}`, type: '', size: null }, undefined, 0),
    );
    expect(summarize(unsized, 0, 0)).toMatchObject({ files: 3, bytesTotal: 0, unsized: 3 });
    const one = reduceUpload(unsized[0]!, { type: 'sized', size: 700 });
    expect(one.size).toBe(700);
    expect(reduceUpload(one, { type: 'sized', size: 700 })).toBe(one);
    expect(summarize([one, ...unsized.slice(1)], 0, 0)).toMatchObject({
      files: 3,
      bytesTotal: 700,
      unsized: 2,
    });
  });
});

describe('a paused row', () => {
  const paused = () =>
    reduceUpload(createItem('u', { name: 'f', type: '', size: 10 }, undefined, 0), {
      type: 'status',
      status: 'paused',
      now: 0,
    });

  it('is not taken back to work by a step of the run that was paused ("Hashing" with nothing running)', () => {
    for (const status of ['hashing', 'uploading', 'completing'] as const) {
      expect(reduceUpload(paused(), { type: 'status', status, now: 1 }).status).toBe('paused');
    }
  });

  it('is resumed through "queued", and can be cancelled', () => {
    const queued = reduceUpload(paused(), { type: 'status', status: 'queued', now: 1 });
    expect(queued.status).toBe('queued');
    expect(reduceUpload(queued, { type: 'status', status: 'hashing', now: 2 }).status).toBe('hashing');
    expect(reduceUpload(paused(), { type: 'status', status: 'cancelling', now: 1 }).status).toBe(
      'cancelling',
    );
  });
});

describe('leaveAsks', () => {
  it('asks before leaving while a file moves, is paused or waits for an answer; not for ended rows', () => {
    const asks = UPLOAD_STATUSES.filter((status) => {
      const item = { ...createItem('u', { name: 'f', type: '', size: 10 }, undefined, 0), status };
      return leaveAsks(summarize([item], 0, 0));
    });
    expect(asks.sort()).toEqual(
      ['cancelling', 'completing', 'conflict', 'hashing', 'paused', 'queued', 'uploading'].sort(),
    );
    expect(leaveAsks(summarize([], 0, 0))).toBe(false);
  });
});

describe('summarize: time left', () => {
  const file = (i: number, size: number) => ({ name: `f${i}.txt`, size, type: 'text/plain' });
  /** A row whose upload started at 0. */
  const uploading = (id: string, f: ReturnType<typeof file>) =>
    reduceUpload(createItem(id, f, undefined, 0), { type: 'status', status: 'uploading', now: 0 });

  /** 2,013 files of 700 B, `done` of them finished at 24.5 a second from t = 3 s, the next 6 just started. */
  function smallFiles(done: number): UploadItem[] {
    return Array.from({ length: 2_013 }, (_, i) => {
      const item = createItem(`u${i}`, file(i, 700), undefined, 0);
      if (i < done) {
        const at = 3_000 + (i * 1000) / 24.5;
        const sent = reduceUpload(
          reduceUpload(item, { type: 'status', status: 'uploading', now: at - 200 }),
          {
            type: 'part-done',
            size: 700,
            partSize: 700,
            now: at,
          },
        );
        return reduceUpload(sent, { type: 'done', key: item.name, note: null });
      }
      // Started as the last files finished (a row that moved nothing for seconds is stalled).
      const started = Math.max(3_000, 3_000 + ((done - 1) * 1000) / 24.5);
      if (i < done + 6) return reduceUpload(item, { type: 'status', status: 'uploading', now: started });
      return item;
    });
  }
  /** Just after the last of `done` small files finished. */
  const afterSmallFiles = (done: number) => 3_000 + ((done - 1) * 1000) / 24.5 + 10;

  it('reads about 82 s for 2,013 small files, not "22 min 57 s"', () => {
    // The manager measures 24.5 files of 700 B a second; the files left are counted as files too.
    const totals = summarize(smallFiles(250), 700 * 24.5, afterSmallFiles(250));
    const left = (2_013 - 250) / 24.5; // 72 s
    expect(totals.etaSeconds).toBeGreaterThan(left * 0.9);
    expect(totals.etaSeconds).toBeLessThan(left * 1.1);
  });

  it('gives no ETA before a few files finished', () => {
    expect(summarize(smallFiles(2), 700 * 24.5, afterSmallFiles(2)).etaSeconds).toBeNull();
  });

  it('gives one big file an ETA from the byte rate once a few parts went', () => {
    let big = uploading('big', file(0, 100e6));
    for (let n = 1; n <= 4; n++)
      big = reduceUpload(big, { type: 'part-done', size: 5e6, partSize: 5e6, now: n * 500 });
    expect(summarize([big], 10e6, 2_000).etaSeconds).toBe(8);
  });

  it('gives the totals an ETA as soon as a going row shows one, and none while no row does', () => {
    // Its first part confirmed: the row counts down, and so do the totals (they said nothing for the
    // 11 s the next parts took at 3 MB/s).
    let big = uploading('big', file(0, 100e6));
    expect(summarize([big], 0, 0).etaSeconds).toBeNull();
    big = reduceUpload(big, { type: 'part-done', size: 5e6, partSize: 5e6, now: 500 });
    expect(big.etaSeconds).toBe(10);
    expect(summarize([big], 10e6, 500).etaSeconds).toBe(10);
  });

  it('gives the totals an ETA after one part on a slow uplink, not after four (over 5 minutes there)', () => {
    let big = uploading('big', file(0, 20 * 2 ** 20));
    // 512 kbit/s: a 5 MiB part takes about 82 s.
    big = reduceUpload(big, { type: 'part-done', size: 5 * 2 ** 20, partSize: 5 * 2 ** 20, now: 81_920 });
    expect(summarize([big], 64_000, 81_920).etaSeconds).toBe(246);
  });

  it("counts a row's time left down with the estimate of the parts in flight, between confirmations", () => {
    let big = uploading('big', file(0, 20e6));
    big = reduceUpload(big, { type: 'part-done', size: 5e6, partSize: 5e6, now: 100_000 }); // 50 kB/s
    expect(big.etaSeconds).toBe(300);
    big = reduceUpload(big, { type: 'sending', bytes: 2.5e6, partMs: 100_000, now: 150_000 });
    expect(big.etaSeconds).toBe(250);
    big = reduceUpload(big, { type: 'sending', bytes: 0, partMs: 100_000, now: 150_250 });
    expect(big.etaSeconds).toBe(300);
  });

  it("counts the totals' time left down with the parts in flight too, as the row does", () => {
    let big = uploading('big', file(0, 20e6));
    big = reduceUpload(big, { type: 'part-done', size: 5e6, partSize: 5e6, now: 100_000 }); // 50 kB/s
    expect(summarize([big], 50_000, 100_000).etaSeconds).toBe(300);
    big = reduceUpload(big, { type: 'sending', bytes: 2.5e6, partMs: 100_000, now: 150_000 });
    // The one file's row and the totals agree, between confirmations too.
    expect(big.etaSeconds).toBe(250);
    expect(summarize([big], 50_000, 150_000).etaSeconds).toBe(250);
  });

  it('brings the speed and time left back once the estimate grows again after a stall, before a part is confirmed', () => {
    let item = uploading('hung', file(0, 20e6));
    item = reduceUpload(item, { type: 'part-done', size: 5e6, partSize: 5e6, now: 1_000 }); // 5 MB/s
    item = reduceUpload(item, { type: 'sending', bytes: 4.75e6, partMs: 1_000, now: 2_000 });
    item = reduceUpload(item, { type: 'sending', bytes: 4.75e6, partMs: 1_000, now: 7_000 });
    expect(item).toMatchObject({ bytesPerSecond: 0, etaSeconds: null });
    // Another part of it started and its estimate grows: the bytes move again, and the speed is what
    // they did lately, the stall included: 10 MB (5 confirmed, 5 on their way) in 7.25 s.
    item = reduceUpload(item, { type: 'sending', bytes: 5e6, partMs: 1_000, now: 7_250 });
    expect(item.bytesPerSecond).toBeCloseTo(10e6 / 7.25, 0);
    expect(item.etaSeconds).toBe(8); // 10 MB left at 1.38 MB/s
  });

  it('after a wait, a last part of a few bytes confirmed before the full parts gives no speed, not "0 B/s" and two years left', () => {
    const MiB = 2 ** 20;
    let item = uploading('big', file(0, 30 * MiB + 3));
    item = reduceUpload(item, { type: 'part-done', size: 5 * MiB, partSize: 5 * MiB, now: 2_500 });
    expect(item.bytesPerSecond).toBeCloseTo(2 * MiB, -3);
    item = reduceUpload(item, { type: 'waiting', waiting: 'store', now: 3_000 });
    item = reduceUpload(item, { type: 'waiting', waiting: null, now: 5_000 });
    const waited = item;
    item = reduceUpload(item, { type: 'part-done', size: 3, partSize: 5 * MiB, now: 16_000 });
    expect(item).toMatchObject({ bytesPerSecond: 0, etaSeconds: null });
    item = reduceUpload(item, { type: 'part-done', size: 5 * MiB, partSize: 5 * MiB, now: 17_000 });
    expect(item.bytesPerSecond).toBeGreaterThan(400_000);
    expect(item.etaSeconds).toBeLessThan(60);
    // With the full parts shown on their way (6 MiB in 10 s), the small part's answer gives the speed
    // of what the bar showed.
    item = reduceUpload(waited, { type: 'sending', bytes: 6 * MiB, partMs: 2_500, now: 15_000 });
    item = reduceUpload(item, { type: 'part-done', size: 3, partSize: 5 * MiB, now: 16_000 });
    expect(item.bytesPerSecond).toBeCloseTo((6 * MiB + 3) / 11, -3);
    expect(item.etaSeconds).toBeLessThan(60);
  });

  it('shows no speed or time left once a Complete has hung for as long as a stall, like its parts would', () => {
    let item = uploading('big', file(0, 10e6));
    item = reduceUpload(item, { type: 'part-done', size: 5e6, partSize: 5e6, now: 1_000 });
    item = reduceUpload(item, { type: 'part-done', size: 5e6, partSize: 5e6, now: 2_000 });
    item = reduceUpload(item, { type: 'status', status: 'completing', now: 2_000 });
    // Just after the last part: the totals still go (a Complete takes milliseconds on most stores), but
    // say no time left: nothing is left to send, and how long the store takes to assemble is unknown
    // (not "0 s left" for the whole of a Complete that takes minutes).
    expect(summarize([item], 5e6, 2_500)).toMatchObject({
      bytesPerSecond: 5e6,
      etaSeconds: null,
      busy: true,
    });
    // The store stopped answering: no speed of the minute before, no time left, still busy.
    expect(summarize([item], 5e6, 8_000)).toMatchObject({ bytesPerSecond: 0, etaSeconds: null, busy: true });
  });

  it('counts what is left to send, not paused or failed files', () => {
    const going = smallFiles(250);
    const paused = going.map((item, i) =>
      i >= 1_000 ? reduceUpload(item, { type: 'status', status: 'paused', now: 20_000 }) : item,
    );
    const eta = summarize(paused, 700 * 24.5, afterSmallFiles(250)).etaSeconds!;
    expect(eta).toBeGreaterThan(((1_000 - 250) / 24.5) * 0.9);
    expect(eta).toBeLessThan(((1_000 - 250) / 24.5) * 1.1);
  });

  it('shows the measured rate, not that of files that shared the link and finished together', () => {
    const MB = 1e6;
    // Twelve 200 MB files went side by side on a 50 MB/s link and finished within 10 s of each other;
    // eight more of 200 MB go on, at the measured 50 MB/s: 1,600 MB left is 32 s.
    const items: UploadItem[] = [];
    for (let i = 0; i < 12; i++) {
      let item = createItem(`d${i}`, file(i, 200 * MB), undefined, 0);
      item = reduceUpload(item, { type: 'status', status: 'uploading', now: 0 });
      item = reduceUpload(item, {
        type: 'part-done',
        size: 200 * MB,
        partSize: 200 * MB,
        now: 40_000 + i * 900,
      });
      items.push(reduceUpload(item, { type: 'done', key: item.name, note: null }));
    }
    for (let i = 0; i < 8; i++) {
      const item = createItem(`q${i}`, file(12 + i, 200 * MB), undefined, 0);
      items.push(reduceUpload(item, { type: 'status', status: 'uploading', now: 50_000 }));
    }
    const totals = summarize(items, 50 * MB, 51_000);
    expect(totals.bytesPerSecond).toBe(50 * MB);
    expect(totals.etaSeconds).toBe(32);
  });

  it('a batch that finished minutes ago says nothing of the speed or time left of a new upload', () => {
    const MB = 1e6;
    const items: UploadItem[] = [];
    for (let i = 0; i < 6; i++) {
      let item = createItem(`d${i}`, file(i, 100 * MB), undefined, 0);
      item = reduceUpload(item, { type: 'status', status: 'uploading', now: 0 });
      item = reduceUpload(item, {
        type: 'part-done',
        size: 100 * MB,
        partSize: 100 * MB,
        now: 1_000 * (i + 1),
      });
      items.push(reduceUpload(item, { type: 'done', key: item.name, note: null }));
    }
    let big = createItem('big', file(6, 3_000 * MB), undefined, 600_000);
    big = reduceUpload(big, { type: 'status', status: 'uploading', now: 600_000 });
    for (let n = 1; n <= 4; n++)
      big = reduceUpload(big, {
        type: 'part-done',
        size: 5 * MB,
        partSize: 5 * MB,
        now: 600_000 + n * 1_000,
      });
    // The link carries 5 MB/s now: 2,980 MB left is 596 s.
    const totals = summarize([...items, big], 5 * MB, 604_000);
    expect(totals.bytesPerSecond).toBe(5 * MB);
    expect(totals.etaSeconds).toBe(596);
  });
});
