import { describe, expect, it } from 'vitest';
import { MemoryJournal } from './journal.ts';
import { ApiError } from './upload-api.ts';
import { UploadError } from './upload-error.ts';
import { drive, makeFile, settle, setup, until } from './testing/setup.ts';

describe('UploadManager: upload tokens that slide and expire', () => {
  it('a long upload takes the refreshed token each sign gives, so it completes long after the first would have run out', async () => {
    const journal = new MemoryJournal();
    const h = setup({ partSize: 100, concurrency: 1, signBatchSize: 2, journal });
    h.api.tokenTtlMs = 10_000;
    const [id] = h.manager.add([{ file: makeFile('long.bin', 800) }]);
    for (let part = 1; part <= 8; part++) {
      const request = await h.transport.nextRequest();
      await h.clock.advance(4_000); // 32 s in all, the token lasts 10 s from its last refresh
      request.respond();
    }
    await drive(h, () => !['uploading', 'completing'].includes(h.manager.get(id!)!.status));
    expect(h.manager.get(id!)).toMatchObject({ status: 'done', error: null });
    const completeToken = h.api.calls.find((c) => c.method === 'complete')!.args[0] as string;
    expect(completeToken).not.toBe('tok1'); // the one create gave
    // Refreshed by a sign well after the first token ran out (the parts after it keep it going).
    expect(h.api.tokens.get(completeToken)!.expiresAt).toBeGreaterThan(
      h.api.tokens.get('tok1')!.expiresAt + 10_000,
    );
  });

  it('journals the refreshed token, so a resume after a reload uses the newest one', async () => {
    const journal = new MemoryJournal();
    const first = setup({ partSize: 100, concurrency: 1, signBatchSize: 1, journal });
    first.api.tokenTtlMs = 10_000;
    first.manager.add([{ file: makeFile('j.bin', 500, 3) }]);
    for (let part = 1; part <= 3; part++) {
      const request = await first.transport.nextRequest();
      await first.clock.advance(4_000);
      request.respond();
    }
    await settle(20);
    first.manager.destroy();
    const [record] = await journal.list();
    expect(record!.token).not.toBe('tok1');
    expect(record!.expiresAt).toBeGreaterThan(first.clock.now());

    const second = setup({ partSize: 100, concurrency: 1, journal, after: first });
    const [id] = second.manager.add([{ file: makeFile('j.bin', 500, 3) }]);
    // No time passes until it has decided (drive() would let the record expire while the file's
    // sample is hashed, on a busy machine).
    await until(() => second.manager.get(id!)!.resumed || second.api.count('create') > 0);
    // No time passes at all: the record's token runs out a few seconds on, and nothing here waits.
    await drive(second, () => second.manager.get(id!)?.status === 'done', 5_000, 0);
    expect(second.manager.get(id!)).toMatchObject({ resumed: true });
    expect(second.api.count('create')).toBe(1);
  });
});

describe('UploadManager: unfinished uploads that expired', () => {
  /** A journal record of an upload left with two of five parts sent, its token lasting `ttl` ms. */
  async function leftBehind(ttl: number) {
    const journal = new MemoryJournal();
    const first = setup({ partSize: 100, concurrency: 1, journal });
    first.api.tokenTtlMs = ttl;
    first.manager.add([{ file: makeFile('left.bin', 500, 9) }]);
    (await first.transport.nextRequest()).respond();
    (await first.transport.nextRequest()).respond();
    await settle(20);
    first.manager.destroy();
    return { journal, first, record: (await journal.list())[0]! };
  }

  it('does not list an unfinished upload whose token has expired, and forgets it', async () => {
    const { journal, first } = await leftBehind(10_000);
    const second = setup({ partSize: 100, journal, after: first });
    expect(await second.manager.listResumable()).toHaveLength(1);
    await first.clock.advance(10_000);
    expect(await second.manager.listResumable()).toEqual([]);
    expect(await journal.list()).toEqual([]);
  });

  it('the same file picked again after its unfinished upload expired starts over, even when the journal cannot forget it', async () => {
    const { journal, first } = await leftBehind(10_000);
    await first.clock.advance(10_000);
    journal.delete = () => Promise.reject(new Error('IndexedDB is gone'));
    const second = setup({ partSize: 100, journal, after: first });
    const [id] = second.manager.add([{ file: makeFile('left.bin', 500, 9) }]);
    await drive(second, () => ['done', 'failed'].includes(second.manager.get(id!)!.status));
    expect(second.manager.get(id!)).toMatchObject({
      status: 'done',
      note: 'The unfinished upload had expired, so it started again from the beginning.',
    });
  });

  it('discarding one the server says has expired (410) removes it, saying the server cleans it up', async () => {
    const { journal, first, record } = await leftBehind(10_000);
    const second = setup({ partSize: 100, journal, after: first });
    // The page's clock is behind the server's: the record looks valid, the server says 410.
    second.api.fail('abort', new ApiError('token-expired', 410, 'This upload has expired; start it again.'));
    const { note } = await second.manager.discard(record.id);
    expect(note).toMatch(/had expired; the server removes what was sent of it by itself/);
    expect(await journal.list()).toEqual([]);
  });

  it('discarding when the server cannot be reached still removes it, and says so', async () => {
    const { journal, first, record } = await leftBehind(10_000);
    const second = setup({ partSize: 100, journal, after: first, maxRetries: 0 });
    second.api.fail('abort', new ApiError('network', 0, 'Failed to fetch'));
    const { note } = await second.manager.discard(record.id);
    expect(note).toMatch(/^Discarded here, but the server could not be told.*Failed to fetch/);
    expect(await journal.list()).toEqual([]);
  });
});

