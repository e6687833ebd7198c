import { describe, expect, it } from 'vitest';
import type { ObjectEntry } from '../../../server/shared/api-types.ts';
import { tallySelection, tallyText, type ListPage, type SizeTally } from './total-size.ts';

const entry = (key: string, size: number) => ({ key, size, etag: '"e"', lastModified: '' }) as ObjectEntry;

/** A bucket of `keys` listed `pageSize` at a time, as the API pages them, recording each call. */
function bucket(keys: Record<string, number>, pageSize = 2) {
  const calls: { prefix: string; cursor: string | null }[] = [];
  const listPage: ListPage = (prefix, cursor) => {
    calls.push({ prefix, cursor });
    const under = Object.keys(keys)
      .filter((k) => k.startsWith(prefix))
      .sort();
    const from = cursor === null ? 0 : Number(cursor);
    const page = under.slice(from, from + pageSize).map((k) => entry(k, keys[k]!));
    const next = from + pageSize < under.length ? String(from + pageSize) : null;
    return Promise.resolve({ objects: page, nextCursor: next });
  };
  return { listPage, calls };
}

describe('tallySelection', () => {
  it('counts the ticked objects and every object under each ticked folder, page by page, with a running tally', async () => {
    const { listPage, calls } = bucket({
      'a/1': 10,
      'a/2': 20,
      'a/b/3': 30,
      'c/4': 40,
      'd/5': 1000, // not ticked
    });
    const seen: SizeTally[] = [];
    const tally = await tallySelection([entry('x.bin', 5)], ['a/', 'c/'], listPage, {
      signal: new AbortController().signal,
      onProgress: (t) => seen.push(t),
    });
    expect(tally).toEqual({ objects: 5, bytes: 105 });
    expect(calls).toEqual([
      { prefix: 'a/', cursor: null },
      { prefix: 'a/', cursor: '2' },
      { prefix: 'c/', cursor: null },
    ]);
    expect(seen).toEqual([
      { objects: 1, bytes: 5 },
      { objects: 3, bytes: 35 },
      { objects: 4, bytes: 65 },
      { objects: 5, bytes: 105 },
    ]);
  });

  it('an empty folder is none; objects alone ask nothing', async () => {
    const { listPage, calls } = bucket({});
    const signal = new AbortController().signal;
    expect(await tallySelection([], ['empty/'], listPage, { signal })).toEqual({ objects: 0, bytes: 0 });
    expect(await tallySelection([entry('k', 7)], [], listPage, { signal })).toEqual({ objects: 1, bytes: 7 });
    expect(calls).toHaveLength(1);
  });

  it('stops asking once stopped, and says so', async () => {
    const { listPage, calls } = bucket({ 'a/1': 1, 'a/2': 2, 'a/3': 3, 'a/4': 4, 'a/5': 5 });
    const stop = new AbortController();
    const counting = tallySelection([], ['a/'], listPage, {
      signal: stop.signal,
      onProgress: (t) => {
        if (t.objects === 2) stop.abort(new Error('stopped'));
      },
    });
    await expect(counting).rejects.toThrow('stopped');
    expect(calls).toHaveLength(1);
  });
});

describe('tallyText', () => {
  it('gives the count, the size and the exact bytes', () => {
    expect(tallyText({ objects: 1234, bytes: 3 * 1024 ** 3 + 5 })).toBe(
      '1,234 objects, 3.0 GB (3,221,225,477 bytes)',
    );
    expect(tallyText({ objects: 1, bytes: 1 })).toBe('1 object, 1 byte');
    expect(tallyText({ objects: 0, bytes: 0 })).toBe('0 objects, 0 bytes');
  });
});
