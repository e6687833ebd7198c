import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { BodyIdleError, idleLimited } from './body-idle.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function collect(
  source: Readable,
  ms: number,
  eachChunk: () => Promise<unknown> = async () => {},
): Promise<string> {
  let text = '';
  for await (const chunk of idleLimited(source, ms)) {
    text += chunk.toString();
    await eachChunk();
  }
  return text;
}

describe('idleLimited', () => {
  it('destroys a body that stops arriving, with a BodyIdleError', async () => {
    const body = new PassThrough();
    body.write('first bytes');
    const started = Date.now();
    await expect(collect(body, 100)).rejects.toBeInstanceOf(BodyIdleError);
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
    expect(body.destroyed).toBe(true);
  });

  it('never cuts a slow body that still moves, however long it takes in all', async () => {
    const body = new PassThrough();
    const sending = (async () => {
      // 10 × 40 ms: 400 ms in all, past the 250 ms idle limit, which leaves a busy machine room.
      for (let i = 0; i < 10; i++) {
        body.write(String(i));
        await sleep(40);
      }
      body.end();
    })();
    expect(await collect(body, 250)).toBe('0123456789');
    await sending;
  });

  it('counts only the wait for bytes, not the time the store takes with a chunk', async () => {
    expect(await collect(Readable.from(['a', 'b', 'c']), 50, () => sleep(120))).toBe('abc');
  });
});
