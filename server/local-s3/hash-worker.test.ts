import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Md5Lanes, md5LastBlocks } from './hash-worker.mjs';
import { md5x4Module } from './md5x4-wasm.ts';

const md5 = (data: Uint8Array) => createHash('md5').update(data).digest('hex');

/** A deterministic pseudo-random sequence, so a failure can be replayed. */
function random(seed: number) {
  return () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
}

describe('Md5Lanes (multi-buffer MD5)', () => {
  it('is supported here (WebAssembly SIMD)', () => {
    expect(Md5Lanes.supported(md5x4Module())).toBe(true);
  });

  it('gives the MD5 of every length around the block and padding edges', () => {
    const lanes = new Md5Lanes(md5x4Module());
    const lengths = [0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 129, 1000, 4096, 100_003];
    const data = lengths.map((n) => randomBytes(n));
    data.forEach((d, id) => {
      lanes.open(id);
      lanes.update(id, d, () => {});
    });
    lanes.pump(true);
    data.forEach((d, id) => expect(lanes.digest(id), `length ${d.length}`).toBe(md5(d)));
  });

  it('gives the MD5 of streams fed in random pieces, interleaved, pumped and digested in any order', () => {
    const next = random(7);
    // Small lane buffers, so that one stream takes many runs, beside others of all sizes.
    const lanes = new Md5Lanes(md5x4Module(), { laneBytes: 256 });
    const streams = Array.from({ length: 9 }, (_, id) => ({
      id,
      data: randomBytes(Math.floor(next() * 5000)),
      at: 0,
    }));
    const released: number[] = [];
    let updates = 0;
    for (const s of streams) lanes.open(s.id);
    while (streams.some((s) => s.at < s.data.length)) {
      const s = streams[Math.floor(next() * streams.length)]!;
      if (s.at >= s.data.length) continue;
      const n = Math.min(s.data.length - s.at, 1 + Math.floor(next() * 700));
      const id = updates++;
      lanes.update(s.id, s.data.subarray(s.at, s.at + n), () => released.push(id));
      s.at += n;
      if (next() < 0.3) lanes.pump(next() < 0.5);
    }
    for (const s of [...streams].sort(() => next() - 0.5)) expect(lanes.digest(s.id)).toBe(md5(s.data));
    // Every update was released once, and only once.
    expect(released.sort((a, b) => a - b)).toEqual(Array.from({ length: updates }, (_, i) => i));
  });

  it('keeps an update until its blocks are hashed, then releases it', () => {
    const lanes = new Md5Lanes(md5x4Module());
    const data = randomBytes(64 * 1024);
    let released = false;
    lanes.open(1);
    lanes.update(1, data, () => (released = true));
    expect(released).toBe(false);
    lanes.pump(true);
    expect(released).toBe(true);
    expect(lanes.digest(1)).toBe(md5(data));
  });

  it('releases a piece shorter than a block at once (its bytes are kept aside)', () => {
    const lanes = new Md5Lanes(md5x4Module());
    const data = Buffer.from('hello');
    let released = false;
    lanes.open(1);
    lanes.update(1, data, () => (released = true));
    expect(released).toBe(true);
    expect(lanes.digest(1)).toBe(md5(data));
  });

  it('waits for other open streams to share a run, unless forced or a stream holds two updates', () => {
    const lanes = new Md5Lanes(md5x4Module());
    const [a, b, c] = [randomBytes(4096), randomBytes(4096), randomBytes(4096)];
    lanes.open(1);
    lanes.open(2);
    const released: string[] = [];
    lanes.update(1, a, () => released.push('a'));
    expect(lanes.pump()).toBe(false); // stream 2 has nothing yet
    expect(released).toEqual([]);
    lanes.update(2, b, () => released.push('b'));
    expect(lanes.pump()).toBe(true); // both ready: one run for the two
    expect(released.sort()).toEqual(['a', 'b']);
    lanes.update(1, c, () => released.push('c1'));
    lanes.update(1, c, () => released.push('c2'));
    expect(lanes.pump()).toBe(true); // stream 1 holds two updates: no more waiting
    expect(released).toContain('c2');
    expect(lanes.digest(1)).toBe(md5(Buffer.concat([a, c, c])));
    expect(lanes.digest(2)).toBe(md5(b));
  });

  it('releases what a dropped stream still held, and forgets it', () => {
    const lanes = new Md5Lanes(md5x4Module());
    let released = 0;
    lanes.open(1);
    lanes.open(2);
    lanes.update(1, randomBytes(1000), () => released++);
    lanes.update(1, randomBytes(1000), () => released++);
    lanes.drop(1);
    expect(released).toBe(2);
    expect(() => lanes.digest(1)).toThrow('unknown hash job');
    expect(lanes.pump()).toBe(true);
  });

  it('ends with the length in bits as 64 bits, little-endian, past 4 GiB too', () => {
    const rest = Uint8Array.of(1, 2, 3, 4, 5);
    const last = md5LastBlocks(rest, 2 ** 32 + 5); // bits: 0x8_0000_0028
    expect(last.length).toBe(64);
    expect([...last.subarray(0, 6)]).toEqual([1, 2, 3, 4, 5, 0x80]);
    expect([...last.subarray(6, 56)].every((b) => b === 0)).toBe(true);
    expect([...last.subarray(56)]).toEqual([0x28, 0, 0, 0, 8, 0, 0, 0]);
    expect([...md5LastBlocks(new Uint8Array(0), 2 ** 40 + 3).subarray(56)]).toEqual([
      24, 0, 0, 0, 0, 8, 0, 0,
    ]);
    // 55 bytes left still fit one block with the 0x80 and the length; 56 need a second block.
    expect(md5LastBlocks(new Uint8Array(55), 55).length).toBe(64);
    expect(md5LastBlocks(new Uint8Array(56), 56).length).toBe(128);
  });
});
