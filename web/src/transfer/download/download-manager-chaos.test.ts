import { crc32, sha256 } from 'hash-wasm';
import { expect, it } from 'vitest';
import { DownloadManager } from './download-manager.ts';
import { crcToBase64 } from './integrity.ts';
import { MemoryDestination } from './memory-destination.ts';
import { FakeApi, bytes, instantClock } from './testing/fake-api.ts';
import { ScriptedFetch, type ScriptedRequest } from './testing/scripted-fetch.ts';
import { createFileSystemDestination } from './fs-access-destination.ts';
import { FakeDirectory, type FakeFile } from './testing/fake-fs-access.ts';
import { sharedLocks } from '../shared/testing/shared-locks.ts';

/**
 * Random orders of pause, resume, retry, cancel and "start over" amid connections that break off, into
 * a memory folder and a File System Access one (seeded: each run the same): every file must end whole,
 * verified and counted once, with no partial file or open writer left behind. From a review of the
 * engine (session 47), which ran 300 seeds of it.
 */
const tick = () => new Promise<void>((r) => setImmediate(r));

function rnd(seed: number) {
  let x = seed;
  return (n: number) => {
    x = (x * 1103515245 + 12345) >>> 0;
    return (x >>> 8) % n;
  };
}

async function chaos(seed: number, fs: boolean) {
  const r = rnd(seed);
  const api = new FakeApi();
  const net = new ScriptedFetch();
  const mem = new MemoryDestination();
  const root = new FakeDirectory('root');
  const dest = fs ? createFileSystemDestination(root.asHandle(), { locks: sharedLocks().tab() }) : mem;
  const objects: Record<string, Uint8Array> = {};
  for (let i = 0; i < 5; i++) {
    const size = [20, 45, 64, 100, 5][i]!;
    const data = bytes(size, seed * 10 + i);
    objects[`o${i}`] = data;
    const checksum =
      i % 2 === 0
        ? {
            algorithm: 'CRC32' as const,
            value: crcToBase64(Number.parseInt(await crc32(data), 16)),
            composite: false,
          }
        : {
            algorithm: 'SHA256' as const,
            value: Buffer.from(await sha256(data), 'hex').toString('base64'),
            composite: false,
          };
    api.put(`o${i}`, data, `v${i}`, checksum);
  }
  net.autoRespond = (req: ScriptedRequest) => {
    const object = api.objects.get(req.key)!;
    const bounds = req.rangeBounds;
    const [start, end] = bounds ?? [0, object.bytes.length - 1];
    const body = object.bytes.slice(start, end + 1);
    const headers: Record<string, string> = {
      etag: `"${object.etag}"`,
      'content-length': String(body.length),
    };
    if (bounds) headers['content-range'] = `bytes ${start}-${end}/${object.bytes.length}`;
    const s = req.stream(bounds ? 206 : 200, headers);
    const breakAt = r(4) === 0 ? r(body.length + 1) : -1;
    void (async () => {
      for (let at = 0; at < body.length; at += 3) {
        await tick();
        if (breakAt >= 0 && at >= breakAt) {
          s.error(new TypeError('reset'));
          return;
        }
        s.push(body.slice(at, at + 3));
      }
      await tick();
      s.end();
    })();
  };
  const manager = new DownloadManager(api, {
    fetch: net.fetch,
    clock: instantClock().clock,
    random: () => 0.5,
    rangeThreshold: 32,
    rangeSize: 10,
    rangeConcurrency: 3,
    maxRequests: 4,
    maxRetries: 1,
    onExisting: 'replace',
    writeBufferBytes: 7,
  });
  if (seed % 2 === 0) {
    if (fs) (await root.getFileHandle('o1', { create: true })).data = new Uint8Array([1, 2, 3]);
    else mem.files.set('o1', new Uint8Array([1, 2, 3]));
  }
  const ids = manager.start(
    Object.keys(objects).map((k) => api.entry(k)),
    dest,
  );
  const log: string[] = [];
  for (let step = 0; step < 60; step++) {
    const id = ids[r(ids.length)]!;
    const what = r(10);
    const act: [string, () => void] | null =
      what === 0
        ? ['pause', () => manager.pause(id)]
        : what === 1
          ? ['resume', () => manager.resume(id)]
          : what === 2
            ? ['retry', () => manager.retry(id)]
            : what === 3 && r(3) === 0
              ? ['cancel', () => manager.cancel(id)]
              : what === 4 && r(4) === 0
                ? [
                    'discard',
                    () => {
                      manager.discardPartial(id);
                      manager.retry(id);
                    },
                  ]
                : null;
    if (act) {
      log.push(`${act[0]} ${id}`);
      act[1]();
    }
    for (let t = r(6); t > 0; t--) await tick();
  }
  // Now let everything through.
  for (let round = 0; round < 30; round++) {
    manager.resumeAll();
    manager.retryFailed();
    for (const id of ids) {
      const item = manager.getSnapshot().items.find((i) => i.id === id)!;
      if (item.status === 'cancelled') manager.retry(id);
    }
    await manager.whenIdle();
    for (let t = 0; t < 5; t++) await tick();
    const items = manager.getSnapshot().items;
    if (items.every((i) => i.status === 'done')) break;
  }
  const snap = manager.getSnapshot();
  for (const item of snap.items) {
    expect(item.status, `${seed}: ${item.key} ${JSON.stringify(item.error)} ${log.join(', ')}`).toBe('done');
    const got = fs
      ? (root.entries.get(item.relativePath) as FakeFile | undefined)?.data
      : mem.files.get(item.relativePath);
    expect(got, `${seed}: ${item.key}`).toEqual(objects[item.key]);
    expect(item.verification, `${seed}: ${item.key}`).toBe('verified');
    expect(item.loaded).toBe(item.size);
  }
  expect(snap.totals.loaded).toBe(snap.totals.bytes);
  await tick();
  if (!fs) expect([...mem.open.keys()], `${seed}: open files left ${log.join(', ')}`).toEqual([]);
  else {
    expect(root.list(), `${seed}: ${log.join(', ')}`).toEqual(['o0', 'o1', 'o2', 'o3', 'o4']);
    for (const f of root.entries.values()) expect((f as FakeFile).openWritables).toBe(0);
  }
}

it('pause, resume, retry and cancel in any order end with every file whole and verified', async () => {
  for (let seed = 1; seed <= 60; seed++) await chaos(seed, false);
}, 120_000);

it('the same into a File System Access folder leaves no partial file or open writable', async () => {
  for (let seed = 1; seed <= 60; seed++) await chaos(seed, true);
}, 120_000);
