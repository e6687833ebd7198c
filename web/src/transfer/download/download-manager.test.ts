import { crc32, crc64, sha256 } from 'hash-wasm';
import { describe, expect, it, vi } from 'vitest';
import type { Destination } from './destination.ts';
import { DownloadManager, type DownloadManagerOptions } from './download-manager.ts';
import type { DownloadSnapshot } from './download-state.ts';
import { crcToBase64 } from './integrity.ts';
import { MemoryDestination } from './memory-destination.ts';
import { FakeApi, FakeBatchApi, bytes, instantClock } from './testing/fake-api.ts';
import { ScriptedFetch } from './testing/scripted-fetch.ts';
import { ApiError } from '../shared/api-error.ts';
import { PageSession } from '../shared/session.ts';
import { FakeOnline } from '../shared/testing/fake-online.ts';

/** Lets every pending promise chain run (no timer is waited for). */
const settle = async () => {
  for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve));
};

function setup<A extends FakeApi = FakeApi>(
  options: Partial<DownloadManagerOptions> = {},
  api: A = new FakeApi() as A,
) {
  const net = new ScriptedFetch();
  const dest = new MemoryDestination();
  const time = instantClock();
  const manager = new DownloadManager(api, {
    fetch: net.fetch,
    clock: time.clock,
    random: () => 0.5,
    rangeThreshold: 32,
    rangeSize: 10,
    rangeConcurrency: 4,
    ...options,
  });
  const item = (id: string | undefined) => {
    const found = manager.getSnapshot().items.find((i) => i.id === id);
    if (!found) throw new Error(`no item ${id}`);
    return found;
  };
  return { api, net, dest, time, manager, item };
}

/**
 * After a Retry or Resume of the 45-byte object "big" that kept its first 20 bytes: only the ranges
 * from byte 20 on are fetched, into the same file, which comes out whole and verified.
 */
async function wentOnFromByte20(
  s: Pick<ReturnType<typeof setup>, 'net' | 'dest' | 'manager' | 'item'>,
  requestsBefore: number,
  data: Uint8Array,
  id: string | undefined,
) {
  await settle();
  await s.manager.whenIdle();
  expect(s.net.requests.slice(requestsBefore).map((r) => r.range)).toEqual([
    'bytes=20-29',
    'bytes=30-39',
    'bytes=40-44',
  ]);
  expect(s.dest.files.get('big')).toEqual(data);
  expect(s.item(id)).toMatchObject({ status: 'done', verification: 'verified' });
}

const crcOf = async (data: Uint8Array) => crcToBase64(Number.parseInt(await crc32(data), 16));
/** S3's COMPOSITE multipart CRC32: the CRC of the parts' big-endian CRCs, "-N", with its part layout. */
async function compositeOf(data: Uint8Array, partSize: number) {
  const count = Math.ceil(data.length / partSize);
  const joined = new Uint8Array(count * 4);
  for (let i = 0; i < count; i++) {
    const part = data.subarray(i * partSize, (i + 1) * partSize);
    new DataView(joined.buffer).setUint32(i * 4, Number.parseInt(await crc32(part), 16));
  }
  return {
    algorithm: 'CRC32' as const,
    value: `${await crcOf(joined)}-${count}`,
    composite: true,
    parts: { partSize, count },
  };
}
/** S3's CRC64NVME (its default checksum, always full-object): CRC-64/NVME, 8 bytes big-endian. */
const crc64Of = async (data: Uint8Array) =>
  Buffer.from(await crc64(data, '9a6c9329ac4bc9b5'), 'hex').toString('base64');
const sha256Of = async (data: Uint8Array) => Buffer.from(await sha256(data), 'hex').toString('base64');

