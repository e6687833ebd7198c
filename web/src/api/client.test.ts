import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../transfer/upload/upload-api.ts';
import { unwrap, withDeadline } from './client.ts';

// A server that takes the request and never answers: what a half-open connection looks like to fetch.
let server: Server;
let url: string;
beforeAll(async () => {
  server = createServer(() => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/uploads/complete`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('withDeadline', () => {
  it('turns a call that never gets an answer into a network failure the engines retry', async () => {
    const error = await unwrap(fetch(url, { method: 'POST', signal: withDeadline(150) })).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: 'network', status: 0 });
    expect((error as Error).message).toMatch(/did not answer in time/);
  });

  it("keeps the caller's cancel an abort, not a failure", async () => {
    const caller = new AbortController();
    const call = unwrap(fetch(url, { method: 'POST', signal: withDeadline(60_000, caller.signal) }));
    setTimeout(() => caller.abort(new DOMException('Cancelled', 'AbortError')), 50);
    await expect(call).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('takes an answer whose body breaks off for no answer, not for an empty success', async () => {
    const halfway = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('{"parts":['); // and nothing more
    });
    await new Promise<void>((resolve) => halfway.listen(0, '127.0.0.1', resolve));
    const port = (halfway.address() as AddressInfo).port;
    try {
      const error = await unwrap(fetch(`http://127.0.0.1:${port}/`, { signal: withDeadline(300) })).catch(
        (e: unknown) => e,
      );
      expect(error).toMatchObject({ code: 'network', status: 0 });
    } finally {
      halfway.closeAllConnections();
      halfway.close();
    }
  });

  describe('in a browser without AbortSignal.any (code review, session 44)', () => {
    const any = AbortSignal.any;
    beforeAll(() => {
      (AbortSignal as { any?: unknown }).any = undefined;
    });
    afterAll(() => {
      AbortSignal.any = any;
    });

    it('still gives up on a call that never gets an answer', async () => {
      const caller = new AbortController();
      const error = await unwrap(
        fetch(url, { method: 'POST', signal: withDeadline(150, caller.signal) }),
      ).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'network', status: 0 });
      expect((error as Error).message).toMatch(/did not answer in time/);
    });

    it("keeps the caller's cancel an abort", async () => {
      const caller = new AbortController();
      const call = unwrap(fetch(url, { method: 'POST', signal: withDeadline(60_000, caller.signal) }));
      setTimeout(() => caller.abort(new DOMException('Cancelled', 'AbortError')), 50);
      await expect(call).rejects.toMatchObject({ name: 'AbortError' });
    });
  });

  it('answers within the deadline as before', async () => {
    const answering = createServer((_req, res) => res.end(JSON.stringify({ ok: 1 })));
    await new Promise<void>((resolve) => answering.listen(0, '127.0.0.1', resolve));
    const port = (answering.address() as AddressInfo).port;
    try {
      await expect(
        unwrap(fetch(`http://127.0.0.1:${port}/`, { signal: withDeadline(5_000) })),
      ).resolves.toEqual({ ok: 1 });
    } finally {
      answering.close();
    }
  });
});
