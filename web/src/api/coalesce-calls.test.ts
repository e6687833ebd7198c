import { describe, expect, it } from 'vitest';
import { coalesceCalls } from './coalesce-calls.ts';

/** A `send` whose requests the test answers by hand. */
function fakeServer() {
  const requests: {
    items: number[];
    answer: (f?: (n: number) => string) => void;
    fail: (e: Error) => void;
  }[] = [];
  const send = (items: number[]) =>
    new Promise<string[]>((resolve, reject) => {
      requests.push({
        items,
        answer: (f = (n) => `plan ${n}`) => resolve(items.map(f)),
        fail: reject,
      });
    });
  return { requests, send };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('coalesceCalls', () => {
  it('sends a call alone at once, and the calls made while it is out together in the next request', async () => {
    const { requests, send } = fakeServer();
    const call = coalesceCalls({ send, maxBatch: 50, maxInFlight: 1 });
    const first = call(1);
    await tick();
    expect(requests.map((r) => r.items)).toEqual([[1]]);
    const later = [call(2), call(3), call(4)];
    await tick();
    expect(requests).toHaveLength(1); // waiting for the first request
    requests[0]!.answer();
    expect(await first).toBe('plan 1');
    await tick();
    expect(requests.map((r) => r.items)).toEqual([[1], [2, 3, 4]]);
    requests[1]!.answer();
    expect(await Promise.all(later)).toEqual(['plan 2', 'plan 3', 'plan 4']);
  });

  it('puts the calls made in one task in one request, and no more than maxBatch in a request', async () => {
    const { requests, send } = fakeServer();
    const call = coalesceCalls({ send, maxBatch: 3, maxInFlight: 2 });
    const answers = [1, 2, 3, 4, 5, 6, 7].map((n) => call(n));
    await tick();
    expect(requests.map((r) => r.items)).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    requests[0]!.answer();
    await tick();
    expect(requests.map((r) => r.items)).toEqual([[1, 2, 3], [4, 5, 6], [7]]);
    requests[1]!.answer();
    requests[2]!.answer();
    expect(await Promise.all(answers)).toEqual([1, 2, 3, 4, 5, 6, 7].map((n) => `plan ${n}`));
  });

  it('fails each call of a request that fails as a whole, and goes on with the next calls', async () => {
    const { requests, send } = fakeServer();
    const call = coalesceCalls({ send, maxBatch: 50, maxInFlight: 1 });
    const failed = [call(1), call(2)];
    await tick();
    const next = call(3);
    requests[0]!.fail(new Error('network'));
    for (const f of failed) await expect(f).rejects.toThrow('network');
    await tick();
    expect(requests[1]!.items).toEqual([3]);
    requests[1]!.answer();
    expect(await next).toBe('plan 3');
  });

  it('fails the calls when the answer does not hold one item per call', async () => {
    const { requests, send } = fakeServer();
    const call = coalesceCalls({
      send: (items: number[]) => send(items).then((answers) => answers.slice(1)),
      maxBatch: 50,
      maxInFlight: 1,
    });
    const calls = [call(1), call(2)];
    await tick();
    requests[0]!.answer();
    for (const c of calls) await expect(c).rejects.toThrow('1 answers for 2 calls');
  });

  it('drops an aborted call that is still waiting, and stops waiting for one already sent', async () => {
    const { requests, send } = fakeServer();
    const call = coalesceCalls({ send, maxBatch: 50, maxInFlight: 1 });
    const sent = new AbortController();
    const first = call(1, { signal: sent.signal });
    await tick();
    const waiting = new AbortController();
    const dropped = call(2, { signal: waiting.signal });
    const kept = call(3);
    waiting.abort();
    await expect(dropped).rejects.toMatchObject({ name: 'AbortError' });
    sent.abort();
    await expect(first).rejects.toMatchObject({ name: 'AbortError' });
    requests[0]!.answer();
    await tick();
    expect(requests[1]!.items).toEqual([3]);
    requests[1]!.answer();
    expect(await kept).toBe('plan 3');
    await expect(call(4, { signal: AbortSignal.abort() })).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('sends the live calls behind a full batch of aborted ones', async () => {
    const { requests, send } = fakeServer();
    const call = coalesceCalls({ send, maxBatch: 2, maxInFlight: 1 });
    const first = call(1);
    await tick();
    const gone = new AbortController();
    const aborted = [call(2, { signal: gone.signal }), call(3, { signal: gone.signal })];
    const live = call(4);
    gone.abort();
    for (const a of aborted) await expect(a).rejects.toMatchObject({ name: 'AbortError' });
    requests[0]!.answer();
    expect(await first).toBe('plan 1');
    await tick();
    expect(requests.map((r) => r.items)).toEqual([[1], [4]]);
    requests[1]!.answer();
    expect(await live).toBe('plan 4');
  });
});