describe('DownloadManager: small objects', () => {
  it('streams a small object to its path under the browsed prefix', async () => {
    const { api, net, dest, manager, item } = setup({ writeBufferBytes: 8 });
    const data = bytes(20);
    api.put('docs/sub/a.bin', data, 'v1', { algorithm: 'CRC32', value: await crcOf(data), composite: false });
    const [id] = manager.start([api.entry('docs/sub/a.bin')], dest, { prefix: 'docs/' });

    const req = await net.nextRequest();
    expect(req.range).toBeUndefined();
    // One GET is one version: the answer's ETag is checked instead (no If-Match, so no CORS preflight).
    expect(req.ifMatch).toBeUndefined();
    const body = req.stream(200, { 'content-length': '20', etag: '"v1"' });
    body.push(data.slice(0, 8));
    // The first chunk is on disk before the rest arrives: nothing is buffered whole.
    await vi.waitFor(() => expect(dest.open.get('sub/a.bin')?.slice(0, 8)).toEqual(data.slice(0, 8)));
    expect(item(id).status).toBe('downloading');
    body.push(data.slice(8));
    body.end();
    await manager.whenIdle();

    expect(dest.files.get('sub/a.bin')).toEqual(data);
    expect(item(id)).toMatchObject({
      status: 'done',
      loaded: 20,
      verification: 'verified',
      relativePath: 'sub/a.bin',
    });
  });

  it('fails a small object as changed when the answer is another version', async () => {
    const { api, net, dest, manager, item } = setup();
    const data = bytes(20);
    api.put('b.bin', data, 'v1');
    const [id] = manager.start([api.entry('b.bin')], dest, { prefix: '' });
    const req = await net.nextRequest();
    req.stream(200, { 'content-length': '20', etag: '"v2"' }).end();
    await manager.whenIdle();
    expect(item(id)).toMatchObject({ status: 'failed', error: { code: 'changed' } });
    expect(dest.files.has('b.bin')).toBe(false);
  });

  it('gathers network chunks into fewer, larger writes', async () => {
    const { api, net, dest, manager } = setup({ writeBufferBytes: 12, rangeThreshold: 1000 });
    const writes: [number, number][] = [];
    const open = dest.openFile.bind(dest);
    dest.openFile = async (path, o) => {
      const file = await open(path, o);
      return {
        ...file,
        write: (offset, chunk) => (writes.push([offset, chunk.byteLength]), file.write(offset, chunk)),
      };
    };
    const data = bytes(30);
    api.put('a', data);
    net.autoRespond = api.server(4); // 4-byte network chunks
    manager.start([api.entry('a')], dest);
    await manager.whenIdle();
    expect(writes).toEqual([
      [0, 12],
      [12, 12],
      [24, 6],
    ]);
    expect(dest.files.get('a')).toEqual(data);
  });

  it('records objects checked by size only: with a checksum it cannot recompute, or with none', async () => {
    const { api, net, dest, manager, item } = setup();
    api.put('a', 'hello', 'v1', { algorithm: 'CRC32', value: 'AAAAAA==-2', composite: true });
    api.put('b', 'world');
    net.autoRespond = api.server();
    const [a, b] = manager.start([api.entry('a'), api.entry('b')], dest);
    await manager.whenIdle();
    expect(item(a).verification).toBe('unverifiable');
    expect(item(b).verification).toBe('unverified');
    expect(dest.text('a')).toBe('hello');
  });

  it('verifies a composite (multipart) CRC32 from the bytes as they stream, part by part', async () => {
    const { api, net, dest, manager, item } = setup();
    const data = bytes(20, 3);
    api.put('a', data, 'v1', await compositeOf(data, 7));
    net.autoRespond = api.server(3);
    const [id] = manager.start([api.entry('a')], dest);
    await manager.whenIdle();
    expect(item(id)).toMatchObject({ status: 'done', verification: 'verified' });
    expect(dest.files.get('a')).toEqual(data);
  });

  it('fails as corrupt and removes the file when the checksum differs', async () => {
    const { api, net, dest, manager, item } = setup();
    api.put('a', 'hello', 'v1', {
      algorithm: 'CRC32',
      value: await crcOf(new TextEncoder().encode('hellO')),
      composite: false,
    });
    net.autoRespond = api.server();
    const [id] = manager.start([api.entry('a')], dest);
    await manager.whenIdle();
    expect(item(id).status).toBe('failed');
    expect(item(id).error?.code).toBe('corrupt');
    expect(item(id).error?.message).toMatch(/the download was discarded\. Retry the download\.$/);
    expect(dest.files.has('a')).toBe(false);
    expect(dest.open.size).toBe(0);
  });

  it('fails when the body stops short of the object and retries run out, keeping what came for Retry', async () => {
    const { api, net, dest, manager, item } = setup({ maxRetries: 0 });
    const data = new TextEncoder().encode('hello');
    api.put('a', data, 'v1', { algorithm: 'CRC32', value: await crcOf(data), composite: false });
    const [id] = manager.start([api.entry('a')], dest);
    (await net.nextRequest()).respond(200, 'hel', { 'content-length': '3', etag: '"v1"' });
    await manager.whenIdle();
    expect(item(id)).toMatchObject({ status: 'failed', kept: 3, error: { code: 'network' } });
    expect(dest.files.has('a')).toBe(false);
    expect(dest.open.get('a')?.slice(0, 3)).toEqual(data.slice(0, 3)); // still open, uncommitted

    manager.retry(id!);
    const rest = await net.nextRequest();
    expect(rest.range).toBe('bytes=3-4');
    expect(rest.ifMatch).toBe('"v1"');
    rest.serve(data, 'v1');
    await manager.whenIdle();
    expect(dest.files.get('a')).toEqual(data);
    expect(item(id)).toMatchObject({ status: 'done', verification: 'verified' });
  });

  it('fails as write-failed when the folder refuses writes', async () => {
    const { api, net, dest, manager, item } = setup();
    api.put('a', 'hello');
    dest.failWrites = new DOMException('Something is in the way', 'InvalidModificationError');
    net.autoRespond = api.server();
    const [id] = manager.start([api.entry('a')], dest);
    await manager.whenIdle();
    expect(item(id).error?.code).toBe('write-failed');
    expect(item(id).error?.message).toMatch(/^Couldn't write "a" in the folder .*: Something is in the way$/);
    expect(dest.open.size).toBe(0);
    expect(manager.getSnapshot().held).toBe(false);
  });
});

describe("DownloadManager: the folder's permission withdrawn", () => {
  /** Three files, one at a time, into a folder whose permission is gone: the first fails, the queue holds. */
  async function withdrawnAtFirst() {
    const h = setup({ concurrency: 1 });
    for (const name of ['a', 'b', 'c']) h.api.put(name, bytes(10, name.charCodeAt(0)));
    h.dest.failWrites = new DOMException('Permission withdrawn', 'NotAllowedError');
    h.net.autoRespond = h.api.server();
    const ids = h.manager.start(
      ['a', 'b', 'c'].map((name) => h.api.entry(name)),
      h.dest,
    );
    await h.manager.whenIdle();
    return { ...h, ids };
  }

  /** "Resume downloads", the browser asked for the folder's permission answering `grant`. */
  async function resumeGranting(h: Pick<ReturnType<typeof setup>, 'dest' | 'manager'>, grant: boolean) {
    h.dest.grantAccess = grant;
    h.manager.resumeHeld();
    await settle();
    await h.manager.whenIdle();
  }

  it('holds the queue at the first refusal, says why, and Resume asks for access again and goes on', async () => {
    const { dest, manager, item, ids } = await withdrawnAtFirst();
    // One failure, not three: the others wait for the permission.
    expect(item(ids[0]).error).toMatchObject({
      code: 'no-permission',
      message: expect.stringMatching(/may no longer write to the download folder.*Resume asks for it again/),
    });
    expect(ids.slice(1).map((id) => item(id).status)).toEqual(['queued', 'queued']);
    expect(manager.getSnapshot()).toMatchObject({ held: true, heldFor: 'no-permission' });

    // Asked again, refused: nothing goes on, and it still says why.
    await resumeGranting({ dest, manager }, false);
    expect(dest.accessRequests).toBe(1);
    expect(manager.getSnapshot()).toMatchObject({ held: true, heldFor: 'no-permission' });
    expect(ids.map((id) => item(id).status)).toEqual(['failed', 'queued', 'queued']);

    await resumeGranting({ dest, manager }, true);
    expect(dest.accessRequests).toBe(2);
    expect(ids.map((id) => item(id).status)).toEqual(['done', 'done', 'done']);
    expect(manager.getSnapshot()).toMatchObject({ held: false });
  });

  it('Resume asks for the permission of the folder the queue writes to, even with the failed row removed', async () => {
    const { dest, manager, item, ids } = await withdrawnAtFirst();
    manager.remove(ids[0]!);
    expect(manager.getSnapshot()).toMatchObject({ held: true, heldFor: 'no-permission' });
    // Before, only the failed rows' folders were asked: none, and the next file failed the same way.
    await resumeGranting({ dest, manager }, false);
    expect(dest.accessRequests).toBe(1);
    expect(ids.slice(1).map((id) => item(id).status)).toEqual(['queued', 'queued']);
    await resumeGranting({ dest, manager }, true);
    expect(dest.accessRequests).toBe(2);
    expect(ids.slice(1).map((id) => item(id).status)).toEqual(['done', 'done']);
  });

  it("a row's own Retry asks for the folder's permission first", async () => {
    const { api, net, dest, manager, item } = setup();
    api.put('a', 'hello');
    dest.failWrites = new DOMException('Permission withdrawn', 'NotAllowedError');
    net.autoRespond = api.server();
    const [id] = manager.start([api.entry('a')], dest);
    await manager.whenIdle();
    expect(item(id).error?.code).toBe('no-permission');
    manager.retry(id!);
    await settle();
    await manager.whenIdle();
    expect(dest.accessRequests).toBe(1);
    expect(item(id).status).toBe('done');
    expect(dest.text('a')).toBe('hello');
  });
});

describe('DownloadManager: a folder that runs out of space', () => {
  it('holds the queue at the first full-disk failure, and Resume goes on with every file', async () => {
    const { api, net, dest, manager, item } = setup({ concurrency: 2 });
    const names = ['a', 'b', 'c', 'd', 'e', 'f'];
    for (const name of names) api.put(name, bytes(10, name.charCodeAt(0)));
    dest.capacity = 25;
    net.autoRespond = api.server();
    const ids = manager.start(
      names.map((name) => api.entry(name)),
      dest,
    );
    await manager.whenIdle();
    const snapshot = manager.getSnapshot();
    // Two fit; the third fails on the full disk, and the one beside it too at most: never the rest.
    expect(snapshot.held).toBe(true);
    expect(snapshot.totals.counts.done).toBe(2);
    expect(snapshot.failed.map((f) => f.error?.code)).toEqual(snapshot.failed.map(() => 'disk-full'));
    expect(snapshot.failed.length).toBeGreaterThanOrEqual(1);
    expect(snapshot.failed.length).toBeLessThanOrEqual(2);
    expect(snapshot.totals.counts.queued).toBe(names.length - 2 - snapshot.failed.length);
    expect(snapshot.failed[0]?.error?.message).toMatch(
      /^The download folder is out of space: ".+" could not be saved\. Free some space, then "Resume downloads" \(or this row's Retry\)\.$/,
    );
    expect(snapshot.totals.eta).toBeNull();

    dest.capacity = Infinity;
    manager.resumeHeld();
    await settle();
    await manager.whenIdle();
    expect(ids.map((id) => item(id).status)).toEqual(names.map(() => 'done'));
    expect([...dest.files.keys()].sort()).toEqual(names);
    expect(manager.getSnapshot().held).toBe(false);
  });

  it('a ranged download that hit the full disk starts that file over on Resume: its errored file cannot go on', async () => {
    // A failed write errors the file for good, as it does a WritableStream: the bytes written through
    // it are lost with it, so Resume writes the file again through a fresh one.
    const { api, net, dest, manager, item } = setup({ rangeConcurrency: 1 });
    const data = bytes(45, 7);
    api.put('big', data, 'v1', { algorithm: 'CRC32', value: await crcOf(data), composite: false });
    dest.capacity = 25;
    net.autoRespond = api.server();
    const [id] = manager.start([api.entry('big')], dest);
    await manager.whenIdle();
    expect(item(id)).toMatchObject({ status: 'failed', kept: 0, error: { code: 'disk-full' } });
    expect(dest.open.has('big')).toBe(false); // aborted: its space is given back
    expect(manager.getSnapshot().held).toBe(true);

    dest.capacity = Infinity;
    const before = net.requests.length;
    manager.resumeHeld();
    await settle();
    await manager.whenIdle();
    expect(net.requests.slice(before).map((r) => r.range)).toEqual([
      'bytes=0-9',
      'bytes=10-19',
      'bytes=20-29',
      'bytes=30-39',
      'bytes=40-44',
    ]);
    expect(dest.files.get('big')).toEqual(data);
    expect(item(id)).toMatchObject({ status: 'done', verification: 'verified' });
  });

  it('a Retry of any row, or new downloads once the list is clear, are not held', async () => {
    const { api, net, dest, manager, item } = setup({ concurrency: 1 });
    for (const name of ['a', 'b', 'c']) api.put(name, bytes(10, 1));
    dest.capacity = 5;
    net.autoRespond = api.server();
    const [a, b] = manager.start([api.entry('a'), api.entry('b')], dest);
    await manager.whenIdle();
    expect(item(a).status).toBe('failed');
    expect(item(b).status).toBe('queued');
    dest.capacity = Infinity;
    manager.retry(a!);
    await settle();
    await manager.whenIdle();
    expect([item(a).status, item(b).status]).toEqual(['done', 'done']);

    // Held again, then everything cancelled: the notice goes, and it no longer holds what comes next
    // unless it shows again.
    dest.capacity = dest.files.size * 10;
    const [c] = manager.start([api.entry('c')], dest);
    await manager.whenIdle();
    expect(item(c).error?.code).toBe('disk-full');
    manager.remove(c!);
    expect(manager.getSnapshot().held).toBe(false);
  });
});

describe('DownloadManager: ranged objects', () => {
  it('assembles ranges that finish out of order, each pinned with If-Match', async () => {
    const { api, net, dest, manager, item } = setup();
    const data = bytes(45, 7);
    api.put('big', data, 'v9', { algorithm: 'CRC32', value: await crcOf(data), composite: false });
    const [id] = manager.start([api.entry('big')], dest);

    const first = await net.nextRequests(4);
    expect(first.map((r) => r.range)).toEqual(['bytes=0-9', 'bytes=10-19', 'bytes=20-29', 'bytes=30-39']);
    expect(first.every((r) => r.ifMatch === '"v9"')).toBe(true);
    for (const i of [3, 1, 0, 2]) first[i]!.serve(data, 'v9');
    const last = await net.nextRequest();
    expect(last.range).toBe('bytes=40-44');
    last.serve(data, 'v9');
    await manager.whenIdle();

    expect(dest.files.get('big')).toEqual(data);
    expect(item(id)).toMatchObject({ status: 'done', loaded: 45, verification: 'verified' });
    expect(net.requests).toHaveLength(5);
  });

  it('rejects an answer whose Content-Range is not the range asked for', async () => {
    const { api, net, dest, manager, item } = setup();
    api.put('big', bytes(45));
    const [id] = manager.start([api.entry('big')], dest);
    const reqs = await net.nextRequests(4);
    reqs[1]!.respond(206, bytes(10), { 'content-range': 'bytes 0-9/45' });
    await manager.whenIdle();
    expect(item(id).status).toBe('failed');
    expect(item(id).error).toMatchObject({ code: 'bad-response' });
    expect(item(id).error?.message).toMatch(/bytes 0-9\/45.*bytes=10-19/);
    expect(reqs.filter((r) => !r.answered || r.aborted).length).toBeGreaterThan(0);
    expect(dest.open.size + dest.files.size).toBe(0);
  });

  it('rejects a 200 answer to a ranged request', async () => {
    const { api, net, dest, manager, item } = setup();
    api.put('big', bytes(45));
    const [id] = manager.start([api.entry('big')], dest);
    (await net.nextRequest()).respond(200, bytes(45));
    await manager.whenIdle();
    expect(item(id).error?.message).toMatch(/ignored the Range header/);
  });

  it('retries a range that broke off alone, for the bytes it did not send', async () => {
    const { api, net, dest, manager, item, time } = setup();
    const data = bytes(45, 3);
    api.put('big', data, 'v1', { algorithm: 'CRC32', value: await crcOf(data), composite: false });
    const [id] = manager.start([api.entry('big')], dest);
    const [r0, r1, r2, r3] = await net.nextRequests(4);
    // Range 1 breaks off mid-body, after 4 bytes were received.
    const broken = r1!.stream(206, { 'content-range': 'bytes 10-19/45' });
    broken.push(data.slice(10, 14));
    await settle();
    broken.error(new TypeError('network reset'));
    const again = await net.nextRequest();
    expect(again.range).toBe('bytes=14-19');
    expect(again.ifMatch).toBe('"v1"');
    expect(time.sleeps).toHaveLength(1);
    expect(item(id).retries).toBe(1);
    for (const r of [r0, r2, r3, again]) r!.serve(data, 'v1');
    (await net.nextRequest()).serve(data, 'v1');
    await manager.whenIdle();
    expect(dest.files.get('big')).toEqual(data);
    // The range's CRC went on over the bytes written before the break: the object still verifies.
    expect(item(id)).toMatchObject({ status: 'done', verification: 'verified' });
    expect(net.requests.map((r) => r.range).sort()).toEqual(
      ['bytes=0-9', 'bytes=10-19', 'bytes=14-19', 'bytes=20-29', 'bytes=30-39', 'bytes=40-44'].sort(),
    );
  });

  it("fails as 'changed' on 412, aborts the other ranges and removes the partial file", async () => {
    const { api, net, dest, manager, item } = setup();
    const data = bytes(45);
    api.put('big', data, 'v1');
    const [id] = manager.start([api.entry('big')], dest);
    const reqs = await net.nextRequests(4);
    reqs[0]!.serve(data, 'v1');
    await vi.waitFor(() => expect(dest.open.get('big')?.[0]).toBe(data[0]));
    api.put('big', bytes(45, 2), 'v2'); // overwritten on the server meanwhile
    reqs[2]!.serve(api.objects.get('big')!.bytes, 'v2'); // If-Match "v1" → 412
    await manager.whenIdle();
    expect(item(id).status).toBe('failed');
    expect(item(id).error?.code).toBe('changed');
    expect(item(id).error?.message).toMatch(/changed on the server during the download; retry/);
    expect(reqs[1]!.aborted && reqs[3]!.aborted).toBe(true);
    expect(dest.open.size + dest.files.size).toBe(0);

    // Retrying fetches the new version with a fresh link.
    net.autoRespond = api.server();
    manager.retry(id!);
    await settle();
    await manager.whenIdle();
    expect(item(id)).toMatchObject({ status: 'done', etag: 'v2' });
    expect(dest.files.get('big')).toEqual(bytes(45, 2));
  });

  it('verifies a ranged SHA-256 by reading the file back, and removes it on mismatch', async () => {
    const { api, net, dest, manager, item } = setup();
    const good = bytes(45, 5);
    api.put('ok', good, 'v1', { algorithm: 'SHA256', value: await sha256Of(good), composite: false });
    api.put('bad', good, 'v1', {
      algorithm: 'SHA256',
      value: await sha256Of(bytes(45, 6)),
      composite: false,
    });
    net.autoRespond = api.server();
    const [ok, bad] = manager.start([api.entry('ok'), api.entry('bad')], dest);
    await manager.whenIdle();
    expect(item(ok)).toMatchObject({ status: 'done', verification: 'verified' });
    expect(item(bad).error?.code).toBe('corrupt');
    expect(dest.files.has('bad')).toBe(false);
  });

  it('"Replace" keeps the file the user had when the read-back proves the new bytes wrong, or is cancelled', async () => {
    const { api, net, manager, item } = setup({ onExisting: 'replace' });
    const dest = new MemoryDestination({ big: 'the report I had', other: 'another report I had' });
    const data = bytes(45, 3);
    const sha = { algorithm: 'SHA256' as const, value: await sha256Of(data), composite: false };
    api.put('big', data, 'v1', sha);
    api.put('other', data, 'v1', sha);
    const serve = api.server();
    net.autoRespond = (req) => {
      if (req.key === 'big' && req.range === 'bytes=10-19') {
        const bad = data.slice(10, 20);
        bad[3]! ^= 0xff; // same length, one byte wrong: only the read-back can tell
        req.respond(206, bad, { etag: '"v1"', 'content-range': 'bytes 10-19/45' });
      } else serve(req);
    };
    const held = new Set<string>();
    const open = dest.openFile.bind(dest);
    dest.openFile = async (path, o) => {
      const file = await open(path, o);
      const read = async () =>
        path === 'other' ? (held.add(path), new ReadableStream<Uint8Array>()) : file.read!();
      return { ...file, read };
    };
    const [big, other] = manager.start([api.entry('big'), api.entry('other')], dest);
    await vi.waitFor(() => expect(held.has('other')).toBe(true));
    manager.cancel(other!);
    await manager.whenIdle();
    expect(item(big)).toMatchObject({ status: 'failed', error: { code: 'corrupt' } });
    // It says what is true: the download went, the file the user had stays.
    expect(item(big).error?.message).toMatch(/download was discarded.*"big" was left as it was/);
    expect(item(big).error?.message).not.toMatch(/removed/);
    expect(item(other)).toMatchObject({ status: 'cancelled' });
    expect(dest.text('big')).toBe('the report I had');
    expect(dest.text('other')).toBe('another report I had');
  });

  it('fails with a stable code, never "unknown", when the folder refuses a read-back or a "Keep both" look-up', async () => {
    const { api, net, dest, manager, item } = setup({ rangeSize: 10 });
    const data = bytes(45, 3);
    api.put('sha', data, 'v1', { algorithm: 'SHA256', value: await sha256Of(data), composite: false });
    api.put('small', 'abc');
    dest.files.set('small', new Uint8Array(2));
    net.autoRespond = api.server();
    const open = dest.openFile.bind(dest);
    dest.openFile = async (path, o) => ({
      ...(await open(path, o)),
      read: async () => Promise.reject(new DOMException('The file was moved.', 'NotReadableError')),
    });
    const [sha, small] = manager.start([api.entry('sha'), api.entry('small')], dest);
    await vi.waitFor(() => expect(item(small).status).toBe('exists'));
    dest.stat = async () => Promise.reject(new DOMException('Permission withdrawn.', 'NotAllowedError'));
    manager.resolveExisting(small!, 'keep-both');
    await manager.whenIdle();
    expect(item(sha)).toMatchObject({ status: 'failed', error: { code: 'write-failed' } });
    // Refused for want of permission: said as such (and the queue holds until Resume asks again).
    expect(item(small)).toMatchObject({ status: 'failed', error: { code: 'no-permission' } });
    expect(dest.files.has('sha')).toBe(false);
  });

  it('leaves a ranged SHA-256 unverifiable, never "no checksum", when the folder cannot be read back', async () => {
    const { api, net, dest, manager, item } = setup();
    const data = bytes(45, 5);
    api.put('sha', data, 'v1', { algorithm: 'SHA256', value: await sha256Of(data), composite: false });
    net.autoRespond = api.server();
    const writeOnly: Destination = {
      stat: (path) => dest.stat(path),
      openFile: async (path, o) => ({ ...(await dest.openFile(path, o)), read: undefined }),
      remove: (path) => dest.remove(path),
    };
    const [id] = manager.start([api.entry('sha')], writeOnly);
    await manager.whenIdle();
    expect(dest.files.get('sha')).toEqual(data);
    expect(item(id)).toMatchObject({ status: 'done', verification: 'unverifiable' });
  });

  it('verifies a composite CRC32 whose parts do not line up with the ranges', async () => {
    const { api, net, dest, manager, item } = setup();
    const data = bytes(45, 5);
    api.put('big', data, 'v1', await compositeOf(data, 12)); // parts 0-11, 12-23, 24-35, 36-44
    const [id] = manager.start([api.entry('big')], dest);
    const first = await net.nextRequests(4);
    for (const i of [2, 0, 3, 1]) first[i]!.serve(data, 'v1', 3);
    (await net.nextRequest()).serve(data, 'v1', 3);
    await manager.whenIdle();
    expect(dest.files.get('big')).toEqual(data);
    expect(item(id)).toMatchObject({ status: 'done', verification: 'verified' });
  });

  it('fails a wrong composite CRC32 as corrupt and removes the file', async () => {
    const { api, net, dest, manager, item } = setup();
    const data = bytes(45, 5);
    const altered = data.slice();
    altered[30] = (altered[30]! + 1) & 255; // one byte of part 3
    api.put('big', data, 'v1', await compositeOf(altered, 12));
    net.autoRespond = api.server();
    const [id] = manager.start([api.entry('big')], dest);
    await manager.whenIdle();
    expect(item(id)).toMatchObject({ status: 'failed', error: { code: 'corrupt' } });
    expect(item(id).error?.message).toContain('composite CRC32');
    expect(dest.open.size + dest.files.size).toBe(0);
  });

  it('leaves a composite checksum unverifiable, never corrupt, when the part layout is unknown', async () => {
    const { api, net, dest, manager, item } = setup();
    const data = bytes(45, 5);
    const { parts: _layout, ...withoutLayout } = await compositeOf(data, 12);
    api.put('big', data, 'v1', withoutLayout);
    // A layout that does not match the value's part count is not used either.
    api.put('odd', data, 'v1', { ...(await compositeOf(data, 12)), parts: { partSize: 15, count: 3 } });
    net.autoRespond = api.server();
    const ids = manager.start([api.entry('big'), api.entry('odd')], dest);
    await manager.whenIdle();
    for (const id of ids) expect(item(id)).toMatchObject({ status: 'done', verification: 'unverifiable' });
  });

  it('fails a ranged CRC mismatch as corrupt', async () => {
    const { api, net, dest, manager, item } = setup();
    api.put('big', bytes(45), 'v1', {
      algorithm: 'CRC32',
      value: await crcOf(bytes(45, 9)),
      composite: false,
    });
    net.autoRespond = api.server();
    const [id] = manager.start([api.entry('big')], dest);
    await manager.whenIdle();
    expect(item(id).error?.code).toBe('corrupt');
    expect(dest.open.size + dest.files.size).toBe(0);
  });
});

describe('DownloadManager: a failed ranged download goes on where it stopped', () => {
  /** Serves `big` except ranges starting at or after `from` while `down` is set (503, no retries). */
  function outageFrom(api: FakeApi, net: ScriptedFetch, from: number) {
    const serve = api.server();
    const state = { down: true };
    net.autoRespond = (req) => {
      const start = Number(/^bytes=(\d+)-/.exec(req.range ?? '')?.[1] ?? 0);
      if (state.down && start >= from) req.respond(503, '<Error><Code>ServiceUnavailable</Code></Error>');
      else serve(req);
    };
    return state;
  }

  it('keeps the ranges written in full, and Retry fetches only the others into the same file', async () => {
    const { api, net, dest, manager, item } = setup({ maxRetries: 0, rangeConcurrency: 2 });
    const data = bytes(45, 4);
    api.put('big', data, 'v1', { algorithm: 'CRC32', value: await crcOf(data), composite: false });
    const outage = outageFrom(api, net, 20);
    const [id] = manager.start([api.entry('big')], dest);
    await manager.whenIdle();
    expect(item(id)).toMatchObject({ status: 'failed', kept: 20, error: { code: 'http-5xx' } });
    expect(dest.files.has('big')).toBe(false);
    expect(dest.open.get('big')?.slice(0, 20)).toEqual(data.slice(0, 20)); // still open, uncommitted

    outage.down = false;
    const before = net.requests.length;
    manager.retry(id!);
    expect(item(id)).toMatchObject({ status: 'queued', loaded: 20 });
    await wentOnFromByte20({ net, dest, manager, item }, before, data, id);
    expect(item(id).kept).toBe(0);
  });

  it('a failed download holding saved bytes keeps its path: another one to that path waits, and its Retry overwrites nothing', async () => {
    const { api, net, dest, manager, item } = setup({ maxRetries: 0, rangeConcurrency: 2 });
    const data = bytes(45, 4);
    api.put('a/report.pdf', data, 'v1', { algorithm: 'CRC32', value: await crcOf(data), composite: false });
    api.put('b/report.pdf', 'the other report');
    const outage = outageFrom(api, net, 20);
    const [a] = manager.start([api.entry('a/report.pdf')], dest, { prefix: 'a/' });
    await manager.whenIdle();
    expect(item(a)).toMatchObject({ status: 'failed', kept: 20, relativePath: 'report.pdf' });

    const [b] = manager.start([api.entry('b/report.pdf')], dest, { prefix: 'b/' });
    await settle();
    await manager.whenIdle();
    // Not written beside the kept bytes (under the same partial name, on a real disk).
    expect(item(b)).toMatchObject({ status: 'queued', relativePath: 'report.pdf', behind: a });
    expect(dest.files.has('report.pdf')).toBe(false);

    outage.down = false;
    manager.retry(a!);
    await settle();
    await manager.whenIdle();
    expect(item(a).status).toBe('done');
    expect(dest.files.get('report.pdf')).toEqual(data);
    // Then the other one finds the file, and asks.
    expect(item(b)).toMatchObject({ status: 'exists', existingSize: 45 });
  });

  it('the same object asked for again after it failed holding saved bytes goes on in its row, not a new one waiting for it', async () => {
    const { api, net, dest, manager, item } = setup({ maxRetries: 0, rangeConcurrency: 2 });
    const data = bytes(45, 4);
    api.put('a/report.pdf', data, 'v1', { algorithm: 'CRC32', value: await crcOf(data), composite: false });
    const outage = outageFrom(api, net, 20);
    const [a] = manager.start([api.entry('a/report.pdf')], dest, { prefix: 'a/' });
    await manager.whenIdle();
    expect(item(a)).toMatchObject({ status: 'failed', kept: 20 });

    outage.down = false;
    const [again] = manager.start([api.entry('a/report.pdf')], dest, { prefix: 'a/' });
    expect(again).toBe(a);
    await settle();
    await manager.whenIdle();
    expect(manager.getSnapshot().items).toHaveLength(1);
    expect(item(a).status).toBe('done');
    expect(dest.files.get('report.pdf')).toEqual(data);
  });

  it('a failed download that gives up its saved bytes lets a download waiting for its path go on', async () => {
    const { api, net, dest, manager, item } = setup({ maxRetries: 0, rangeConcurrency: 2 });
    api.put('a/report.pdf', bytes(45, 4), 'v1');
    api.put('b/report.pdf', 'the other report');
    outageFrom(api, net, 20);
    const [a] = manager.start([api.entry('a/report.pdf')], dest, { prefix: 'a/' });
    await manager.whenIdle();
    const [b] = manager.start([api.entry('b/report.pdf')], dest, { prefix: 'b/' });
    await settle();
    expect(item(b).status).toBe('queued');
    manager.remove(a!);
    await settle();
    await manager.whenIdle();
    expect(item(b).status).toBe('done');
    expect(dest.text('report.pdf')).toBe('the other report');
  });

  it('still verifies a composite CRC32 after a Retry that goes on from the kept ranges', async () => {
    const { api, net, dest, manager, item } = setup({ maxRetries: 0, rangeConcurrency: 2 });
    const data = bytes(45, 6);
    api.put('big', data, 'v1', await compositeOf(data, 12));
    const outage = outageFrom(api, net, 20);
    const [id] = manager.start([api.entry('big')], dest);
    await manager.whenIdle();
    expect(item(id)).toMatchObject({ status: 'failed', kept: 20 });
    outage.down = false;
    const before = net.requests.length;
    manager.retry(id!);
    await wentOnFromByte20({ net, dest, manager, item }, before, data, id);
  });

  it('starts over when the object changed before the Retry', async () => {
    const { api, net, dest, manager, item } = setup({ maxRetries: 0, rangeConcurrency: 2 });
    api.put('big', bytes(45, 4), 'v1');
    const outage = outageFrom(api, net, 20);
    const [id] = manager.start([api.entry('big')], dest);
    await manager.whenIdle();
    expect(item(id).kept).toBe(20);

    const fresh = bytes(45, 9);
    api.put('big', fresh, 'v2', { algorithm: 'CRC32', value: await crcOf(fresh), composite: false });
    outage.down = false;
    const before = net.requests.length;
    manager.retry(id!);
    await settle();
    await manager.whenIdle();
    expect(net.requests.slice(before).map((r) => r.range)).toHaveLength(5);
    expect(dest.files.get('big')).toEqual(fresh);
    expect(item(id)).toMatchObject({ status: 'done', etag: 'v2', verification: 'verified' });
  });

  it('still retries after giving up kept bytes whose file would not abort', async () => {
    const { api, net, dest, manager, item } = setup({ maxRetries: 0, rangeConcurrency: 2 });
    const data = bytes(45, 4);
    api.put('big', data, 'v1');
    const outage = outageFrom(api, net, 20);
    const open = dest.openFile.bind(dest);
    let refused = 0;
    dest.openFile = async (path, o) => {
      const file = await open(path, o);
      return {
        ...file,
        abort: async () => {
          refused++;
          await file.abort();
          throw new DOMException('The file is locked', 'NoModificationAllowedError');
        },
      };
    };
    const [id] = manager.start([api.entry('big')], dest);
    await manager.whenIdle();
    expect(item(id).kept).toBe(20);
    manager.discardPartial(id!);
    outage.down = false;
    manager.retry(id!);
    await settle();
    await manager.whenIdle();
    expect(refused).toBeGreaterThan(0);
    expect(item(id)).toMatchObject({ status: 'done' });
    expect(dest.files.get('big')).toEqual(data);
  });

  it('gives the kept bytes up on discardPartial and on destroy, and never keeps them after a cancel', async () => {
    const { api, net, dest, manager, item } = setup({ maxRetries: 0, rangeConcurrency: 2 });
    const data = bytes(45, 4);
    api.put('big', data, 'v1');
    const outage = outageFrom(api, net, 20);
    const [id] = manager.start([api.entry('big')], dest);
    await manager.whenIdle();
    expect(dest.open.has('big')).toBe(true);
    manager.discardPartial(id!);
    await settle();
    expect(item(id)).toMatchObject({ status: 'failed', kept: 0 });
    expect(dest.open.has('big')).toBe(false);

    // Fails again (keeping 20 bytes), then Retry is cancelled while it runs: the file goes.
    manager.retry(id!);
    await settle();
    await manager.whenIdle();
    expect(item(id).kept).toBe(20);
    outage.down = false;
    net.autoRespond = null;
    manager.retry(id!);
    await net.nextRequest();
    manager.cancel(id!);
    await settle();
    expect(item(id)).toMatchObject({ status: 'cancelled', kept: 0 });
    expect(dest.open.has('big')).toBe(false);

    // Fails once more, then the manager is destroyed: nothing stays open.
    outageFrom(api, net, 20);
    manager.retry(id!);
    await settle();
    await manager.whenIdle();
    expect(dest.open.has('big')).toBe(true);
    manager.destroy();
    await settle();
    expect(dest.open.has('big')).toBe(false);
  });

  it('does not keep a file whose bytes cannot be trusted (corrupt) or belong to an old version', async () => {
    const { api, net, dest, manager, item } = setup({ maxRetries: 0, rangeConcurrency: 2 });
    const data = bytes(45, 4);
    api.put('big', data, 'v1', { algorithm: 'CRC32', value: await crcOf(bytes(45, 5)), composite: false });
    net.autoRespond = api.server();
    const [id] = manager.start([api.entry('big')], dest);
    await manager.whenIdle();
    expect(item(id)).toMatchObject({ status: 'failed', kept: 0, error: { code: 'corrupt' } });
    expect(dest.open.size + dest.files.size).toBe(0);
  });
});

describe('DownloadManager: a connection that breaks off goes on from the last byte written', () => {
  /** Serves what is asked for, but each answer breaks off after `piece` bytes (once received). */
  function breaksEvery(net: ScriptedFetch, data: Uint8Array, etag: string, piece: number) {
    net.autoRespond = (req) => {
      const [start, end] = req.rangeBounds ?? [0, data.byteLength - 1];
      const headers: Record<string, string> = { etag: `"${etag}"` };
      if (req.range) headers['content-range'] = `bytes ${start}-${end}/${data.byteLength}`;
      const body = req.stream(req.range ? 206 : 200, headers);
      body.push(data.slice(start, Math.min(end + 1, start + piece)));
      if (start + piece > end) body.end();
      else setImmediate(() => body.error(new TypeError('connection reset')));
    };
  }

  it('a plain download broken off 7 times, with 2 retries allowed, gets there and verifies its SHA-256', async () => {
    const { api, net, dest, manager, item } = setup({ maxRetries: 2, rangeThreshold: 1000 });
    const data = bytes(40, 7);
    api.put('a', data, 'v1', { algorithm: 'SHA256', value: await sha256Of(data), composite: false });
    breaksEvery(net, data, 'v1', 5);
    const [id] = manager.start([api.entry('a')], dest);
    await manager.whenIdle();
    expect(net.requests.map((r) => r.range ?? 'whole')).toEqual([
      'whole',
      'bytes=5-39',
      'bytes=10-39',
      'bytes=15-39',
      'bytes=20-39',
      'bytes=25-39',
      'bytes=30-39',
      'bytes=35-39',
    ]);
    expect(dest.files.get('a')).toEqual(data);
    expect(item(id)).toMatchObject({ status: 'done', verification: 'verified' });
  });

  it('a composite CRC32 still verifies when breaks fall inside parts, plain and ranged', async () => {
    for (const rangeThreshold of [1000, 32]) {
      const { api, net, dest, manager, item } = setup({ maxRetries: 1, rangeThreshold });
      const data = bytes(45, 8);
      api.put('m', data, 'v1', await compositeOf(data, 12));
      breaksEvery(net, data, 'v1', 3);
      const [id] = manager.start([api.entry('m')], dest);
      await manager.whenIdle();
      expect(dest.files.get('m')).toEqual(data);
      expect(item(id)).toMatchObject({ status: 'done', verification: 'verified' });
    }
  });

  it('a CRC64NVME verifies, plain and ranged, over breaks that fall anywhere; a wrong one is corrupt', async () => {
    for (const rangeThreshold of [1000, 32]) {
      const { api, net, dest, manager, item } = setup({ maxRetries: 1, rangeThreshold });
      const data = bytes(45, 10);
      api.put('ok', data, 'v1', { algorithm: 'CRC64NVME', value: await crc64Of(data), composite: false });
      breaksEvery(net, data, 'v1', 3);
      const [ok] = manager.start([api.entry('ok')], dest);
      await manager.whenIdle();
      expect(dest.files.get('ok')).toEqual(data);
      expect(item(ok)).toMatchObject({ status: 'done', verification: 'verified' });

      const other = await crc64Of(bytes(45, 11));
      api.put('bad', data, 'v1', { algorithm: 'CRC64NVME', value: other, composite: false });
      const [bad] = manager.start([api.entry('bad')], dest);
      await manager.whenIdle();
      expect(item(bad)).toMatchObject({ status: 'failed', error: { code: 'corrupt' } });
      expect(item(bad).error?.message).toContain('CRC64NVME');
      expect(dest.files.has('bad') || dest.open.has('bad')).toBe(false);
    }
  });

  it.each([
    ['CRC32', crcOf],
    ['CRC64NVME', crc64Of],
  ] as const)(
    'a ranged Retry goes on inside the range that broke off, not from its start (%s)',
    async (algorithm, of) => {
      const { api, net, dest, manager, item } = setup({ maxRetries: 0, rangeConcurrency: 1 });
      const data = bytes(45, 9);
      api.put('big', data, 'v1', { algorithm, value: await of(data), composite: false });
      const serve = api.server();
      let broke = false;
      net.autoRespond = (req) => {
        if (broke || req.range !== 'bytes=20-29') return serve(req);
        broke = true;
        const body = req.stream(206, { 'content-range': 'bytes 20-29/45', etag: '"v1"' });
        body.push(data.slice(20, 26));
        setImmediate(() => body.error(new TypeError('connection reset')));
      };
      const [id] = manager.start([api.entry('big')], dest);
      await manager.whenIdle();
      expect(item(id)).toMatchObject({ status: 'failed', kept: 26, error: { code: 'network' } });

      const before = net.requests.length;
      manager.retry(id!);
      expect(item(id)).toMatchObject({ status: 'queued', loaded: 26 });
      await settle();
      await manager.whenIdle();
      expect(net.requests.slice(before).map((r) => r.range)).toEqual([
        'bytes=26-29',
        'bytes=30-39',
        'bytes=40-44',
      ]);
      expect(dest.files.get('big')).toEqual(data);
      expect(item(id)).toMatchObject({ status: 'done', verification: 'verified' });
    },
  );
});

describe('DownloadManager: pause and resume', () => {
  it('Pause stops the requests at once and keeps what was written; Resume goes on from there', async () => {
    const { api, net, dest, manager, item } = setup({ rangeConcurrency: 2 });
    const data = bytes(45, 5);
    api.put('big', data, 'v1', { algorithm: 'CRC32', value: await crcOf(data), composite: false });
    const [id] = manager.start([api.entry('big')], dest);
    const [r0, r1] = await net.nextRequests(2);
    r0!.serve(data, 'v1');
    const r2 = await net.nextRequest();
    const body = r1!.stream(206, { 'content-range': 'bytes 10-19/45' });
    body.push(data.slice(10, 16));
    await settle();
    manager.pause(id!);
    expect(item(id).status).toBe('paused');
    expect(r1!.aborted && r2!.aborted).toBe(true);
    await settle();
    await manager.whenIdle();
    // Range 0 in full and 6 bytes of range 1: kept in the still-open file.
    expect(item(id)).toMatchObject({ status: 'paused', kept: 16, loaded: 16 });
    expect(dest.open.get('big')?.slice(0, 16)).toEqual(data.slice(0, 16));
    expect(dest.files.has('big')).toBe(false);
    const before = net.requests.length;
    await settle();
    expect(net.requests).toHaveLength(before); // nothing runs while paused

    net.autoRespond = api.server();
    manager.resume(id!);
    expect(item(id)).toMatchObject({ status: 'queued', loaded: 16 });
    await settle();
    await manager.whenIdle();
    expect(net.requests.slice(before).map((r) => r.range)).toEqual([
      'bytes=16-19',
      'bytes=20-29',
      'bytes=30-39',
      'bytes=40-44',
    ]);
    expect(dest.files.get('big')).toEqual(data);
    expect(item(id)).toMatchObject({ status: 'done', verification: 'verified' });
  });

  it('a plain download paused mid-body, resumed at once, goes on from the bytes it wrote and verifies', async () => {
    const { api, net, dest, manager, item } = setup();
    const data = bytes(20, 6);
    api.put('a', data, 'v1', { algorithm: 'SHA256', value: await sha256Of(data), composite: false });
    const [id] = manager.start([api.entry('a')], dest);
    const first = await net.nextRequest();
    const body = first.stream(200, { 'content-length': '20', etag: '"v1"' });
    body.push(data.slice(0, 7));
    await settle();
    net.autoRespond = api.server();
    // Resume before the stopped attempt has settled: it waits for it, then goes on from byte 7.
    manager.pause(id!);
    manager.resume(id!);
    await settle();
    await manager.whenIdle();
    expect(net.requests.map((r) => r.range ?? 'whole')).toEqual(['whole', 'bytes=7-19']);
    expect(dest.files.get('a')).toEqual(data);
    expect(item(id)).toMatchObject({ status: 'done', verification: 'verified' });
  });

  it('a Pause that comes once every byte is in lets the file be saved and checked', async () => {
    const { api, net, dest, manager, item } = setup();
    const data = bytes(45, 7);
    api.put('big', data, 'v1', { algorithm: 'SHA256', value: await sha256Of(data), composite: false });
    net.autoRespond = api.server();
    const started: string[] = [];
    // A ranged SHA-256 is checked by reading the saved file back: Pause is pressed just then.
    const open = dest.openFile.bind(dest);
    dest.openFile = async (path, o) => {
      const file = await open(path, o);
      return { ...file, read: (r) => (manager.pause(started[0]!), file.read!(r)) };
    };
    started.push(...manager.start([api.entry('big')], dest));
    const id = started[0];
    await settle();
    await manager.whenIdle();
    expect(dest.files.get('big')).toEqual(data);
    expect(item(id)).toMatchObject({ status: 'done', verification: 'verified' });
  });

  it('says Saving while the file is saved: Pause is not taken then, and it finishes', async () => {
    const { api, net, dest, manager, item } = setup();
    api.put('a', 'hello');
    net.autoRespond = api.server();
    let save = () => {};
    const open = dest.openFile.bind(dest);
    dest.openFile = async (path, o) => {
      const file = await open(path, o);
      const flush = () => new Promise<void>((resolve) => (save = resolve)).then(() => file.flush());
      return { ...file, flush };
    };
    const [id] = manager.start([api.entry('a')], dest);
    await vi.waitFor(() => expect(item(id)).toMatchObject({ status: 'downloading', saving: true }));
    expect(item(id)).toMatchObject({ loaded: 5, speed: 0 });
    manager.pause(id!);
    expect(item(id)).toMatchObject({ status: 'downloading', saving: true });
    save();
    await manager.whenIdle();
    expect(item(id)).toMatchObject({ status: 'done', saving: false });
    expect(dest.text('a')).toBe('hello');
  });

  it('says Verifying while it reads a saved file back: Pause is not taken then, and Cancel removes the unproved file', async () => {
    const { api, net, dest, manager, item } = setup();
    const data = bytes(45, 7);
    const sha = { algorithm: 'SHA256' as const, value: await sha256Of(data), composite: false };
    api.put('kept', data, 'v1', sha);
    api.put('dropped', data, 'v1', sha);
    net.autoRespond = api.server();
    // The read-back of tens of GB takes minutes: here it is held until the test lets it go.
    const reading = new Map<string, ReadableStreamDefaultController<Uint8Array>>();
    const open = dest.openFile.bind(dest);
    dest.openFile = async (path, o) => ({
      ...(await open(path, o)),
      read: async () =>
        new ReadableStream<Uint8Array>({ start: (controller) => void reading.set(path, controller) }),
    });
    const [kept, dropped] = manager.start([api.entry('kept'), api.entry('dropped')], dest);
    await vi.waitFor(() => expect(reading.size).toBe(2));
    for (const id of [kept, dropped]) {
      expect(item(id)).toMatchObject({ status: 'downloading', verifying: true, loaded: 45, speed: 0 });
    }
    expect(dest.files.has('dropped')).toBe(false); // not under its name before it is proved

    manager.pause(kept!);
    expect(item(kept)).toMatchObject({ status: 'downloading', verifying: true });
    manager.cancel(dropped!);
    await settle();
    expect(item(dropped)).toMatchObject({ status: 'cancelled', verifying: false });
    expect(dest.files.has('dropped')).toBe(false);

    reading.get('kept')!.enqueue(data);
    reading.get('kept')!.close();
    await manager.whenIdle();
    expect(item(kept)).toMatchObject({ status: 'done', verifying: false, verification: 'verified' });
    expect(dest.files.get('kept')).toEqual(data);
  });

  it('a download cancelled while its file is read back holds its path until that file is removed: one waiting for the path never loses its own', async () => {
    const { api, net, dest, manager, item } = setup({ concurrency: 2 });
    const data = bytes(45, 7);
    api.put('a/report.pdf', data, 'v1', {
      algorithm: 'SHA256',
      value: await sha256Of(data),
      composite: false,
    });
    api.put('b/report.pdf', 'the other report');
    net.autoRespond = api.server();
    let holdRead = true;
    let letRemove!: () => void;
    const removing = new Promise<void>((resolve) => (letRemove = resolve));
    const open = dest.openFile.bind(dest);
    dest.openFile = async (path, o) => {
      const file = await open(path, o);
      return {
        ...file,
        read: async (r) => (holdRead ? new ReadableStream<Uint8Array>({ start: () => {} }) : file.read!(r)),
        abort: async () => {
          await removing; // a slow disk
          return file.abort();
        },
      };
    };
    const [a] = manager.start([api.entry('a/report.pdf')], dest, { prefix: 'a/' });
    await vi.waitFor(() => expect(item(a)).toMatchObject({ verifying: true }));
    holdRead = false;
    const [b] = manager.start([api.entry('b/report.pdf')], dest, { prefix: 'b/' });
    await settle();
    expect(item(b).status).toBe('queued');

    manager.cancel(a!);
    await settle();
    expect(item(a).status).toBe('cancelled');
    expect(item(b).status).toBe('queued'); // not yet: a's file is still being removed
    letRemove();
    await settle();
    await manager.whenIdle();
    expect(item(b).status).toBe('done');
    expect(dest.text('report.pdf')).toBe('the other report');
  });

  it('Pause and Resume before it even started downloads it once, not twice', async () => {
    const { api, net, dest, manager, item } = setup();
    const data = bytes(20, 3);
    api.put('a', data, 'v1');
    net.autoRespond = api.server();
    // Paused while its folder check runs, resumed at once: both checks queue it.
    const [id] = manager.start([api.entry('a')], dest);
    manager.pause(id!);
    manager.resume(id!);
    await settle();
    await manager.whenIdle();
    expect(net.requests).toHaveLength(1);
    expect(api.calls).toEqual(['a']);
    expect(item(id)).toMatchObject({ status: 'done' });
    expect(dest.files.get('a')).toEqual(data);
  });

  it('a Pause while a failed attempt discards its file shows the failure, never bytes "saved" that are gone', async () => {
    const { api, net, dest, manager, item } = setup({ rangeConcurrency: 1 });
    let letAbort!: () => void;
    const aborting = new Promise<void>((resolve) => (letAbort = resolve));
    const open = dest.openFile.bind(dest);
    dest.openFile = async (path, o) => {
      const file = await open(path, o);
      return { ...file, abort: async () => (await aborting, file.abort()) }; // a real disk takes a while
    };
    api.put('big', bytes(45, 5), 'v1');
    const [id] = manager.start([api.entry('big')], dest);
    api.server()(await net.nextRequest()); // bytes 0-9 are written
    // Overwritten meanwhile: the next range gets 412, 'changed', which keeps nothing.
    (await net.nextRequest()).respond(412, '<Error><Code>PreconditionFailed</Code></Error>');
    await settle();
    manager.pause(id!);
    letAbort();
    await settle();
    await manager.whenIdle();
    expect(item(id)).toMatchObject({ status: 'failed', kept: 0, error: { code: 'changed' } });
  });

  it('Cancel right after Pause gives up the file the stopped attempt was about to keep', async () => {
    const { api, net, dest, manager, item } = setup();
    const data = bytes(20, 4);
    api.put('a', data, 'v1');
    const [id] = manager.start([api.entry('a')], dest);
    const body = (await net.nextRequest()).stream(200, { 'content-length': '20', etag: '"v1"' });
    body.push(data.slice(0, 9));
    await settle();
    manager.pause(id!);
    manager.cancel(id!);
    await settle();
    await manager.whenIdle();
    expect(item(id)).toMatchObject({ status: 'cancelled', kept: 0 });
    expect(dest.open.size + dest.files.size).toBe(0);
  });

  it('a queued item paused does not start; pauseAll and resumeAll take queued and running ones', async () => {
    const { api, net, dest, manager, item } = setup({ concurrency: 1 });
    api.put('a', bytes(5), 'va');
    api.put('b', bytes(6), 'vb');
    api.put('c', bytes(7), 'vc');
    const [a, b, c] = manager.start([api.entry('a'), api.entry('b'), api.entry('c')], dest);
    await settle();
    manager.pause(b!);
    (await net.nextRequest()).serve(bytes(5), 'va');
    const third = await net.nextRequest();
    expect(third.key).toBe('c');
    expect(item(b).status).toBe('paused');

    manager.pauseAll();
    await settle();
    await manager.whenIdle();
    expect([item(a).status, item(b).status, item(c).status]).toEqual(['done', 'paused', 'paused']);
    expect(manager.getSnapshot()).toMatchObject({ active: false, paused: true });
    expect(manager.getSnapshot().totals).toMatchObject({ complete: false, files: 3, bytes: 18 });

    net.autoRespond = api.server();
    manager.resumeAll();
    await settle();
    await manager.whenIdle();
    expect([item(b).status, item(c).status]).toEqual(['done', 'done']);
    expect(manager.getSnapshot()).toMatchObject({ active: false, paused: false });
    expect(dest.files.get('c')).toEqual(bytes(7));
  });

  it('Cancel of a paused item gives up its kept file, and the same object can be queued again', async () => {
    const { api, net, dest, manager, item } = setup();
    const data = bytes(20, 2);
    api.put('a', data, 'v1');
    const [id] = manager.start([api.entry('a')], dest);
    const body = (await net.nextRequest()).stream(200, { 'content-length': '20', etag: '"v1"' });
    body.push(data.slice(0, 9));
    await settle();
    manager.pause(id!);
    await settle();
    await manager.whenIdle();
    expect(item(id).kept).toBe(9);
    // Still pending: the same object asked for again is this row, not a second one.
    expect(manager.start([api.entry('a')], dest)).toEqual([id]);
    manager.cancel(id!);
    await settle();
    expect(item(id)).toMatchObject({ status: 'cancelled', kept: 0 });
    expect(dest.open.has('a')).toBe(false);
  });
});

describe('DownloadManager: offline', () => {
  it('waits while offline without spending retries, then goes on by itself from the ranges already saved', async () => {
    const online = new FakeOnline();
    const { api, net, dest, manager, item, time } = setup({ maxRetries: 0, rangeConcurrency: 2, online });
    const data = bytes(45, 4);
    api.put('big', data, 'v1', { algorithm: 'CRC32', value: await crcOf(data), composite: false });
    const serve = api.server();
    // The connection drops when the third range is asked for: that request (and any other then
    // running) fails as fetch does offline.
    net.autoRespond = (req) => {
      if (Number(/^bytes=(\d+)-/.exec(req.range ?? '')?.[1]) < 20) return serve(req);
      online.set(false);
      req.fail(new TypeError('Failed to fetch'));
    };
    const [id] = manager.start([api.entry('big')], dest);
    await vi.waitFor(() => expect(item(id).waiting).toBe('connection'));
    await settle();
    expect(item(id)).toMatchObject({ status: 'downloading', waiting: 'connection', error: null, retries: 0 });
    await vi.waitFor(() => expect(item(id).loaded).toBe(20)); // progress is folded in when listeners are told
    expect(manager.getSnapshot().totals.waiting).toBe(1);
    expect(time.sleeps).toEqual([]); // no backoff spent either
    const before = net.requests.length;
    await settle();
    expect(net.requests.length).toBe(before); // nothing is sent while offline

    net.autoRespond = serve;
    online.set(true);
    await manager.whenIdle();
    expect(item(id)).toMatchObject({ status: 'done', waiting: null, verification: 'verified' });
    expect(dest.files.get('big')).toEqual(data);
    const ranges = net.requests.map((r) => r.range);
    expect(ranges.filter((r) => r === 'bytes=0-9' || r === 'bytes=10-19')).toHaveLength(2); // never again
    expect(ranges.slice(before)).toEqual(
      expect.arrayContaining(['bytes=20-29', 'bytes=30-39', 'bytes=40-44']),
    );
    expect(online.listenerCount).toBe(0);
  });

  it('waits for the connection before signing a link, and a link call that fails offline spends no retry', async () => {
    const online = new FakeOnline();
    const { api, net, dest, manager, item } = setup({ maxRetries: 0, online });
    api.put('a', 'hello');
    net.autoRespond = api.server();
    online.set(false);
    const [id] = manager.start([api.entry('a')], dest);
    await vi.waitFor(() => expect(item(id).waiting).toBe('connection'));
    await settle();
    expect(api.calls).toEqual([]);
    expect(item(id).status).toBe('queued');

    // Back online, the first call fails as the connection drops again: no retry spent, it waits again.
    const link = api.link.bind(api);
    let drops = 1;
    api.link = async (...args) => {
      if (drops-- > 0) {
        online.set(false);
        throw new TypeError('Failed to fetch');
      }
      return link(...args);
    };
    online.set(true);
    await vi.waitFor(() => expect(drops).toBe(0));
    await settle();
    expect(item(id)).toMatchObject({ status: 'queued', waiting: 'connection', error: null });
    online.set(true);
    await manager.whenIdle();
    expect(item(id)).toMatchObject({ status: 'done', waiting: null });
    expect(dest.text('a')).toBe('hello');
  });

  it('a link call answered 429 with Retry-After waits as long as it says before it asks again', async () => {
    const { api, net, dest, manager, item, time } = setup();
    api.put('a', 'hello');
    net.autoRespond = api.server();
    const link = api.link.bind(api);
    let refusals = 1;
    api.link = async (...args) => {
      if (refusals-- > 0)
        throw new ApiError('too-many-attempts', 429, 'Too many wrong access tokens from your address.', {
          retryAfterMs: 30_000,
        });
      return link(...args);
    };
    const [id] = manager.start([api.entry('a')], dest);
    await manager.whenIdle();
    expect(item(id)).toMatchObject({ status: 'done' });
    expect(time.sleeps).toEqual([30_000]);
  });

  it('still fails a network error after its retries when the browser says it is online', async () => {
    const online = new FakeOnline();
    const { api, net, dest, manager, item } = setup({ maxRetries: 1, online });
    api.put('a', 'hello');
    net.autoRespond = (req) => req.fail(new TypeError('Failed to fetch'));
    const [id] = manager.start([api.entry('a')], dest);
    await manager.whenIdle();
    expect(item(id)).toMatchObject({ status: 'failed', waiting: null, error: { code: 'network' } });
    expect(item(id).error?.message).toMatch(/CORS/);
  });
});

describe('DownloadManager: the same objects started twice', () => {
  it('does not queue an object again while it is queued or downloading into the same folder', async () => {
    const { api, net, dest, manager } = setup({ concurrency: 1 });
    for (const k of ['a', 'b', 'c']) api.put(k, `content ${k}`);
    const entries = ['a', 'b', 'c'].map((k) => api.entry(k));
    const first = manager.start(entries, dest);
    const held = await net.nextRequest(); // "a" downloading, the others queued
    const second = manager.start(entries, dest);
    expect(second).toEqual(first);
    expect(manager.getSnapshot().items).toHaveLength(3);

    // Another folder is another download.
    const elsewhere = new MemoryDestination();
    expect(manager.start([api.entry('a')], elsewhere)[0]).not.toBe(first[0]);
    expect(manager.getSnapshot().items).toHaveLength(4);

    net.autoRespond = api.server();
    api.server()(held);
    await manager.whenIdle();
    expect(manager.getSnapshot().totals.counts.done).toBe(4);
    expect(dest.text('a')).toBe('content a');

    // Finished: starting it again is a new download (which finds the file there).
    const [again] = manager.start([api.entry('a')], dest);
    expect(first).not.toContain(again);
    await manager.whenIdle();
    expect(manager.getSnapshot().existing.map((i) => i.id)).toEqual([again]);
  });
});

describe('DownloadManager: concurrency', () => {
  it('never runs more than `concurrency` objects at once', async () => {
    const { api, net, dest, manager } = setup({ concurrency: 2 });
    for (let i = 0; i < 6; i++) api.put(`f${i}`, `file ${i}`);
    manager.start(
      [...api.objects.keys()].map((k) => api.entry(k)),
      dest,
    );
    let answered = 0;
    while (answered < 6) {
      const req = await net.nextRequest();
      await settle();
      expect(net.pending).toBeLessThanOrEqual(2);
      expect(manager.getSnapshot().totals.counts.downloading).toBeLessThanOrEqual(2);
      req.serve(api.objects.get(req.key)!.bytes, api.objects.get(req.key)!.etag);
      answered++;
    }
    await manager.whenIdle();
    expect(net.maxPending).toBe(2);
    expect(dest.files.size).toBe(6);
  });

  it('bounds the total requests in flight across large objects', async () => {
    const { api, net, dest, manager } = setup({ concurrency: 3, maxRequests: 5, rangeConcurrency: 4 });
    for (let i = 0; i < 3; i++) api.put(`big${i}`, bytes(95, i), `v${i}`);
    const serve = api.server();
    // Answer later, so requests pile up to whatever the engine allows.
    net.autoRespond = (req) => setImmediate(() => serve(req));
    manager.start(
      [...api.objects.keys()].map((k) => api.entry(k)),
      dest,
    );
    await settle();
    await manager.whenIdle();
    expect(net.maxPending).toBe(5);
    for (let i = 0; i < 3; i++) expect(dest.files.get(`big${i}`)).toEqual(bytes(95, i));
  });
});

describe('DownloadManager: cancel', () => {
  it('cancels one object: its request is aborted at once and its partial file removed', async () => {
    const { api, net, dest, manager, item } = setup();
    api.put('a', 'aaaaaaaa');
    api.put('b', 'bbbbbbbb');
    const [a, b] = manager.start([api.entry('a'), api.entry('b')], dest);
    const reqs = await net.nextRequests(2);
    const ra = reqs.find((r) => r.key === 'a')!;
    const rb = reqs.find((r) => r.key === 'b')!;
    const body = ra.stream(200, { 'content-length': '8' });
    body.push(new TextEncoder().encode('aaaa'));
    await vi.waitFor(() => expect(dest.open.has('a')).toBe(true));

    manager.cancel(a!);
    expect(item(a).status).toBe('cancelled'); // at once, before any await
    expect(ra.signal?.aborted).toBe(true);
    rb.serve(new TextEncoder().encode('bbbbbbbb'), 'etag-b');
    await manager.whenIdle();
    expect(dest.open.has('a')).toBe(false);
    expect(dest.files.has('a')).toBe(false);
    expect(item(b).status).toBe('done');
    expect(manager.getSnapshot().failed).toEqual([]);
  });

  it('cancels everything: ranged requests aborted, queued items never start, partials removed', async () => {
    const { api, net, dest, manager, item } = setup({ concurrency: 1 });
    api.put('big', bytes(45));
    api.put('small', 'x');
    const ids = manager.start([api.entry('big'), api.entry('small')], dest);
    const reqs = await net.nextRequests(4);
    reqs[0]!.serve(bytes(45), 'etag-big');
    await vi.waitFor(() => expect(dest.open.has('big')).toBe(true));
    manager.cancelAll();
    expect(ids.map((id) => item(id).status)).toEqual(['cancelled', 'cancelled']);
    await manager.whenIdle();
    expect(reqs.slice(1).every((r) => r.aborted)).toBe(true);
    expect(net.requests).toHaveLength(4);
    expect(dest.open.size + dest.files.size).toBe(0);
  });

  it('cancelling while the link is being signed makes no request', async () => {
    const { api, net, dest, manager, item } = setup();
    api.put('a', 'x');
    // The link call is out when Cancel comes, and its answer arrives after it all the same.
    let answer: (() => void) | undefined;
    const link = api.link.bind(api);
    api.link = (key) => new Promise((resolve) => (answer = () => resolve(link(key))));
    const [id] = manager.start([api.entry('a')], dest);
    for (let i = 0; i < 100 && !answer; i++) await settle();
    expect(answer).toBeDefined();
    manager.cancel(id!);
    answer!();
    await manager.whenIdle();
    await settle();
    expect(item(id).status).toBe('cancelled');
    expect(net.requests).toHaveLength(0);
  });
});

describe('DownloadManager: failures and retries', () => {
  it('a link that ran out while its request waited for a slot is signed again before it is used', async () => {
    const api = new FakeApi();
    const net = new ScriptedFetch();
    const dest = new MemoryDestination();
    const time = instantClock(Date.now());
    const manager = new DownloadManager(api, {
      fetch: net.fetch,
      clock: time.clock,
      random: () => 0.5,
      concurrency: 2,
      maxRequests: 1,
    });
    api.put('a', 'first');
    api.put('b', 'second');
    const serve = api.server();
    const sent: string[] = [];
    net.autoRespond = (req) => {
      sent.push(`${req.key} ${new URL(req.url).searchParams.get('sig')}`);
      // "a" takes two hours: the link "b" got meanwhile (an hour long) ran out while it waited.
      if (req.key === 'a') time.advance(2 * 3_600_000);
      serve(req);
    };
    const ids = manager.start([api.entry('a'), api.entry('b')], dest);
    await manager.whenIdle();
    expect(ids.map((id) => manager.getSnapshot().items.find((i) => i.id === id)?.status)).toEqual([
      'done',
      'done',
    ]);
    // Signed twice, and sent only with the fresh link (before, with the one that had run out: a 403).
    expect(api.calls.filter((k) => k === 'b')).toHaveLength(2);
    expect(sent).toEqual(['a 1', 'b 3']);
  });

  it('a request with no answer while the store is down for the server too waits for it, spending no retry', async () => {
    const { api, net, dest, manager, item, time } = setup({ maxRetries: 0 });
    api.put('doc', 'the bytes');
    const serve = api.server();
    // Down until the server has said so three times (then back for everyone).
    api.storeDownFor = 3;
    net.autoRespond = (req) =>
      api.storeAsks === 0 || api.storeDownFor > 0 ? req.fail(new TypeError('Failed to fetch')) : serve(req);
    const [id] = manager.start([api.entry('doc')], dest);
    await manager.whenIdle();
    // Done with no retry allowed: the failures while the store was down were waited out, not spent.
    expect(item(id)).toMatchObject({ status: 'done', waiting: null, retries: 0, error: null });
    expect(api.storeAsks).toBe(4);
    expect(dest.text('doc')).toBe('the bytes');
    // Asked again a few seconds apart, never more often than every half second.
    expect(time.sleeps.length).toBeGreaterThanOrEqual(3);
    expect(Math.min(...time.sleeps)).toBeGreaterThanOrEqual(500);
  });

  it('a request with no answer while the Hoist server cannot be reached either waits for it, spending no retry, and goes on by itself', async () => {
    const { api, net, dest, manager, item, time } = setup({ maxRetries: 0, rangeConcurrency: 1 });
    const data = bytes(45, 9);
    api.put('big', data, 'v1', { algorithm: 'CRC32', value: await crcOf(data), composite: false });
    const serve = api.server();
    // The Hoist server (and the store it embeds) goes away after the first range: for five of the
    // page's questions it does not answer them, nor does the store answer the GETs.
    let down = false;
    const seen: (string | null)[] = []; // what the row said when each request was sent
    net.autoRespond = (req) => {
      seen.push(manager.getSnapshot().items[0]?.waiting ?? null);
      if (!down && req.range === 'bytes=10-19') {
        down = true;
        api.serverDownFor = 5;
      }
      if (down && api.serverDownFor > 0) req.fail(new TypeError('Failed to fetch'));
      else serve(req);
    };
    const [id] = manager.start([api.entry('big')], dest);
    await manager.whenIdle();
    expect(item(id)).toMatchObject({ status: 'done', waiting: null, retries: 0, error: null });
    expect(item(id).verification).toBe('verified');
    expect(dest.files.get('big')).toEqual(data);
    // "Waiting for the Hoist server…" from the first request with no answer until one got one.
    expect(seen.slice(0, 3)).toEqual([null, null, 'server']);
    expect(seen.filter((w) => w === 'server')).toHaveLength(5);
    // Only the ranges not saved were asked for again; tried again a few seconds apart, 5 s at most.
    expect(net.requests.filter((r) => r.range === 'bytes=0-9')).toHaveLength(1);
    expect(Math.max(...time.sleeps)).toBeLessThanOrEqual(5_000);
  });

  it('a link call while the Hoist server cannot be reached waits for it, spending no retry (queued files of a folder)', async () => {
    const { api, net, dest, manager, item } = setup({ maxRetries: 0 });
    api.put('a', 'hello');
    net.autoRespond = api.server();
    const away = () =>
      new ApiError('network', 0, 'The Hoist server cannot be reached. Check your connection.');
    api.failures.push(away(), away(), new ApiError('http-502', 502, 'The server answered 502.'));
    const seen: (string | null)[] = []; // what the row said when each link call was made
    const link = api.link.bind(api);
    api.link = (...args) => {
      seen.push(manager.getSnapshot().items[0]?.waiting ?? null);
      return link(...args);
    };
    const [id] = manager.start([api.entry('a')], dest);
    await manager.whenIdle();
    expect(item(id)).toMatchObject({ status: 'done', waiting: null, retries: 0, error: null });
    expect(dest.text('a')).toBe('hello');
    expect(seen).toEqual([null, 'server', 'server', 'server']);
    expect(api.calls).toHaveLength(4);
  });

  it('fails as before once the Hoist server has been away longer than serverWaitMs, and without blaming CORS', async () => {
    const { api, net, dest, manager, item, time } = setup({ maxRetries: 5, serverWaitMs: 20_000 });
    api.put('doc', 'x');
    api.serverDownFor = Infinity;
    net.autoRespond = (req) => req.fail(new TypeError('Failed to fetch'));
    const [id] = manager.start([api.entry('doc')], dest);
    await manager.whenIdle();
    expect(item(id)).toMatchObject({ status: 'failed', waiting: null, error: { code: 'network' } });
    expect(item(id).error?.message).toBe(`Couldn't reach the storage for "doc".`);
    // Waited once, then its retries were spent: not the wait again after each retry (6 × 20 s).
    expect(item(id).retries).toBe(5);
    expect(time.clock.now()).toBeLessThan(2 * 20_000);
  });

  it('a link call refused 401 (the session lost) holds the queue until signed in again, spending no retry', async () => {
    const session = new PageSession();
    const { api, net, dest, manager, item } = setup({ maxRetries: 0, concurrency: 1, session });
    for (const k of ['a', 'b']) api.put(k, `content ${k}`);
    net.autoRespond = api.server();
    const signedOut = () =>
      new ApiError('unauthorized', 401, 'Sign in with the access token to use this server.');
    api.failures.push(signedOut());
    const ids = manager.start([api.entry('a'), api.entry('b')], dest);
    await vi.waitFor(() => expect(item(ids[0]).waiting).toBe('sign-in'));
    await settle();
    expect(session.isSignedIn()).toBe(false);
    expect(item(ids[0])).toMatchObject({ status: 'queued', error: null });
    expect(item(ids[1])).toMatchObject({ status: 'queued', error: null });
    expect(manager.getSnapshot().totals.waitingFor).toBe('sign-in');
    expect(api.calls).toEqual(['a']); // nothing asked again meanwhile, nothing failed
    session.signedIn();
    await manager.whenIdle();
    expect(ids.map((id) => item(id))).toMatchObject([
      { status: 'done', waiting: null, retries: 0, error: null },
      { status: 'done', waiting: null, retries: 0, error: null },
    ]);
    expect(dest.text('b')).toBe('content b');
  });

  it('a ranged download whose fresh link is refused 401 keeps what it saved and goes on once signed in again', async () => {
    const session = new PageSession();
    const { api, net, dest, manager, item } = setup({ maxRetries: 0, rangeConcurrency: 1, session });
    const data = bytes(45, 3);
    api.put('big', data, 'v1', { algorithm: 'CRC32', value: await crcOf(data), composite: false });
    const serve = api.server();
    let expired = false;
    net.autoRespond = (req) => {
      // The link expires after the first range; signing a fresh one is refused once (the token changed).
      if (!expired && req.range === 'bytes=10-19') {
        expired = true;
        api.failures.push(
          new ApiError('unauthorized', 401, 'Sign in with the access token to use this server.'),
        );
        req.respond(403, '<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>');
      } else serve(req);
    };
    const [id] = manager.start([api.entry('big')], dest);
    await vi.waitFor(() => expect(item(id).waiting).toBe('sign-in'));
    expect(item(id)).toMatchObject({ status: 'downloading', error: null });
    session.signedIn();
    await manager.whenIdle();
    expect(item(id)).toMatchObject({ status: 'done', verification: 'verified', retries: 0, error: null });
    expect(dest.files.get('big')).toEqual(data);
    expect(net.requests.filter((r) => r.range === 'bytes=0-9')).toHaveLength(1);
  });

  it('a request with no answer while the server still reaches the store is retried as before', async () => {
    const { api, net, dest, manager, item } = setup({ maxRetries: 0 });
    api.put('doc', 'x');
    net.autoRespond = (req) => req.fail(new TypeError('Failed to fetch'));
    const [id] = manager.start([api.entry('doc')], dest);
    await manager.whenIdle();
    expect(item(id)).toMatchObject({ status: 'failed', error: { code: 'network' } });
    expect(api.storeAsks).toBe(1);
    // The server reaches the store: only this browser is refused, so the bucket's CORS rules are named.
    expect(item(id).error?.message).toMatch(/CORS rules/);
  });

  it('lists failures with their reason and retryFailed brings them all down with fresh links', async () => {
    const { api, net, dest, manager, item } = setup({ maxRetries: 1 });
    api.put('ok', 'fine');
    api.put('flaky', 'flaky');
    let outage = true;
    const serve = api.server();
    net.autoRespond = (req) => {
      if (req.key === 'flaky' && outage) req.respond(500, '<Error><Code>InternalError</Code></Error>');
      else serve(req);
    };
    const ids = manager.start(
      [api.entry('ok'), api.entry('flaky'), { key: 'gone', size: 3, etag: 'x' }],
      dest,
    );
    await manager.whenIdle();
    const snap = manager.getSnapshot();
    expect(snap.failed.map((i) => [i.key, i.error?.code])).toEqual([
      ['flaky', 'http-5xx'],
      ['gone', 'http-404'],
    ]);
    expect(snap.failed[1]!.error?.message).toMatch(/is no longer in the bucket/);
    expect(snap.totals.counts).toMatchObject({ done: 1, failed: 2 });

    outage = false;
    api.put('gone', 'back');
    const linksBefore = api.calls.length;
    manager.retryFailed();
    await settle();
    await manager.whenIdle();
    expect(api.calls.length - linksBefore).toBe(2);
    expect(ids.map((id) => item(id).status)).toEqual(['done', 'done', 'done']);
    expect(manager.getSnapshot().failed).toEqual([]);
    expect(dest.text('gone')).toBe('back');
  });

  it('a key no browser can fetch fails for good: Retry and Retry failed leave it, and take the others', async () => {
    const { api, net, dest, manager, item } = setup({ maxRetries: 0 });
    api.put('ok', 'fine');
    net.autoRespond = api.server();
    api.failures.push({
      status: 400,
      code: 'dot-segment',
      message: '"a/../b" has ".." as a folder name, which browsers drop from every address.',
    });
    const [dots] = manager.start([{ key: 'a/../b', size: 3, etag: 'x' }], dest);
    await manager.whenIdle();
    expect(item(dots).error).toMatchObject({
      code: 'not-downloadable',
      message: expect.stringMatching(/folder name/),
    });
    const linksBefore = api.calls.length;
    manager.retry(dots!);
    manager.retryFailed();
    await settle();
    await manager.whenIdle();
    expect(api.calls.length).toBe(linksBefore);
    expect(item(dots).status).toBe('failed');
  });

  it('retries 5xx and SlowDown with backoff, and does not retry other 4xx', async () => {
    const { api, net, dest, manager, item, time } = setup();
    api.put('a', 'x');
    api.put('b', 'y');
    const [a] = manager.start([api.entry('a')], dest);
    (await net.nextRequest()).respond(503, '<Error><Code>SlowDown</Code></Error>', { 'retry-after': '2' });
    const second = await net.nextRequest();
    // The storage answered: the row says why it tries again, not that the connection broke.
    expect(item(a)).toMatchObject({ retrying: true, retries: 1, retryingAfter: 'throttled' });
    second.respond(502);
    const third = await net.nextRequest();
    expect(item(a)).toMatchObject({ retrying: true, retries: 2, retryingAfter: 'http-5xx' });
    third.serve(new TextEncoder().encode('x'), 'etag-a');
    await manager.whenIdle();
    expect(item(a).status).toBe('done');
    expect(time.sleeps[0]).toBe(2000);
    expect(time.sleeps).toHaveLength(2);

    const [b] = manager.start([api.entry('b')], dest);
    (await net.nextRequest()).respond(400, '<Error><Code>InvalidArgument</Code></Error>');
    await manager.whenIdle();
    expect(item(b).error).toMatchObject({ code: 'http-4xx' });
    expect(item(b).error?.message).toMatch(/InvalidArgument/);
    expect(net.requests).toHaveLength(4);
  });

  it('throttled by the store (503 SlowDown), fewer ranges are asked at once; they grow back as ranges come through', async () => {
    const { api, net, dest, manager, item } = setup({ maxRequests: 4, rangeConcurrency: 4 });
    const data = bytes(40);
    api.put('big', data);
    const [id] = manager.start([api.entry('big')], dest);
    const first = await Promise.all([0, 1, 2, 3].map(() => net.nextRequest()));
    expect(net.pending).toBe(4);
    first[0]!.respond(503, '<Error><Code>SlowDown</Code></Error>');
    await settle();
    // Half of 4: the retry waits while the other three are still asked.
    expect(net.pending).toBe(3);
    first[1]!.serve(data, 'etag-big');
    const retry = await net.nextRequest();
    expect(retry.range).toBe(first[0]!.range);
    expect(net.pending).toBe(3); // one more per range through
    for (const r of [first[2]!, first[3]!, retry]) r.serve(data, 'etag-big');
    await manager.whenIdle();
    expect(item(id)).toMatchObject({ status: 'done' });
    expect(dest.files.get('big')).toEqual(data);
  });

  it('re-signs once on 403, then gives up if the fresh link is refused too', async () => {
    const { api, net, dest, manager, item } = setup();
    api.put('a', 'abc');
    api.put('b', 'def');
    const [a] = manager.start([api.entry('a')], dest);
    const first = await net.nextRequest();
    first.respond(403, '<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>');
    const second = await net.nextRequest();
    expect(second.url).not.toBe(first.url);
    second.serve(new TextEncoder().encode('abc'), 'etag-a');
    await manager.whenIdle();
    expect(item(a).status).toBe('done');
    expect(api.calls).toEqual(['a', 'a']);

    const [b] = manager.start([api.entry('b')], dest);
    (await net.nextRequest()).respond(403, '<Error><Code>SignatureDoesNotMatch</Code></Error>');
    (await net.nextRequest()).respond(403, '<Error><Code>SignatureDoesNotMatch</Code></Error>');
    await manager.whenIdle();
    expect(item(b).error?.code).toBe('http-403');
    expect(api.calls.filter((k) => k === 'b')).toHaveLength(2);
  });

  it('re-signs once for several ranges refused together', async () => {
    const { api, net, dest, manager, item } = setup();
    const data = bytes(45);
    api.put('big', data, 'v1');
    const [id] = manager.start([api.entry('big')], dest);
    const reqs = await net.nextRequests(4);
    for (const r of reqs)
      r.respond(403, '<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>');
    const again = await net.nextRequests(4);
    expect(new Set(again.map((r) => r.url)).size).toBe(1);
    expect(again[0]!.url).toMatch(/sig=2/);
    for (const r of again) r.serve(data, 'v1');
    (await net.nextRequest()).serve(data, 'v1');
    await manager.whenIdle();
    expect(item(id).status).toBe('done');
    expect(api.calls).toEqual(['big', 'big']);
    expect(dest.files.get('big')).toEqual(data);
  });

  it('on a versioned bucket, a link renewed mid-download names the version it began with: the key written meanwhile changes nothing', async () => {
    /** HeadObject on a versioned bucket: each link names its version, and one asked for by version gets it. */
    class VersionedApi extends FakeApi {
      readonly versions = new Map<string, Uint8Array>();
      readonly askedFor: (string | undefined)[] = [];
      override async link(key: string, o: { signal?: AbortSignal; versionId?: string } = {}) {
        this.askedFor.push(o.versionId);
        const current = await super.link(key, o);
        const versionId = o.versionId ?? `id-${current.etag}`;
        const etag = versionId.slice(3);
        return { ...current, versionId, etag, size: this.versions.get(etag)!.byteLength };
      }
    }
    const api = new VersionedApi();
    const { net, dest, manager, item } = setup({}, api);
    const v1 = bytes(45);
    const v2 = bytes(45).map((b) => b ^ 0xff);
    api.versions.set('v1', v1).set('v2', v2);
    api.put('big', v1, 'v1');
    const [id] = manager.start([api.entry('big')], dest);
    const reqs = await net.nextRequests(4);
    reqs[0]!.serve(v1, 'v1');
    // Another client writes the key; then the link expires.
    api.put('big', v2, 'v2');
    for (const r of reqs.slice(1))
      r.respond(403, '<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>');
    for (const r of await net.nextRequests(3)) r.serve(v1, 'v1'); // the pinned version's bytes
    (await net.nextRequest()).serve(v1, 'v1');
    await manager.whenIdle();
    expect(item(id)).toMatchObject({ status: 'done' });
    expect(api.askedFor).toEqual([undefined, 'id-v1']);
    expect(dest.files.get('big')).toEqual(v1);
  });

  it('aborts and retries a request that goes quiet, for the bytes it did not send', async () => {
    const { api, net, dest, manager, item } = setup({ stallTimeoutMs: 20 });
    const data = bytes(20);
    api.put('a', data);
    const [id] = manager.start([api.entry('a')], dest);
    const silent = await net.nextRequest(); // never answered
    const quiet = await net.nextRequest(); // answers, then sends nothing more
    expect(silent.aborted).toBe(true);
    expect(item(id).retries).toBe(1);
    quiet.stream(200).push(data.slice(0, 5));
    const third = await net.nextRequest();
    expect(quiet.aborted).toBe(true);
    expect(third.range).toBe('bytes=5-19');
    third.serve(data, 'etag-a');
    await manager.whenIdle();
    // The quiet try brought 5 bytes: the retries it spent are given back, so the row counts 1.
    expect(item(id)).toMatchObject({ status: 'done', retries: 1 });
    expect(dest.files.get('a')).toEqual(data);
  });

  it('retries the link itself when the API is unreachable', async () => {
    const { api, net, dest, manager, item } = setup();
    api.put('a', 'x');
    api.failures.push(new TypeError('Failed to fetch'), { status: 503, message: 'busy' });
    net.autoRespond = api.server();
    const [id] = manager.start([api.entry('a')], dest);
    await manager.whenIdle();
    expect(item(id).status).toBe('done');
    expect(api.calls).toHaveLength(3);
  });
});

describe('DownloadManager: files already in the folder', () => {
  it('looks for them 16 at a time, in list order, so a big folder starts with its first files', async () => {
    const { api, net, dest, manager, item } = setup();
    const keys = Array.from({ length: 40 }, (_, i) => `f${i}`);
    for (const k of keys) api.put(k, `bytes of ${k}`);
    net.autoRespond = api.server();
    const looked: string[] = [];
    let inFlight = 0;
    let most = 0;
    const gates: (() => void)[] = [];
    const stat = dest.stat.bind(dest);
    dest.stat = async (path) => {
      looked.push(path);
      most = Math.max(most, ++inFlight);
      await new Promise<void>((resolve) => gates.push(resolve));
      inFlight--;
      return stat(path);
    };
    const ids = manager.start(
      keys.map((k) => api.entry(k)),
      dest,
    );
    await settle();
    expect(looked).toEqual(keys.slice(0, 16));
    // Cancelled while waiting for a look-up: its turn comes and asks nothing.
    manager.cancel(ids[39]!);
    while (gates.length > 0) {
      gates.splice(0).forEach((open) => open());
      await settle();
    }
    await manager.whenIdle();
    expect(most).toBe(16);
    expect(looked).toEqual(keys.slice(0, 39));
    expect(ids.slice(0, 39).map((id) => item(id).status)).toEqual(Array(39).fill('done'));
    expect(item(ids[39]).status).toBe('cancelled');
  });

  it("holds them in 'exists' until replaced or skipped", async () => {
    const { api, net, dest, manager, item } = setup();
    dest.files.set('a', new TextEncoder().encode('old a'));
    dest.files.set('b', new TextEncoder().encode('old b'));
    for (const k of ['a', 'b', 'c']) api.put(k, `new ${k}`);
    net.autoRespond = api.server();
    const [a, b, c] = manager.start(
      ['a', 'b', 'c'].map((k) => api.entry(k)),
      dest,
    );
    await manager.whenIdle();
    expect([item(a).status, item(b).status, item(c).status]).toEqual(['exists', 'exists', 'done']);
    expect(manager.getSnapshot().existing.map((i) => i.key)).toEqual(['a', 'b']);

    manager.resolveExisting(a!, 'replace');
    manager.resolveExisting(b!, 'skip');
    await manager.whenIdle();
    expect(item(a).status).toBe('done');
    expect(item(b).status).toBe('skipped');
    expect(dest.text('a')).toBe('new a');
    expect(dest.text('b')).toBe('old b');
  });

  it("cancels items in 'exists', one or all, leaving the files already there as they were", async () => {
    const { api, net, dest, manager, item } = setup();
    for (const k of ['a', 'b', 'c']) {
      dest.files.set(k, new TextEncoder().encode(`old ${k}`));
      api.put(k, `new ${k}`);
    }
    net.autoRespond = api.server();
    const [a, b, c] = manager.start(
      ['a', 'b', 'c'].map((k) => api.entry(k)),
      dest,
    );
    await manager.whenIdle();
    manager.cancel(a!);
    expect(item(a).status).toBe('cancelled');
    expect(manager.getSnapshot().existing.map((i) => i.key)).toEqual(['b', 'c']);
    manager.cancelAll();
    await manager.whenIdle();
    expect([item(b).status, item(c).status]).toEqual(['cancelled', 'cancelled']);
    expect(manager.getSnapshot().existing).toEqual([]);
    expect(['a', 'b', 'c'].map((k) => dest.text(k))).toEqual(['old a', 'old b', 'old c']);
    expect(net.requests.length).toBe(0);
  });

  it('a Replace said of the file there then is asked again on Retry once another download wrote that path', async () => {
    const { api, net, dest, manager, item } = setup({ maxRetries: 0 });
    dest.files.set('report.pdf', new TextEncoder().encode('old'));
    api.put('a/report.pdf', 'report a');
    api.put('b/report.pdf', 'report b');
    const serve = api.server();
    let down = true;
    net.autoRespond = (req) =>
      down && req.key === 'a/report.pdf'
        ? req.respond(500, '<Error><Code>InternalError</Code></Error>')
        : serve(req);
    const [a] = manager.start([api.entry('a/report.pdf')], dest, { prefix: 'a/' });
    await manager.whenIdle();
    manager.resolveExisting(a!, 'replace');
    await manager.whenIdle();
    expect(item(a)).toMatchObject({ status: 'failed', kept: 0 });

    const [b] = manager.start([api.entry('b/report.pdf')], dest, { prefix: 'b/' });
    await manager.whenIdle();
    manager.resolveExisting(b!, 'replace');
    await manager.whenIdle();
    expect(dest.text('report.pdf')).toBe('report b');

    down = false;
    manager.retry(a!);
    await settle();
    await manager.whenIdle();
    expect(item(a)).toMatchObject({ status: 'exists', existingSize: 'report b'.length });
    expect(dest.text('report.pdf')).toBe('report b');
  });

  it('says the size of the file already there, so an empty one left by a closed tab is not taken for a copy', async () => {
    const { api, net, dest, manager, item } = setup();
    dest.files.set('empty.bin', new Uint8Array(0));
    dest.files.set('same.bin', bytes(20, 2));
    api.put('empty.bin', bytes(20));
    api.put('same.bin', bytes(20, 3));
    net.autoRespond = api.server();
    const [empty, same] = manager.start([api.entry('empty.bin'), api.entry('same.bin')], dest);
    await manager.whenIdle();
    expect(item(empty)).toMatchObject({ status: 'exists', size: 20, existingSize: 0 });
    expect(item(same)).toMatchObject({ status: 'exists', size: 20, existingSize: 20 });
  });

  it('"keep both" saves the new file as "name (n).ext", the first number free', async () => {
    const { api, net, dest, manager, item } = setup();
    dest.files.set('docs/report.pdf', new TextEncoder().encode('old'));
    dest.files.set('docs/report (1).pdf', new TextEncoder().encode('older copy'));
    dest.files.set('notes.txt', new TextEncoder().encode('old notes'));
    api.put('docs/report.pdf', 'new report');
    api.put('notes.txt', 'new notes');
    net.autoRespond = api.server();
    const [a, b] = manager.start([api.entry('docs/report.pdf'), api.entry('notes.txt')], dest);
    await manager.whenIdle();
    expect([item(a).status, item(b).status]).toEqual(['exists', 'exists']);
    manager.resolveAllExisting('keep-both');
    await manager.whenIdle();
    expect([item(a).status, item(b).status]).toEqual(['done', 'done']);
    expect(item(a).relativePath).toBe('docs/report (2).pdf');
    expect(dest.text('docs/report (2).pdf')).toBe('new report');
    expect(dest.text('docs/report (1).pdf')).toBe('older copy');
    expect(dest.text('docs/report.pdf')).toBe('old');
    expect(dest.text('notes (1).txt')).toBe('new notes');
    expect(dest.text('notes.txt')).toBe('old notes');
  });

  it('"Keep both" for all looks names up a few at a time, as the first look-up does', async () => {
    const { api, net, dest, manager, item } = setup();
    let inFlight = 0;
    let most = 0;
    const stat = dest.stat.bind(dest);
    dest.stat = async (path: string) => {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 1));
      try {
        return await stat(path);
      } finally {
        inFlight--;
      }
    };
    const keys = Array.from({ length: 200 }, (_, i) => `f${i}.txt`);
    for (const key of keys) {
      dest.files.set(key, new TextEncoder().encode('old'));
      api.put(key, 'new');
    }
    net.autoRespond = api.server();
    const ids = manager.start(
      keys.map((key) => api.entry(key)),
      dest,
    );
    await manager.whenIdle();
    expect(most).toBeLessThanOrEqual(16);
    most = 0;
    manager.resolveAllExisting('keep-both');
    await manager.whenIdle();
    // Before: all 200 at once.
    expect(most).toBeLessThanOrEqual(16);
    expect(ids.map((id) => item(id).status)).toEqual(keys.map(() => 'done'));
    expect(dest.text('f199 (1).txt')).toBe('new');
  });

  it('"keep both" never takes the name another download in the batch will write', async () => {
    const { api, net, dest, manager, item } = setup({ concurrency: 1 });
    dest.files.set('report.pdf', new TextEncoder().encode('old'));
    api.put('blocker.bin', 'takes the only slot');
    api.put('report (1).pdf', 'the object named report (1)');
    api.put('report.pdf', 'new report');
    const [c, b, a] = manager.start(
      ['blocker.bin', 'report (1).pdf', 'report.pdf'].map((k) => api.entry(k)),
      dest,
    );
    const held = await net.nextRequest(); // blocker.bin; "report (1).pdf" waits, not on disk yet
    await vi.waitFor(() => expect(item(a).status).toBe('exists'));
    expect(item(b).status).toBe('queued');
    manager.resolveExisting(a!, 'keep-both');
    await vi.waitFor(() => expect(item(a).relativePath).toBe('report (2).pdf'));
    net.autoRespond = api.server();
    api.server()(held);
    await manager.whenIdle();
    expect([item(c).status, item(b).status, item(a).status]).toEqual(['done', 'done', 'done']);
    expect(dest.text('report (1).pdf')).toBe('the object named report (1)');
    expect(dest.text('report (2).pdf')).toBe('new report');
  });

  it('"keep both" numbers copies per folder, and a name taken off the list with its row is free again', async () => {
    const { api, net, manager, item } = setup();
    const folderA = new MemoryDestination({ 'report.pdf': 'old A' });
    const folderB = new MemoryDestination({ 'report.pdf': 'old B' });
    api.put('report.pdf', 'new report');
    net.autoRespond = api.server();
    const keepBoth = async (dest: Destination) => {
      const [id] = manager.start([api.entry('report.pdf')], dest);
      await manager.whenIdle();
      manager.resolveExisting(id!, 'keep-both');
      await manager.whenIdle();
      return item(id);
    };
    expect(await keepBoth(folderA)).toMatchObject({ status: 'done', relativePath: 'report (1).pdf' });
    // A name used in folder A says nothing of folder B.
    expect(await keepBoth(folderB)).toMatchObject({ status: 'done', relativePath: 'report (1).pdf' });
    expect(folderB.text('report (1).pdf')).toBe('new report');
    // The user deleted the copy; once its row is cleared, the name is free for the next copy.
    await folderA.remove('report (1).pdf');
    manager.clearFinished();
    expect(await keepBoth(folderA)).toMatchObject({ status: 'done', relativePath: 'report (1).pdf' });
  });

  it('a second download of the same file into the folder waits for the first, then asks about it', async () => {
    const { api, net, dest, manager, item } = setup({ concurrency: 2 });
    api.put('alpha/assets/logo.png', 'alpha logo');
    api.put('beta/assets/logo.png', 'beta logo, longer');
    const [first] = manager.start([api.entry('alpha/assets/logo.png')], dest, { prefix: 'alpha/' });
    const held = await net.nextRequest();
    const [second] = manager.start([api.entry('beta/assets/logo.png')], dest, { prefix: 'beta/' });
    await settle();
    // Nothing asked for the second object while the first one writes the file.
    expect(net.requests).toHaveLength(1);
    // …and it says for which one it waits.
    expect(item(second)).toMatchObject({ status: 'queued', relativePath: 'assets/logo.png', behind: first });

    api.server()(held);
    net.autoRespond = api.server();
    await manager.whenIdle();
    expect(item(first).status).toBe('done');
    expect(dest.text('assets/logo.png')).toBe('alpha logo');
    expect(item(second)).toMatchObject({ status: 'exists', existingSize: 'alpha logo'.length, behind: null });

    manager.resolveExisting(second!, 'replace');
    await manager.whenIdle();
    expect(item(second).status).toBe('done');
    expect(dest.text('assets/logo.png')).toBe('beta logo, longer');
  });

  it('a second download whose path differs only in case waits for the first, then asks (one file on Windows and macOS)', async () => {
    const { api, net, dest, manager, item } = setup({ concurrency: 2 });
    dest.ignoreCase = true;
    api.put('x/Report.pdf', 'first');
    api.put('y/report.pdf', 'second, longer');
    const [first] = manager.start([api.entry('x/Report.pdf')], dest, { prefix: 'x/' });
    const held = await net.nextRequest();
    const [second] = manager.start([api.entry('y/report.pdf')], dest, { prefix: 'y/' });
    await settle();
    expect(net.requests).toHaveLength(1);
    expect(item(second)).toMatchObject({ status: 'queued', relativePath: 'report.pdf' });

    api.server()(held);
    net.autoRespond = api.server();
    await manager.whenIdle();
    expect(item(first).status).toBe('done');
    expect(item(second)).toMatchObject({ status: 'exists', existingSize: 'first'.length });
    manager.resolveExisting(second!, 'keep-both');
    await settle();
    await manager.whenIdle();
    expect(item(second)).toMatchObject({ status: 'done', relativePath: 'report (1).pdf' });
    expect([...dest.files.keys()].sort()).toEqual(['Report.pdf', 'report (1).pdf']);
  });

  it('behind a paused download of the same file it waits, the queue idle; once that is cancelled it goes', async () => {
    const { api, net, dest, manager, item } = setup({ concurrency: 2 });
    api.put('alpha/logo.png', 'alpha logo');
    api.put('beta/logo.png', 'beta logo');
    const [first] = manager.start([api.entry('alpha/logo.png')], dest, { prefix: 'alpha/' });
    await net.nextRequest();
    manager.pause(first!);
    const [second] = manager.start([api.entry('beta/logo.png')], dest, { prefix: 'beta/' });
    await manager.whenIdle();
    expect([item(first).status, item(second).status]).toEqual(['paused', 'queued']);
    expect(item(second).behind).toBe(first);

    net.autoRespond = api.server();
    manager.cancel(first!);
    await settle();
    await manager.whenIdle();
    expect(item(second)).toMatchObject({ status: 'done', behind: null });
    expect(dest.text('logo.png')).toBe('beta logo');
  });

  it('resolves all at once', async () => {
    const { api, net, dest, manager } = setup();
    for (const k of ['a', 'b']) {
      dest.files.set(k, new TextEncoder().encode('old'));
      api.put(k, `new ${k}`);
    }
    net.autoRespond = api.server();
    manager.start(
      ['a', 'b'].map((k) => api.entry(k)),
      dest,
    );
    await manager.whenIdle();
    manager.resolveAllExisting('replace');
    await manager.whenIdle();
    expect([dest.text('a'), dest.text('b')]).toEqual(['new a', 'new b']);
  });

  it('keeps the old file when a replacing download is cancelled', async () => {
    const { api, net, dest, manager } = setup({ onExisting: 'replace' });
    dest.files.set('a', new TextEncoder().encode('old'));
    api.put('a', 'new content');
    const [id] = manager.start([api.entry('a')], dest);
    const req = await net.nextRequest();
    req.stream(200).push(new TextEncoder().encode('new'));
    await vi.waitFor(() => expect(dest.open.has('a')).toBe(true));
    manager.cancel(id!);
    await manager.whenIdle();
    expect(dest.text('a')).toBe('old');
  });

  it('a Cancel while the saved file takes its name is too late: it ends Done with the new file, never with neither', async () => {
    const { api, net, dest, manager } = setup({ onExisting: 'replace' });
    dest.files.set('a', new TextEncoder().encode('the report I had'));
    api.put('a', 'new content');
    net.autoRespond = api.server();
    // The rename (or, where the browser refuses one, a copy into the real name) takes a while.
    let naming = false;
    let named!: () => void;
    const held = new Promise<void>((resolve) => (named = resolve));
    const open = dest.openFile.bind(dest);
    dest.openFile = async (path, o) => {
      const file = await open(path, o);
      return {
        ...file,
        close: async () => {
          naming = true;
          await held;
          await file.close();
        },
      };
    };
    const [id] = manager.start([api.entry('a')], dest);
    await vi.waitFor(() => expect(naming).toBe(true));
    manager.cancel(id!);
    manager.cancelAll();
    named();
    await manager.whenIdle();
    expect(manager.getSnapshot().items[0]).toMatchObject({ status: 'done' });
    expect(dest.text('a')).toBe('new content');
  });
});

