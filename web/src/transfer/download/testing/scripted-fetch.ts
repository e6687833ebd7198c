/**
 * A fetch the test drives (tus `TestHttpStack` style): every call waits until the test answers it, or
 * an `autoRespond` handler does. Tracks how many requests are open at once and which were aborted.
 */
import type { FetchLike } from '../range-transport.ts';

export interface StreamControl {
  push(chunk: Uint8Array): void;
  end(): void;
  error(error: unknown): void;
}

export class ScriptedRequest {
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly signal: AbortSignal | undefined;
  answered = false;
  aborted = false;
  readonly #resolve: (res: Response) => void;
  readonly #reject: (error: unknown) => void;
  readonly #owner: ScriptedFetch;

  constructor(
    owner: ScriptedFetch,
    url: string,
    init: { headers: Record<string, string>; signal?: AbortSignal },
    resolve: (res: Response) => void,
    reject: (error: unknown) => void,
  ) {
    this.#owner = owner;
    this.url = url;
    this.headers = init.headers;
    this.signal = init.signal;
    this.#resolve = resolve;
    this.#reject = reject;
  }

  get key(): string {
    return decodeURIComponent(new URL(this.url).pathname.slice(1));
  }

  get range(): string | undefined {
    return this.headers['Range'];
  }

  get ifMatch(): string | undefined {
    return this.headers['If-Match'];
  }

  /** [start, end] inclusive from the Range header. */
  get rangeBounds(): [number, number] | undefined {
    const m = /^bytes=(\d+)-(\d+)$/.exec(this.range ?? '');
    return m ? [Number(m[1]), Number(m[2])] : undefined;
  }

  #answer(): void {
    if (this.answered) throw new Error(`${this.url} answered twice`);
    this.answered = true;
    this.#owner.pending--;
  }

  /** Answers with a body the test feeds chunk by chunk. */
  stream(status: number, headers: Record<string, string> = {}): StreamControl {
    this.#answer();
    let controller!: ReadableStreamDefaultController<Uint8Array>;
    let open = true;
    const body = new ReadableStream<Uint8Array>({
      start: (c) => {
        controller = c;
      },
      cancel: () => {
        open = false;
      },
    });
    this.signal?.addEventListener(
      'abort',
      () => {
        if (open) controller.error(this.signal?.reason);
        open = false;
      },
      { once: true },
    );
    this.#resolve(new Response(body, { status, headers }));
    return {
      push: (chunk) => {
        if (open) controller.enqueue(chunk);
      },
      end: () => {
        if (open) controller.close();
        open = false;
      },
      error: (error) => {
        if (open) controller.error(error);
        open = false;
      },
    };
  }

  /** Answers with `bytes`, delivered in chunks of `chunkSize`. */
  respond(
    status: number,
    bytes: Uint8Array | string = '',
    headers: Record<string, string> = {},
    chunkSize = 4,
  ): void {
    const data = typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes;
    const s = this.stream(status, { 'content-length': String(data.byteLength), ...headers });
    for (let i = 0; i < data.byteLength; i += chunkSize) s.push(data.slice(i, i + chunkSize));
    s.end();
  }

  /** Answers as S3 would for `object` with `etag`: 200, or 206 for a Range, 412 on an If-Match miss. */
  serve(object: Uint8Array, etag: string, chunkSize = 4): void {
    if (this.ifMatch !== undefined && this.ifMatch !== `"${etag}"`) {
      this.respond(412, '<Error><Code>PreconditionFailed</Code></Error>');
      return;
    }
    const bounds = this.rangeBounds;
    if (!bounds) {
      this.respond(200, object, { etag: `"${etag}"` }, chunkSize);
      return;
    }
    const [start, end] = bounds;
    const last = Math.min(end, object.byteLength - 1);
    this.respond(
      206,
      object.slice(start, last + 1),
      { etag: `"${etag}"`, 'content-range': `bytes ${start}-${last}/${object.byteLength}` },
      chunkSize,
    );
  }

  /** The request never got an answer (offline, reset). */
  fail(error: unknown = new TypeError('fetch failed')): void {
    this.#answer();
    this.#reject(error);
  }
}

export class ScriptedFetch {
  readonly requests: ScriptedRequest[] = [];
  /** Requests not answered yet. */
  pending = 0;
  maxPending = 0;
  autoRespond: ((req: ScriptedRequest) => void) | null = null;
  #waiting: ScriptedRequest[] = [];
  #waiters: ((req: ScriptedRequest) => void)[] = [];

  readonly fetch: FetchLike = (url, init) =>
    new Promise<Response>((resolve, reject) => {
      const req = new ScriptedRequest(this, url, init, resolve, reject);
      this.requests.push(req);
      this.pending++;
      this.maxPending = Math.max(this.maxPending, this.pending);
      const { signal } = init;
      if (signal?.aborted) {
        req.aborted = true;
        this.pending--;
        req.answered = true;
        reject(signal.reason);
        return;
      }
      signal?.addEventListener(
        'abort',
        () => {
          req.aborted = true;
          if (!req.answered) {
            req.answered = true;
            this.pending--;
            reject(signal.reason);
          }
        },
        { once: true },
      );
      if (this.autoRespond) {
        const handler = this.autoRespond;
        queueMicrotask(() => {
          if (!req.answered) handler(req);
        });
        return;
      }
      const waiter = this.#waiters.shift();
      if (waiter) waiter(req);
      else this.#waiting.push(req);
    });

  /** The next request the engine makes (already made, or the next one). */
  nextRequest(): Promise<ScriptedRequest> {
    const req = this.#waiting.shift();
    if (req) return Promise.resolve(req);
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  /** The next `n` requests. */
  async nextRequests(n: number): Promise<ScriptedRequest[]> {
    const out: ScriptedRequest[] = [];
    for (let i = 0; i < n; i++) out.push(await this.nextRequest());
    return out;
  }

  /** Requests made but not yet taken with nextRequest. */
  get queued(): number {
    return this.#waiting.length;
  }
}
