import { describe, expect, it } from 'vitest';
import { MemoryJournal } from './journal.ts';
import type { PartTransport } from './part-transport.ts';
import { UploadError } from './upload-error.ts';
import { canRetry } from './upload-state.ts';
import { drive, makeFile, setup, until, type Harness } from './testing/setup.ts';

/**
 * A picked file that can be deleted or rewritten on disk under the page, as Chromium then reads it:
 * deleted (after a first read), every read fails with NotFoundError; rewritten in place with its size
 * and mtime kept, reads give the new bytes.
 */
function fileOnDisk(name: string, size: number) {
  const picked = makeFile(name, size, 1);
  let now: Blob = picked;
  let deleted = false;
  const gone = () => new DOMException('A requested file could not be found.', 'NotFoundError');
  /** `blob` (the file, or a slice of it) read as `bytes()` are on disk now. */
  const reading = <T extends Blob>(blob: T, bytes: () => Blob): T => {
    blob.arrayBuffer = () => (deleted ? Promise.reject(gone()) : Blob.prototype.arrayBuffer.call(bytes()));
    blob.stream = () =>
      deleted ? new ReadableStream({ start: (c) => c.error(gone()) }) : Blob.prototype.stream.call(bytes());
    return blob;
  };
  const file = reading(picked, () => now);
  file.slice = (start, end, type) => {
    const slice = Blob.prototype.slice.call(picked, start, end, type);
    return reading(slice, () => Blob.prototype.slice.call(now, start, end, type));
  };
  return {
    file,
    delete: () => void (deleted = true),
    /** Other bytes, the same size and lastModified (`rsync --inplace -t`, or dd conv=notrunc and touch -r). */
    rewrite: () => void (now = makeFile(name, size, 2)),
  };
}

const network = () => new UploadError('network', 'Part 2 could not reach the storage.', { status: 0 });

describe('UploadManager: a file deleted or changed on disk meanwhile', () => {
  it.each(['retry', 'resume'] as const)(
    'a file deleted while its upload waited: %s says it is gone, sends nothing, and aborts the upload',
    async (how) => {
      const disk = fileOnDisk('gone.bin', 500);
      const h = setup({ partSize: 100, concurrency: 1, maxRetries: 0, journal: new MemoryJournal() });
      const [id] = h.manager.add([{ file: disk.file }]);
      (await h.transport.nextRequest()).respond();
      const second = await h.transport.nextRequest();
      if (how === 'retry') second.fail(network());
      else h.manager.pause(id!);
      await until(() => ['failed', 'paused'].includes(h.manager.get(id!)!.status));
      const sent = h.transport.requests.length;
      disk.delete();
      if (how === 'retry') h.manager.retry(id!);
      else h.manager.resume(id!);
      await drive(h, () => h.manager.get(id!)!.status === 'failed');
      const item = h.manager.get(id!)!;
      expect(item.error).toMatchObject({ code: 'file-unreadable' });
      expect(item.error!.message).toMatch(/"gone.bin" can no longer be read.*deleted.*Pick it again/);
      expect(canRetry(item)).toBe(false);
      expect(h.transport.requests).toHaveLength(sent);
      await until(() => h.api.count('abort') === 1);
    },
  );

  it('a file rewritten in place with its size and mtime kept fails before Complete, its upload aborted', async () => {
    const disk = fileOnDisk('mixed.bin', 500);
    const h = setup({ partSize: 100, concurrency: 1, signBatchSize: 1, journal: new MemoryJournal() });
    const [id] = h.manager.add([{ file: disk.file }]);
    (await h.transport.nextRequest()).respond();
    disk.rewrite(); // parts 2–5 are read (hashed and sent) from the new bytes
    await drive(h, () => h.manager.get(id!)!.status === 'failed');
    const item = h.manager.get(id!)!;
    expect(item.error).toMatchObject({ code: 'file-unreadable' });
    expect(item.error!.message).toMatch(/"mixed.bin" changed on disk while it was uploading.*Pick it again/);
    expect(canRetry(item)).toBe(false);
    expect(h.api.count('complete')).toBe(0);
    await until(() => h.api.count('abort') === 1);
  });

  it('a file deleted once every part was sent is completed: each part was read as it was picked', async () => {
    const disk = fileOnDisk('sent.bin', 300);
    const h = setup({ partSize: 100, concurrency: 1, journal: new MemoryJournal() });
    const [id] = h.manager.add([{ file: disk.file }]);
    for (let part = 1; part <= 3; part++) {
      const request = await h.transport.nextRequest();
      if (part === 3) disk.delete();
      request.respond();
    }
    await drive(h, () => h.manager.get(id!)!.status === 'done');
    expect(h.api.count('abort')).toBe(0);
  });
});

