import { describe, expect, it } from 'vitest';
import { inThreadHasher, type Hasher } from '../shared/hasher.ts';
import { drive, makeFile, multipartEtagOf, setup, until } from './testing/setup.ts';

const MiB = 1024 ** 2;
/** Parts' MD5s wait for `open()`; an abort ends them at once (as the worker pool does). */
function gatedHasher() {
  let gate: () => void = () => {};
  let opened = new Promise<void>((r) => (gate = r));
  let waiting = 0;
  const hasher: Hasher = {
    async hash(blob, algorithm, o) {
      if (algorithm === 'MD5' && blob.size >= MiB) {
        waiting++;
        try {
          await new Promise<void>((resolve, reject) => {
            o?.signal?.addEventListener('abort', () => reject(o.signal!.reason), { once: true });
            void opened.then(resolve);
          });
        } finally {
          waiting--;
        }
      }
      return inThreadHasher.hash(blob, algorithm, o);
    },
  };
  return {
    hasher,
    waiting: () => waiting,
    open: () => gate(),
    close: () => (opened = new Promise<void>((r) => (gate = r))),
  };
}

/** A 12 MiB file whose key holds it already, uploaded: comparing, its parts' MD5s held (`g`). */
async function comparingOneFile() {
  const g = gatedHasher();
  const h = setup({ partSize: 5 * MiB, checksumHint: () => 'CRC32', notifyIntervalMs: 0, hasher: g.hasher });
  const file = makeFile('big.bin', 12 * MiB);
  h.api.existingKeys.add('big.bin');
  h.api.existingInfo.set('big.bin', {
    size: file.size,
    lastModified: null,
    etag: await multipartEtagOf(file, 5 * MiB),
  });
  const [id] = h.manager.add([{ file }]);
  await drive(h, () => g.waiting() > 0);
  return { g, h, id };
}

describe('UploadManager: pause, cancel and resume while comparing with the object at the key', () => {
  it('paused while comparing: the row says Paused, not Comparing; resumed, it compares again and is done', async () => {
    const { g, h, id } = await comparingOneFile();
    expect(h.manager.get(id!)).toMatchObject({ status: 'hashing', comparing: 0 });
    h.manager.pause(id!);
    await until(() => g.waiting() === 0);
    await drive(h, () => true);
    expect(h.manager.get(id!)).toMatchObject({ status: 'paused', comparing: null });
    g.open();
    h.manager.resume(id!);
    await drive(h, () => h.manager.get(id!)?.status === 'done');
    expect(h.manager.get(id!)).toMatchObject({ status: 'done', comparing: null });
    expect(h.transport.requests).toHaveLength(0);
  });

  it('cancelled while comparing: cancelled, nothing sent', async () => {
    const { h, id } = await comparingOneFile();
    h.manager.cancel(id!);
    await drive(h, () => h.manager.get(id!)?.status === 'cancelled');
    expect(h.manager.get(id!)).toMatchObject({ status: 'cancelled', comparing: null });
    expect(h.transport.requests).toHaveLength(0);
  });
});
