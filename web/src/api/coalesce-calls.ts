/**
 * Many calls of one kind as few requests: a call goes out at once while fewer than `maxInFlight`
 * requests are out; calls made while they are wait and go together in the next request (up to
 * `maxBatch` each) as soon as one comes back. Nothing waits on a timer: one call alone is not delayed,
 * and under load (a folder of small files) the batches grow by themselves. Each caller gets its own
 * item's answer; a request that fails as a whole (network, 503) fails each of its calls with that error,
 * and their retry policies decide. An aborted call is dropped if still waiting, or stops waiting for an
 * answer already asked for (the server finishes that item anyway, as it would a single call).
 */
import { abortable } from '../transfer/shared/signals.ts';

export interface CoalesceOptions<Req, Res> {
  /** One request for these items; answers in the same order, one per item. */
  send(items: Req[]): Promise<Res[]>;
  maxBatch: number;
  maxInFlight: number;
}

interface Waiting<Req, Res> {
  item: Req;
  resolve(answer: Res): void;
  reject(error: unknown): void;
  signal: AbortSignal | undefined;
}

export function coalesceCalls<Req, Res>(
  options: CoalesceOptions<Req, Res>,
): (item: Req, o?: { signal?: AbortSignal }) => Promise<Res> {
  const waiting: Waiting<Req, Res>[] = [];
  let inFlight = 0;
  let scheduled = false;

  const flush = () => {
    scheduled = false;
    while (inFlight < options.maxInFlight) {
      // Aborted calls are dropped first, so a batch of them never stands for the live calls behind.
      for (let i = waiting.length - 1; i >= 0; i--) if (waiting[i]!.signal?.aborted) waiting.splice(i, 1);
      const batch = waiting.splice(0, options.maxBatch);
      if (batch.length === 0) return;
      inFlight++;
      options
        .send(batch.map((w) => w.item))
        .then((answers) => {
          if (answers.length !== batch.length)
            throw new Error(`${answers.length} answers for ${batch.length} calls`);
          batch.forEach((w, i) => w.resolve(answers[i]!));
        })
        // The request failed, or its answer does not fit the calls: each call fails with it.
        .catch((error: unknown) => batch.forEach((w) => w.reject(error)))
        .finally(() => {
          inFlight--;
          flush();
        });
    }
  };

  return (item, o = {}) => {
    const { signal } = o;
    if (signal?.aborted) return Promise.reject(signal.reason as Error);
    const answer = new Promise<Res>((resolve, reject) => {
      waiting.push({ item, resolve, reject, signal });
    });
    // Calls made in the same task go in one request.
    if (!scheduled) {
      scheduled = true;
      queueMicrotask(flush);
    }
    return signal ? abortable(answer, signal) : answer;
  };
}
