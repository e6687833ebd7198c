import { describe, expect, it, vi } from 'vitest';
import { hashBlob, inThreadHasher, type Hasher } from '../shared/hasher.ts';
import { MemoryJournal, type UploadRecord } from './journal.ts';
import { ApiError } from './upload-api.ts';
import { UploadError } from './upload-error.ts';
import { cancelledByCancelAll } from './upload-state.ts';
import { drive, makeFile, settle, setup, statuses, until } from './testing/setup.ts';

describe('UploadManager: the basic flow', () => {
  it('uploads every part once and completes with the parts in order, whatever order they finish in', async () => {
    const h = setup({ partSize: 1000 });
    const file = makeFile('a.bin', 3500);
    const [id] = h.manager.add([{ file }]);
    // Slow start: one part, then the rest once S3 confirmed it.
    await until(() => h.transport.unclaimed.length === 1);
    const first = h.transport.takeAll();
    first[0]!.respond();
    await until(() => h.transport.unclaimed.length === 3);
    const rest = h.transport.takeAll();
    rest[1]!.respond(); // part 3 finishes first, then 4, then 2
    rest[2]!.respond();
    rest[0]!.respond();
    const requests = [...first, ...rest];
    expect(requests.map((r) => r.part.partNumber)).toEqual([1, 2, 3, 4]);
    await drive(h, () => h.manager.get(id!)?.status === 'done');

    const [, parts] = h.api.calls.find((c) => c.method === 'complete')!.args as [
      string,
      { partNumber: number; etag: string; checksum: string }[],
    ];
    expect(parts.map((p) => p.partNumber)).toEqual([1, 2, 3, 4]);
    const upload = [...h.api.uploads.values()][0]!;
    expect(parts.map((p) => p.etag)).toEqual([1, 2, 3, 4].map((n) => upload.parts.get(n)!.etag));
    expect(requests.map((r) => r.body.size).sort()).toEqual([1000, 1000, 1000, 500]);
    expect(parts[3]!.checksum).toBe(await hashBlob(file.slice(3000), 'CRC32'));
    const item = h.manager.get(id!)!;
    expect(item).toMatchObject({ status: 'done', bytesUploaded: 3500, partsDone: 4, key: 'a.bin' });
    expect(h.api.count('complete')).toBe(1);
  });

  it('starts a file with one part in flight, and all of them once S3 confirmed it (slow start)', async () => {
    const h = setup({ partSize: 100, concurrency: 6 });
    h.manager.add([{ file: makeFile('slow.bin', 3000) }]);
    const widths: number[] = [];
    for (let round = 0; round < 4; round++) {
      await settle(20);
      widths.push(h.transport.inFlight.size);
      h.transport.claim()!.respond();
    }
    expect(widths).toEqual([1, 6, 6, 6]);
  });

  it("sends the page's first part alone across all files, then one part of each file at once (slow start across files)", async () => {
    // Six files at once on an unmeasured link: six first parts sharing it all came through together
    // after six parts' time, and until then nothing moved and no rate was known.
    const h = setup({ partSize: 100, concurrency: 6 });
    const names = ['a', 'b', 'c', 'd', 'e', 'f'];
    const ids = h.manager.add(names.map((n) => ({ file: makeFile(`${n}.bin`, 300) })));
    const inFlight = () =>
      [...h.transport.inFlight]
        .map((r) => `${decodeURIComponent(new URL(r.part.url).pathname.slice(1))}#${r.part.partNumber}`)
        .sort();
    await until(() => h.transport.inFlight.size === 1);
    // However long the first part takes (a slow link), no other starts beside it.
    for (let i = 0; i < 10; i++) await h.clock.advance(1000);
    await settle(20);
    expect(inFlight()).toEqual(['a.bin#1']);
    h.transport.claim()!.respond();
    // Then the paced concurrency, shared fairly: each file's first part, none of a's second yet.
    await until(() => h.transport.inFlight.size === 6);
    await settle(20);
    expect(inFlight()).toEqual(['a.bin#2', ...names.slice(1).map((n) => `${n}.bin#1`)]);
    await drive(h, () => ids.every((id) => h.manager.get(id)?.status === 'done'));
    expect(h.transport.maxInFlight).toBe(6);
  });

  it('does not start over once a part went through: a file picked later starts beside the others', async () => {
    const h = setup({ partSize: 100, concurrency: 6 });
    h.manager.add([{ file: makeFile('first.bin', 1000) }]);
    (await h.transport.nextRequest()).respond();
    await until(() => h.transport.inFlight.size === 6);
    h.manager.add([{ file: makeFile('later.bin', 300) }]);
    h.transport.claim()!.respond();
    await until(() =>
      [...h.transport.inFlight].some((r) => r.part.url.includes('later.bin') && r.part.partNumber === 1),
    );
    expect(h.transport.inFlight.size).toBe(6);
  });

  it('sends the part checksum in the signed headers and asks for URLs in batches', async () => {
    const h = setup({ partSize: 100, signBatchSize: 8, concurrency: 2 });
    const [id] = h.manager.add([{ file: makeFile('b.bin', 2000) }]);
    await drive(h, () => h.manager.get(id!)?.status === 'done');
    const batches = h.api.calls
      .filter((c) => c.method === 'signParts')
      .map((c) => (c.args[1] as { partNumber: number }[]).map((p) => p.partNumber));
    expect(batches[0]).toEqual([1]);
    expect(batches.slice(1).every((b) => b.length <= 8)).toBe(true);
    expect(batches.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(h.transport.requests.every((r) => r.part.headers['x-amz-checksum-crc32'])).toBe(true);
  });

  it('keeps a whole batch of signed URLs ahead of the part being sent', async () => {
    const h = setup({ partSize: 100, signBatchSize: 4, concurrency: 1 });
    h.manager.add([{ file: makeFile('ahead.bin', 2000) }]);
    const signedUpTo = () =>
      Math.max(
        0,
        ...h.api.calls
          .filter((c) => c.method === 'signParts')
          .flatMap((c) => (c.args[1] as { partNumber: number }[]).map((p) => p.partNumber)),
      );
    for (let part = 1; part <= 12; part++) {
      await until(() => h.transport.unclaimed.length === 1);
      await settle(20);
      expect(h.transport.unclaimed[0]!.part.partNumber).toBe(part);
      // Right after part 1, half a batch (parts 2 and 3), so part 2 waits for fewer hashes; from then
      // on, fewer than a batch unused → the next batch is asked for while this part is in flight.
      if (part === 1) expect(signedUpTo()).toBe(3);
      else expect(signedUpTo()).toBeGreaterThanOrEqual(Math.min(20, part + 4));
      h.transport.claim()!.respond();
    }
  });

  it("uploads a 'single' plan as part 1 through the same path, with no Complete call (the PUT's 200 is the proof)", async () => {
    const h = setup({ partSize: 1000 });
    const [id] = h.manager.add([{ file: makeFile('small.txt', 10) }]);
    await drive(h, () => h.manager.get(id!)?.status === 'done');
    expect(h.transport.requests).toHaveLength(1);
    expect(h.transport.requests[0]!.part.partNumber).toBe(1);
    expect(h.api.count('complete')).toBe(0);
  });

  it('goes through hashing → uploading → completing → done', async () => {
    const h = setup({ partSize: 1000 });
    const hold = h.api.hold('complete');
    const [id] = h.manager.add([{ file: makeFile('c.bin', 2500) }]);
    await settle(20);
    expect(h.manager.get(id!)!.status).toBe('uploading');
    await drive(h, () => h.api.count('complete') === 1);
    await hold.reached;
    await h.clock.advance(100);
    expect(h.manager.get(id!)!.status).toBe('completing');
    hold.release();
    await settle();
    await h.clock.advance(100);
    expect(h.manager.get(id!)!.status).toBe('done');
  });
});

describe('UploadManager: concurrency', () => {
  it('never has more part requests in flight than `concurrency`, across three files', async () => {
    const h = setup({ partSize: 100, concurrency: 4 });
    const ids = h.manager.add([1, 2, 3].map((n) => ({ file: makeFile(`f${n}.bin`, 1500) })));
    await drive(h, () => ids.every((id) => h.manager.get(id)?.status === 'done'));
    expect(h.transport.maxInFlight).toBe(4);
    expect(h.transport.requests).toHaveLength(45);
  });

  it('shares the slots fairly between files', async () => {
    const h = setup({ partSize: 100, concurrency: 6 });
    h.manager.add([1, 2, 3].map((n) => ({ file: makeFile(`f${n}.bin`, 3000) })));
    for (let i = 0; i < 12; i++) {
      await settle(10);
      h.transport.claim()?.respond();
    }
    await settle(10);
    const perFile = new Map<string, number>();
    for (const r of h.transport.inFlight) {
      const token = new URL(r.part.url).searchParams.get('token')!;
      perFile.set(token, (perFile.get(token) ?? 0) + 1);
    }
    expect([...perFile.values()]).toEqual([2, 2, 2]);
  });

  it('limits how many files are worked on at once', async () => {
    const h = setup({ partSize: 1000, concurrency: 2 });
    h.manager.add(Array.from({ length: 5 }, (_, i) => ({ file: makeFile(`s${i}`, 10) })));
    await settle(20);
    expect(h.api.count('create')).toBe(2);
    expect(statuses(h).filter((s) => s === 'queued')).toHaveLength(3);
  });

  it('works on more small files at once (one PUT each) than big ones', async () => {
    const h = setup({ partSize: 1000, concurrency: 2, maxActiveFiles: 2, maxActiveSmallFiles: 4 });
    h.manager.add(Array.from({ length: 6 }, (_, i) => ({ file: makeFile(`s${i}`, 10) })));
    await settle(20);
    expect(h.api.count('create')).toBe(4);
    expect(statuses(h).filter((s) => s === 'queued')).toHaveLength(2);
  });

  it('starts a big file only below `maxActiveFiles`, and small ones behind it wait their turn', async () => {
    const MiB = 1024 * 1024;
    const h = setup({ partSize: 4 * MiB, concurrency: 1, maxActiveFiles: 1, maxActiveSmallFiles: 3 });
    const [a, big, b] = h.manager.add([
      { file: makeFile('a.txt', 10) },
      { file: makeFile('big.bin', 6 * MiB) }, // over one part of 5 MiB: multipart
      { file: makeFile('b.txt', 10) },
    ]);
    await settle(20);
    expect(h.api.count('create')).toBe(1);
    expect(statuses(h)).toEqual([expect.not.stringMatching(/^queued$/), 'queued', 'queued']);
    (await h.transport.nextRequest()).respond();
    await until(() => h.manager.get(a!)?.status === 'done' && h.api.count('create') === 3);
    // a done: the big file starts (nothing else runs), then b beside it (small, under 3 at once).
    expect(h.manager.get(big!)?.status).not.toBe('queued');
    expect(h.manager.get(b!)?.status).not.toBe('queued');
  });
});

describe('UploadManager: cancel', () => {
  it('aborts every in-flight part at once and calls abort once when cancelled mid-part', async () => {
    const h = setup({ partSize: 100, concurrency: 4 });
    const [id] = h.manager.add([{ file: makeFile('big.bin', 1000) }]);
    await settle(20);
    h.transport.claim()!.respond();
    await settle(20);
    h.transport.claim()!.respond(); // slow start: 1, then 2, then all 4 slots
    await settle(20);
    const inFlight = [...h.transport.inFlight];
    expect(inFlight).toHaveLength(4);
    const requestsBefore = h.transport.requests.length;
    h.manager.cancel(id!);
    expect(h.manager.get(id!)!.status).toBe('cancelling');
    expect(inFlight.every((r) => r.aborted)).toBe(true);
    await settle(20);
    expect(h.transport.requests.length).toBe(requestsBefore);
    expect(h.api.count('abort')).toBe(1);
    expect(h.manager.get(id!)!.status).toBe('cancelled');
    expect([...h.api.uploads.values()][0]!.state).toBe('aborted');
    expect(h.manager.get(id!)!.error).toBeNull();
  });

  it('waits for create when cancelled before it answered, then aborts what it made', async () => {
    const h = setup({ partSize: 100 });
    const hold = h.api.hold('create');
    const [id] = h.manager.add([{ file: makeFile('early.bin', 1000) }]);
    await hold.reached;
    h.manager.cancel(id!);
    expect(h.manager.get(id!)!.status).toBe('cancelling');
    hold.release();
    await settle(20);
    expect(h.api.count('abort')).toBe(1);
    expect(h.transport.requests).toHaveLength(0);
    expect(h.manager.get(id!)!.status).toBe('cancelled');
  });

  it('retries a failing abort with backoff, showing the error, until the server confirms', async () => {
    const h = setup({ partSize: 100, random: () => 1 });
    const [id] = h.manager.add([{ file: makeFile('x.bin', 1000) }]);
    await settle(20);
    h.api.fail('abort', new ApiError('network', 0, 'Failed to fetch'), 3);
    h.manager.cancel(id!);
    await settle(20);
    expect(h.manager.get(id!)).toMatchObject({ status: 'cancelling', error: { code: 'network' } });
    await h.clock.advance(500);
    await h.clock.advance(1000);
    expect(h.manager.get(id!)!.status).toBe('cancelling');
    await h.clock.advance(2000);
    expect(h.api.count('abort')).toBe(4);
    expect(h.manager.get(id!)).toMatchObject({ status: 'cancelled', error: null });
  });

  it('reports done with a note when the upload completed before the cancel reached the server', async () => {
    const h = setup({ partSize: 100 });
    const hold = h.api.hold('complete', { applyOnAbort: true });
    const [id] = h.manager.add([{ file: makeFile('late.bin', 300) }]);
    await drive(h, () => h.api.count('complete') === 1);
    await hold.reached;
    h.manager.cancel(id!);
    await settle(20);
    expect(h.api.count('abort')).toBe(1);
    const item = h.manager.get(id!)!;
    expect(item.status).toBe('done');
    expect(item.note).toMatch(/finished before the cancel/);
  });

  it('a cancelled single PUT that the store writes anyway ends Done, saying so: the abort says it was sent', async () => {
    // The page aborts the PUT, but the store already had the whole body: it writes the object a moment later.
    // Told `sent`, the server looks for it a moment before it says nothing is left.
    const h = setup({ partSize: 1000 });
    const [id] = h.manager.add([{ file: makeFile('small.txt', 300) }]);
    const put = await h.transport.nextRequest();
    h.api.landsAfterAbort.add('small.txt');
    h.manager.cancel(id!);
    await settle(20);
    expect(put.aborted).toBe(true);
    expect(h.api.calls.filter((c) => c.method === 'abort').map((c) => c.args[1])).toEqual([{ sent: true }]);
    expect(h.manager.get(id!)).toMatchObject({
      status: 'done',
      note: expect.stringMatching(/finished before the cancel/),
    });
  });

  it('a multipart upload cancelled with parts in flight is aborted without waiting for any to land', async () => {
    const h = setup({ partSize: 100 });
    const [id] = h.manager.add([{ file: makeFile('parts.bin', 300) }]);
    await h.transport.nextRequest();
    h.manager.cancel(id!);
    await settle(20);
    expect(h.api.calls.filter((c) => c.method === 'abort').map((c) => c.args[1])).toEqual([{ sent: false }]);
    expect(h.manager.get(id!)!.status).toBe('cancelled');
  });

  it('cancels a file whose complete was aborted in time', async () => {
    const h = setup({ partSize: 100 });
    const hold = h.api.hold('complete');
    const [id] = h.manager.add([{ file: makeFile('late.bin', 300) }]);
    await drive(h, () => h.api.count('complete') === 1);
    await hold.reached;
    h.manager.cancel(id!);
    await settle(20);
    expect(h.manager.get(id!)!.status).toBe('cancelled');
  });

  it('cancels a paused upload, waiting for the network to come back to abort it', async () => {
    const h = setup({ partSize: 100 });
    const [id] = h.manager.add([{ file: makeFile('paused.bin', 500) }]);
    (await h.transport.nextRequest()).respond();
    await settle(10);
    h.manager.pause(id!);
    await settle(10);
    h.online.set(false);
    h.api.fail('abort', new ApiError('network', 0, 'Failed to fetch'));
    h.manager.cancel(id!);
    await settle(20);
    expect(h.manager.get(id!)).toMatchObject({ status: 'cancelling', error: { code: 'network' } });
    expect(h.api.count('abort')).toBe(1);
    h.online.set(true);
    await settle(20);
    expect(h.api.count('abort')).toBe(2);
    expect(h.manager.get(id!)!.status).toBe('cancelled');
  });

  it('cancelAll cancels every file', async () => {
    const h = setup({ partSize: 100, concurrency: 2 });
    const ids = h.manager.add([1, 2, 3, 4].map((n) => ({ file: makeFile(`c${n}`, 500) })));
    await settle(20);
    h.manager.cancelAll();
    expect(statuses(h).every((s) => s === 'cancelling')).toBe(true);
    await settle(30);
    expect(ids.map((id) => h.manager.get(id)!.status)).toEqual(Array(4).fill('cancelled'));
    expect(h.transport.inFlight.size).toBe(0);
  });
});

describe('UploadManager: cancelAll and failed files', () => {
  it('cancels a failed multipart upload (its parts are removed) but leaves a file refused outright with its reason', async () => {
    const h = setup({ partSize: 100, maxRetries: 0 });
    h.api.fail('create', new ApiError('too-large', 413, 'Too large for this server.'));
    const [refused] = h.manager.add([{ file: makeFile('huge.bin', 500) }]);
    await until(() => h.manager.get(refused!)?.status === 'failed');
    h.api.fail('complete', new ApiError('http-500', 500, 'Internal error'));
    const [broken] = h.manager.add([{ file: makeFile('parts.bin', 350) }]);
    await drive(h, () => h.manager.get(broken!)?.status === 'failed');
    const [running] = h.manager.add([{ file: makeFile('running.bin', 500) }]);
    await settle(10);
    expect([refused, broken, running].map((id) => cancelledByCancelAll(h.manager.get(id!)!))).toEqual([
      false,
      true,
      true,
    ]);

    h.manager.cancelAll();
    await settle(30);
    expect(h.manager.get(refused!)).toMatchObject({ status: 'failed', error: { code: 'too-large' } });
    expect(h.manager.get(broken!)!.status).toBe('cancelled');
    expect(h.manager.get(running!)!.status).toBe('cancelled');
    expect(h.api.upload(h.api.calls.find((c) => c.method === 'complete')!.args[0] as string).state).toBe(
      'aborted',
    );
  });
});

describe('UploadManager: pause and resume while the create is out', () => {
  it('a file paused and resumed before its create answers runs again once the answer is in', async () => {
    const h = setup({ partSize: 1000 });
    const hold = h.api.hold('create');
    const [id] = h.manager.add([{ file: makeFile('quick.bin', 500) }]);
    await hold.reached;
    h.manager.pause(id!);
    h.manager.resume(id!);
    expect(h.manager.get(id!)?.status).toBe('queued');
    hold.release();
    await drive(h, () => h.manager.get(id!)?.status === 'done');
    expect(h.manager.get(id!)).toMatchObject({ status: 'done', bytesUploaded: 500 });
  });
});

describe('UploadManager: pause all, resume all', () => {
  it('pauses every running or queued file at once and resumes them all', async () => {
    const h = setup({ partSize: 100, concurrency: 2, maxActiveFiles: 2 });
    const ids = h.manager.add([1, 2, 3].map((n) => ({ file: makeFile(`p${n}`, 300) })));
    // Slow start: the page's first part goes alone; once it is through, two at a time.
    (await h.transport.nextRequest()).respond();
    await until(() => h.transport.inFlight.size === 2);
    h.manager.pauseAll();
    expect(statuses(h)).toEqual(['paused', 'paused', 'paused']);
    await settle(20);
    expect(h.transport.inFlight.size).toBe(0);
    h.manager.resumeAll();
    await drive(h, () => ids.every((id) => h.manager.get(id)?.status === 'done'));
    expect(h.api.count('complete')).toBe(3);
    expect(h.api.count('abort')).toBe(0);
  });
});

describe('UploadManager: failures', () => {
  it('fails after the retries run out and retry() uploads only the missing parts', async () => {
    const h = setup({ partSize: 100, concurrency: 1, maxRetries: 2 });
    const [id] = h.manager.add([{ file: makeFile('r.bin', 500) }]);
    for (let i = 0; i < 2; i++) {
      await settle(20);
      h.transport.claim()!.respond();
    }
    for (let i = 0; i < 3; i++) {
      await settle(20);
      h.transport.claim()!.fail(new UploadError('http-5xx', 'boom', { status: 500 }));
    }
    await settle(20);
    expect(h.manager.get(id!)).toMatchObject({ status: 'failed', error: { code: 'http-5xx' }, partsDone: 2 });
    const before = h.transport.requests.length;
    h.manager.retry(id!);
    await drive(h, () => h.manager.get(id!)?.status === 'done');
    expect(h.api.count('listParts')).toBe(1);
    expect(h.transport.requests.slice(before).map((r) => r.part.partNumber)).toEqual([3, 4, 5]);
  });

  it('says a part is being retried, and why, until a part gets through', async () => {
    const h = setup({ partSize: 100, concurrency: 1, maxRetries: 5 });
    const [id] = h.manager.add([{ file: makeFile('r.bin', 200) }]);
    await settle(20);
    h.transport
      .claim()!
      .fail(new UploadError('forbidden', 'The storage refused part 1 (AccessDenied).', { status: 403 }));
    await settle(20);
    expect(h.manager.get(id!)).toMatchObject({
      status: 'uploading',
      retrying: { attempt: 1, of: 5, message: 'The storage refused part 1 (AccessDenied).' },
    });
    await drive(h, () => h.manager.get(id!)?.partsDone === 1);
    expect(h.manager.get(id!)!.retrying).toBeNull();
    await drive(h, () => h.manager.get(id!)?.status === 'done');
  });

  it('retryFailed retries every failed file and leaves the others alone', async () => {
    const h = setup({ partSize: 100, concurrency: 1, maxActiveFiles: 1, maxRetries: 0 });
    const ids = h.manager.add(['f1', 'f2', 'f3'].map((n) => ({ file: makeFile(n, 100) })));
    // f1 and f2 fail (no retries left), f3 succeeds.
    for (const outcome of ['fail', 'fail', 'ok']) {
      await until(() => h.transport.unclaimed.length === 1);
      const request = h.transport.claim()!;
      if (outcome === 'ok') request.respond();
      else request.fail(new UploadError('http-5xx', 'boom', { status: 500 }));
    }
    await drive(h, () => h.manager.get(ids[2]!)?.status === 'done');
    expect(statuses(h)).toEqual(['failed', 'failed', 'done']);
    h.manager.retryFailed();
    await drive(h, () => statuses(h).every((s) => s === 'done'));
  });

  it('a file refused for good can be removed, and Clear finished clears it; a retryable failure stays', async () => {
    const h = setup({ partSize: 100, maxRetries: 0 });
    h.api.fail('create', new ApiError('too-large', 413, 'Too large for this server.'));
    const [refused] = h.manager.add([{ file: makeFile('big.bin', 100) }]);
    await until(() => h.manager.get(refused!)?.status === 'failed');
    h.api.fail('create', new ApiError('http-500', 500, 'Internal error'));
    const [flaky] = h.manager.add([{ file: makeFile('flaky.bin', 100) }]);
    await until(() => h.manager.get(flaky!)?.status === 'failed');
    h.manager.remove(flaky!); // Retry may still bring it through: stays
    h.manager.clearFinished();
    expect(h.manager.get(refused!)).toBeUndefined();
    expect(h.manager.get(flaky!)?.status).toBe('failed');
    h.api.fail('create', new ApiError('invalid-key', 400, 'Name too long.'));
    const [named] = h.manager.add([{ file: makeFile('name.bin', 100) }]);
    await until(() => h.manager.get(named!)?.status === 'failed');
    h.manager.remove(named!);
    expect(statuses(h)).toEqual(['failed']);
  });

  it('Clear finished clears a cancelled upload once the server confirmed it, not while it is cancelling', async () => {
    const h = setup({ partSize: 100 });
    const [id] = h.manager.add([{ file: makeFile('c.bin', 300) }]);
    await h.transport.nextRequest();
    const abort = h.api.hold('abort');
    h.manager.cancel(id!);
    await abort.reached;
    h.manager.clearFinished();
    expect(h.manager.get(id!)?.status).toBe('cancelling');
    abort.release();
    await until(() => h.manager.get(id!)?.status === 'cancelled');
    await settle(5);
    h.manager.clearFinished();
    expect(h.manager.get(id!)).toBeUndefined();
  });

  it('does not retry a 4xx', async () => {
    const h = setup({ partSize: 100 });
    const [id] = h.manager.add([{ file: makeFile('r.bin', 100) }]);
    await settle(20);
    h.transport.claim()!.fail(new UploadError('client-4xx', 'nope', { status: 400 }));
    await settle(20);
    expect(h.manager.get(id!)).toMatchObject({ status: 'failed', error: { code: 'client-4xx' } });
    expect(h.transport.requests).toHaveLength(1);
  });
});

describe('UploadManager: part 1 hashed while create is in flight', () => {
  const MiB = 1024 * 1024;
  function recording() {
    const events: string[] = [];
    const hasher: Hasher = {
      hash(blob, algorithm, o) {
        events.push(`hash ${blob.size} ${algorithm}`);
        return inThreadHasher.hash(blob, algorithm, o);
      },
    };
    return { events, hasher };
  }

  it('uses the hash made during create when the plan agrees on bytes and algorithm', async () => {
    const { events, hasher } = recording();
    const h = setup({ partSize: 5 * MiB, hasher, checksumHint: () => 'CRC32' });
    const create = h.api.create.bind(h.api);
    h.api.create = async (req, o) => {
      events.push('create sent');
      const answer = await create(req, o);
      events.push('create answered');
      return answer;
    };
    const file = makeFile('early.bin', 6 * MiB);
    const [id] = h.manager.add([{ file }]);
    await drive(h, () => h.manager.get(id!)?.status === 'done');
    expect(events.slice(0, 3)).toEqual(['hash 5242880 CRC32', 'create sent', 'create answered']);
    expect(events.filter((e) => e.startsWith('hash'))).toEqual(['hash 5242880 CRC32', 'hash 1048576 CRC32']);
    // Part 1's URL came with the create answer; only part 2 was signed separately.
    const signed = h.api.calls
      .filter((c) => c.method === 'signParts')
      .flatMap((c) => (c.args[1] as { partNumber: number }[]).map((p) => p.partNumber));
    expect(signed).toEqual([2]);
    const [, parts] = h.api.calls.find((c) => c.method === 'complete')!.args as [
      string,
      { partNumber: number; checksum: string }[],
    ];
    expect(parts[0]!.checksum).toBe(await hashBlob(file.slice(0, 5 * MiB), 'CRC32'));
  });

  it('hashes part 1 again when the hint was wrong', async () => {
    const { events, hasher } = recording();
    const h = setup({ partSize: 5 * MiB, hasher, checksumHint: () => 'MD5' });
    const file = makeFile('wrong-hint.bin', 6 * MiB);
    const [id] = h.manager.add([{ file }]);
    await drive(h, () => h.manager.get(id!)?.status === 'done');
    expect(events).toEqual(['hash 5242880 MD5', 'hash 5242880 CRC32', 'hash 1048576 CRC32']);
    const signed = h.api.calls
      .filter((c) => c.method === 'signParts')
      .flatMap((c) => (c.args[1] as { partNumber: number }[]).map((p) => p.partNumber));
    expect(signed).toEqual([1, 2]);
    const [, parts] = h.api.calls.find((c) => c.method === 'complete')!.args as [
      string,
      { partNumber: number; checksum: string }[],
    ];
    expect(parts[0]!.checksum).toBe(await hashBlob(file.slice(0, 5 * MiB), 'CRC32'));
  });

  it('hashes part 1 while the journal is looked up, not after', async () => {
    const { events, hasher } = recording();
    let answer = () => {};
    class SlowLookup extends MemoryJournal {
      override async get(fingerprint: string): Promise<UploadRecord | undefined> {
        events.push('journal asked');
        await new Promise<void>((resolve) => (answer = resolve));
        events.push('journal answered');
        return super.get(fingerprint);
      }
    }
    const h = setup({ partSize: 5 * MiB, hasher, checksumHint: () => 'CRC32', journal: new SlowLookup() });
    const [id] = h.manager.add([{ file: makeFile('lookup.bin', 6 * MiB) }]);
    await vi.waitFor(() =>
      expect(events).toEqual(expect.arrayContaining(['journal asked', 'hash 5242880 CRC32'])),
    );
    expect(events).not.toContain('journal answered');
    answer();
    await drive(h, () => h.manager.get(id!)?.status === 'done');
    expect(events.filter((e) => e.startsWith('hash'))).toEqual(['hash 5242880 CRC32', 'hash 1048576 CRC32']);
  });

  it('a file that goes on from the journal stops the hash of part 1 begun meanwhile', async () => {
    const journal = new MemoryJournal();
    const first = setup({ partSize: 5 * MiB, concurrency: 1, journal, checksumHint: () => 'CRC32' });
    first.manager.add([{ file: makeFile('resumed.bin', 11 * MiB, 7) }]);
    (await first.transport.nextRequest()).respond();
    await settle(10);
    first.manager.destroy();
    expect((await journal.list())[0]?.parts.map((p) => p.partNumber)).toEqual([1]);

    // The first hash (part 1's, begun before the journal answers) never finishes by itself: only an
    // abort ends it. The parts sent after go through at once.
    const stopped: string[] = [];
    let calls = 0;
    const hasher: Hasher = {
      hash(blob, algorithm, o) {
        if (++calls > 1) return inThreadHasher.hash(blob, algorithm, o);
        return new Promise((_, reject) =>
          o?.signal?.addEventListener('abort', () => {
            stopped.push(`${blob.size}`);
            reject(o.signal!.reason);
          }),
        );
      },
    };
    const second = setup({
      partSize: 5 * MiB,
      concurrency: 1,
      journal,
      hasher,
      checksumHint: () => 'CRC32',
      after: first,
    });
    const [id] = second.manager.add([{ file: makeFile('resumed.bin', 11 * MiB, 7) }]);
    await drive(second, () => second.manager.get(id!)?.status === 'done');
    expect(second.manager.get(id!)).toMatchObject({ resumed: true });
    expect(second.transport.requests.map((r) => r.part.partNumber)).toEqual([2, 3]);
    expect(stopped).toEqual(['5242880']);
  });
});
