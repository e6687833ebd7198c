import { crc32 } from 'hash-wasm';
import { describe, expect, it } from 'vitest';
import { createHasher } from './integrity.ts';
import { SegmentHasher } from './segment-hasher.ts';

const crcOf = async (bytes: Uint8Array) => BigInt(`0x${await crc32(bytes)}`);

describe('SegmentHasher', () => {
  it('cuts the stream at the given offsets, whatever the chunk sizes', async () => {
    const data = new Uint8Array(50).map((_, i) => (i * 7) & 255);
    for (const chunk of [1, 3, 7, 50]) {
      const hasher = new SegmentHasher(await createHasher('CRC32'), 100, [108, 120, 140]);
      for (let i = 0; i < data.length; i += chunk) hasher.update(data.subarray(i, i + chunk));
      const bounds = [0, 8, 20, 40, 50];
      const expected = [];
      for (let i = 0; i + 1 < bounds.length; i++) {
        const [a, b] = [bounds[i]!, bounds[i + 1]!];
        expected.push({ start: 100 + a, length: b - a, crc: await crcOf(data.subarray(a, b)) });
      }
      expect(hasher.finish()).toEqual(expected);
    }
  });

  it('gives one segment without cuts, and none for nothing received', async () => {
    const data = new TextEncoder().encode('123456789');
    const hasher = new SegmentHasher(await createHasher('CRC32'), 0);
    hasher.update(data);
    expect(hasher.finish()).toEqual([{ start: 0, length: 9, crc: 0xcbf43926n }]);
    expect(new SegmentHasher(await createHasher('CRC32'), 5, [9]).finish()).toEqual([]);
  });
});
