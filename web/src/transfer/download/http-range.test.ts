/**
 * The fetch path end to end against a real HTTP server on 127.0.0.1 that behaves like S3 for GETs:
 * ETag, Range → 206 + Content-Range, If-Match → 412 when the object changed.
 */
import { crc32 } from 'hash-wasm';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DownloadLink } from '../../../../server/shared/api-types.ts';
import type { DownloadApi } from './download-api.ts';
import { DownloadManager } from './download-manager.ts';
import { crcToBase64 } from './integrity.ts';
import { MemoryDestination } from './memory-destination.ts';
import { bytes } from './testing/fake-api.ts';

interface Stored {
  data: Uint8Array;
  etag: string;
}

const objects = new Map<string, Stored>();
const seen: { key: string; range: string | undefined; ifMatch: string | undefined; status: number }[] = [];
let server: Server;
let base = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    const key = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname.slice(1));
    const object = objects.get(key);
    const range = req.headers.range;
    const ifMatch = req.headers['if-match'];
    const answer = (status: number, headers: Record<string, string | number>, body?: Uint8Array) => {
      seen.push({ key, range, ifMatch, status });
      res.writeHead(status, headers);
      res.end(body);
    };
    if (!object) return answer(404, {}, new TextEncoder().encode('<Error><Code>NoSuchKey</Code></Error>'));
    const etag = `"${object.etag}"`;
    if (ifMatch !== undefined && ifMatch !== etag) return answer(412, { etag });
    const m = range ? /^bytes=(\d+)-(\d+)$/.exec(range) : null;
    if (!m) return answer(200, { etag, 'content-length': object.data.byteLength }, object.data);
    const start = Number(m[1]);
    const end = Math.min(Number(m[2]), object.data.byteLength - 1);
    const body = object.data.subarray(start, end + 1);
    // Stream in pieces so the client sees several chunks per range.
    seen.push({ key, range, ifMatch, status: 206 });
    res.writeHead(206, {
      etag,
      'content-length': body.byteLength,
      'content-range': `bytes ${start}-${end}/${object.data.byteLength}`,
    });
    for (let i = 0; i < body.byteLength; i += 700) res.write(body.subarray(i, i + 700));
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const api: DownloadApi = {
  async link(key): Promise<DownloadLink> {
    const object = objects.get(key);
    if (!object) throw Object.assign(new Error('missing'), { status: 404 });
    const crc = crcToBase64(Number.parseInt(await crc32(object.data), 16));
    return {
      key,
      url: `${base}/${encodeURIComponent(key)}`,
      size: object.data.byteLength,
      etag: object.etag,
      checksum: { algorithm: 'CRC32', value: crc, composite: false },
      expiresAt: Date.now() + 60_000,
    };
  },
};

describe('download over real HTTP', () => {
  it('downloads small objects whole and large ones as ranges pinned with If-Match, verified', async () => {
    objects.set('dir/small.bin', { data: bytes(3_000, 1), etag: 's1' });
    objects.set('dir/large.bin', { data: bytes(50_000, 2), etag: 'l1' });
    const dest = new MemoryDestination();
    const manager = new DownloadManager(api, {
      rangeThreshold: 10_000,
      rangeSize: 4_096,
      rangeConcurrency: 3,
    });
    const ids = manager.start(
      ['dir/small.bin', 'dir/large.bin'].map((key) => ({ key, size: 0, etag: '' })),
      dest,
      { prefix: 'dir/' },
    );
    await manager.whenIdle();
    const items = manager.getSnapshot().items;
    expect(items.map((i) => [i.id, i.status, i.verification])).toEqual([
      [ids[0], 'done', 'verified'],
      [ids[1], 'done', 'verified'],
    ]);
    expect(dest.files.get('small.bin')).toEqual(objects.get('dir/small.bin')!.data);
    expect(dest.files.get('large.bin')).toEqual(objects.get('dir/large.bin')!.data);
    const large = seen.filter((s) => s.key === 'dir/large.bin');
    expect(large).toHaveLength(13);
    expect(large.every((s) => s.status === 206 && s.ifMatch === '"l1"')).toBe(true);
    expect(seen.find((s) => s.key === 'dir/small.bin')).toMatchObject({
      range: undefined,
      ifMatch: undefined,
    });
    manager.destroy();
  });

  it("fails as 'changed' when the object is replaced mid-download, and the retry gets the new one", async () => {
    objects.set('moving.bin', { data: bytes(40_000, 3), etag: 'm1' });
    const dest = new MemoryDestination();
    // One range at a time; the object changes once the first range is on disk.
    const fetchThenReplace: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      if (objects.get('moving.bin')!.etag === 'm1' && res.status === 206) {
        objects.set('moving.bin', { data: bytes(40_000, 4), etag: 'm2' });
      }
      return res;
    };
    const manager = new DownloadManager(api, {
      rangeThreshold: 10_000,
      rangeSize: 8_192,
      rangeConcurrency: 1,
      fetch: (url, init) => fetchThenReplace(url, init),
    });
    const [id] = manager.start([{ key: 'moving.bin', size: 40_000, etag: 'm1' }], dest);
    await manager.whenIdle();
    const failed = manager.getSnapshot().items[0]!;
    expect(failed.error?.code).toBe('changed');
    expect(seen.filter((s) => s.key === 'moving.bin').map((s) => s.status)).toEqual([206, 412]);
    expect(dest.open.size + dest.files.size).toBe(0);

    manager.retry(id!);
    await manager.whenIdle();
    expect(manager.getSnapshot().items[0]).toMatchObject({
      status: 'done',
      etag: 'm2',
      verification: 'verified',
    });
    expect(dest.files.get('moving.bin')).toEqual(bytes(40_000, 4));
    manager.destroy();
  });

  it('reports a missing object as gone', async () => {
    objects.delete('nope');
    const manager = new DownloadManager(api);
    manager.start([{ key: 'nope', size: 1, etag: 'x' }], new MemoryDestination());
    await manager.whenIdle();
    expect(manager.getSnapshot().failed[0]?.error?.code).toBe('http-404');
    manager.destroy();
  });
});
