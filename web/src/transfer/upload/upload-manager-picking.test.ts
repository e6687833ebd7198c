import { describe, expect, it } from 'vitest';
import type { Clock } from '../shared/clock.ts';
import { makeFile, settle, setup, until } from './testing/setup.ts';

/**
 * A picked file as Chromium gives it: the first read of its size or date is a file stat (here: counted,
 * and `onStat` called), later reads are free.
 */
class PickedFile extends File {
  static stats: string[] = [];
  static onStat: () => void = () => {};
  #statted = false;

  override get size(): number {
    this.#stat();
    return super.size;
  }

  override get lastModified(): number {
    this.#stat();
    return super.lastModified;
  }

  #stat(): void {
    if (this.#statted) return;
    this.#statted = true;
    PickedFile.stats.push(this.name);
    PickedFile.onStat();
  }
}

function picked(name: string, size: number, lastModified = 1_000): PickedFile {
  return new PickedFile([makeFile(name, size)], name, { lastModified });
}

function freshStats(): string[] {
  PickedFile.stats = [];
  PickedFile.onStat = () => {};
  return PickedFile.stats;
}

describe('UploadManager: picking many files', () => {
  it('lists 3,000 picked files without reading a size or date, in one change, and sizes the rows after', async () => {
    const stats = freshStats();
    const h = setup({ maxActiveFiles: 1 });
    let notified = 0;
    h.manager.subscribe(() => notified++);
    const files = Array.from({ length: 3_000 }, (_, i) => picked(`f${i}.txt`, 100 + (i % 7)));
    const ids = h.manager.add(files.map((file) => ({ file })));
    expect(ids).toHaveLength(3_000);
    expect(stats).toEqual([]);
    expect(h.manager.getSnapshot().items.every((item) => item.size === null)).toBe(true);

    await until(() => h.manager.getSnapshot().totals.unsized === 0);
    const { items, totals } = h.manager.getSnapshot();
    expect(items.map((item) => item.size)).toEqual(files.map((file) => file.size));
    expect(totals.bytesTotal).toBe(files.reduce((sum, file) => sum + file.size, 0));
    expect(stats).toHaveLength(3_000); // each file once
    // The add and the sizes that followed without time passing: one notification (see notifyIntervalMs).
    expect(notified).toBe(1);
  });

  it('reads sizes a slice at a time, the page getting a turn between slices', async () => {
    const stats = freshStats();
    let now = 0;
    /** Each stat takes 4 ms; a slice is 10 ms, so 3 files a slice. */
    PickedFile.onStat = () => (now += 4);
    const clock: Clock = {
      now: () => now,
      sleep: (ms, { signal } = {}) =>
        ms > 0 ? new Promise(() => {}) : signal?.aborted ? Promise.reject(signal.reason) : settle(1),
    };
    const h = setup({ clock, maxActiveFiles: 0 });
    h.manager.add(Array.from({ length: 12 }, (_, i) => ({ file: picked(`s${i}.txt`, 10) })));
    const sized = () => h.manager.getSnapshot().items.filter((item) => item.size !== null).length;
    const seen = [sized()];
    while (seen.at(-1)! < 12) {
      await settle(1);
      if (sized() !== seen.at(-1)) seen.push(sized());
    }
    expect(seen).toEqual([0, 3, 6, 9, 12]);
    expect(stats).toHaveLength(12);
  });

  it('reads size and date only of files whose name and path are in the list already, to leave out the same file', () => {
    const stats = freshStats();
    const h = setup({ maxActiveFiles: 0 });
    h.manager.add([{ file: picked('a.txt', 10) }, { file: picked('b.txt', 10) }]);
    expect(stats).toEqual([]);
    const ids = h.manager.add([
      { file: picked('a.txt', 10) }, // the same file again
      { file: picked('a.txt', 11) }, // another file of that name
      { file: picked('a.txt', 10), relativePath: 'sub/a.txt' }, // another key
      { file: picked('c.txt', 10) },
    ]);
    expect(ids).toHaveLength(3);
    expect(h.manager.getSnapshot().notice).toBe('“a.txt” is already in the list, so it was not added again.');
    expect(stats).toEqual(['a.txt', 'a.txt', 'a.txt']); // the one in the list, and the two picked
  });

  it('a drop with items it could not read adds the rest and says which were left out; the next add clears it', () => {
    const h = setup({ maxActiveFiles: 0 });
    const ids = h.manager.add([{ file: picked('ok.txt', 3), relativePath: 'docs/ok.txt' }], {
      unreadable: ['docs/gone.txt'],
    });
    expect(ids).toHaveLength(1);
    expect(h.manager.getSnapshot().notice).toBe(
      '“docs/gone.txt” could not be read (moved, deleted, or not allowed to be opened?), so it was not added.',
    );
    h.manager.add([{ file: picked('next.txt', 3) }]);
    expect(h.manager.getSnapshot().notice).toBeNull();
  });
});