describe('UploadManager: a paused or failed upload that expired', () => {
  /** Paused after 2 of 4 parts; `meanwhile` is what happened on the server; then resumed until it settles. */
  async function pausedThenResumed(meanwhile: (h: ReturnType<typeof setup>) => Promise<void> | void) {
    const h = setup({ partSize: 100, concurrency: 1, journal: new MemoryJournal() });
    h.api.tokenTtlMs = 10_000;
    const [id] = h.manager.add([{ file: makeFile('paused.bin', 400) }]);
    (await h.transport.nextRequest()).respond();
    (await h.transport.nextRequest()).respond();
    await until(() => h.manager.get(id!)!.partsDone === 2);
    h.manager.pause(id!);
    await meanwhile(h);
    const before = h.transport.requests.length;
    h.manager.resume(id!);
    await drive(
      h,
      () => !['queued', 'hashing', 'uploading', 'completing'].includes(h.manager.get(id!)!.status),
    );
    return { item: h.manager.get(id!)!, h, sentAfter: h.transport.requests.slice(before) };
  }

  it.each([
    [
      'its token expired (paused for longer than the server keeps an idle upload)',
      (h: ReturnType<typeof setup>) => h.clock.advance(60_000),
      'The unfinished upload had expired, so it started again from the beginning.',
    ],
    [
      // The janitor goes by the last part received, the token by the last sign call: a sign after the
      // last part leaves a token that outlives the upload by up to one part's time.
      'the server removed it while its token still held (404)',
      (h: ReturnType<typeof setup>) =>
        h.api.fail('listParts', new ApiError('no-such-upload', 404, 'This upload no longer exists.')),
      'The unfinished upload was no longer on the server, so it started again from the beginning.',
    ],
    [
      'the server changed its HOIST_SECRET (the token is refused as foreign)',
      (h: ReturnType<typeof setup>) =>
        h.api.fail('listParts', new ApiError('token-bad-signature', 403, 'Not issued by this server.')),
      'The server no longer accepts the unfinished upload (its HOIST_SECRET changed), so it started again from the beginning.',
    ],
  ])(
    'resumed after %s, it starts again from the beginning by itself and says so',
    async (_, meanwhile, note) => {
      const { item, h, sentAfter } = await pausedThenResumed(meanwhile);
      expect(item).toMatchObject({ status: 'done', error: null, note });
      expect(h.api.count('create')).toBe(2);
      expect(sentAfter.map((r) => r.part.partNumber)).toEqual([1, 2, 3, 4]);
    },
  );

  it('cancelled after the server changed its HOIST_SECRET: cancelled here at once, saying the server cleans up', async () => {
    const h = setup({ partSize: 100, concurrency: 1 });
    const [id] = h.manager.add([{ file: makeFile('secret-cancel.bin', 400) }]);
    (await h.transport.nextRequest()).respond();
    await until(() => h.manager.get(id!)!.partsDone === 1);
    h.manager.pause(id!);
    h.api.fail(
      'abort',
      new ApiError('token-bad-signature', 403, 'The upload token was not issued by this server.'),
    );
    h.manager.cancel(id!);
    await drive(h, () => h.manager.get(id!)!.status !== 'cancelling');
    expect(h.manager.get(id!)).toMatchObject({
      status: 'cancelled',
      note: expect.stringMatching(/HOIST_SECRET changed.*removes what was sent/),
    });
  });

  it('a part refused with NoSuchUpload fails the file; Retry starts it again instead of failing the same way', async () => {
    const h = setup({ partSize: 100, concurrency: 1, maxRetries: 0 });
    const [id] = h.manager.add([{ file: makeFile('aborted.bin', 300) }]);
    (await h.transport.nextRequest()).respond();
    (await h.transport.nextRequest()).fail(
      new UploadError('no-such-upload', 'The upload no longer exists on the server.', { status: 404 }),
    );
    await until(() => h.manager.get(id!)!.status === 'failed');
    h.api.fail(
      'listParts',
      new ApiError('no-such-upload', 404, 'This upload no longer exists on the server.'),
    );
    h.manager.retry(id!);
    await drive(
      h,
      () => !['queued', 'hashing', 'uploading', 'completing'].includes(h.manager.get(id!)!.status),
    );
    expect(h.manager.get(id!)).toMatchObject({ status: 'done', bytesUploaded: 300 });
    expect(h.api.count('create')).toBe(2);
  });

  it('a failed upload whose token expired meanwhile: Retry starts it again instead of failing with 410', async () => {
    const h = setup({ partSize: 100, concurrency: 1, maxRetries: 0 });
    h.api.tokenTtlMs = 10_000;
    const [id] = h.manager.add([{ file: makeFile('failed.bin', 300) }]);
    (await h.transport.nextRequest()).respond();
    (await h.transport.nextRequest()).fail(new UploadError('http-5xx', 'Internal error', { status: 500 }));
    await until(() => h.manager.get(id!)!.status === 'failed');
    await h.clock.advance(60_000);
    h.manager.retry(id!);
    await drive(
      h,
      () => !['queued', 'hashing', 'uploading', 'completing'].includes(h.manager.get(id!)!.status),
    );
    expect(h.manager.get(id!)).toMatchObject({ status: 'done', bytesUploaded: 300 });
    expect(h.api.count('create')).toBe(2);
  });

  describe('a Pause or Cancel while it is asked whether a gone upload was completed before stands', () => {
    /** Complete failed; then the server lost the upload; Retry asks the server about it (held). */
    async function askingAboutGone() {
      const h = setup({ partSize: 100, maxRetries: 0 });
      const [id] = h.manager.add([{ file: makeFile('gone.bin', 300) }]);
      h.api.fail('complete', new ApiError('http-500', 500, 'Internal error'));
      await drive(h, () => h.manager.get(id!)!.status === 'failed');
      // Meanwhile the upload was aborted on the server (another tool, a lifecycle rule).
      h.api.uploads.clear();
      const held = h.api.hold('complete');
      h.manager.retry(id!);
      await held.reached;
      return { h, id: id! };
    }

    it('Pause: it stays paused, nothing created or sent; Resume starts it over', async () => {
      const { h, id } = await askingAboutGone();
      h.manager.pause(id);
      await settle(50);
      expect(h.manager.get(id)).toMatchObject({ status: 'paused', note: null });
      expect(h.api.count('create')).toBe(1);
      expect(h.transport.unclaimed).toHaveLength(0);
      h.manager.resume(id);
      await drive(
        h,
        () => !['queued', 'hashing', 'uploading', 'completing'].includes(h.manager.get(id)!.status),
      );
      expect(h.manager.get(id)).toMatchObject({ status: 'done' });
      expect(h.api.count('create')).toBe(2);
    });

    it('Cancel: it is cancelled, not started again from the beginning', async () => {
      const { h, id } = await askingAboutGone();
      h.manager.cancel(id);
      await drive(h, () => h.manager.get(id)!.status !== 'cancelling');
      await settle(50);
      expect(h.manager.get(id)).toMatchObject({ status: 'cancelled', note: null });
      expect(h.api.count('create')).toBe(1);
      expect(h.transport.requests).toHaveLength(3);
    });
  });
});
