import { describe, expect, it } from 'vitest';
import { PageSession } from '../shared/session.ts';
import { ApiError } from './upload-api.ts';
import { UploadError } from './upload-error.ts';
import { drive, makeFile, settle, setup, until } from './testing/setup.ts';

const networkDown = () => new UploadError('network', 'Failed to fetch', { status: 0 });
const serverDown = () =>
  new ApiError('network', 0, 'The Hoist server cannot be reached. Check your connection.');
const signedOut = () =>
  new ApiError('unauthorized', 401, 'Sign in with the access token to use this server.');

describe('UploadManager: waiting for the connection or the Hoist server', () => {
  it('while offline, the row says it waits for the connection, with no stale speed or ETA', async () => {
    const h = setup({ partSize: 100, concurrency: 1 });
    const [id] = h.manager.add([{ file: makeFile('w.bin', 1000) }]);
    for (let i = 0; i < 3; i++) {
      const request = await h.transport.nextRequest();
      await h.clock.advance(1_000);
      request.respond();
    }
    await until(() => h.manager.get(id!)!.partsDone === 3);
    expect(h.manager.get(id!)!.bytesPerSecond).toBeGreaterThan(0);
    const request = await h.transport.nextRequest();
    h.online.set(false);
    request.fail(networkDown());
    await settle(20);
    expect(h.manager.get(id!)).toMatchObject({
      status: 'uploading',
      waiting: 'connection',
      bytesPerSecond: 0,
      etaSeconds: null,
      retrying: null,
    });
    expect(h.manager.getSnapshot().totals).toMatchObject({ bytesPerSecond: 0, etaSeconds: null });
    h.online.set(true);
    await settle(20);
    expect(h.manager.get(id!)!.waiting).toBeNull();
    await drive(h, () => h.manager.get(id!)?.status === 'done');
  });

  it('says it waits for the connection as soon as the browser is offline, even with a part hanging', async () => {
    const h = setup({ partSize: 100, concurrency: 1 });
    const [id] = h.manager.add([{ file: makeFile('h.bin', 300) }]);
    const hanging = await h.transport.nextRequest();
    h.online.set(false);
    await settle(5);
    expect(h.manager.get(id!)).toMatchObject({
      status: 'uploading',
      waiting: 'connection',
      etaSeconds: null,
    });
    h.online.set(true);
    await settle(5);
    expect(h.manager.get(id!)!.waiting).toBeNull();
    hanging.respond();
    await drive(h, () => h.manager.get(id!)?.status === 'done');
    expect(h.online.listenerCount).toBe(0);
  });

  it('keeps saying it waits for the connection when a part answered just before the link went', async () => {
    const h = setup({ partSize: 100, concurrency: 1 });
    const [id] = h.manager.add([{ file: makeFile('late.bin', 300) }]);
    const answered = await h.transport.nextRequest();
    h.online.set(false);
    await settle(5);
    answered.respond(); // its answer was on its way when the browser went offline
    await until(() => h.manager.get(id!)!.partsDone === 1);
    await settle(5);
    expect(h.manager.get(id!)!.waiting).toBe('connection');
    h.online.set(true);
    await settle(5);
    expect(h.manager.get(id!)!.waiting).toBeNull();
    await drive(h, () => h.manager.get(id!)?.status === 'done');
  });

  it('waits for a Hoist server that cannot be reached without spending retries, then goes on by itself', async () => {
    const h = setup({ partSize: 100, concurrency: 1, maxRetries: 0, random: () => 1 });
    // The server is restarting: every sign call fails for a while (a minute and more of backoff).
    h.api.fail('signParts', serverDown(), 12);
    const [id] = h.manager.add([{ file: makeFile('s.bin', 300) }]);
    await until(() => h.manager.get(id!)!.waiting === 'server');
    expect(h.manager.get(id!)).toMatchObject({ error: null, bytesPerSecond: 0, etaSeconds: null });
    while (h.api.count('signParts') <= 12) await h.clock.advance(5_000);
    await drive(h, () => h.manager.get(id!)?.status === 'done' || h.manager.get(id!)?.status === 'failed');
    expect(h.manager.get(id!)).toMatchObject({ status: 'done', waiting: null });
    expect(h.api.count('signParts')).toBeGreaterThan(12);
  });

  it('waits between tries no longer than 5 s, and gives up after serverWaitMs', async () => {
    const h = setup({ partSize: 100, maxRetries: 0, random: () => 0.999, serverWaitMs: 60_000 });
    h.api.fail('signParts', serverDown(), 1_000);
    const [id] = h.manager.add([{ file: makeFile('g.bin', 300) }]);
    await until(() => h.manager.get(id!)!.waiting === 'server');
    for (let i = 0; i < 20 && h.manager.get(id!)!.status !== 'failed'; i++) {
      await settle(20);
      expect(Math.min(...h.clock.pending)).toBeLessThanOrEqual(5_000);
      await h.clock.advance(5_000);
    }
    expect(h.manager.get(id!)).toMatchObject({ status: 'failed', error: { code: 'network' } });
    expect(h.clock.now() - 1_700_000_000_000).toBeGreaterThanOrEqual(60_000);
  });

  it('holds while the session is lost (401), parts kept and no retry spent, and goes on by itself once signed in again', async () => {
    const session = new PageSession();
    const h = setup({ partSize: 100, concurrency: 1, maxRetries: 0, session });
    // The access token changed: signing is refused, as every call until the user signs in.
    h.api.fail('signParts', signedOut(), 1);
    const [id] = h.manager.add([{ file: makeFile('t.bin', 300) }]);
    await until(() => h.manager.get(id!)!.waiting === 'sign-in');
    expect(session.isSignedIn()).toBe(false);
    await h.clock.advance(60_000);
    await settle(20);
    // Nothing asked meanwhile, nothing failed.
    expect(h.api.count('signParts')).toBe(1);
    expect(h.manager.get(id!)).toMatchObject({ waiting: 'sign-in', error: null });
    session.signedIn();
    // Every part sent; then Complete is refused (the session lost again): held, parts kept.
    h.api.fail('complete', signedOut(), 1);
    await drive(h, () => h.manager.get(id!)?.waiting === 'sign-in');
    expect(h.manager.get(id!)).toMatchObject({ status: 'completing', error: null, partsDone: 3 });
    session.signedIn();
    await drive(h, () => h.manager.get(id!)?.status === 'done' || h.manager.get(id!)?.status === 'failed');
    expect(h.manager.get(id!)).toMatchObject({ status: 'done', waiting: null, error: null });
    expect(h.api.count('complete')).toBe(2);
    expect(h.transport.requests).toHaveLength(3); // no part sent twice
  });

  it("a call answered 429 with Retry-After is asked again no sooner than it says, not at the backoff's pace", async () => {
    // The token guard answers every page behind one address 429 while someone there guesses tokens.
    const h = setup({ partSize: 100 });
    const tooMany = new ApiError(
      'too-many-attempts',
      429,
      'Too many wrong access tokens from your address.',
      {
        retryAfterMs: 30_000,
      },
    );
    h.api.fail('create', tooMany);
    const started = h.clock.now();
    const [id] = h.manager.add([{ file: makeFile('r.bin', 100) }]);
    await drive(h, () => h.api.count('create') === 2);
    expect(h.clock.now() - started).toBeGreaterThanOrEqual(30_000);
    await drive(h, () => h.manager.get(id!)?.status === 'done');
  });

  it('a create that cannot reach the server waits too, then goes on', async () => {
    const h = setup({ partSize: 100, maxRetries: 0, random: () => 1 });
    h.api.fail('create', serverDown(), 5);
    const [id] = h.manager.add([{ file: makeFile('c.bin', 100) }]);
    await until(() => h.manager.get(id!)!.waiting === 'server');
    expect(h.manager.get(id!)!.status).toBe('queued');
    await drive(h, () => h.manager.get(id!)?.status === 'done');
  });

  it('a create the server holds while the store hangs says it waits for the storage after 5 s, not just "Queued"', async () => {
    const h = setup({ partSize: 100, maxRetries: 0, random: () => 1 });
    const held = h.api.hold('create');
    const [id] = h.manager.add([{ file: makeFile('q.bin', 50) }]);
    const item = () => h.manager.get(id!)!;
    await held.reached;
    h.api.storeUp = false; // hung: the server's HeadBucket gets no answer either
    await h.clock.advance(4_000);
    await settle();
    expect(item()).toMatchObject({ status: 'queued', waiting: null });
    await h.clock.advance(1_000);
    await until(() => item().waiting === 'store');
    expect(item()).toMatchObject({ status: 'queued', error: null });
    // Back: said no longer, while the call is still out (nothing is sent twice).
    h.api.storeUp = true;
    await h.clock.advance(5_000);
    await until(() => item().waiting === null);
    expect(h.api.count('create')).toBe(1);
    held.release();
    await drive(h, () => item().status === 'done');
    expect(h.api.count('create')).toBe(1);
  });

  it('a create that is slow while the store answers the server says nothing more (a slow server is not a hang)', async () => {
    const h = setup({ partSize: 100, maxRetries: 0, random: () => 1 });
    const held = h.api.hold('create');
    const [id] = h.manager.add([{ file: makeFile('s.bin', 50) }]);
    await held.reached;
    for (let i = 0; i < 4; i++) await h.clock.advance(5_000);
    await settle();
    expect(h.manager.get(id!)).toMatchObject({ status: 'queued', waiting: null });
    expect(h.api.count('storeReachable')).toBeGreaterThan(0);
    held.release();
    await drive(h, () => h.manager.get(id!)!.status === 'done');
  });

  it('a part with no answer while the store is down for the server too waits for the store, spending no retry', async () => {
    const h = setup({ partSize: 100, concurrency: 2, maxRetries: 0, random: () => 1 });
    const [id] = h.manager.add([{ file: makeFile('w.bin', 300) }]);
    const item = () => h.manager.get(id!)!;
    await until(() => h.transport.unclaimed.length === 1);
    h.transport.claim()!.respond();
    await until(() => h.transport.unclaimed.length === 2);
    h.api.storeUp = false; // stopped: the server's HeadBucket gets no answer either
    for (const r of h.transport.takeAll()) r.fail(networkDown());
    await until(() => item().waiting === 'store');
    expect(item()).toMatchObject({ status: 'uploading', error: null, bytesPerSecond: 0, etaSeconds: null });
    const signsBefore = h.api.count('signParts');
    for (let i = 0; i < 6; i++) await h.clock.advance(10_000); // a minute down: still waiting
    await settle();
    expect(item()).toMatchObject({ status: 'uploading', waiting: 'store' });
    expect(h.transport.unclaimed).toHaveLength(0);
    h.api.storeUp = true;
    await h.clock.advance(10_000);
    await drive(h, () => item().status === 'done' || item().status === 'failed');
    expect(item()).toMatchObject({ status: 'done', waiting: null });
    // Sent again with freshly signed URLs.
    expect(h.api.count('signParts')).toBeGreaterThan(signsBefore);
  });

  it('a cancel whose abort gets no answer in time while the store hangs says it waits for the store, not the connection', async () => {
    const h = setup({ partSize: 100, concurrency: 1, maxRetries: 0, random: () => 1 });
    const [id] = h.manager.add([{ file: makeFile('x.bin', 300) }]);
    const item = () => h.manager.get(id!)!;
    await until(() => h.transport.unclaimed.length === 1);
    h.transport.claim()!.respond();
    await until(() => h.transport.unclaimed.length === 1);
    // The store hangs: the Hoist server waits on its abort, and the page's deadline passes first.
    h.api.storeUp = false;
    const timedOut = new ApiError(
      'network',
      0,
      'The Hoist server did not answer in time. Check your connection.',
      {
        cause: new DOMException('signal timed out', 'TimeoutError'),
      },
    );
    h.api.fail('abort', timedOut, 1);
    h.manager.cancel(id!);
    await until(() => item().waiting === 'store');
    expect(item().status).toBe('cancelling');
    expect(item().error?.message).toMatch(/object store does not answer the Hoist server/);
    expect(item().error?.message).not.toMatch(/connection/);
    h.api.storeUp = true;
    await h.clock.advance(10_000);
    await drive(h, () => item().status === 'cancelled');
    expect(item().waiting).toBeNull();
  });

  it('a part with no answer while the server reaches the store is retried as before (this path only)', async () => {
    const h = setup({ partSize: 100, concurrency: 1, maxRetries: 0 });
    const [id] = h.manager.add([{ file: makeFile('p.bin', 200) }]);
    await until(() => h.transport.unclaimed.length === 1);
    h.transport.claim()!.fail(networkDown());
    await until(() => h.manager.get(id!)!.status === 'failed');
    expect(h.manager.get(id!)!.error).toMatchObject({ code: 'network' });
    expect(h.api.count('storeReachable')).toBe(1);
  });

  it('a part with no answer while the store refuses the server (bucket deleted) fails at once with its reason', async () => {
    const h = setup({ partSize: 100, concurrency: 1 });
    const [id] = h.manager.add([{ file: makeFile('b.bin', 300) }]);
    await until(() => h.transport.unclaimed.length === 1);
    h.transport.claim()!.respond();
    await until(() => h.transport.unclaimed.length === 1);
    // The bucket was deleted: S3's 404 to the PUT has no CORS headers, so the browser reads no answer.
    const message =
      'The object store refused the request: bucket "b" does not exist (NoSuchBucket): check S3_BUCKET, or create the bucket.';
    h.api.storeProblem = { code: 'no-such-bucket', message };
    h.transport.claim()!.fail(networkDown());
    await until(() => h.manager.get(id!)!.status === 'failed');
    expect(h.manager.get(id!)).toMatchObject({ waiting: null, error: { code: 'no-such-bucket', message } });
    expect(h.transport.requests).toHaveLength(2); // no retry spent on it
  });

  it('a part long past its expected time asks whether the store answers, and waits for it at once if not', async () => {
    const MiB = 1024 * 1024;
    const h = setup({ partSize: MiB, concurrency: 1, maxRetries: 0, random: () => 1 });
    const [id] = h.manager.add([{ file: makeFile('hang.bin', 3 * MiB) }]);
    const item = () => h.manager.get(id!)!;
    await until(() => h.transport.unclaimed.length === 1);
    await h.clock.advance(1_000); // 1 MiB in 1 s: the link is measured
    h.transport.claim()!.respond();
    await until(() => h.transport.unclaimed.length === 1);
    // Part 2 hangs (the store was stopped with SIGSTOP): expected in 1 s, asked about at 2 + 5 s,
    // long before the stall deadline (a minute and more).
    h.api.storeUp = false;
    const hung = h.transport.claim()!;
    await h.clock.advance(6_000);
    await settle();
    expect(h.api.count('storeReachable')).toBe(0);
    expect(item().waiting).toBeNull();
    await h.clock.advance(2_000);
    await until(() => item().waiting === 'store');
    expect(hung.aborted).toBe(true);
    expect(item()).toMatchObject({ status: 'uploading', error: null });
    h.api.storeUp = true;
    await h.clock.advance(10_000);
    await drive(h, () => item().status === 'done' || item().status === 'failed');
    expect(item()).toMatchObject({ status: 'done', waiting: null });
  });

  it('a part past its expected time on a store that still answers goes on (a slow link is not a stall)', async () => {
    const MiB = 1024 * 1024;
    const h = setup({ partSize: MiB, concurrency: 1, maxRetries: 0 });
    const [id] = h.manager.add([{ file: makeFile('slow.bin', 2 * MiB) }]);
    await until(() => h.transport.unclaimed.length === 1);
    await h.clock.advance(1_000);
    h.transport.claim()!.respond();
    await until(() => h.transport.unclaimed.length === 1);
    const slow = h.transport.claim()!;
    await h.clock.advance(40_000); // asked about twice: the store answers
    await settle();
    expect(h.api.count('storeReachable')).toBeGreaterThanOrEqual(2);
    expect(slow.aborted).toBe(false);
    slow.respond();
    await drive(h, () => h.manager.get(id!)?.status === 'done');
  });

  describe('an API call the server answers "store unreachable" waits for the store, spending no retry', () => {
    /** A minute of the store down: the row waits for it (never failed), then the upload goes on. */
    async function outage(h: ReturnType<typeof setup>, id: string, status: string): Promise<void> {
      const item = () => h.manager.get(id)!;
      await until(() => item().waiting === 'store');
      for (let i = 0; i < 12; i++) {
        await h.clock.advance(5_000);
        await settle();
        expect(item()).toMatchObject({ status, waiting: 'store', error: null });
      }
      h.api.storeUp = true;
      await h.clock.advance(5_000);
      await drive(h, () => item().status === 'done' || item().status === 'failed');
      expect(item()).toMatchObject({ status: 'done', waiting: null, error: null });
    }

    it('create', async () => {
      const h = setup({ partSize: 100 });
      h.api.storeUp = false;
      h.api.failWhileStoreDown('create');
      const [id] = h.manager.add([{ file: makeFile('c.bin', 50) }]);
      await until(() => h.manager.get(id!)!.waiting === 'store');
      const calls = h.api.count('create'); // the ones refused so far: asked again once the store is back
      await outage(h, id!, 'queued');
      expect(h.api.count('create')).toBeGreaterThan(calls);
      expect(h.api.count('storeReachable')).toBeGreaterThan(1);
    });

    it('Complete', async () => {
      const h = setup({ partSize: 100 });
      h.api.storeUp = false;
      h.api.failWhileStoreDown('complete');
      const [id] = h.manager.add([{ file: makeFile('m.bin', 300) }]);
      while (h.api.count('complete') === 0) {
        await settle();
        const request = h.transport.claim();
        if (request) request.respond();
        else await new Promise((resolve) => setTimeout(resolve, 1));
      }
      await outage(h, id!, 'completing');
    });

    it('the abort of "Keep both" for a name taken while the parts went up: the row says it waits', async () => {
      const h = setup({ partSize: 100, maxActiveFiles: 1 });
      const [x] = h.manager.add([{ file: makeFile('x.bin', 350) }]);
      await until(() => h.api.count('create') === 1);
      h.api.existingKeys.add('x.bin'); // written by someone else while x's parts go up
      await drive(h, () => h.manager.get(x!)?.status === 'conflict');
      h.api.storeUp = false;
      h.api.failWhileStoreDown('abort');
      h.manager.resolveAllConflicts('keep-both');
      await outage(h, x!, 'cancelling');
      expect(h.manager.get(x!)).toMatchObject({ key: 'x.bin (1)' });
    });

    it('ListParts', async () => {
      const h = setup({ partSize: 100, concurrency: 1 });
      const [id] = h.manager.add([{ file: makeFile('l.bin', 300) }]);
      await until(() => h.transport.unclaimed.length === 1);
      h.transport.claim()!.respond();
      await until(() => h.manager.get(id!)!.partsDone === 1);
      h.manager.pause(id!);
      await settle();
      h.api.storeUp = false;
      h.api.failWhileStoreDown('listParts');
      h.manager.resume(id!);
      await until(() => h.api.count('listParts') > 0);
      await outage(h, id!, 'queued');
    });
  });
});
