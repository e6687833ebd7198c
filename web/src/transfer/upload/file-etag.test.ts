import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { multipartEtag } from '../../../../server/uploads/multipart-etag.ts';
import { inThreadHasher, type Hasher } from '../shared/hasher.ts';
import { fileDigests, fileMultipartEtag } from './file-etag.ts';

const KiB = 1024;
const md5 = (bytes: Uint8Array) => createHash('md5').update(bytes).digest('hex');
const never = new AbortController().signal;

describe('fileMultipartEtag', () => {
  it('is the ETag S3 gives the object completed from those parts, the last part shorter', async () => {
    const bytes = randomBytes(10 * KiB + 123);
    const parts = [0, 1, 2].map((i) => bytes.subarray(i * 4 * KiB, (i + 1) * 4 * KiB));
    const etag = await fileMultipartEtag(
      inThreadHasher,
      new Blob([bytes]),
      { partSize: 4 * KiB, count: 3 },
      { signal: never },
    );
    expect(`"${etag}"`).toBe(multipartEtag(parts.map(md5)));
  });

  it('follows parts of uneven sizes, and says how far it has hashed', async () => {
    const bytes = randomBytes(9 * KiB);
    const sizes = [4 * KiB, 2 * KiB, 2 * KiB, 1 * KiB];
    const starts = [0, 4 * KiB, 6 * KiB, 8 * KiB];
    const hashed: number[] = [];
    const etag = await fileMultipartEtag(
      inThreadHasher,
      new Blob([bytes]),
      {
        partSize: 4 * KiB,
        count: 4,
        runs: [
          [4 * KiB, 1],
          [2 * KiB, 2],
          [1 * KiB, 1],
        ],
      },
      { signal: never, onHashed: (n) => hashed.push(n) },
    );
    expect(`"${etag}"`).toBe(multipartEtag(starts.map((s, i) => md5(bytes.subarray(s, s + sizes[i]!)))));
    expect(hashed.at(-1)).toBe(9 * KiB);
    expect(hashed).toEqual([...hashed].sort((a, b) => a - b));
  });

  it('reads no more parts once one cannot be read (the file changed or went)', async () => {
    let started = 0;
    const failing: Hasher = {
      async hash(blob, algorithm, o) {
        started++;
        if (started === 2) throw new DOMException('The file changed.', 'NotReadableError');
        await new Promise((resolve) => setTimeout(resolve, 5));
        return inThreadHasher.hash(blob, algorithm, o);
      },
    };
    const file = new Blob([randomBytes(40 * KiB)]);
    await expect(
      fileMultipartEtag(failing, file, { partSize: 4 * KiB, count: 10 }, { signal: never }),
    ).rejects.toThrow('The file changed.');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(started).toBeLessThanOrEqual(3);
  });

  it('hashes two parts at a time, and none more once aborted', async () => {
    let running = 0;
    let most = 0;
    let started = 0;
    const controller = new AbortController();
    const slow: Hasher = {
      async hash(blob, algorithm, o) {
        started++;
        running++;
        most = Math.max(most, running);
        await new Promise((resolve) => setTimeout(resolve, 5));
        running--;
        if (started === 3) controller.abort(new Error('paused'));
        return inThreadHasher.hash(blob, algorithm, o);
      },
    };
    const file = new Blob([randomBytes(40 * KiB)]);
    await expect(
      fileMultipartEtag(slow, file, { partSize: 4 * KiB, count: 10 }, { signal: controller.signal }),
    ).rejects.toThrow('paused');
    expect(most).toBe(2);
    expect(started).toBeLessThanOrEqual(4);
  });
});

describe('fileDigests', () => {
  it("is the whole file's MD5 and CRC32, as the hasher gives them, in one read, saying how far it read", async () => {
    const bytes = randomBytes(20 * 1024 * KiB + 5);
    const file = new Blob([bytes]);
    const read: number[] = [];
    const digests = await fileDigests(file, ['MD5', 'CRC32'], {
      signal: never,
      onHashed: (n) => read.push(n),
    });
    expect(digests).toEqual([
      { algorithm: 'MD5', checksum: createHash('md5').update(bytes).digest('base64') },
      { algorithm: 'CRC32', checksum: await inThreadHasher.hash(file, 'CRC32') },
    ]);
    expect(read.at(-1)).toBe(file.size);
    expect(read.length).toBeGreaterThan(1);
  });
});
