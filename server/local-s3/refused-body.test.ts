import { mkdtemp, rm } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalS3, type LocalS3 } from './index.ts';
import { refusedBody } from './server.ts';

// Requests the store refuses before reading their body (here: no signature, which anyone can send).

let dir: string;
let store: LocalS3;
let port: number;
const saved = { ...refusedBody };
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hoist-refused-'));
  store = await startLocalS3({
    dataDir: dir,
    port: 0,
    credentials: { accessKeyId: 'TESTKEY0000000000000', secretAccessKey: 'x'.repeat(40) },
    buckets: ['bucket'],
  });
  port = Number(new URL(store.endpoint).port);
  Object.assign(refusedBody, { idleMs: 300, maxMs: 1_500 });
});
afterAll(async () => {
  Object.assign(refusedBody, saved);
  await store?.close();
  await rm(dir, { recursive: true, force: true });
});

/** Sends `head` on a new connection; resolves with all it got back once the store closes it. */
function exchange(head: string, trickle?: { every: number }) {
  const socket: Socket = connect(port, '127.0.0.1');
  let got = '';
  socket.on('data', (chunk) => (got += chunk.toString()));
  socket.write(head);
  const dripping = trickle ? setInterval(() => socket.write('x'), trickle.every) : undefined;
  const closed = new Promise<string>((resolve) =>
    socket.on('close', () => {
      clearInterval(dripping);
      resolve(got);
    }),
  );
  return { socket, closed, got: () => got };
}

const PUT = (length: number) =>
  `PUT /bucket/k HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Length: ${length}\r\n\r\n`;

describe('a request refused before its body', () => {
  it('whose body never comes is answered and its connection closed, not held for good', async () => {
    const { closed } = exchange(PUT(100_000));
    const answer = await closed;
    expect(answer).toMatch(/^HTTP\/1\.1 403/);
    expect(answer).toMatch(/\r\nconnection: close\r\n/i);
    expect(answer).toContain('<Code>AccessDenied</Code>');
  });

  it('whose body trickles in (a byte now and then) is not waited out either', async () => {
    const started = Date.now();
    const { closed } = exchange(PUT(100_000), { every: 100 });
    expect(await closed).toMatch(/^HTTP\/1\.1 403/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(refusedBody.maxMs - 100);
  });

  it('whose body comes whole is answered on a connection kept open for the next request', async () => {
    const { socket, got } = exchange(`${PUT(5)}hello`);
    await expect.poll(got).toMatch(/^HTTP\/1\.1 403/);
    expect(got()).not.toMatch(/connection: close/i);
    socket.write(`GET /bucket/k HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
    await expect.poll(() => got().match(/HTTP\/1\.1 403/g)?.length).toBe(2);
    socket.destroy();
  });
});
