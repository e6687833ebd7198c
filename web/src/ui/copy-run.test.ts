import { describe, expect, it, vi } from 'vitest';
import type { CopiedObjects, ObjectEntry } from '../../../server/shared/api-types.ts';
import {
  batchCount,
  conflictsInOrder,
  copySummary,
  madeFor,
  mergeRetry,
  nextBatch,
  replaceIfOf,
  retryable,
  retryPlan,
  runCopy,
  type CopyProgress,
} from './copy-run.ts';

const entry = (key: string, size = 10): ObjectEntry => ({
  key,
  size,
  lastModified: '2026-01-01T00:00:00.000Z',
  etag: '"e"',
});

describe('nextBatch', () => {
  it('cuts by count and by bytes; an object over the byte limit goes alone', () => {
    const ones = [1, 1, 1, 1, 1].map((size) => ({ size }));
    expect(nextBatch(ones, 0, 2, 100)).toHaveLength(2);
    expect(nextBatch(ones, 4, 2, 100)).toHaveLength(1);
    expect(nextBatch(ones, 5, 2, 100)).toEqual([]);
    const mixed = [10, 60, 50, 500, 5].map((size) => ({ size }));
    const sizes = (from: number) => nextBatch(mixed, from, 10, 100).map((o) => o.size);
    expect([sizes(0), sizes(2), sizes(3), sizes(4)]).toEqual([[10, 60], [50], [500], [5]]);
  });
});

describe('batchCount', () => {
  it('starts with a handful, then sizes a call to take about a second at the pace so far', () => {
    expect(batchCount({ objects: 0, ms: 0 })).toBe(4);
    // 8 objects in 4 s (two calls of 2 s): 2 a second.
    expect(batchCount({ objects: 8, ms: 4000 })).toBe(2);
    expect(batchCount({ objects: 1, ms: 30_000 })).toBe(1); // a big object: one at a time
    expect(batchCount({ objects: 8, ms: 80 })).toBe(50); // fast: at most 50
    expect(batchCount({ objects: 8, ms: 0 })).toBe(50);
  });

  it('never sends more keys than the server takes in one call', () => {
    expect(batchCount({ objects: 1000, ms: 1 }, 10_000)).toBe(100);
  });
});

