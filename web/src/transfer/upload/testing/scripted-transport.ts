/**
 * A PartTransport a test drives request by request, like tus-js-client's TestHttpStack: each PUT
 * shows up in `nextRequest()`, and stays in flight until the test answers it.
 */
import type { SignedPart } from '../../../../../server/shared/api-types.ts';
import type { PartTransport } from '../part-transport.ts';
import { UploadError } from '../upload-error.ts';
import type { FakeS3Api } from './fake-s3-api.ts';

export interface PutRequest {
  part: SignedPart;
  body: Blob;
  signal: AbortSignal;
  /** 200: the fake S3 stores the part and answers its ETag. */
  respond(): void;
  fail(error: unknown): void;
  readonly settled: boolean;
  readonly aborted: boolean;
}

export type AutoAnswer = 'ok' | UploadError | 'hold';

export class ScriptedTransport implements PartTransport {
  readonly requests: PutRequest[] = [];
  readonly inFlight = new Set<PutRequest>();
  maxInFlight = 0;
  /** Answer requests as they come (for the many-files tests); 'hold' leaves one for the test. */
  auto: ((request: PutRequest) => AutoAnswer) | null = null;
  readonly #s3: FakeS3Api;
  readonly #unclaimed: PutRequest[] = [];
  readonly #waiters: ((request: PutRequest) => void)[] = [];

  constructor(s3: FakeS3Api) {
    this.#s3 = s3;
  }

  put(part: SignedPart, body: Blob, { signal }: { signal: AbortSignal }): Promise<{ etag: string }> {
    return new Promise((resolve, reject) => {
      let settled = false;
      let aborted = false;
      const finish = () => {
        settled = true;
        this.inFlight.delete(request);
        signal.removeEventListener('abort', onAbort);
      };
      const onAbort = () => {
        if (settled) return;
        aborted = true;
        finish();
        reject(signal.reason);
      };
      const request: PutRequest = {
        part,
        body,
        signal,
        respond: () => {
          if (settled) throw new Error(`part ${part.partNumber} already settled`);
          let etag: string;
          try {
            etag = this.#s3.acceptPut(part, body);
          } catch (error) {
            finish();
            reject(new UploadError('no-such-upload', String(error), { status: 404 }));
            return;
          }
          finish();
          resolve({ etag });
        },
        fail: (error) => {
          if (settled) throw new Error(`part ${part.partNumber} already settled`);
          finish();
          reject(error);
        },
        get settled() {
          return settled;
        },
        get aborted() {
          return aborted;
        },
      };
      if (signal.aborted) {
        reject(signal.reason);
        return;
      }
      signal.addEventListener('abort', onAbort, { once: true });
      this.requests.push(request);
      this.inFlight.add(request);
      this.maxInFlight = Math.max(this.maxInFlight, this.inFlight.size);
      const answer = this.auto?.(request) ?? 'hold';
      if (answer === 'ok') queueMicrotask(() => !settled && request.respond());
      else if (answer instanceof UploadError) queueMicrotask(() => !settled && request.fail(answer));
      else {
        const waiter = this.#waiters.shift();
        if (waiter) waiter(request);
        else this.#unclaimed.push(request);
      }
    });
  }

  /** The next request the engine makes (already made, or the next one). */
  nextRequest(): Promise<PutRequest> {
    const ready = this.claim();
    if (ready) return Promise.resolve(ready);
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  /** Requests made but not yet claimed with nextRequest(). */
  get unclaimed(): readonly PutRequest[] {
    return this.#unclaimed;
  }

  /** Claims the oldest request waiting, if any. */
  claim(): PutRequest | undefined {
    let request = this.#unclaimed.shift();
    while (request?.settled) request = this.#unclaimed.shift();
    return request;
  }

  /** Claims everything currently waiting. */
  takeAll(): PutRequest[] {
    return this.#unclaimed.splice(0).filter((r) => !r.settled);
  }
}
