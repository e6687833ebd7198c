import { describe, expect, it } from 'vitest';
import { FairScheduler } from './fair-scheduler.ts';

describe('FairScheduler', () => {
  it('gives a freed slot to the owner holding the fewest', async () => {
    const s = new FairScheduler(3);
    const a = await Promise.all([s.acquire('a'), s.acquire('a'), s.acquire('a')]);
    const granted: string[] = [];
    void s.acquire('a').then(() => granted.push('a'));
    void s.acquire('b').then(() => granted.push('b'));
    a[0]!();
    await Promise.resolve();
    expect(granted).toEqual(['b']);
    a[1]!();
    await Promise.resolve();
    expect(granted).toEqual(['b', 'a']);
    expect(s.active).toBe(3);
  });

  it('releases are idempotent and an aborted wait leaves the queue', async () => {
    const s = new FairScheduler(1);
    const release = await s.acquire('a');
    const controller = new AbortController();
    const waiting = s.acquire('b', { signal: controller.signal });
    controller.abort(new DOMException('stop', 'AbortError'));
    await expect(waiting).rejects.toThrow('stop');
    release();
    release();
    expect(s.active).toBe(0);
    await s.acquire('c');
    expect(s.active).toBe(1);
  });

  it('takes a new limit: raising it grants waiting slots at once, lowering it lets held slots finish', async () => {
    const s = new FairScheduler(1);
    const first = await s.acquire('a');
    const granted: string[] = [];
    void s.acquire('b').then(() => granted.push('b'));
    void s.acquire('c').then(() => granted.push('c'));
    s.setLimit(3);
    await Promise.resolve();
    expect(granted).toEqual(['b', 'c']);
    s.setLimit(1);
    expect(s.limit).toBe(1);
    expect(s.active).toBe(3);
    void s.acquire('d').then(() => granted.push('d'));
    first();
    await Promise.resolve();
    expect(granted).toEqual(['b', 'c']); // two still held, over the limit of one
    s.setLimit(0.5);
    expect(s.limit).toBe(1);
  });
});
