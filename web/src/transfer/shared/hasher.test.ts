import { describe, expect, it } from 'vitest';
import { hashBlob } from './hasher.ts';
import { createWorkerHasher, type WorkerLike } from './worker-hasher.ts';
import type { HashWorkerRequest, HashWorkerResponse } from './hash-worker.ts';

const text = new Blob(['123456789']);

describe('hashBlob', () => {
  it('gives CRC32 as base64 of the 4 big-endian bytes (x-amz-checksum-crc32)', async () => {
    // CRC-32 check value of "123456789" is 0xCBF43926.
    expect(await hashBlob(text, 'CRC32')).toBe(Buffer.from('cbf43926', 'hex').toString('base64'));
  });

  it('gives MD5 as base64 of the 16 raw bytes (Content-MD5)', async () => {
    expect(await hashBlob(new Blob(['']), 'MD5')).toBe('1B2M2Y8AsgTpgAmY7PhCfg==');
    expect(await hashBlob(text, 'MD5')).toBe(
      Buffer.from('25f9e794323b453885f5181f1b624d0b', 'hex').toString('base64'),
    );
  });

  it('streams a large blob', async () => {
    const big = new Blob([new Uint8Array(5 * 1024 * 1024).fill(7)]);
    expect(await hashBlob(big, 'CRC32')).toMatch(/^[A-Za-z0-9+/]{6}==$/);
  });

  it('stops when aborted', async () => {
    const controller = new AbortController();
    controller.abort(new DOMException('stop', 'AbortError'));
    await expect(hashBlob(text, 'MD5', { signal: controller.signal })).rejects.toThrow('stop');
  });

  it('refuses a blob that streams fewer bytes than its size (a picked file deleted before any read)', async () => {
    const deleted = new Blob(['123456789']);
    deleted.stream = () => new Blob([]).stream();
    await expect(hashBlob(deleted, 'CRC32')).rejects.toMatchObject({ name: 'NotFoundError' });
  });
});

describe('createWorkerHasher', () => {
  function fakeWorker(): WorkerLike & {
    posted: HashWorkerRequest[];
    fail(message: string): void;
    terminated: boolean;
  } {
    const listeners: ((e: MessageEvent<HashWorkerResponse>) => void)[] = [];
    const onError: ((e: { message?: string }) => void)[] = [];
    const posted: HashWorkerRequest[] = [];
    return {
      posted,
      terminated: false,
      fail: (message) => onError.forEach((l) => l({ message })),
      postMessage(message) {
        posted.push(message);
        if ('cancel' in message) return;
        void hashBlob(message.blob, message.algorithm).then((value) =>
          listeners.forEach((l) => l({ data: { id: message.id, ok: true, value } } as MessageEvent)),
        );
      },
      addEventListener(type: 'message' | 'error', listener: (e: never) => void) {
        if (type === 'message') listeners.push(listener as (e: MessageEvent<HashWorkerResponse>) => void);
        else onError.push(listener as (e: { message?: string }) => void);
      },
      terminate() {
        this.terminated = true;
      },
    };
  }

  it('spreads jobs over the pool and answers each job', async () => {
    const workers: ReturnType<typeof fakeWorker>[] = [];
    const hasher = createWorkerHasher({
      size: 2,
      createWorker: () => (workers.push(fakeWorker()), workers.at(-1)!),
    });
    const results = await Promise.all([
      hasher.hash(text, 'CRC32'),
      hasher.hash(text, 'MD5'),
      hasher.hash(text, 'CRC32'),
    ]);
    expect(results[0]).toBe(await hashBlob(text, 'CRC32'));
    expect(results[1]).toBe(await hashBlob(text, 'MD5'));
    expect(workers).toHaveLength(2);
    expect(workers.map((w) => w.posted.length).sort()).toEqual([1, 2]);
  });

  it('warms every worker of the pool with every algorithm asked, before any file', async () => {
    // Warmed by posting empty jobs. (The page once warmed with one job per algorithm: with two workers each
    // compiled only one of them, and the second worker's first CRC32 waited for its compile.)
    const workers: ReturnType<typeof fakeWorker>[] = [];
    const hasher = createWorkerHasher({
      size: 2,
      createWorker: () => (workers.push(fakeWorker()), workers.at(-1)!),
    });
    hasher.warm(['CRC32', 'MD5']);
    expect(workers).toHaveLength(2);
    for (const w of workers)
      expect(w.posted.map((m) => ('algorithm' in m ? [m.algorithm, m.blob.size] : m))).toEqual([
        ['CRC32', 0],
        ['MD5', 0],
      ]);
    expect(await hasher.hash(text, 'CRC32')).toBe(await hashBlob(text, 'CRC32'));
    expect(workers).toHaveLength(2);
  });

  it('cancels a job in its worker when aborted', async () => {
    const worker = fakeWorker();
    worker.postMessage = function (message) {
      this.posted.push(message);
    };
    const hasher = createWorkerHasher({ size: 1, createWorker: () => worker });
    const controller = new AbortController();
    const job = hasher.hash(text, 'MD5', { signal: controller.signal });
    controller.abort(new DOMException('stop', 'AbortError'));
    await expect(job).rejects.toThrow('stop');
    expect(worker.posted.at(-1)).toEqual({ id: 1, cancel: true });
  });

  it('a worker that fails fails its jobs at once, and the next job gets a new worker', async () => {
    const workers: ReturnType<typeof fakeWorker>[] = [];
    const hasher = createWorkerHasher({
      size: 1,
      createWorker: () => {
        const worker = fakeWorker();
        if (workers.length === 0) worker.postMessage = (message) => void worker.posted.push(message);
        workers.push(worker);
        return worker;
      },
    });
    const lost = hasher.hash(text, 'CRC32');
    workers[0]!.fail('Out of memory');
    await expect(lost).rejects.toThrow('The hashing worker stopped: Out of memory.');
    expect(workers[0]!.terminated).toBe(true);
    expect(await hasher.hash(text, 'CRC32')).toBe(await hashBlob(text, 'CRC32'));
    expect(workers).toHaveLength(2);
  });
});