describe('runCopy', () => {
  const objects = Array.from({ length: 120 }, (_, i) => entry(`f/${i}.txt`, 1000));
  const answerFor = (keys: string[]): CopiedObjects => ({
    folder: 'g/',
    done: keys
      .filter((k) => k !== 'f/3.txt' && k !== 'f/77.txt' && k !== 'f/80.txt')
      .map((k) => ({
        key: k,
        newKey: k.replace('f/', 'g/'),
        size: 1000,
        ...(k === 'f/5.txt' && { note: 'kept f/5.txt' }),
      })),
    failed: [
      ...(keys.includes('f/3.txt')
        ? [{ key: 'f/3.txt', code: 'key-exists', message: 'exists', newKey: 'g/3.txt' }]
        : []),
      ...(keys.includes('f/77.txt') ? [{ key: 'f/77.txt', code: 'not-found', message: 'gone' }] : []),
      ...(keys.includes('f/80.txt') ? [{ key: 'f/80.txt', code: 'store-error', message: 'SlowDown' }] : []),
    ],
  });

  it('sends the objects in batches and sorts what came back: done, taken names, deleted since, failures, notes', async () => {
    const calls: string[][] = [];
    const seen: CopyProgress[] = [];
    const result = await runCopy(
      objects,
      async (keys) => {
        calls.push(keys);
        return answerFor(keys);
      },
      { signal: new AbortController().signal, stopped: () => false, onProgress: (p) => seen.push(p) },
    );
    // A handful first (two calls at once), then, as fast as these answer, the most a call takes.
    expect(calls.map((c) => c.length)).toEqual([4, 4, 50, 50, 12]);
    expect(calls.flat()).toEqual(objects.map((o) => o.key));
    expect(result).toMatchObject({ done: 117, total: 120, stopped: false, notes: ['kept f/5.txt'] });
    // A taken name says which: the key it was to take.
    expect(result.conflicts).toEqual([{ entry: objects[3], taken: 'g/3.txt' }]);
    expect(result.errors).toEqual([{ entry: objects[80], code: 'store-error', message: 'SlowDown' }]);
    // Deleted since the count: nothing to copy, and no failure a retry could mend.
    expect(result.gone).toEqual([objects[77]]);
    expect(seen.map((p) => p.settled)).toEqual([0, 4, 8, 58, 108, 120]);
    expect(seen.at(-1)).toMatchObject({ totalBytes: 120_000, settledBytes: 120_000 });
  });

  it('sizes each call to take about a second at the pace the calls so far went, so Stop and progress come soon', async () => {
    vi.useFakeTimers();
    try {
      const calls: number[] = [];
      const run = runCopy(
        objects.slice(0, 40),
        (keys) => {
          calls.push(keys.length);
          // The server moves 5 objects a second in each call.
          return new Promise((resolve) => setTimeout(() => resolve(answerFor(keys)), keys.length * 200));
        },
        {
          signal: new AbortController().signal,
          stopped: () => false,
          onProgress: () => undefined,
          now: () => Date.now(),
        },
      );
      await vi.runAllTimersAsync();
      await run;
      expect(calls).toEqual([4, 4, 5, 5, 5, 5, 5, 5, 2]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('sends no more calls once stopped, and says it stopped', async () => {
    let stop = false;
    let calls = 0;
    const result = await runCopy(
      objects,
      async (keys) => {
        calls++;
        stop = true;
        return answerFor(keys);
      },
      { signal: new AbortController().signal, stopped: () => stop, onProgress: () => undefined },
    );
    expect(calls).toBe(1);
    expect(result).toMatchObject({ done: 3, stopped: true });
    // The calls not sent: nothing was tried for them.
    expect(result.unsent.map((e) => e.key)).toEqual(objects.slice(4).map((o) => o.key));
  });

  it('a call that fails throws with what was done meanwhile', async () => {
    let calls = 0;
    const run = runCopy(
      objects,
      async (keys) => {
        if (++calls === 2) throw new Error('The Hoist server cannot be reached');
        return answerFor(keys);
      },
      { signal: new AbortController().signal, stopped: () => false, onProgress: () => undefined },
    );
    await expect(run).rejects.toMatchObject({
      message: 'The Hoist server cannot be reached',
      // The call beside it goes on and counts: calls 1 and 3 (3 of 4 and 50 copied; call 2 failed whole).
      partial: { done: 53 },
    });
    // What the failed call and the calls never sent held: a retry's merge keeps their first outcome.
    const partial = await run.catch((error: { partial: { unsent: ObjectEntry[] } }) => error.partial);
    expect(partial.unsent.map((e) => e.key)).toEqual([
      ...objects.slice(4, 8).map((o) => o.key),
      ...objects.slice(58).map((o) => o.key),
    ]);
  });
});

describe('copySummary', () => {
  const base = {
    done: 3,
    total: 3,
    stopped: false,
    unsent: [],
    conflicts: [],
    errors: [],
    gone: [],
    notes: [],
  };
  it('says what was done and where', () => {
    expect(copySummary(base, { move: true, where: '“archive/”' })).toBe('Moved 3 objects to “archive/”.');
    expect(copySummary({ ...base, done: 1 }, { move: false, where: 'the top' })).toBe(
      'Copied 1 of 3 objects to the top.',
    );
  });

  it('a folder rename that went through says so; one that did not, what was moved', () => {
    expect(copySummary(base, { move: true, where: '“b/”', renamed: '“a/”' })).toBe(
      'Renamed “a/” to “b/” (3 objects).',
    );
    expect(copySummary({ ...base, done: 2 }, { move: true, where: '“b/”', renamed: '“a/”' })).toBe(
      'Moved 2 of 3 objects to “b/”.',
    );
    const none = { ...base, done: 0, conflicts: [{ entry: entry('a/x'), taken: 'b/x' }] };
    expect(copySummary(none, { move: true, where: '“b/”', renamed: '“a/”' })).toBe(
      '“a/” was not renamed: nothing was moved to “b/”. 1 object was left: its name is taken there.',
    );
  });

  it('says how many were deleted since the count, and what a move left under its folders because it was written there since', () => {
    const gone = { ...base, done: 2, gone: [entry('a/x')] };
    expect(copySummary(gone, { move: true, where: '“b/”' })).toBe(
      'Moved 2 of 3 objects to “b/”. 1 object was deleted since the count: not moved.',
    );
    // A rename of everything that was still there is done; what was written since is named.
    const late = [{ name: 'a/', count: 2 }];
    expect(copySummary(gone, { move: true, where: '“b/”', renamed: '“a/”', late })).toBe(
      'Renamed “a/” to “b/” (2 objects). 1 object was deleted since the count: not moved. 2 objects written since the count are still in “a/”.',
    );
    expect(
      copySummary({ ...base, done: 1, gone: [entry('x'), entry('y')] }, { move: false, where: '“b/”' }),
    ).toBe('Copied 1 of 3 objects to “b/”. 2 objects were deleted since the count: not copied.');
    // All of them deleted since: nothing was renamed.
    expect(
      copySummary(
        { ...base, done: 0, gone: [entry('x'), entry('y'), entry('z')] },
        { move: true, where: '“b/”', renamed: '“a/”' },
      ),
    ).toBe(
      '“a/” was not renamed: nothing was moved to “b/”. 3 objects were deleted since the count: not moved.',
    );
  });

  it('says what was left because its name is taken, what failed and why, and a stop', () => {
    const text = copySummary(
      {
        done: 1,
        total: 1200,
        stopped: true,
        unsent: [],
        conflicts: [
          { entry: entry('a'), taken: 'g/a' },
          { entry: entry('b'), taken: 'g/b' },
        ],
        errors: [{ entry: entry('f/x'), code: 'store-error', message: 'SlowDown' }],
        gone: [],
        notes: [],
      },
      { move: true, where: '“g/”' },
    );
    expect(text).toBe(
      'Moved 1 of 1,200 objects to “g/” (stopped). 2 objects were left: their names are taken there. 1 failed: f/x (SlowDown)',
    );
  });
});

describe('retryable', () => {
  it('leaves out what would fail the same way again', () => {
    const errors = ['not-found', 'dot-segment', 'store-error', 'invalid-key', 'too-long', 'changed'].map(
      (code) => ({ entry: entry(code), code, message: code }),
    );
    expect(retryable(errors).map((e) => e.code)).toEqual(['not-found', 'store-error', 'changed']);
  });
});

describe('retryPlan', () => {
  it('tries a move whose copy was made as its delete only: what the server answered goes back with it', async () => {
    const made = { etag: '"old"', copyEtag: '"copy"' };
    const first = await runCopy(
      [entry('f/a'), entry('f/b')],
      async () => ({
        folder: 'g/',
        done: [],
        failed: [
          { key: 'f/a', code: 'delete-failed', message: 'SlowDown', newKey: 'g/a', made },
          { key: 'f/b', code: 'store-error', message: 'SlowDown', newKey: 'g/b' },
        ],
      }),
      { signal: new AbortController().signal, stopped: () => false, onProgress: () => undefined },
    );
    const again = retryPlan(first.errors);
    expect(again.entries.map((e) => e.key)).toEqual(['f/a', 'f/b']);
    expect(again.made).toEqual({ 'f/a': made });
    // Each call sends what concerns its own keys, nothing when none.
    expect(madeFor(again.made, ['f/a', 'f/b'])).toEqual({ 'f/a': made });
    expect(madeFor(again.made, ['f/b'])).toBeUndefined();
  });

  it('leaves out what would fail the same way again', () => {
    const errors = [{ entry: entry('x'), code: 'dot-segment', message: '' }];
    expect(retryPlan(errors)).toEqual({ entries: [], made: {} });
  });
});

describe('mergeRetry', () => {
  const [a, b, c] = [entry('old/a'), entry('old/b'), entry('old/c')];
  const first = {
    done: 1,
    total: 3,
    stopped: false,
    unsent: [],
    conflicts: [{ entry: b, taken: 'new/b' }],
    errors: [{ entry: c, code: 'store-error', message: 'SlowDown' }],
    gone: [],
    notes: ['kept old/x'],
  };
  const none = { stopped: false, unsent: [], conflicts: [], errors: [], gone: [], notes: [] };

  it('keeps what a Replace did not touch: the failure is still listed, and the rename is not done', () => {
    const merged = mergeRetry(first, [b], { ...none, done: 1, total: 1 });
    expect(merged).toEqual({ ...first, done: 2, conflicts: [] });
    expect(copySummary(merged, { move: true, where: '“new/”', renamed: '“old/”' })).toBe(
      'Moved 2 of 3 objects to “new/”. 1 failed: old/c (SlowDown)',
    );
  });

  it('says "Renamed" once every object is done, over the runs', () => {
    const replaced = mergeRetry(first, [b], { ...none, done: 1, total: 1 });
    const retried = mergeRetry(replaced, [c], { ...none, done: 1, total: 1 });
    expect(copySummary(retried, { move: true, where: '“new/”', renamed: '“old/”' })).toBe(
      'Renamed “old/” to “new/” (3 objects).',
    );
  });

  it('takes the retry’s own outcome for what it tried, and keeps the first for what a Stop left unsent', () => {
    const retry = {
      ...none,
      done: 0,
      total: 2,
      stopped: true,
      unsent: [c],
      conflicts: [{ entry: b, taken: 'new/b' }],
    };
    const merged = mergeRetry(
      { ...first, conflicts: [{ entry: a, taken: 'new/a' }, ...first.conflicts] },
      [b, c],
      retry,
    );
    expect(merged.conflicts.map((x) => x.entry.key)).toEqual(['old/a', 'old/b']);
    expect(merged.errors.map((x) => x.entry.key)).toEqual(['old/c']);
    // The retry's Stop leaves nothing for good (its unsent are offered again): not "stopped".
    expect(merged).toMatchObject({ done: 1, total: 3, stopped: false });
  });

  it('going on with what a Stop left: the new run says whether it stopped and what it left, counts add up', () => {
    const stopped = { ...none, done: 1, total: 3, stopped: true, unsent: [b, c] };
    const partly = mergeRetry(
      stopped,
      [b, c],
      { ...none, done: 1, total: 2, stopped: true, unsent: [c] },
      {
        goingOn: true,
      },
    );
    expect(partly).toMatchObject({ done: 2, total: 3, stopped: true, unsent: [c] });
    const all = mergeRetry(partly, [c], { ...none, done: 1, total: 1 }, { goingOn: true });
    expect(all).toMatchObject({ done: 3, total: 3, stopped: false, unsent: [] });
    expect(copySummary(all, { move: true, where: '“new/”', renamed: '“old/”' })).toBe(
      'Renamed “old/” to “new/” (3 objects).',
    );
  });

  it('a Replace stopped with one object unsent, then a Replace that does it: "Renamed"', () => {
    const start = { ...first, errors: [], conflicts: [b, c].map((e) => ({ entry: e, taken: e.key })) };
    const stopped = mergeRetry(start, [b, c], { ...none, done: 1, total: 2, stopped: true, unsent: [c] });
    expect(stopped.conflicts.map((x) => x.entry.key)).toEqual(['old/c']);
    const again = mergeRetry(stopped, [c], { ...none, done: 1, total: 1 });
    expect(copySummary(again, { move: true, where: '“new/”', renamed: '“old/”' })).toBe(
      'Renamed “old/” to “new/” (3 objects).',
    );
  });

  it('adds up what was deleted since the count over the runs (never tried again)', () => {
    const merged = mergeRetry({ ...first, gone: [a] }, [c], { ...none, done: 0, total: 1, gone: [c] });
    expect(merged.gone).toEqual([a, c]);
    expect(merged.errors).toEqual([]);
  });

  it('a retry whose call failed as a whole keeps the first outcome of everything it did not get to', () => {
    const merged = mergeRetry(first, [b, c], { ...none, done: 0, total: 2, unsent: [b, c] });
    expect(merged).toEqual(first);
  });
});

describe('replaceIfOf', () => {
  it('pins each "Replace" to the object shown at its new key; one the server did not describe goes unpinned', () => {
    expect(
      replaceIfOf([
        { entry: entry('f/a'), taken: 'g/a', existing: { etag: '"x"', size: 3 } },
        { entry: entry('f/b'), taken: 'g/b' },
      ]),
    ).toEqual({ 'f/a': '"x"' });
  });
});

describe('conflictsInOrder', () => {
  it('lists the names taken in the order of their new keys, not as the server answered them', () => {
    const taken = ['g/item-4', 'g/item-0', 'g/item-2'].map((t) => ({
      entry: entry(t.replace('g/', 'f/')),
      taken: t,
    }));
    expect(conflictsInOrder(taken).map((c) => c.taken)).toEqual(['g/item-0', 'g/item-2', 'g/item-4']);
    expect(taken.map((c) => c.taken)).toEqual(['g/item-4', 'g/item-0', 'g/item-2']);
  });
});
