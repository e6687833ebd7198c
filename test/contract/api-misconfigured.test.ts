import { createServer as createHttpServer } from 'node:http';
import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HealthReport, StoreReachability } from '../../server/shared/api-types.ts';
import { SELF_TEST_TIMEOUT_MS } from '../../server/self-test.ts';
import { apiOver } from './api/harness.ts';
import { getTarget, type S3Target } from './support/target.ts';

/** A server pointed at the wrong bucket or given the wrong secret: every answer says which setting. */
let target: S3Target;

beforeAll(async () => {
  target = await getTarget();
});
afterAll(async () => {
  await target?.close();
});

const file = { name: 'a.txt', size: 10, type: 'text/plain', lastModified: 0 };

async function errorBody(res: Response) {
  return ((await res.json()) as { error: { code: string; message: string } }).error;
}

describe('a misconfigured server', () => {
  it('with a bucket that does not exist: health, listing and uploads name S3_BUCKET', async () => {
    const h = await apiOver({ ...target, bucket: `no-such-bucket-${Date.now()}` });
    const health = (await (await h.api.health.$get()).json()) as HealthReport;
    expect(health.ok).toBe(false);
    expect(health.checks.find((c) => c.name === 'bucket')?.message).toMatch(
      /does not exist .*check S3_BUCKET/,
    );

    const create = await h.api.uploads.$post({ json: file });
    expect(create.status).toBe(502);
    const error = await errorBody(create);
    expect(error.code).toBe('no-such-bucket');
    expect(error.message).toMatch(/^Uploads cannot start: bucket "no-such-bucket-\d+" does not exist/);

    const list = await h.api.objects.$get({ query: {} });
    expect(list.status).toBe(502);
    expect(await errorBody(list)).toMatchObject({
      code: 'no-such-bucket',
      message: expect.stringContaining('S3_BUCKET'),
    });

    // What the page asks when its PUTs get no answer (a 404 without CORS headers looks like none): the
    // store answers, so the page fails its file with this reason instead of waiting for ever.
    const probe = (await (await h.api.health.store.$get()).json()) as StoreReachability;
    expect(probe).toEqual({
      reachable: true,
      message: null,
      problem: { code: 'no-such-bucket', message: expect.stringMatching(/does not exist.*S3_BUCKET/) },
    });
  });

  it('with a store that takes connections and never answers (hung, or stopped with SIGSTOP): health says so', async () => {
    const held: Socket[] = [];
    const hung = createServer((socket) => void held.push(socket));
    await new Promise<void>((resolve) => hung.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = hung.address() as AddressInfo;
      // The server's own self-test limit: what a hung store is given up after.
      const h = await apiOver(
        { ...target, endpoint: `http://127.0.0.1:${port}` },
        {},
        {},
        { selfTestTimeoutMs: SELF_TEST_TIMEOUT_MS },
      );
      const health = (await (await h.api.health.$get()).json()) as HealthReport;
      expect(health.ok).toBe(false);
      const said = `Bucket "${target.bucket}" is not reachable: the store did not answer in time: check that it is running and not overloaded (or stopped), and S3_ENDPOINT.`;
      expect(health.checks.find((c) => c.name === 'bucket')?.message).toBe(said);
      // What the page asks when its part requests get no answer: down for the server too.
      const asked = held.length;
      const probe = (await (await h.api.health.store.$get()).json()) as StoreReachability;
      expect(probe).toEqual({ reachable: false, message: said, problem: null });
      expect(held.length).toBe(asked + 1); // one bucket check, given up after 5 s
      // Asked again as soon as that answer came (the part given up as overdue is tried again, and asks):
      // the answer just given, not another bucket check and another 5 s before the page says it waits.
      const again = (await (await h.api.health.store.$get()).json()) as StoreReachability;
      expect(again).toEqual(probe);
      expect(held.length).toBe(asked + 1);
    } finally {
      for (const socket of held) socket.destroy();
      hung.close();
    }
  }, 60_000);

  it.each([
    [404, 'HTTP 404 with no S3 error code'],
    [200, 'HTTP 200 that is no S3 bucket listing'],
  ])(
    'with an endpoint that answers %i but is no S3 API (a web page, a console on the wrong port): health says so, and the server is not ready',
    async (status, said) => {
      const web = createHttpServer((_req, res) => {
        res.writeHead(status, { 'content-type': 'text/html' });
        res.end('<html><body>Welcome</body></html>');
      });
      await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
      try {
        const { port } = web.address() as AddressInfo;
        const h = await apiOver({ ...target, endpoint: `http://127.0.0.1:${port}` });
        const health = (await (await h.api.health.$get()).json()) as HealthReport;
        expect(health.ok).toBe(false);
        expect(health.checks.find((c) => c.name === 'bucket')?.message).toBe(
          `Bucket "${target.bucket}" is not reachable: the endpoint does not answer as an S3 API (${said}): check that S3_ENDPOINT is the store's S3 address and port (not its web console or another service).`,
        );
        expect(health.checks.map((c) => c.name)).toEqual(['bucket']);
        // Not a store down for a moment: the page fails with the reason rather than wait.
        const probe = (await (await h.api.health.store.$get()).json()) as StoreReachability;
        expect(probe).toMatchObject({ reachable: true, problem: { code: 'store-error' } });
      } finally {
        web.close();
      }
    },
  );

  it('with https:// for a store that speaks plain http: health and listing say to start S3_ENDPOINT with http://', async () => {
    const h = await apiOver({ ...target, endpoint: target.endpoint.replace(/^http:/, 'https:') });
    const health = (await (await h.api.health.$get()).json()) as HealthReport;
    expect(health.checks.find((c) => c.name === 'bucket')?.message).toMatch(
      /does not speak https at this address \(EPROTO\): if it serves plain http, start S3_ENDPOINT with http:\/\//,
    );
    // A setting to fix, not an internal error, nor a store down for a moment.
    const list = await h.api.objects.$get({ query: {} });
    expect([list.status, await errorBody(list)]).toEqual([
      502,
      {
        code: 'store-error',
        message: expect.stringMatching(/^The object store cannot be used: .*http:\/\//),
      },
    ]);
  });

  it('with a store that answers: the page is told the server reaches it', async () => {
    const h = await apiOver(target);
    const probe = (await (await h.api.health.store.$get()).json()) as StoreReachability;
    expect(probe).toEqual({ reachable: true, message: null, problem: null });
  });

  it('with the wrong secret key: health, listing and uploads name S3_SECRET_ACCESS_KEY', async () => {
    const h = await apiOver({
      ...target,
      credentials: { ...target.credentials, secretAccessKey: 'not-the-secret-key-at-all-0000000000000' },
    });
    const health = (await (await h.api.health.$get()).json()) as HealthReport;
    expect(health.ok).toBe(false);
    // The bucket check is a listing, whose 403 names the error (a HEAD's has no body to).
    expect(health.checks.find((c) => c.name === 'bucket')?.message).toMatch(
      /\(SignatureDoesNotMatch\): check S3_SECRET_ACCESS_KEY/,
    );

    const create = await h.api.uploads.$post({ json: file });
    expect(create.status).toBe(502);
    expect(await errorBody(create)).toMatchObject({
      code: 'store-denied',
      message: expect.stringContaining('S3_SECRET_ACCESS_KEY'),
    });
    const list = await h.api.objects.$get({ query: {} });
    expect(list.status).toBe(502);
    expect(await errorBody(list)).toMatchObject({
      code: 'store-denied',
      message: expect.stringContaining('SignatureDoesNotMatch'),
    });
    const probe = (await (await h.api.health.store.$get()).json()) as StoreReachability;
    expect(probe).toMatchObject({ reachable: true, problem: { code: 'store-denied' } });
  });
});
