/**
 * CRCs a body as it streams, cut at given object offsets (where a part begins): one SegmentCrc per
 * piece between cuts. One hasher, re-initialised at each cut, so the synchronous per-chunk path never
 * waits for a new one.
 */
import type { IHasher } from 'hash-wasm';
import { crcValue } from './integrity.ts';
import type { SegmentCrc } from './segment-crcs.ts';

export class SegmentHasher {
  readonly #hasher: IHasher;
  readonly #cuts: readonly number[];
  readonly #segments: SegmentCrc[] = [];
  #next = 0;
  #at: number;
  #segmentStart: number;

  /** `start`: object offset of the body's first byte; `cuts`: ascending offsets after it. */
  constructor(hasher: IHasher, start: number, cuts: readonly number[] = []) {
    this.#hasher = hasher;
    this.#cuts = cuts;
    this.#at = start;
    this.#segmentStart = start;
  }

  update(chunk: Uint8Array): void {
    for (let offset = 0; offset < chunk.byteLength;) {
      const cut = this.#cuts[this.#next] ?? Infinity;
      const take = Math.min(chunk.byteLength - offset, cut - this.#at);
      this.#hasher.update(take === chunk.byteLength ? chunk : chunk.subarray(offset, offset + take));
      offset += take;
      this.#at += take;
      if (this.#at === cut) {
        this.#close();
        this.#next++;
      }
    }
  }

  /** The segments of everything received (call once, at the end of the body). */
  finish(): SegmentCrc[] {
    if (this.#at > this.#segmentStart) this.#close();
    return this.#segments;
  }

  #close(): void {
    this.#segments.push({
      start: this.#segmentStart,
      length: this.#at - this.#segmentStart,
      crc: crcValue(this.#hasher),
    });
    this.#hasher.init();
    this.#segmentStart = this.#at;
  }
}
