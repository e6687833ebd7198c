import type { Clock } from '../shared/clock.ts';

/** Sizes of picked files are read for this long at a time, then the page gets a turn. */
const SIZE_SLICE_MS = 10;

/**
 * Reads the sizes of the files added, `SIZE_SLICE_MS` at a time, the page getting a turn between
 * slices. In Chromium the first read of a picked File's size (or date) is a file stat, a fraction of
 * a millisecond each: reading 3,000 of them in add() held the page for 0.6 s after the browser's own
 * work on the pick. A file about to be sent is sized first (`UploadManager#size` in `#run`).
 */
export class LateSizer<T> {
  readonly #clock: Clock;
  readonly #size: (item: T) => void;
  /** Files whose size is still to be read, from `#at` on. */
  #queue: T[] = [];
  #at = 0;
  #sizing = false;

  constructor(clock: Clock, size: (item: T) => void) {
    this.#clock = clock;
    this.#size = size;
  }

  add(item: T): void {
    this.#queue.push(item);
  }

  /** Sizes every file added, until none is left (a no-op while already at it); stops on `signal`. */
  async run({ signal }: { signal: AbortSignal }): Promise<void> {
    if (this.#sizing) return;
    this.#sizing = true;
    const clock = this.#clock;
    try {
      while (this.#at < this.#queue.length) {
        await clock.sleep(0, { signal });
        const until = clock.now() + SIZE_SLICE_MS;
        do this.#size(this.#queue[this.#at++]!);
        while (this.#at < this.#queue.length && clock.now() < until);
      }
      this.#queue = [];
      this.#at = 0;
    } catch {
      // destroyed
    } finally {
      this.#sizing = false;
    }
  }
}
