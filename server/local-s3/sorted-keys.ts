/** Keys kept sorted in UTF-8 byte order (S3's listing order), with values; binary search for listings. */

export interface KeyEntry<T> {
  readonly key: string;
  readonly bytes: Buffer;
  value: T;
}

export class SortedKeys<T> {
  #entries: KeyEntry<T>[] = [];
  readonly #byKey = new Map<string, KeyEntry<T>>();

  get size(): number {
    return this.#entries.length;
  }

  get(key: string): T | undefined {
    return this.#byKey.get(key)?.value;
  }

  at(index: number): KeyEntry<T> | undefined {
    return this.#entries[index];
  }

  /** Replaces the contents in one go (sorting once), e.g. when loading from disk. */
  load(items: Iterable<readonly [string, T]>): void {
    this.#byKey.clear();
    this.#entries = [];
    for (const [key, value] of items) {
      const entry = { key, bytes: Buffer.from(key, 'utf8'), value };
      this.#byKey.set(key, entry);
    }
    this.#entries = [...this.#byKey.values()].sort((a, b) => Buffer.compare(a.bytes, b.bytes));
  }

  set(key: string, value: T): void {
    const existing = this.#byKey.get(key);
    if (existing) {
      existing.value = value;
      return;
    }
    const entry = { key, bytes: Buffer.from(key, 'utf8'), value };
    this.#entries.splice(this.lowerBound(entry.bytes), 0, entry);
    this.#byKey.set(key, entry);
  }

  delete(key: string): boolean {
    const existing = this.#byKey.get(key);
    if (!existing) return false;
    const index = this.lowerBound(existing.bytes);
    this.#entries.splice(index, 1);
    this.#byKey.delete(key);
    return true;
  }

  /** Index of the first entry ≥ bytes. */
  lowerBound(bytes: Buffer): number {
    return this.#search((entry) => Buffer.compare(entry.bytes, bytes) < 0);
  }

  /** Index of the first entry > bytes. */
  upperBound(bytes: Buffer): number {
    return this.#search((entry) => Buffer.compare(entry.bytes, bytes) <= 0);
  }

  /** Index of the first entry that sorts after every key starting with `prefix`. */
  afterPrefix(prefix: Buffer): number {
    return this.#search((entry) => Buffer.compare(entry.bytes.subarray(0, prefix.length), prefix) <= 0);
  }

  #search(isBefore: (entry: KeyEntry<T>) => boolean): number {
    let lo = 0;
    let hi = this.#entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (isBefore(this.#entries[mid]!)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
