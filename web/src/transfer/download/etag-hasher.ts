/**
 * Recomputes an object's ETag from its bytes, in order (as they stream, or read back from the file):
 * the hex MD5 of all of them, or, given the part size, the multipart form S3 gives an object completed
 * from parts: the MD5 of every part's binary MD5, one after another, then "-N". Two MD5 states (the part
 * in progress and the digests so far), so memory does not grow with the object.
 */
import { createMD5, type IHasher } from 'hash-wasm';

export class EtagHasher {
  readonly #part: IHasher;
  readonly #parts: IHasher | null;
  readonly #partSize: number;
  #inPart = 0;
  #count = 0;

  private constructor(part: IHasher, parts: IHasher | null, partSize: number) {
    this.#part = part;
    this.#parts = parts;
    this.#partSize = partSize;
  }

  /** `partSize` null: a single-part ETag (the MD5 of the bytes). */
  static async create(partSize: number | null): Promise<EtagHasher> {
    if (partSize !== null && !(Number.isSafeInteger(partSize) && partSize > 0)) {
      throw new RangeError(`part size must be a positive whole number of bytes, not ${partSize}`);
    }
    const part = (await createMD5()).init();
    if (partSize === null) return new EtagHasher(part, null, Infinity);
    return new EtagHasher(part, (await createMD5()).init(), partSize);
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
  }
}
