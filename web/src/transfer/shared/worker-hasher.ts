/**
 * A `Hasher` backed by a small pool of Web Workers (two: hashing a part is mostly waiting for Chromium
 * to read the file, not CPU). Each job goes to the worker with the fewest jobs queued.
 */
import type { HashAlgorithm, Hasher } from './hasher.ts';
import type { HashWorkerRequest, HashWorkerResponse } from './hash-worker.ts';
import { abortError } from './signals.ts';

/** The part of `Worker` the pool uses (so tests can pass a fake). */
export interface WorkerLike {
  postMessage(message: HashWorkerRequest): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<HashWorkerResponse>) => void): void;
  /** The worker failed (an error it did not catch, or its script would not load). */
  addEventListener(type: 'error', listener: (event: { message?: string }) => void): void;
  terminate(): void;
}

export interface WorkerHasherOptions {
  size?: number;
  createWorker?: () => WorkerLike;
}

const defaultCreateWorker = (): WorkerLike =>
  new Worker(new URL('./hash-worker.ts', import.meta.url), { type: 'module' }) as unknown as WorkerLike;

/**
 * Chromium reads a picked file at ~185 MiB/s for one reader and ~220 MiB/s for two on the bench machine,
 * using well under a core (bench `npm run bench`: "browser file read"); the CRC-32 itself runs at
 * ~2 GB/s. Every part is read twice (hashed, then sent), so a second reader keeps more URLs signed
 * ahead of the PUTs: +5 % upload throughput on 2 cores. One core: one worker.
 */
export function defaultPoolSize(): number {
  const cores = typeof navigator !== 'undefined' ? (navigator.hardwareConcurrency ?? 2) : 2;
  return cores > 1 ? 2 : 1;
}

export interface WorkerHasher extends Hasher {
  /**
   * Starts every worker of the pool and has each compile the given algorithms' WASM now, so no part waits
   * for it (a cold worker's first 5 MiB CRC32 took ~200 ms in Chromium, a warm one's ~45 ms).
   */
  warm(algorithms: readonly HashAlgorithm[]): void;
  terminate(): void;
}

export function createWorkerHasher(options: WorkerHasherOptions = {}): WorkerHasher {
  const { size, createWorker } = {
    size: defaultPoolSize(),
    createWorker: defaultCreateWorker,
    ...options,
  } satisfies Required<WorkerHasherOptions>;
  interface Slot {
    worker: WorkerLike;
    jobs: Map<number, { resolve: (v: string) => void; reject: (e: unknown) => void }>;
  }
  const pool: Slot[] = [];
  let nextId = 1;

  const addSlot = (): Slot => {
    const worker = createWorker();
    const slot: Slot = { worker, jobs: new Map() };
    worker.addEventListener('message', (event) => {
      const answer = event.data;
      const job = slot.jobs.get(answer.id);
      if (!job) return;
      slot.jobs.delete(answer.id);
      if (answer.ok) job.resolve(answer.value);
      else job.reject(answer.aborted ? abortError() : new Error(answer.message));
    });
    // A worker that failed answers nothing more: its jobs fail now (their parts are hashed again,
    // see part-signing.ts), and the next job starts a new worker in its place.
    worker.addEventListener('error', (event) => {
      const at = pool.indexOf(slot);
      if (at >= 0) pool.splice(at, 1);
      worker.terminate();
      const error = new Error(`The hashing worker stopped${event.message ? `: ${event.message}` : ''}.`);
      for (const job of [...slot.jobs.values()]) job.reject(error);
      slot.jobs.clear();
    });
    pool.push(slot);
    return slot;
  };
  const slotFor = (): Slot =>
    pool.length < size ? addSlot() : pool.reduce((a, b) => (b.jobs.size < a.jobs.size ? b : a));

  /** Hashes `blob` in the slot's worker (answered through the slot's message listener). */
  const post = (slot: Slot, blob: Blob, algorithm: HashAlgorithm) => {
    const id = nextId++;
    const answer = new Promise<string>((resolve, reject) => slot.jobs.set(id, { resolve, reject }));
    slot.worker.postMessage({ id, blob, algorithm });
    return { id, answer };
  };

  return {
    hash(blob: Blob, algorithm: HashAlgorithm, o: { signal?: AbortSignal } = {}) {
      const { signal } = o;
      if (signal?.aborted) return Promise.reject(signal.reason);
      const slot = slotFor();
      const { id, answer } = post(slot, blob, algorithm);
      if (!signal) return answer;
      return new Promise<string>((resolve, reject) => {
        const onAbort = () => {
          const job = slot.jobs.get(id);
          if (!job) return;
          slot.jobs.delete(id);
          job.reject(signal.reason); // settles `answer`, unused now
          slot.worker.postMessage({ id, cancel: true });
          reject(signal.reason);
        };
        signal.addEventListener('abort', onAbort, { once: true });
        answer.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
      });
    },
    warm(algorithms) {
      while (pool.length < size) addSlot();
      for (const slot of pool)
        for (const algorithm of algorithms)
          void post(slot, new Blob([]), algorithm).answer.catch(() => undefined);
    },
    terminate() {
      for (const slot of pool.splice(0)) {
        slot.worker.terminate();
        for (const job of slot.jobs.values()) job.reject(abortError('hasher terminated'));
      }
    },
  };
}
