/**
 * Recomputes an object's ETag from its bytes, in order (as they stream, or read back from the file):
 * the hex MD5 of all of them, or, given the part size (or, for parts of uneven sizes, every part's
 * size as run-length pairs), the multipart form S3 gives an object completed from parts: the MD5 of
 * every part's binary MD5, one after another, then "-N". Two MD5 states (the part in progress and the
 * digests so far), so memory does not grow with the object.
 */
import { createMD5, type IHasher } from 'hash-wasm';
import type { PartRun } from '../../../../server/shared/part-layout.ts';

export class EtagHasher {
  readonly #part: IHasher;
  readonly #parts: IHasher | null;
  readonly #runs: readonly PartRun[];
  /** The size of the part in progress; after the last run's, every part is the last run's size. */
  #partSize: number;
  #run = 0;
  #leftInRun: number;
  #inPart = 0;
  #count = 0;

  private constructor(part: IHasher, parts: IHasher | null, runs: readonly PartRun[]) {
    this.#part = part;
    this.#parts = parts;
    this.#runs = runs;
    this.#partSize = runs[0]?.[0] ?? Infinity;
    this.#leftInRun = runs[0]?.[1] ?? Infinity;
  }

  /**
   * `partSize` null: a single-part ETag (the MD5 of the bytes). `runs`: the parts' sizes, in order,
   * as [size, repeat] (an uneven layout; `partSize` is then the first part's).
   */
  static async create(partSize: number | null, runs?: readonly PartRun[]): Promise<EtagHasher> {
    const sizes = runs ? runs.map(([size]) => size) : partSize === null ? [] : [partSize];
    const bad = sizes.find((s) => !(Number.isSafeInteger(s) && s > 0));
    if (bad !== undefined) {
      throw new RangeError(`part size must be a positive whole number of bytes, not ${bad}`);
    }
    const part = (await createMD5()).init();
    if (partSize === null) return new EtagHasher(part, null, []);
    return new EtagHasher(part, (await createMD5()).init(), runs ?? [[partSize, Infinity]]);
  }

  update(chunk: Uint8Array): void {
    for (let offset = 0; offset < chunk.byteLength;) {
      const take = Math.min(chunk.byteLength - offset, this.#partSize - this.#inPart);
      this.#part.update(take === chunk.byteLength ? chunk : chunk.subarray(offset, offset + take));
      offset += take;
      this.#inPart += take;
      if (this.#inPart === this.#partSize) this.#closePart();
    }
  }

  /** The ETag of everything seen, unquoted, lower-case hex ("…" or "…-N"). Call once, at the end. */
  digest(): string {
    if (!this.#parts) return this.#part.digest('hex');
    if (this.#inPart > 0 || this.#count === 0) this.#closePart();
    return `${this.#parts.digest('hex')}-${this.#count}`;
  }

  #closePart(): void {
    this.#parts?.update(this.#part.digest('binary'));
    this.#part.init();
    this.#inPart = 0;
    this.#count++;
    // The next part's size: the next run's once this one is used up (the last run's size goes on).
    if (--this.#leftInRun === 0 && this.#run + 1 < this.#runs.length) {
      const [size, repeat] = this.#runs[++this.#run]!;
      this.#partSize = size;
      this.#leftInRun = repeat;
    }
  }
}