describe('UploadManager: links that expire before the parts arrive (HOIST_PRESIGN_TTL too short)', () => {
  /** Each PUT's answer comes `takesMs` after it was sent, as `failure`; until the file fails. */
  async function sendSlowly(h: Harness, id: string, takesMs: number, failure: () => UploadError) {
    while (h.manager.get(id)!.status !== 'failed') {
      const request = h.transport.claim();
      if (request) {
        await h.clock.advance(takesMs);
        request.fail(failure());
      } else await h.clock.advance(100);
    }
  }

  it.each([
    // A store that answers the expiry without CORS headers (Ceph RGW): it reads as no answer at all.
    ['no readable answer', network],
    ['an expired-URL 403', () => new UploadError('expired-url', 'The upload link expired.', { status: 403 })],
  ])('says the links expire on the way, after its retries, when every try got %s', async (_, failure) => {
    const h = setup({ partSize: 100, concurrency: 1 });
    h.api.urlTtlMs = 1_000;
    h.api.serverClockOffsetMs = 0; // SigV4 URLs, X-Amz-Expires=1
    const [id] = h.manager.add([{ file: makeFile('slow.bin', 300) }]);
    await sendSlowly(h, id!, 2_500, failure);
    expect(h.manager.get(id!)!.error).toMatchObject({ code: 'expired-url' });
    expect(h.manager.get(id!)!.error!.message).toMatch(
      /links expire before the parts arrive \(they last 1 s\): part 1 was sent 6 times.*HOIST_PRESIGN_TTL is too short for this connection/,
    );
    expect(h.transport.requests).toHaveLength(6); // bounded: the first try and 5 re-signed ones
  });

  it('keeps a network failure that came while the link still held a network failure', async () => {
    const h = setup({ partSize: 100, concurrency: 1 });
    h.api.urlTtlMs = 1_000;
    h.api.serverClockOffsetMs = 0;
    const [id] = h.manager.add([{ file: makeFile('flaky.bin', 300) }]);
    await sendSlowly(h, id!, 500, network);
    expect(h.manager.get(id!)!.error).toMatchObject({ code: 'network', message: network().message });
  });

  it('fails as the file gone, not stalled, when a stall timer fired while the transport made sure of it', async () => {
    let fail: ((error: unknown) => void) | null = null;
    let puts = 0;
    // A transport still reading the file again (file-gone.ts) when the part's deadline passes.
    const transport: PartTransport = {
      put: () => {
        puts++;
        return new Promise((_, reject) => (fail = reject));
      },
    };
    const h = setup({ partSize: 100, concurrency: 1, stallTimeoutMs: 1_000, transport });
    const [id] = h.manager.add([{ file: makeFile('gone.bin', 300) }]);
    await until(() => fail !== null);
    await h.clock.advance(5_000);
    fail!(new UploadError('file-unreadable', 'The file can no longer be read.'));
    await until(() => h.manager.get(id!)!.status === 'failed' || puts > 1);
    expect(h.manager.get(id!)!.error).toMatchObject({ code: 'file-unreadable' });
    expect(puts).toBe(1);
  });

  it('keeps a network failure a network failure when the PUT was sent with its link fresh and cut after it expired', async () => {
    // HOIST_PRESIGN_TTL=60s and 70 s parts: every URL signed afresh, each PUT cut by the network at 70 s.
    // S3 checks the expiry when a request arrives: these were not refused for it, a longer TTL would not help.
    const h = setup({ partSize: 100, concurrency: 1, stallTimeoutMs: 300_000 });
    h.api.urlTtlMs = 60_000;
    h.api.serverClockOffsetMs = 0;
    const [id] = h.manager.add([{ file: makeFile('long.bin', 300) }]);
    await sendSlowly(h, id!, 70_000, network);
    expect(h.transport.requests).toHaveLength(6);
    expect(h.manager.get(id!)!.error).toMatchObject({ code: 'network', message: network().message });
  });
});