describe('DownloadManager: snapshot and progress', () => {
  it('returns the same snapshot until something changes', async () => {
    const { api, net, dest, manager } = setup();
    const empty = manager.getSnapshot();
    expect(manager.getSnapshot()).toBe(empty);
    api.put('a', 'x');
    manager.start([api.entry('a')], dest);
    const queued = manager.getSnapshot();
    expect(queued).not.toBe(empty);
    expect(manager.getSnapshot()).toBe(queued);
    net.autoRespond = api.server();
    await manager.whenIdle();
  });

  it('batches a burst of progress into a few notifications', async () => {
    const { api, net, dest, manager } = setup({ rangeThreshold: 1000 });
    for (let i = 0; i < 5; i++) api.put(`f${i}`, bytes(200, i));
    net.autoRespond = api.server(1); // 1000 one-byte chunks in all
    let notified = 0;
    manager.subscribe(() => notified++);
    manager.start(
      [...api.objects.keys()].map((k) => api.entry(k)),
      dest,
    );
    await manager.whenIdle();
    expect(manager.getSnapshot().totals.counts.done).toBe(5);
    // The fake clock stands still, so after the first batch each one waits the full 50 ms.
    expect(notified).toBeGreaterThanOrEqual(1);
    expect(notified).toBeLessThanOrEqual(4);
  });

  it('reports monotonic progress, batched, even when a range is retried', async () => {
    const { api, net, dest, manager, time } = setup({ notifyIntervalMs: 0 });
    const data = bytes(95, 4);
    api.put('big', data, 'v1');
    api.put('small', bytes(30), 'v2');
    const seen: DownloadSnapshot[] = [];
    manager.subscribe(() => seen.push(manager.getSnapshot()));
    let broke = false;
    const serve = api.server(3);
    net.autoRespond = (req) => {
      time.advance(100);
      if (!broke && req.range === 'bytes=20-29') {
        broke = true;
        const s = req.stream(206, { 'content-range': 'bytes 20-29/95' });
        s.push(data.slice(20, 27));
        setImmediate(() => s.error(new TypeError('reset')));
        return;
      }
      serve(req);
    };
    manager.start([api.entry('big'), api.entry('small')], dest);
    await manager.whenIdle();
    await settle();
    const totals = seen.map((s) => s.totals.loaded);
    const bigLoaded = seen.map((s) => s.items[0]!.loaded);
    expect(totals.length).toBeGreaterThan(2);
    for (let i = 1; i < totals.length; i++) {
      expect(totals[i]).toBeGreaterThanOrEqual(totals[i - 1]!);
      expect(bigLoaded[i]).toBeGreaterThanOrEqual(bigLoaded[i - 1]!);
    }
    const last = seen.at(-1)!;
    expect(last.totals).toMatchObject({ bytes: 125, loaded: 125 });
    expect(last.active).toBe(false);
    expect(seen.some((s) => s.totals.speed > 0)).toBe(true);
    expect(dest.files.get('big')).toEqual(data);
  });

  it('keeps the time left through a short pause in the stream, and shows no speed or time left once nothing came for a few seconds', async () => {
    const { api, net, dest, manager, item, time } = setup({ notifyIntervalMs: 0, heartbeatMs: 1 });
    const data = bytes(30); // below rangeThreshold: one GET
    api.put('a', data);
    const [id] = manager.start([api.entry('a')], dest);
    const body = (await net.nextRequest()).stream(200);
    body.push(data.slice(0, 5)); // the first bytes start the row's clock
    await vi.waitFor(() => expect(item(id).loaded).toBe(5));
    time.advance(1000);
    body.push(data.slice(5, 15));
    await vi.waitFor(() => expect(item(id).speed).toBeGreaterThan(0));
    const before = item(id).speed;
    const eta = item(id).eta;
    expect(eta).toBeGreaterThan(0);
    time.advance(2_000); // nothing arrives for 2 s
    await vi.waitFor(() => expect(item(id).speed).toBeLessThan(before));
    // Not worked out again from the sinking speed (which gave hours): as it was when bytes last came.
    expect(item(id).eta).toBe(eta);
    time.advance(5_000); // nor for 7 s (a hung store): no speed or time left, the totals' neither
    await vi.waitFor(() => expect(item(id)).toMatchObject({ speed: 0, eta: null }));
    await vi.waitFor(() => expect(manager.getSnapshot().totals).toMatchObject({ speed: 0, eta: null }));
    time.advance(500);
    body.push(data.slice(15, 20)); // bytes again: a speed again
    await vi.waitFor(() => expect(item(id).speed).toBeGreaterThan(0));
    expect(item(id).eta).not.toBeNull();
    body.push(data.slice(20));
    body.end();
    await manager.whenIdle();
    expect(item(id).status).toBe('done');
  });

  it('keeps the key beside the name it is saved under, which is safe for any key', async () => {
    const { api, net, dest, manager, item } = setup();
    for (const k of ['p/../up.txt', 'p/a//b.txt', 'p/x:y?.txt', 'p/plain.txt']) api.put(k, k);
    net.autoRespond = api.server();
    const ids = manager.start(
      ['p/../up.txt', 'p/a//b.txt', 'p/x:y?.txt', 'p/plain.txt'].map((k) => api.entry(k)),
      dest,
      { prefix: 'p/' },
    );
    await manager.whenIdle();
    expect(ids.map((id) => [item(id).keyPath, item(id).relativePath, item(id).status])).toEqual([
      ['../up.txt', '__/up.txt', 'done'],
      ['a//b.txt', 'a/b.txt', 'done'],
      ['x:y?.txt', 'x_y_.txt', 'done'],
      ['plain.txt', 'plain.txt', 'done'],
    ]);
    expect([...dest.files.keys()].sort()).toEqual(['__/up.txt', 'a/b.txt', 'plain.txt', 'x_y_.txt']);
  });

  it('skips folder markers and maps object/folder clashes', async () => {
    const { api, net, dest, manager, item } = setup();
    api.put('p/a', 'file a');
    api.put('p/a/b', 'file b');
    net.autoRespond = api.server();
    const [marker, a, b] = manager.start(
      [{ key: 'p/', size: 0, etag: 'd' }, api.entry('p/a'), api.entry('p/a/b')],
      dest,
      { prefix: 'p/' },
    );
    await manager.whenIdle();
    expect(item(marker).status).toBe('skipped');
    expect(item(a).relativePath).toBe('a (file)');
    expect(item(b).relativePath).toBe('a/b');
    expect([...dest.files.keys()].sort()).toEqual(['a (file)', 'a/b']);
  });

  it('stops everything on destroy', async () => {
    const { api, net, dest, manager } = setup();
    api.put('a', 'abc');
    const listener = vi.fn();
    manager.subscribe(listener);
    manager.start([api.entry('a')], dest);
    const req = await net.nextRequest();
    manager.destroy();
    expect(req.signal?.aborted).toBe(true);
    await manager.whenIdle();
    expect(dest.open.size + dest.files.size).toBe(0);
    expect(() => manager.start([api.entry('a')], dest)).toThrow(/destroyed/);
  });
});

