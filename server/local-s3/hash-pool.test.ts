import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { HashPool } from './hash-pool.ts';

function shared(data: Buffer): SharedArrayBuffer {
  const sab = new SharedArrayBuffer(data.length);
  data.copy(Buffer.from(sab));
  return sab;
}

describe('HashPool', () => {
  it('hashes the slots of each job in order, many jobs at once', async () => {
    const pool = new HashPool(3);
    const bodies = Array.from({ length: 10 }, (_, i) => [randomBytes(1000 + i), randomBytes(77 * i)]);
    const digests = await Promise.all(
      bodies.map(async (pieces) => {
        const job = pool.open(['md5', 'sha1', 'sha256']);
        for (const piece of pieces) await job.update(shared(piece), piece.length);
        return job.digest();
      }),
    );
    bodies.forEach((pieces, i) => {
      const data = Buffer.concat(pieces);
      expect(digests[i]).toEqual(
        ['md5', 'sha1', 'sha256'].map((a) => createHash(a).update(data).digest('hex')),
      );
    });
    expect(await pool.workerJobs()).toBe(0);
    await pool.terminate();
  });

  it('starts workers only when needed: an idle one takes the next job, then a new one, then the least busy', async () => {
    const pool = new HashPool(2);
    expect(pool.workers).toBe(0);
    const first = pool.open(['md5']);
    expect(pool.workers).toBe(1);
    const jobs = [pool.open(['md5'])]; // the only worker is busy: a second starts
    expect(pool.workers).toBe(2);
    jobs.push(pool.open(['md5']), pool.open(['md5'])); // full: the least busy takes each
    expect(pool.workers).toBe(2);
    for (const job of [first, ...jobs]) await job.update(shared(Buffer.from('x')), 1);
    expect(await pool.workerJobs()).toBe(4);
    for (const job of jobs) job.drop();
    first.drop();
    const again = pool.open(['md5']); // all idle now: no third worker
    expect(pool.workers).toBe(2);
    again.drop();
    await pool.terminate();
  });

  it('hashes 1 MiB slots of several bodies at once, as the store sends them', async () => {
    const pool = new HashPool(2);
    const bodies = Array.from({ length: 7 }, (_, i) => randomBytes(3 * 1024 * 1024 + i * 1013));
    const slot = 1024 * 1024;
    const digests = await Promise.all(
      bodies.map(async (body) => {
        const job = pool.open(['md5', 'sha256']);
        for (let at = 0; at < body.length; at += slot) {
          const piece = body.subarray(at, at + slot);
          await job.update(shared(piece), piece.length);
        }
        return job.digest();
      }),
    );
    bodies.forEach((body, i) =>
      expect(digests[i]).toEqual(['md5', 'sha256'].map((a) => createHash(a).update(body).digest('hex'))),
    );
    await pool.terminate();
  });

  it('hashes empty, short and odd-length bodies', async () => {
    const pool = new HashPool(1);
    const bodies = [randomBytes(0), randomBytes(100), randomBytes(2 * 1024 * 1024 + 3)];
    const digests = await Promise.all(
      bodies.map(async (body) => {
        const job = pool.open(['md5', 'sha1']);
        if (body.length > 0) await job.update(shared(body), body.length);
        return job.digest();
      }),
    );
    bodies.forEach((body, i) =>
      expect(digests[i]).toEqual(['md5', 'sha1'].map((a) => createHash(a).update(body).digest('hex'))),
    );
    await pool.terminate();
  });

  it('hashes only the given length of a slot', async () => {
    const pool = new HashPool(1);
    const job = pool.open(['md5']);
    await job.update(shared(Buffer.from('hello world')), 5);
    expect(await job.digest()).toEqual([createHash('md5').update('hello').digest('hex')]);
    await pool.terminate();
  });

  it('frees a dropped job in the worker', async () => {
    const pool = new HashPool(1);
    const job = pool.open(['md5']);
    await job.update(shared(randomBytes(100)), 100);
    expect(await pool.workerJobs()).toBe(1);
    job.drop();
    expect(await pool.workerJobs()).toBe(0);
    await expect(job.digest()).rejects.toThrow('ended');
    await pool.terminate();
  });

  it('reports an unknown algorithm on the job, not by crashing the worker', async () => {
    const pool = new HashPool(1);
    const bad = pool.open(['nope' as 'md5']);
    const good = pool.open(['md5']);
    await expect(bad.update(shared(Buffer.from('x')), 1)).rejects.toThrow(/digest/i);
    await good.update(shared(Buffer.from('x')), 1);
    expect(await good.digest()).toEqual([createHash('md5').update('x').digest('hex')]);
    bad.drop();
    await pool.terminate();
  });

  it("fails a dead worker's jobs and starts a new worker for the next", async () => {
    const pool = new HashPool(1);
    const job = pool.open(['md5']);
    // 64 MiB still being hashed when the worker is stopped: its digest cannot have come first (with 3
    // bytes it sometimes did, on a busy machine, and the test failed).
    const big = new SharedArrayBuffer(64 * 1024 * 1024);
    const hashing = job.update(big, big.byteLength).catch(() => {});
    const digest = job.digest();
    await pool.terminate();
    await expect(digest).rejects.toThrow(/hash worker/);
    await hashing;
    const next = pool.open(['md5']);
    await next.update(shared(Buffer.from('abc')), 3);
    expect(await next.digest()).toEqual([createHash('md5').update('abc').digest('hex')]);
    await pool.terminate();
  });

  it('keeps the process alive while a digest is owed, and not once idle', async () => {
    // Plain node with only tsx to load this .ts file; the worker itself needs no loader.
    const dir = await mkdtemp(join(tmpdir(), 'hash-pool-'));
    try {
      const script = join(dir, 'script.mts');
      const module = fileURLToPath(new URL('./hash-pool.ts', import.meta.url));
      await writeFile(
        script,
        `import { HashPool } from ${JSON.stringify(module)};
const job = new HashPool(1).open(['md5']);
const sab = new SharedArrayBuffer(3);
Buffer.from(sab).write('abc');
await job.update(sab, 3);
console.log((await job.digest())[0]);
`,
      );
      const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', script], {
        cwd: fileURLToPath(new URL('../..', import.meta.url)),
        timeout: 20_000,
      });
      expect(stdout.trim()).toBe(createHash('md5').update('abc').digest('hex'));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
