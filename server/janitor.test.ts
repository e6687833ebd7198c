import { S3ServiceException } from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { UploadedPart } from './shared/api-types.ts';
import type { ObjectStore } from './s3/s3-gateway.ts';
import { startJanitor, sweepStaleUploads } from './janitor.ts';

const HOUR = 3_600_000;
const T0 = Date.parse('2026-01-01T00:00:00Z');

/** Just what the janitor asks of the store: uploads under a prefix, their parts, abort. */
function fakeStore(
  uploads: { key: string; uploadId: string; initiated: number; parts: number[] }[],
  refuse: (uploadId: string) => Error | undefined = () => undefined,
  /** The store's clock minus this server's (its dates above are in the store's time). */
  clockOffsetMs = 0,
) {
  const aborted: string[] = [];
  const listPartsCalls: string[] = [];
  let listUploadsCalls = 0;
  const store = {
    listUploads: () =>
      ++listUploadsCalls &&
      Promise.resolve(
        uploads.map((u) => ({ key: u.key, uploadId: u.uploadId, initiated: new Date(u.initiated) })),
      ),
    listParts: (_key: string, uploadId: string) => {
      listPartsCalls.push(uploadId);
      const upload = uploads.find((u) => u.uploadId === uploadId);
      if (!upload || aborted.includes(uploadId)) return Promise.resolve(null);
      return Promise.resolve(
        upload.parts.map((at, i): UploadedPart => ({
          partNumber: i + 1,
          size: 5,
          etag: `"e${i}"`,
          lastModified: new Date(at).toISOString(),
        })),
      );
    },
    abort: (_key: string, uploadId: string) => {
      const refused = refuse(uploadId);
      if (refused) return Promise.reject(refused);
      aborted.push(uploadId);
      return Promise.resolve();
    },
    clockOffsetMs: () => clockOffsetMs,
  } as unknown as ObjectStore;
  return { store, aborted, listPartsCalls, listUploadsCalls: () => listUploadsCalls };
}

const s3Error = (name: string, status: number) =>
  new S3ServiceException({ name, $fault: 'client', $metadata: { httpStatusCode: status }, message: name });

describe('sweepStaleUploads', () => {
  it('keeps an upload started before the TTL that is still receiving parts', async () => {
    const { store, aborted } = fakeStore([
      // Started 30 h ago, a part every few hours, the newest 1 h ago: a long upload going on.
      { key: 'long.bin', uploadId: 'long', initiated: T0 - 30 * HOUR, parts: [T0 - 29 * HOUR, T0 - HOUR] },
    ]);
    const removed = await sweepStaleUploads({ store, prefix: '', ttlMs: 24 * HOUR, now: () => T0 });
    expect(removed).toEqual([]);
    expect(aborted).toEqual([]);
  });

  it('aborts an upload whose newest part is older than the TTL, or that has no part', async () => {
    const log: string[] = [];
    const { store, aborted } = fakeStore([
      { key: 'idle.bin', uploadId: 'idle', initiated: T0 - 30 * HOUR, parts: [T0 - 25 * HOUR] },
      { key: 'empty.bin', uploadId: 'empty', initiated: T0 - 25 * HOUR, parts: [] },
    ]);
    const removed = await sweepStaleUploads({
      store,
      prefix: '',
      ttlMs: 24 * HOUR,
      now: () => T0,
      log: (l) => log.push(l),
    });
    expect(removed.map((r) => r.uploadId)).toEqual(['idle', 'empty']);
    expect(aborted).toEqual(['idle', 'empty']);
    expect(log[0]).toContain('janitor: aborted stale upload of "idle.bin"');
  });

  it("reads the store's dates by the store's clock (code review, session 44)", async () => {
    /** What a sweep at T0 removes of one upload, the store's clock `offset` off this server's. */
    const removedOf = async (upload: { initiated: number; parts: number[] }, offset: number) => {
      const { store } = fakeStore([{ key: 'k.bin', uploadId: 'u', ...upload }], undefined, offset);
      const removed = await sweepStaleUploads({ store, prefix: '', ttlMs: 24 * HOUR, now: () => T0 });
      return removed.map((r) => r.uploadId);
    };
    // The store 3 h behind this server: by its clock the upload began 22 h ago, a part came 21 h ago.
    expect(await removedOf({ initiated: T0 - 25 * HOUR, parts: [T0 - 24 * HOUR] }, -3 * HOUR)).toEqual([]);
    // The store 3 h ahead: its newest part came 25 h ago by its clock (22 h by this server's).
    expect(await removedOf({ initiated: T0 - 27 * HOUR, parts: [T0 - 22 * HOUR] }, 3 * HOUR)).toEqual(['u']);
    // 5 h ahead: begun 25 h ago by its clock, no part.
    expect(await removedOf({ initiated: T0 - 20 * HOUR, parts: [] }, 5 * HOUR)).toEqual(['u']);
  });

  it('does not list the parts of an upload younger than the TTL', async () => {
    const { store, aborted, listPartsCalls } = fakeStore([
      { key: 'new.bin', uploadId: 'new', initiated: T0 - HOUR, parts: [] },
    ]);
    expect(await sweepStaleUploads({ store, prefix: '', ttlMs: 24 * HOUR, now: () => T0 })).toEqual([]);
    expect(listPartsCalls).toEqual([]);
    expect(aborted).toEqual([]);
  });
});