describe('DownloadManager: clearing the list', () => {
  it('uses a folder while a row going into it is listed, not after (the page then forgets the folder)', async () => {
    const { api, net, dest, manager } = setup();
    const other = new MemoryDestination();
    api.put('a', 'x');
    net.autoRespond = api.server();
    const [id] = manager.start([api.entry('a')], dest);
    expect([manager.uses(dest), manager.uses(other)]).toEqual([true, false]);
    await manager.whenIdle();
    expect(manager.uses(dest)).toBe(true); // its row is still listed, Done
    manager.remove(id!);
    expect(manager.uses(dest)).toBe(false);
  });

  it('clearFinished drops done, cancelled and skipped rows; failed and running ones stay, and totals count what is left', async () => {
    const { api, net, dest, manager, item } = setup({ maxRetries: 0 });
    api.put('p/done', 'fine');
    api.put('p/broken', 'nope');
    api.put('p/cancel-me', 'later');
    api.put('p/running', 'slowly');
    const serve = api.server();
    net.autoRespond = (req) => {
      if (req.key === 'p/broken') req.respond(500, '<Error><Code>InternalError</Code></Error>');
      else if (req.key === 'p/done') serve(req);
    };
    const [marker, done, broken, cancelled, running] = manager.start(
      [
        { key: 'p/', size: 0, etag: 'd' },
        api.entry('p/done'),
        api.entry('p/broken'),
        api.entry('p/cancel-me'),
        api.entry('p/running'),
      ],
      dest,
      { prefix: 'p/' },
    );
    await vi.waitFor(() => expect(net.requests.filter((r) => r.key === 'p/running')).toHaveLength(1));
    manager.cancel(cancelled!);
    await vi.waitFor(() => expect(item(done).status).toBe('done'));
    await vi.waitFor(() => expect(item(broken).status).toBe('failed'));
    expect(item(marker).status).toBe('skipped');
    expect(manager.getSnapshot().totals).toMatchObject({ bytes: 4 + 4 + 6, counts: { done: 1 } });

    const listener = vi.fn();
    manager.subscribe(listener);
    manager.clearFinished();
    await settle();
    const snap = manager.getSnapshot();
    expect(snap.items.map((i) => i.id)).toEqual([broken, running]);
    expect(snap.totals).toMatchObject({
      bytes: 4 + 6,
      loaded: 0,
      counts: { done: 0, failed: 1, cancelled: 0 },
    });
    await vi.waitFor(() => expect(listener).toHaveBeenCalled()); // notifications are batched
    // Nothing left to clear: the same snapshot.
    manager.clearFinished();
    expect(manager.getSnapshot()).toBe(snap);
    // The running one goes on and finishes on the shortened list.
    net.requests
      .find((r) => r.key === 'p/running')!
      .serve(new TextEncoder().encode('slowly'), 'etag-p/running');
    await manager.whenIdle();
    expect(item(running).status).toBe('done');
    expect(dest.text('running')).toBe('slowly');
  });

  it('remove takes a failed row off the list and aborts the partial file it kept open', async () => {
    const { api, net, dest, manager } = setup({ maxRetries: 0, rangeConcurrency: 2 });
    api.put('big', bytes(45, 4), 'v1');
    const serve = api.server();
    net.autoRespond = (req) => {
      const start = Number(/^bytes=(\d+)-/.exec(req.range ?? '')?.[1] ?? 0);
      if (start >= 20) req.respond(503, '<Error><Code>ServiceUnavailable</Code></Error>');
      else serve(req);
    };
    const [id] = manager.start([api.entry('big')], dest);
    await manager.whenIdle();
    expect(manager.getSnapshot().failed.map((i) => i.kept)).toEqual([20]);
    expect(dest.open.has('big')).toBe(true);

    manager.remove(id!);
    await settle();
    expect(manager.getSnapshot().items).toEqual([]);
    expect(dest.open.size + dest.files.size).toBe(0);
    // Gone for good: a retry of it does nothing.
    manager.retry(id!);
    await manager.whenIdle();
    expect(manager.getSnapshot().items).toEqual([]);
  });

  it('remove leaves queued and downloading rows alone', async () => {
    const { api, net, dest, manager, item } = setup();
    api.put('a', 'abc');
    const [id] = manager.start([api.entry('a')], dest);
    const req = await net.nextRequest();
    manager.remove(id!);
    expect(item(id).status).toBe('downloading');
    req.serve(new TextEncoder().encode('abc'), 'etag-a');
    await manager.whenIdle();
    expect(item(id).status).toBe('done');
  });
});

