/**
 * Fixed-size SharedArrayBuffer slots that request bodies are gathered into: a filled slot is written to the file
 * and read by a hash worker (see hash-pool.ts) without another copy.
 *
 * Freed slots are reused, most recently freed first: allocating them afresh (zeroed pages, page faults) cost
 * ~0.5 s of CPU per GiB ingested. So that an idle store does not hold on to its peak, slots that stayed free for
 * `idleMs` are released, all but `keep`.
 */

export const SLOT_BYTES = 1024 * 1024;

export interface Slot {
  readonly sab: SharedArrayBuffer;
  /** a Buffer over all of `sab` */
  readonly bytes: Buffer;
}

export interface SlotPoolOptions {
  slotBytes?: number;
  /** free slots kept however long they stay unused */
  keep?: number;
  idleMs?: number;
}

export class SlotPool {
  readonly #slotBytes: number;
  readonly #keep: number;
  readonly #idleMs: number;
  /** a stack, so in order of `freedAt`: the slots at the bottom are the ones that stayed unused the longest */
  readonly #free: { slot: Slot; freedAt: number }[] = [];
  #inUse = 0;
  #sweep: NodeJS.Timeout | undefined;

  constructor({ slotBytes = SLOT_BYTES, keep = 4, idleMs = 10_000 }: SlotPoolOptions = {}) {
    this.#slotBytes = slotBytes;
    this.#keep = keep;
    this.#idleMs = idleMs;
  }

  /** slots taken and not given back yet (tests: 0 once every body is done, however it ended) */
  get inUse(): number {
    return this.#inUse;
  }

  get free(): number {
    return this.#free.length;
  }

  take(): Slot {
    this.#inUse++;
    const free = this.#free.pop();
    if (free) return free.slot;
    const sab = new SharedArrayBuffer(this.#slotBytes);
    return { sab, bytes: Buffer.from(sab) };
  }

  /** Only once nothing reads or writes the slot any more (its file write and its hash are both done). */
  give(slot: Slot): void {
    this.#inUse--;
    this.#free.push({ slot, freedAt: Date.now() });
    this.#sweepLater();
  }

  #sweepLater(): void {
    if (this.#sweep || this.#free.length <= this.#keep) return;
    this.#sweep = setTimeout(() => {
      this.#sweep = undefined;
      const cutoff = Date.now() - this.#idleMs;
      let idle = 0;
      while (idle < this.#free.length - this.#keep && this.#free[idle]!.freedAt <= cutoff) idle++;
      this.#free.splice(0, idle);
      this.#sweepLater();
    }, this.#idleMs);
    // a timer that only trims memory must not keep the process alive
    this.#sweep.unref();
  }
}

export const bodySlots = new SlotPool();
