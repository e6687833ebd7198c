import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bodySlots, SLOT_BYTES } from './body-slots.ts';
import { createHasher } from './checksum.ts';
import { hashPool } from './hash-pool.ts';
import { receiveBody, type ReceiveOptions } from './receive-body.ts';

let dir: string;
let fileNo = 0;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'receive-body-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
// However a body ended, it must give back its slots and leave no hash state in the workers.
afterEach(async () => {
  expect(bodySlots.inUse).toBe(0);
  expect(await hashPool.workerJobs()).toBe(0);
});

const md5 = (data: Buffer) => createHash('md5').update(data).digest('hex');
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** `data` cut into chunks whose sizes cycle through `sizes`. */
function chunked(data: Buffer, sizes: readonly number[]): Buffer[] {
  const chunks: Buffer[] = [];
  for (let offset = 0, i = 0; offset < data.length; i++) {
    const n = sizes[i % sizes.length]!;
    chunks.push(data.subarray(offset, offset + n));
    offset += n;
  }
  return chunks;
}

async function receive(
  data: Buffer,
  sizes: readonly number[] = [65536],
  options: Partial<ReceiveOptions> = {},
) {
  const path = join(dir, `body-${fileNo++}`);
  const body = await receiveBody(Readable.from(chunked(data, sizes)), path, {
    algorithms: [],
    sha256: true,
    maxSize: 1024 * SLOT_BYTES,
    ...options,
  });
  expect(body.size).toBe(data.length);
  expect(body.md5Hex).toBe(md5(data));
  expect((await readFile(path)).equals(data)).toBe(true);
  return { body, path };
}

/** A source that sends `bytes` and then stalls, as a client that stops sending. */
function stallingSource(bytes: number): Readable {
  const source = new Readable({ read() {} });
  for (const chunk of chunked(randomBytes(bytes), [65536])) source.push(chunk);
  return source;
}

/** Waits until a body's first slots went to a hash worker. */
async function untilHashing(): Promise<void> {
  while ((await hashPool.workerJobs()) === 0) await new Promise((resolve) => setTimeout(resolve, 5));
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

describe('receiveBody', () => {
  it.each([
    ['empty', 0],
    ['small (hashed inline)', 1000],
    ['exactly one slot', SLOT_BYTES],
    ['one slot and a byte', SLOT_BYTES + 1],
    ['many slots', 5 * SLOT_BYTES + 12345],
  ])('hashes and writes a %s body', async (_name, length) => {
    const data = randomBytes(length);
    const { body } = await receive(data, [65536]);
    expect(body.sha256Hex).toBe(sha256(data));
  });

  it('loads CRC64NVME on the first body that asks for it (nothing loaded it before in this file)', async () => {
    const data = Buffer.from('123456789');
    const { body } = await receive(data, [4, 5], { algorithms: ['CRC64NVME'] });
    expect(Buffer.from(body.checksums.get('CRC64NVME')!, 'base64').toString('hex')).toBe('ae8b14860a799888');
  });

  it('splits odd-sized chunks across slots', async () => {
    const data = randomBytes(4 * SLOT_BYTES + 777);
    await receive(data, [1, 65521, 3 * SLOT_BYTES + 5, 7, 300_001, SLOT_BYTES]);
  });

  it('computes the flexible checksums, SHA ones on the worker, CRCs here', async () => {
    for (const length of [500, 3 * SLOT_BYTES + 1]) {
      const data = randomBytes(length);
      const { body } = await receive(data, [40_000], {
        algorithms: ['CRC32', 'CRC32C', 'SHA1', 'SHA256'],
        sha256: false,
      });
      expect(body.sha256Hex).toBeUndefined();
      for (const algorithm of ['CRC32', 'CRC32C', 'SHA1', 'SHA256'] as const) {
        const h = createHasher(algorithm);
        h.update(data);
        expect(body.checksums.get(algorithm)).toBe(h.digest());
      }
    }
  });

  it('hashes many bodies at once, each on its own', async () => {
    const bodies = Array.from({ length: 12 }, (_, i) => randomBytes(2 * SLOT_BYTES + i * 4099));
    await Promise.all(bodies.map((data, i) => receive(data, [65536 - i * 7])));
  });

  it('returns before the fsync with deferSync', async () => {
    const data = randomBytes(2 * SLOT_BYTES);
    const path = join(dir, `body-${fileNo++}`);
    const body = await receiveBody(Readable.from([data]), path, {
      algorithms: [],
      sha256: false,
      maxSize: 4 * SLOT_BYTES,
      deferSync: true,
    });
    await body.synced;
    expect(body.md5Hex).toBe(md5(data));
    expect((await readFile(path)).equals(data)).toBe(true);
  });

  it('removes the file when aborted mid-stream', async () => {
    const path = join(dir, `body-${fileNo++}`);
    const controller = new AbortController();
    const received = receiveBody(stallingSource(3 * SLOT_BYTES + 100), path, {
      algorithms: ['CRC32'],
      sha256: true,
      maxSize: 16 * SLOT_BYTES,
      signal: controller.signal,
    });
    await untilHashing();
    controller.abort(new Error('client went away'));
    await expect(received).rejects.toThrow('client went away');
    expect(await exists(path)).toBe(false);
  });

  it('fails with EntityTooLarge while streaming a body over maxSize', async () => {
    const path = join(dir, `body-${fileNo++}`);
    const received = receiveBody(Readable.from(chunked(randomBytes(4 * SLOT_BYTES), [65536])), path, {
      algorithms: [],
      sha256: false,
      maxSize: 2 * SLOT_BYTES + 10,
    });
    await expect(received).rejects.toMatchObject({ code: 'EntityTooLarge' });
    expect(await exists(path)).toBe(false);
  });

  it('fails the body whose hash worker dies, and the next body gets a new worker', async () => {
    const path = join(dir, `body-${fileNo++}`);
    const source = stallingSource(3 * SLOT_BYTES + 100);
    const received = receiveBody(source, path, { algorithms: [], sha256: false, maxSize: 16 * SLOT_BYTES });
    await untilHashing();
    await hashPool.terminate();
    // the next slot goes to the dead worker
    source.push(randomBytes(SLOT_BYTES));
    source.push(null);
    await expect(received).rejects.toThrow(/hash worker/);
    expect(await exists(path)).toBe(false);
    await receive(randomBytes(2 * SLOT_BYTES + 3));
  });
});
