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
    expect(summarize(unsized, 0)).toMatchObject({ files: 3, bytesTotal: 0, unsized: 3 });
    const one = reduceUpload(unsized[0]!, { type: 'sized', size: 700 });
    expect(one.size).toBe(700);
    expect(reduceUpload(one, { type: 'sized', size: 700 })).toBe(one);
    expect(summarize([one, ...unsized.slice(1)], 0)).toMatchObject({ files: 3, bytesTotal: 700, unsized: 2 });
  });
});

describe('leaveAsks', () => {
  it('asks before leaving while a file moves, is paused or waits for an answer; not for ended rows', () => {
    const asks = UPLOAD_STATUSES.filter((status) => {
      const item = { ...createItem('u', { name: 'f', type: '', size: 10 }, undefined, 0), status };
      return leaveAsks(summarize([item], 0));
    });
    expect(asks.sort()).toEqual(
      ['cancelling', 'completing', 'conflict', 'hashing', 'paused', 'queued', 'uploading'].sort(),
    );
    expect(leaveAsks(summarize([], 0))).toBe(false);
  });
});

describe('summarize: time left', () => {
  const file = (i: number, size: number) => ({ name: `f${i}.txt`, size, type: 'text/plain' });

  /** 2,013 files of 700 B, `done` of them finished at 24.5 a second from t = 3 s, the next 6 uploading. */
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
            now: at,
          },
        );
        return reduceUpload(sent, { type: 'done', key: item.name, note: null });
      }
      if (i < done + 6) return reduceUpload(item, { type: 'status', status: 'uploading', now: 3_000 });
      return item;
    });
  }

  it('reads about 82 s for 2,013 small files, not "22 min 57 s" from a byte rate of 1 KB/s', () => {
    // The byte rate the manager had after its first file: 700 B over the first file's latency.
    const totals = summarize(smallFiles(250), 1_000);
    const left = (2_013 - 250) / 24.5; // 72 s
    expect(totals.etaSeconds).toBeGreaterThan(left * 0.9);
    expect(totals.etaSeconds).toBeLessThan(left * 1.1);
    expect(totals.bytesPerSecond).toBeGreaterThan(15_000);
  });

  it('gives no ETA before a few files finished', () => {
    expect(summarize(smallFiles(2), 1_000).etaSeconds).toBeNull();
  });

  it('gives one big file an ETA from the byte rate once a few parts went', () => {
    let big = reduceUpload(createItem('big', file(0, 100e6), undefined, 0), {
      type: 'status',
      status: 'uploading',
      now: 0,
    });
    big = reduceUpload(big, { type: 'part-done', size: 5e6, now: 500 });
    expect(summarize([big], 10e6).etaSeconds).toBeNull();
    for (let n = 2; n <= 4; n++) big = reduceUpload(big, { type: 'part-done', size: 5e6, now: n * 500 });
    expect(summarize([big], 10e6).etaSeconds).toBe(8);
  });

  it('gives the totals an ETA after one part on a slow uplink, not after four (over 5 minutes there)', () => {
    let big = reduceUpload(createItem('big', file(0, 20 * 2 ** 20), undefined, 0), {
      type: 'status',
      status: 'uploading',
      now: 0,
    });
    // 512 kbit/s: a 5 MiB part takes about 82 s.
    big = reduceUpload(big, { type: 'part-done', size: 5 * 2 ** 20, now: 81_920 });
    expect(summarize([big], 64_000).etaSeconds).toBe(246);
    // A fast link's first part alone, confirmed in half a second, is not enough to go by.
    let fast = reduceUpload(createItem('fast', file(1, 100e6), undefined, 0), {
      type: 'status',
      status: 'uploading',
      now: 0,
    });
    fast = reduceUpload(fast, { type: 'part-done', size: 5e6, now: 500 });
    expect(summarize([fast], 10e6).etaSeconds).toBeNull();
  });

  it("counts a row's time left down with the estimate of the parts in flight, between confirmations", () => {
    let big = reduceUpload(createItem('big', file(0, 20e6), undefined, 0), {
      type: 'status',
      status: 'uploading',
      now: 0,
    });
    big = reduceUpload(big, { type: 'part-done', size: 5e6, now: 100_000 }); // 50 kB/s
    expect(big.etaSeconds).toBe(300);
    big = reduceUpload(big, { type: 'sending', bytes: 2.5e6 });
    expect(big.etaSeconds).toBe(250);
    big = reduceUpload(big, { type: 'sending', bytes: 0 });
    expect(big.etaSeconds).toBe(300);
  });

  it('counts what is left to send, not paused or failed files', () => {
    const going = smallFiles(250);
    const paused = going.map((item, i) =>
      i >= 1_000 ? reduceUpload(item, { type: 'status', status: 'paused', now: 20_000 }) : item,
    );
    const eta = summarize(paused, 1_000).etaSeconds!;
    expect(eta).toBeGreaterThan(((1_000 - 250) / 24.5) * 0.9);
    expect(eta).toBeLessThan(((1_000 - 250) / 24.5) * 1.1);
  });
});
