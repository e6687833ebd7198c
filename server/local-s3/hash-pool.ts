import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

/**
 * MD5 / SHA digests of request bodies, computed on worker threads (hash-worker.mjs): on the main thread MD5
 * (~440 MiB/s) capped ingest, as every socket chunk of every upload went through one `Hash.update`.
 *
 * A job is one body. Its bytes arrive as filled SharedArrayBuffer slots (no copy on the way to the worker); all
 * messages of a job go to the same worker, so they are hashed in order. Each update is acknowledged once the
 * worker no longer needs the slot, so the caller knows when it may reuse it. A new job goes to the least busy
 * worker.
 */

export type HashAlgorithm = 'md5' | 'sha1' | 'sha256';

type Request =
  | { op: 'open'; job: number; algorithms: readonly HashAlgorithm[] }
  | { op: 'update'; job: number; sab: SharedArrayBuffer; length: number }
  | { op: 'digest'; job: number }
  | { op: 'drop'; job: number }
  | { op: 'count' };

type Reply = { id: number; error?: string; digests?: string[]; count?: number };

interface Waiter {
  resolve(reply: Reply): void;
  reject(error: Error): void;
}

/** One worker thread and the replies it owes. */
class HashWorker {
  readonly #worker: Worker;
  readonly #waiting = new Map<number, Waiter>();
  #nextId = 0;
  #failure: Error | undefined;
  /** open jobs: the pool gives new jobs to the least busy worker */
  jobs = 0;

  constructor(onGone: (worker: HashWorker) => void) {
    this.#worker = new Worker(new URL('./hash-worker.mjs', import.meta.url));
    // Idle workers never keep the process alive; `request` refs it only while a reply is owed, as any I/O would.
    // (The worker inherits the process's execArgv: --import tsx costs it a few ms at start, and --cpu-prof
    // profiles it too.)
    this.#worker.unref();
    this.#worker.on('message', (reply: Reply) => this.#settle(reply));
    this.#worker.on('error', (error) => this.#fail(error));
    this.#worker.on('exit', (code) => {
      this.#fail(new Error(`hash worker exited (code ${code})`));
      onGone(this);
    });
  }

  get failed(): boolean {
    return this.#failure !== undefined;
  }

  /** Fire and forget (open, drop); dropped silently once the worker is gone, along with its jobs. */
  post(message: Request): void {
    if (!this.#failure) this.#worker.postMessage(message);
  }

  request(message: Request): Promise<Reply> {
    if (this.#failure) return Promise.reject(this.#failure);
    const id = this.#nextId++;
    return new Promise<Reply>((resolve, reject) => {
      this.#worker.postMessage({ ...message, id });
      if (this.#waiting.size === 0) this.#worker.ref();
      this.#waiting.set(id, { resolve, reject });
    });
  }

  async terminate(): Promise<void> {
    await this.#worker.terminate();
  }

  #settle(reply: Reply): void {
    const waiter = this.#waiting.get(reply.id);
    if (!waiter) return;
    this.#waiting.delete(reply.id);
    if (this.#waiting.size === 0) this.#worker.unref();
    if (reply.error !== undefined) waiter.reject(new Error(reply.error));
    else waiter.resolve(reply);
  }

  /** The worker is gone (crash, terminate): whatever it owed will never come. */
  #fail(error: Error): void {
    if (this.#failure) return;
    this.#failure = error;
    const waiting = [...this.#waiting.values()];
    this.#waiting.clear();
    this.#worker.unref();
    for (const w of waiting) w.reject(error);
  }
}

/** The digests of one body; `digest` or `drop` ends it. */
export class HashJob {
  readonly #worker: HashWorker;
  readonly #id: number;
  #ended = false;

  constructor(worker: HashWorker, id: number, algorithms: readonly HashAlgorithm[]) {
    this.#worker = worker;
    this.#id = id;
    worker.jobs++;
    worker.post({ op: 'open', job: id, algorithms });
  }

  /** Hashes `sab[0, length)`; settles once the worker is done reading it (the slot may then be reused). */
  async update(sab: SharedArrayBuffer, length: number): Promise<void> {
    if (this.#ended) throw new Error('hash job already ended');
    await this.#worker.request({ op: 'update', job: this.#id, sab, length });
  }

  /** Hex digests, in the order the algorithms were given; ends the job. */
  async digest(): Promise<string[]> {
    if (this.#ended) throw new Error('hash job already ended');
    this.#end();
    const reply = await this.#worker.request({ op: 'digest', job: this.#id });
    return reply.digests!;
  }

  /** Abandons the job (error, abort): the worker frees its state after the updates already sent. */
  drop(): void {
    if (this.#ended) return;
    this.#end();
    this.#worker.post({ op: 'drop', job: this.#id });
  }

  #end(): void {
    this.#ended = true;
    this.#worker.jobs--;
  }
}

/**
 * One worker per two cores, up to 4: a worker hashes MD5 at ~700 MiB/s (OpenSSL), and the main thread (sockets,
 * disk writes) needs a core too. (A four-lane WebAssembly SIMD MD5 ran here before: with the one to three bodies
 * real uploads keep in flight its lanes were mostly empty, and it cost the store 16 % more CPU per GiB.)
 */
function defaultSize(): number {
  return Math.min(4, Math.max(1, Math.floor(availableParallelism() / 2)));
}

/** Workers are started on demand, up to `size`; a worker that dies is forgotten and replaced by the next job. */
export class HashPool {
  readonly #size: number;
  readonly #workers: HashWorker[] = [];
  #nextJob = 0;

  constructor(size: number = defaultSize()) {
    this.#size = Math.max(1, size);
  }

  open(algorithms: readonly HashAlgorithm[]): HashJob {
    return new HashJob(this.#pick(), this.#nextJob++, algorithms);
  }

  /** live workers (tests, diagnostics) */
  get workers(): number {
    return this.#workers.filter((w) => !w.failed).length;
  }

  /** Jobs the workers hold state for (tests, diagnostics): 0 once every job was digested or dropped. */
  async workerJobs(): Promise<number> {
    const live = this.#workers.filter((w) => !w.failed);
    const counts = await Promise.all(live.map((w) => w.request({ op: 'count' })));
    return counts.reduce((sum, reply) => sum + reply.count!, 0);
  }

  /** Stops the current workers; their jobs fail. The pool stays usable and starts new workers when needed. */
  async terminate(): Promise<void> {
    await Promise.all(this.#workers.map((w) => w.terminate()));
  }

  /** A new worker while the pool is not full, else the least busy live one. */
  #pick(): HashWorker {
    const live = this.#workers.filter((w) => !w.failed);
    const idle = live.find((w) => w.jobs === 0);
    if (idle) return idle;
    if (this.#workers.length < this.#size || live.length === 0) {
      const worker = new HashWorker((gone) => {
        const i = this.#workers.indexOf(gone);
        if (i >= 0) this.#workers.splice(i, 1);
      });
      this.#workers.push(worker);
      return worker;
    }
    return live.reduce((a, b) => (b.jobs < a.jobs ? b : a));
  }
}

/** The store's pool; no thread is started until the first body larger than one slot arrives. */
export const hashPool = new HashPool();
