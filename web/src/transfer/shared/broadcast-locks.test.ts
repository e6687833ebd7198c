import { afterEach, describe, expect, it } from 'vitest';
import { broadcastLocks } from './broadcast-locks.ts';

// Each "tab" is a real BroadcastChannel of its own (Node's, as in the browser): messages go to the
// other channels of that name, never back to the sender.
const channels: BroadcastChannel[] = [];
let run = 0;
let name = '';

// answerMs: on a loaded 2-core box another tab's answer can take longer than 40 ms (seen once).
function tab(id: string, o: { pollMs?: number } = {}) {
  const channel = new BroadcastChannel(name);
  channels.push(channel);
  return { locks: broadcastLocks({ channel, tab: id, answerMs: 150, pollMs: o.pollMs ?? 10_000 }), channel };
}

describe('broadcastLocks', () => {
  afterEach(() => {
    for (const channel of channels.splice(0)) channel.close();
  });
  // A channel name per test: one test's late messages never reach the next.
  const fresh = () => (name = `hoist-locks-test-${run++}`);

  it('one tab holds a lock; another sees it held and cannot take it until it is released', async () => {
    fresh();
    const a = tab('a').locks;
    const b = tab('b').locks;
    expect(await b.held('upload:1')).toBe(false);
    const release = await a.acquire('upload:1');
    expect(release).not.toBeNull();
    expect(await b.held('upload:1')).toBe(true);
    expect(await b.acquire('upload:1')).toBeNull();
    expect(await b.acquire('upload:2')).not.toBeNull();
    release!();
    expect(await b.held('upload:1')).toBe(false);
    expect(await b.acquire('upload:1')).not.toBeNull();
  });

  it('is not taken twice within one tab', async () => {
    fresh();
    const a = tab('a').locks;
    const [first, second] = await Promise.all([a.acquire('upload:1'), a.acquire('upload:1')]);
    expect([first, second].filter((r) => r !== null)).toHaveLength(1);
    expect(await a.held('upload:1')).toBe(true);
  });

  it('of two tabs claiming at once, exactly one takes it', async () => {
    fresh();
    const a = tab('a').locks;
    const b = tab('b').locks;
    const [ra, rb] = await Promise.all([b.acquire('upload:1'), a.acquire('upload:1')]);
    expect(ra).toBeNull();
    expect(rb).not.toBeNull();
    expect(await a.held('upload:1')).toBe(true);
  });

  it.each([0, 20, 60, 100])(
    "of two tabs claiming %i ms apart (inside the first's answer window), exactly one takes it (code review, session 44)",
    async (gapMs) => {
      for (const [first, second] of [
        ['a', 'b'],
        ['b', 'a'],
      ] as const) {
        fresh();
        const tabs = { a: tab('a').locks, b: tab('b').locks };
        const one = tabs[first].acquire('upload:1');
        await new Promise((resolve) => setTimeout(resolve, gapMs));
        const other = tabs[second].acquire('upload:1');
        const won = (await Promise.all([one, other])).filter((release) => release !== null);
        expect(won).toHaveLength(1);
      }
    },
  );

  it('a tab asking while another claims is told the lock is held', async () => {
    fresh();
    const a = tab('a').locks;
    const c = tab('c').locks;
    const claim = a.acquire('upload:1');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await c.held('upload:1')).toBe(true);
    expect(await claim).not.toBeNull();
  });

  it('a waiting tab takes the lock as soon as it is released, not at its next poll', async () => {
    fresh();
    const a = tab('a').locks;
    const b = tab('b').locks;
    const release = await a.acquire('upload:1');
    let taken = false;
    const waiting = b.wait('upload:1').then((r) => ((taken = true), r));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(taken).toBe(false);
    const released = Date.now();
    release!();
    const second = await waiting;
    expect(Date.now() - released).toBeLessThan(5_000); // pollMs is 10 s
    expect(await a.held('upload:1')).toBe(true);
    expect(await a.acquire('upload:1')).toBeNull();
    second();
  });

  it('a tab closed while holding a lock says nothing: a waiting tab takes it at its next poll', async () => {
    fresh();
    const gone = tab('a');
    const b = tab('b', { pollMs: 100 }).locks;
    expect(await gone.locks.acquire('upload:1')).not.toBeNull();
    let taken = false;
    const waiting = b.wait('upload:1').then((r) => ((taken = true), r));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(taken).toBe(false);
    gone.channel.close();
    expect(await waiting).toBeTypeOf('function');
  });

  it('stops waiting with the reason when aborted', async () => {
    fresh();
    const a = tab('a').locks;
    const b = tab('b').locks;
    await a.acquire('upload:1');
    const stop = new AbortController();
    const waiting = b.wait('upload:1', { signal: stop.signal });
    stop.abort(new Error('paused'));
    await expect(waiting).rejects.toThrow('paused');
    expect(await b.held('upload:1')).toBe(true);
  });
});
