/**
 * A counting semaphore shared by every transfer on the page, handing free slots fairly: when a slot
 * frees, the waiting owner holding the fewest slots gets it (ties: whoever has waited longest).
 * Three files with concurrency 6 hold two slots each; a lone file gets all six.
 */
interface Waiter {
  owner: string;
  seq: number;
  grant: (release: () => void) => void;
}

export class FairScheduler {
  #limit: number;
  #held = new Map<string, number>();
  #active = 0;
  #waiters: Waiter[] = [];
  #seq = 0;

  constructor(limit: number) {
    this.#limit = Math.max(1, limit);
  }

  get active(): number {
    return this.#active;
  }

  get limit(): number {
    return this.#limit;
  }

  /**
   * Changes how many slots there are (at least 1). Raising it hands the new slots out at once;
   * lowering it takes none back: slots held stay held, and no new one is granted until fewer than
   * the new limit are.
   */
  setLimit(limit: number): void {
    this.#limit = Math.max(1, Math.floor(limit));
    this.#dispatch();
  }

  heldBy(owner: string): number {
    return this.#held.get(owner) ?? 0;
  }

  /** Waits for a slot; the returned function gives it back (idempotent). */
  acquire(owner: string, o: { signal?: AbortSignal } = {}): Promise<() => void> {
    const { signal } = o;
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        owner,
        seq: this.#seq++,
        grant: (release) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(release);
        },
      };
      const onAbort = () => {
        this.#waiters = this.#waiters.filter((w) => w !== waiter);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiters.push(waiter);
      this.#dispatch();
    });
  }

  #dispatch(): void {
    while (this.#active < this.#limit && this.#waiters.length > 0) {
      let best = 0;
      for (let i = 1; i < this.#waiters.length; i++) {
        const a = this.#waiters[i]!;
        const b = this.#waiters[best]!;
        const ha = this.heldBy(a.owner);
        const hb = this.heldBy(b.owner);
        if (ha < hb || (ha === hb && a.seq < b.seq)) best = i;
      }
      const [waiter] = this.#waiters.splice(best, 1);
      if (!waiter) return;
      this.#active++;
      this.#held.set(waiter.owner, this.heldBy(waiter.owner) + 1);
      let released = false;
      waiter.grant(() => {
        if (released) return;
        released = true;
        this.#active--;
        const left = this.heldBy(waiter.owner) - 1;
        if (left > 0) this.#held.set(waiter.owner, left);
        else this.#held.delete(waiter.owner);
        this.#dispatch();
      });
    }
  }
}
