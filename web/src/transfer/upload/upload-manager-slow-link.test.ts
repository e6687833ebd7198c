import { describe, expect, it } from 'vitest';
import type { PutRequest } from './testing/scripted-transport.ts';
import { makeFile, settle, setup, type Harness } from './testing/setup.ts';

const MiB = 1024 * 1024;

/**
 * An uplink of `bytesPerSecond(t)` shared evenly by the PUTs in flight, in 1 s steps of the fake
 * clock: each request is answered once its body has gone through. Counts the PUTs the engine gave up.
 */
async function uplink(
  h: Harness,
  bytesPerSecond: (second: number) => number,
  done: () => boolean,
  everySecond: (second: number) => void = () => {},
) {
  const left = new Map<PutRequest, number>();
  let aborted = 0;
  let most = 0;
  for (let second = 0; second < 4 * 3600 && !done(); second++) {
    everySecond(second);
    await settle(10);
    for (let r = h.transport.claim(); r; r = h.transport.claim()) left.set(r, r.body.size);
    for (const r of left.keys()) {
      if (r.aborted) aborted++;
      if (r.settled) left.delete(r);
    }
    most = Math.max(most, left.size);
    const share = bytesPerSecond(second) / Math.max(1, left.size);
    for (const [r, bytes] of left) {
      if (bytes <= share) {
        left.delete(r);
        r.respond();
      } else left.set(r, bytes - share);
    }
    await h.clock.advance(1000);
  }
  await settle(10);
  return { aborted, most };
}

describe('UploadManager: a slow uplink', () => {
  it('at 512 kbit/s, parts go one at a time, each well within its deadline, and the file gets through', async () => {
    const h = setup({ partSize: MiB, concurrency: 6, stallTimeoutMs: 60_000, minBytesPerSecond: 32 * 1024 });
    const [id] = h.manager.add([{ file: makeFile('slow.bin', 12 * MiB) }]);
    const seen = await uplink(
      h,
      () => 64_000,
      () => h.manager.get(id!)?.status === 'done',
    );
    expect(h.manager.get(id!)).toMatchObject({ status: 'done', retrying: null });
    // Before: six parts shared the link once one was through, each took 98 s, and a 92 s deadline
    // aborted every one of them, on every retry.
    expect(seen).toEqual({ aborted: 0, most: 1 });
  });

  it('a link that gets slow after it was measured stalls once, then paces itself and gets through', async () => {
    const h = setup({ partSize: MiB, concurrency: 6, stallTimeoutMs: 60_000, minBytesPerSecond: 32 * 1024 });
    const [id] = h.manager.add([{ file: makeFile('downgrade.bin', 16 * MiB) }]);
    // 8 MB/s for the first 3 s (Wi-Fi), then 32 kB/s (tethering).
    const seen = await uplink(
      h,
      (second) => (second < 3 ? 8_000_000 : 32_000),
      () => /^(done|failed)$/.test(h.manager.get(id!)?.status ?? ''),
    );
    expect(h.manager.get(id!)!.status).toBe('done');
    expect(seen.aborted).toBeGreaterThan(0);
    expect(seen.aborted).toBeLessThanOrEqual(6);
  });

  it('files added one after another, before the link is measured, stretch the deadlines of the parts already going', async () => {
    const h = setup({
      partSize: 5 * MiB,
      concurrency: 6,
      stallTimeoutMs: 60_000,
      minBytesPerSecond: 32 * 1024,
    });
    const names = ['a', 'b', 'c', 'd'];
    const ids: string[] = [];
    // 512 kbit/s; a file added every 10 s, so four first parts share the link, each sent alone at first.
    const seen = await uplink(
      h,
      () => 64_000,
      () => ids.length === 4 && ids.every((id) => h.manager.get(id)?.status === 'done'),
      (second) => {
        if (second % 10 === 0 && second / 10 < names.length) {
          ids.push(...h.manager.add([{ file: makeFile(`${names[second / 10]}.bin`, 10 * MiB) }]));
        }
      },
    );
    expect(ids.map((id) => h.manager.get(id)!.status)).toEqual(['done', 'done', 'done', 'done']);
    expect(seen.aborted).toBe(0);
  });
});