describe('sweepStaleUploads when an abort does not happen', () => {
  const stale = (n: number) =>
    Array.from({ length: n }, (_, i) => ({
      key: `k${i}.bin`,
      uploadId: `u${i}`,
      initiated: T0 - 30 * HOUR,
      parts: [],
    }));

  it('never says "aborted" for an upload the store refused to abort, and says once how many and why', async () => {
    const log: string[] = [];
    const { store } = fakeStore(stale(400), () => s3Error('AccessDenied', 403));
    const removed = await sweepStaleUploads({
      store,
      prefix: '',
      ttlMs: 24 * HOUR,
      now: () => T0,
      log: (l) => log.push(l),
      explain: (e) => `the store refused: ${(e as Error).name}`,
    });
    expect(removed).toEqual([]);
    expect(log).toEqual([
      'janitor: could not abort 400 stale uploads (first: "k0.bin"): the store refused: AccessDenied It needs s3:AbortMultipartUpload on the bucket.',
    ]);
  });

  it('goes on past a refusal, and counts an upload gone meanwhile (NoSuchUpload) as neither', async () => {
    const log: string[] = [];
    const { store, aborted } = fakeStore(stale(3), (id) =>
      id === 'u0' ? s3Error('AccessDenied', 403) : id === 'u1' ? s3Error('NoSuchUpload', 404) : undefined,
    );
    const removed = await sweepStaleUploads({
      store,
      prefix: '',
      ttlMs: 24 * HOUR,
      now: () => T0,
      log: (l) => log.push(l),
    });
    expect(removed.map((r) => r.uploadId)).toEqual(['u2']);
    expect(aborted).toEqual(['u2']);
    expect(log).toHaveLength(2);
    expect(log[0]).toContain('janitor: aborted stale upload of "k2.bin"');
    expect(log[1]).toBe(
      'janitor: could not abort a stale upload (first: "k0.bin"): AccessDenied It needs s3:AbortMultipartUpload on the bucket.',
    );
  });
});

describe('startJanitor', () => {
  afterEach(() => vi.useRealTimers());

  it('skips a sweep that is due while the last one still runs, so none overlap', async () => {
    vi.useFakeTimers();
    let release!: () => void;
    const slow = new Promise<void>((r) => (release = r));
    const { store, listUploadsCalls } = fakeStore([]);
    const listUploads = store.listUploads.bind(store);
    store.listUploads = async (...args) => {
      await slow;
      return listUploads(...args);
    };
    const lifetime = new AbortController();
    startJanitor({ store, prefix: '', ttlMs: HOUR, intervalMs: 1_000 }, lifetime.signal);
    await vi.advanceTimersByTimeAsync(5_500);
    expect(listUploadsCalls()).toBe(0); // the first sweep is still waiting for its listing
    release();
    await vi.advanceTimersByTimeAsync(0);
    expect(listUploadsCalls()).toBe(1);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(listUploadsCalls()).toBe(2);
    lifetime.abort();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(listUploadsCalls()).toBe(2);
  });
});