describe('DownloadManager: links asked for in batches', () => {
  it('small queued objects get their links in one call, not one call each; a big one asks alone', async () => {
    const { api, net, dest, manager, item } = setup({ concurrency: 2 }, new FakeBatchApi());
    const keys = Array.from({ length: 60 }, (_, i) => `f/${String(i).padStart(2, '0')}.bin`);
    for (const key of keys) api.put(key, bytes(20, key.length));
    api.put('f/big.bin', bytes(100)); // ≥ rangeThreshold (32): ranged
    net.autoRespond = api.server();
    const ids = manager.start(
      [...keys, 'f/big.bin'].map((k) => api.entry(k)),
      dest,
      { prefix: 'f/' },
    );
    await manager.whenIdle();
    expect(ids.map((id) => item(id).status)).toEqual(ids.map(() => 'done'));
    const batched = api.batches.flat();
    expect(batched.sort()).toEqual([...keys].sort()); // each small key once, the big one never
    expect(api.batches.length).toBeLessThanOrEqual(keys.length / 10);
    expect(api.batches.every((b) => b.length <= 50)).toBe(true);
    expect(api.calls).toEqual(['f/big.bin']);
    for (const key of keys) expect(dest.files.get(key.slice(2))).toEqual(bytes(20, key.length));
  });

  it('finds the next queued objects without looking again at every one that has finished', async () => {
    const { api, net, dest, manager, item } = setup({ concurrency: 2 }, new FakeBatchApi());
    const keys = Array.from({ length: 400 }, (_, i) => `f/${i}.bin`);
    for (const key of keys) api.put(key, bytes(4, key.length));
    net.autoRespond = api.server();
    const ids = manager.start(
      keys.map((k) => api.entry(k)),
      dest,
      { prefix: 'f/' },
    );
    // Every look-up of a row that is done already, while the rest download.
    const index = manager.getSnapshot().index as Map<string, number>;
    const get = index.get.bind(index);
    let finishedLookedAt = 0;
    index.get = (id) => {
      const i = get(id);
      if (i !== undefined && manager.getSnapshot().items[i]?.status === 'done') finishedLookedAt++;
      return i;
    };
    await manager.whenIdle();
    expect(ids.map((id) => item(id).status)).toEqual(ids.map(() => 'done'));
    expect(api.batches.length).toBe(keys.length / 50);
    expect(finishedLookedAt).toBeLessThanOrEqual(keys.length); // a scan per batch from the start: 1800
  });

  it('a link signed ahead for an object overwritten while it waited asks for a fresh one, never failing it as changed', async () => {
    const { api, net, dest, manager, item } = setup({ concurrency: 1 }, new FakeBatchApi());
    api.put('a.bin', bytes(20), 'v1');
    api.put('b.bin', bytes(20, 2), 'v1');
    const serve = api.server();
    net.autoRespond = (req) => {
      // While a.bin downloads, b.bin (its link signed in the same batch) is overwritten.
      if (req.key === 'a.bin') api.put('b.bin', bytes(24, 3), 'v2');
      serve(req);
    };
    const [a, b] = manager.start([api.entry('a.bin'), api.entry('b.bin')], dest);
    await manager.whenIdle();
    expect(api.batches).toEqual([['a.bin', 'b.bin']]);
    expect(api.calls).toEqual(['b.bin']); // its fresh link
    expect(item(a).status).toBe('done');
    expect(item(b)).toMatchObject({ status: 'done', size: 24, etag: 'v2', loaded: 24 });
    expect(dest.files.get('b.bin')).toEqual(bytes(24, 3));
  });

  it('a prefetched link that meets another version twice fails as changed', async () => {
    const { api, net, dest, manager, item } = setup({ concurrency: 1 }, new FakeBatchApi());
    api.put('a.bin', bytes(20), 'v1');
    api.put('b.bin', bytes(20, 2), 'v1');
    let version = 1;
    const serve = api.server();
    net.autoRespond = (req) => {
      // Overwritten again and again: each answer is a newer version than the link names.
      if (req.key === 'b.bin' || req.key === 'a.bin') api.put('b.bin', bytes(20, 2), `v${++version}`);
      serve(req);
    };
    const [, b] = manager.start([api.entry('a.bin'), api.entry('b.bin')], dest);
    await manager.whenIdle();
    expect(api.calls).toEqual(['b.bin']); // one fresh link, no more
    expect(item(b)).toMatchObject({ status: 'failed', error: { code: 'changed' } });
  });

  it('falls back to one link per object when a batch call fails, and reports a missing key as such', async () => {
    const { api, net, dest, manager, item } = setup({ concurrency: 1 }, new FakeBatchApi());
    api.put('a.bin', bytes(20));
    api.put('b.bin', bytes(20, 2));
    api.batchFailures.push(Object.assign(new Error('boom'), { code: 'server', status: 500 }));
    net.autoRespond = api.server();
    const [a, b, gone] = manager.start(
      [api.entry('a.bin'), api.entry('b.bin'), { key: 'gone.bin', size: 20, etag: 'x' }],
      dest,
      { prefix: '' },
    );
    await manager.whenIdle();
    expect(item(a).status).toBe('done');
    expect(item(b).status).toBe('done');
    expect(item(gone)).toMatchObject({ status: 'failed', error: { code: 'http-404' } });
    expect(api.batches[0]!.sort()).toEqual(['a.bin', 'b.bin', 'gone.bin']);
    // The failed batch's objects each asked alone; a missing key is asked again alone (its own 404).
    expect(api.calls.sort()).toEqual(['a.bin', 'b.bin', 'gone.bin']);
  });

  it('a batch call that got no answer (a restarting server, a proxy 502) is asked again as a batch, not one call per object', async () => {
    const { api, net, dest, manager, item } = setup({ concurrency: 1 }, new FakeBatchApi());
    const keys = Array.from({ length: 8 }, (_, i) => `f/${i}.bin`);
    for (const key of keys) api.put(key, bytes(20, key.length));
    api.batchFailures.push(new ApiError('network', 0, 'Failed to fetch'));
    api.batchFailures.push(new ApiError('http-502', 502, 'Bad Gateway'));
    net.autoRespond = api.server();
    const ids = manager.start(
      keys.map((k) => api.entry(k)),
      dest,
      { prefix: 'f/' },
    );
    await manager.whenIdle();
    expect(ids.map((id) => item(id).status)).toEqual(ids.map(() => 'done'));
    // Each object whose batch got no answer asked alone; the rest asked again, together.
    expect(api.batches).toEqual([keys, keys.slice(1), keys.slice(2)]);
    expect(api.calls).toEqual(['f/0.bin', 'f/1.bin']);
  });
});
