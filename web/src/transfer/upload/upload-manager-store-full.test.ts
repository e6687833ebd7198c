import { describe, expect, it } from 'vitest';
import { UploadError } from './upload-error.ts';
import { drive, makeFile, settle, setup, statuses } from './testing/setup.ts';

const storeFull = () =>
  new UploadError('store-full', 'The storage has no space left for this file (InsufficientStorage).', {
    status: 507,
  });

describe('UploadManager: the storage runs out of space', () => {
  it('pauses every other upload at the first store-full failure, and "Resume all" goes on with them all', async () => {
    const h = setup({ partSize: 100, concurrency: 2 });
    const ids = h.manager.add(['a', 'b', 'c', 'd'].map((name) => ({ file: makeFile(`${name}.bin`, 300) })));
    (await h.transport.nextRequest()).fail(storeFull());
    await settle(20);
    expect(statuses(h)).toEqual(['failed', 'paused', 'paused', 'paused']);
    expect(h.manager.get(ids[0]!)!.error?.code).toBe('store-full');
    expect(h.manager.getSnapshot().storeFull).toEqual({ paused: 3, failed: 1 });
    // Nothing is sent meanwhile: no part goes to a store that throws it away.
    expect(h.transport.inFlight.size).toBe(0);
    await h.clock.advance(60_000);
    await settle(20);
    expect(h.transport.inFlight.size).toBe(0);

    h.manager.resumeAll();
    await drive(h, () => statuses(h).every((s) => s === 'done'));
    expect(h.manager.getSnapshot().storeFull).toBeNull();
    expect([...h.api.uploads.values()].filter((u) => u.state === 'completed')).toHaveLength(4);
  });

  it('says so only while something waits on it: an upload resumed on its own, or removed, no longer counts', async () => {
    const h = setup({ partSize: 100, concurrency: 1 });
    const [a, b, c] = h.manager.add(['a', 'b', 'c'].map((name) => ({ file: makeFile(`${name}.bin`, 200) })));
    (await h.transport.nextRequest()).fail(storeFull());
    await settle(20);
    expect(h.manager.getSnapshot().storeFull).toEqual({ paused: 2, failed: 1 });
    h.manager.resume(b!);
    expect(h.manager.getSnapshot().storeFull).toEqual({ paused: 1, failed: 1 });
    h.manager.cancel(c!);
    h.manager.cancel(a!);
    await drive(
      h,
      () =>
        h.manager.get(b!)?.status === 'done' &&
        h.manager.get(c!)?.status === 'cancelled' &&
        h.manager.get(a!)?.status === 'cancelled',
    );
    expect(h.manager.getSnapshot().storeFull).toBeNull();
    // A later pause is the user's own: nothing says the storage is full.
    h.manager.add([{ file: makeFile('d.bin', 200) }]);
    h.manager.pauseAll();
    expect(h.manager.getSnapshot().storeFull).toBeNull();
  });

  it('stops saying uploads are paused once none is: those resumed failed again, each with its own Retry', async () => {
    const h = setup({ partSize: 100, concurrency: 1 });
    const [a, b] = h.manager.add(['a', 'b'].map((name) => ({ file: makeFile(`${name}.bin`, 200) })));
    (await h.transport.nextRequest()).fail(storeFull());
    await settle(20);
    expect(h.manager.getSnapshot().storeFull).toEqual({ paused: 1, failed: 1 });
    // Resumed with still no room: it fails on the full storage too, and nothing is left paused.
    h.manager.resume(b!);
    (await h.transport.nextRequest()).fail(storeFull());
    await drive(h, () => h.manager.get(b!)?.status === 'failed');
    expect(statuses(h)).toEqual(['failed', 'failed']);
    expect(h.manager.get(a!)!.error?.code).toBe('store-full');
    expect(h.manager.getSnapshot().storeFull).toBeNull();
  });
});
