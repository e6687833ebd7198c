import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { request } from 'node:http';
import { chmod, mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { bodyIdle } from './body-idle.ts';
import { lockText } from './data-dir-lock.ts';
import { startLocalS3, type LocalS3 } from './index.ts';
import { Layout } from './layout.ts';

/** The store as other S3 tools see it: started on a real temp dir, spoken to over HTTP with the SDK. */

const credentials = {
  accessKeyId: 'TESTKEY0000000000000',
  secretAccessKey: 'test-secret-key-0000000000000000000000',
};
const Bucket = 'bucket';
let dir: string;
const started: LocalS3[] = [];
const clients: S3Client[] = [];
const children: ChildProcess[] = [];

/** `npm run store` on `dataDir`/store, on a random port; resolves once it is ready, or with its exit code. */
// These start the store as its own process (tsx compiles it first), up to three one after another: on
// a busy 2-core box (CI, with the checks beside the unit tests) that took past 30 s. They time nothing:
// the limits are only there to end a test that hangs.
const PROCESS_TEST_MS = 120_000;
const WAIT = { timeout: 15_000 };

async function storeProcess(
  dataDir: string,
  env: Record<string, string> = {},
  args: string[] = [],
): Promise<{ child: ChildProcess; output: () => string; code?: number }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(new URL('./main.ts', import.meta.url)), ...args],
    {
      env: { ...process.env, HOIST_DATA_DIR: dataDir, STORE_PORT: '0', HOST: '127.0.0.1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  children.push(child);
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = once(child, 'exit').then(([code]) => code as number);
  const ready = new Promise<void>((resolve) =>
    child.stdout!.on('data', () => output.includes('[store] endpoint') && resolve()),
  );
  const code = await Promise.race([ready.then(() => undefined), exited]);
  return { child, output: () => output, ...(code === undefined ? {} : { code }) };
}

async function start(port = 0): Promise<{ store: LocalS3; client: S3Client }> {
  const store = await startLocalS3({ dataDir: dir, port, credentials, buckets: [Bucket] });
  started.push(store);
  const client = new S3Client({
    endpoint: store.endpoint,
    region: 'us-east-1',
    credentials,
    forcePathStyle: true,
    maxAttempts: 1,
  });
  clients.push(client);
  return { store, client };
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'local-s3-'));
});
afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  for (const c of clients.splice(0)) c.destroy();
  await Promise.all(started.splice(0).map((s) => s.close()));
  await rm(dir, { recursive: true, force: true });
});

describe('a Complete sent again after a crash during its clean-up', () => {
  it('answers 200 with the object it made, not InvalidPart', async () => {
    const first = await start();
    const { UploadId } = await first.client.send(new CreateMultipartUploadCommand({ Bucket, Key: 'k' }));
    const { ETag } = await first.client.send(
      new UploadPartCommand({ Bucket, Key: 'k', UploadId, PartNumber: 1, Body: 'whole file' }),
    );
    const layout = new Layout(dir);
    const uploadJson = await readFile(layout.uploadFile(Bucket, UploadId!), 'utf8');
    const complete = new CompleteMultipartUploadCommand({
      Bucket,
      Key: 'k',
      UploadId,
      MultipartUpload: { Parts: [{ PartNumber: 1, ETag }] },
    });
    const made = await first.client.send(complete);
    await first.store.close();
    // What the process left when killed while removing the upload: its record, not its part records.
    await mkdir(layout.uploadDir(Bucket, UploadId!));
    await writeFile(layout.uploadFile(Bucket, UploadId!), uploadJson);

    const again = await start();
    const retried = await again.client.send(complete);
    expect(retried.ETag).toBe(made.ETag);
  });
});

describe('a data dir an older version made', () => {
  it('is made private (0700) at start, saying so: it was readable by every user of the machine', async () => {
    await chmod(dir, 0o755);
    const lines: string[] = [];
    const store = await startLocalS3({
      dataDir: dir,
      port: 0,
      credentials,
      buckets: [Bucket],
      log: (l) => lines.push(l),
    });
    started.push(store);
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    expect(lines).toContain(`made ${dir} private (mode 0700): other users of this machine could read it`);
  });
});

describe('npm run store', () => {
  it(
    "takes this install's keys (from the data directory's secret), never fixed ones; beyond this machine it logs no secret key",
    async () => {
      const store = await storeProcess(dir, { HOST: '0.0.0.0' });
      expect(store.code).toBeUndefined();
      // The lines after the endpoint, which says it is ready.
      await vi.waitFor(() => expect(store.output()).toContain('[store] secret key '), WAIT);
      expect(store.output()).toContain(
        '[store] secret key      (not logged: the store is reachable beyond this machine; `npm run store -- --keys` prints it)',
      );
      const printed = (name: string) => new RegExp(`\\[store\\] ${name} +(\\S+)`).exec(store.output())![1]!;
      const port = new URL(printed('endpoint')).port;
      // A PUT signed with each pair of keys, as any S3 client sends it.
      const ask = async (keys: typeof credentials) => {
        const client = new S3Client({
          endpoint: `http://127.0.0.1:${port}`,
          region: 'us-east-1',
          credentials: { ...keys },
          forcePathStyle: true,
          requestChecksumCalculation: 'WHEN_REQUIRED',
        });
        clients.push(client);
        const url = await getSignedUrl(client, new PutObjectCommand({ Bucket: 'hoist', Key: 'k' }));
        const res = await fetch(url, { method: 'PUT', body: 'x' });
        return { status: res.status, body: await res.text() };
      };
      const { LOCAL_S3_TEST_CREDENTIALS } = await import('./index.ts');
      // The tests' pair is the one every store took before 2026-12-06: refused, saying why and what to do,
      // and logged once (a share link made before the upgrade, opened again and again).
      for (let i = 0; i < 2; i++) {
        const refused = await ask(LOCAL_S3_TEST_CREDENTIALS);
        expect(refused.status).toBe(403);
        expect(refused.body).toContain('<Code>InvalidAccessKeyId</Code>');
        expect(refused.body).toContain('is the fixed key Hoist&apos;s embedded store took before 2026-12-06');
        expect(refused.body).toContain('`npm run store -- --keys` prints them');
      }
      await vi.waitFor(
        () => expect(store.output()).toContain('refused a request signed with the retired access key'),
        WAIT,
      );
      expect(store.output().split('retired access key').length - 1).toBe(1);
      expect(printed('access key id')).not.toBe(LOCAL_S3_TEST_CREDENTIALS.accessKeyId);

      // `--keys` prints the pair and exits, starting nothing, while this store holds the data dir; asked
      // on this machine (no HOST), the same: the keys come from the data dir, not from where it listens.
      const told = await storeProcess(dir, { HOST: '0.0.0.0' }, ['--keys']);
      expect(told.code).toBe(0);
      const keys = {
        accessKeyId: /\[store\] access key id +(\S+)/.exec(told.output())![1]!,
        secretAccessKey: /\[store\] secret key +(\S+)/.exec(told.output())![1]!,
      };
      expect(keys.accessKeyId).toBe(printed('access key id'));
      expect(told.output()).not.toContain('endpoint');
      expect(await ask(keys)).toEqual({ status: 200, body: '' });
      const asked = await storeProcess(dir, {}, ['--keys']);
      expect(asked.output()).toContain(`[store] access key id   ${keys.accessKeyId}\n`);
      expect(asked.output()).toContain(`[store] secret key      ${keys.secretAccessKey}\n`);
    },
    PROCESS_TEST_MS,
  );

  it(
    'given the retired fixed pair (S3_ACCESS_KEY_ID), takes it but warns that everyone knows it',
    async () => {
      const { LOCAL_S3_TEST_CREDENTIALS: retired } = await import('./index.ts');
      const store = await storeProcess(dir, {
        S3_ACCESS_KEY_ID: retired.accessKeyId,
        S3_SECRET_ACCESS_KEY: retired.secretAccessKey,
      });
      expect(store.code).toBeUndefined();
      await vi.waitFor(() => expect(store.output()).toContain('[store] secret key '), WAIT);
      expect(store.output()).toContain(
        `[store] warning: S3_ACCESS_KEY_ID is ${retired.accessKeyId}, the fixed key Hoist's store took before 2026-12-06, which is published`,
      );
    },
    PROCESS_TEST_MS,
  );

  it(
    'on this machine, logs its keys, so other S3 tools can use the bucket; another data directory has others',
    async () => {
      const store = await storeProcess(dir, {});
      await vi.waitFor(() => expect(store.output()).toMatch(/\[store\] secret key +\S+/), WAIT);
      const secretKey = /\[store\] secret key +(\S+)/.exec(store.output())![1]!;
      const { LOCAL_S3_TEST_CREDENTIALS } = await import('./index.ts');
      expect(secretKey).not.toBe(LOCAL_S3_TEST_CREDENTIALS.secretAccessKey);
      const other = await mkdtemp(join(tmpdir(), 'hoist-keys-'));
      try {
        const elsewhere = await storeProcess(other, {}, ['--keys']);
        expect(/\[store\] secret key +(\S+)/.exec(elsewhere.output())![1]).not.toBe(secretKey);
      } finally {
        await rm(other, { recursive: true, force: true });
      }
    },
    PROCESS_TEST_MS,
  );

  it(
    "lets a Hoist page at any origin in, as `npm start`'s store does, so a Hoist server pointed at it works",
    async () => {
      const store = await storeProcess(dir, {});
      expect(store.code).toBeUndefined();
      const endpoint = /\[store\] endpoint +(\S+)/.exec(store.output())![1]!;
      const preflight = await fetch(`${endpoint}/hoist/some/key?partNumber=1`, {
        method: 'OPTIONS',
        headers: {
          Origin: 'https://hoist.example.com',
          'Access-Control-Request-Method': 'PUT',
          'Access-Control-Request-Headers': 'content-type',
        },
      });
      expect(preflight.status).toBe(200);
      expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
      expect(preflight.headers.get('access-control-allow-methods')).toContain('PUT');
    },
    PROCESS_TEST_MS,
  );

  it(
    'stops on a bad setting with the message alone, naming the variable',
    async () => {
      // As `npm start` says it (config.ts); a bad bucket name too, not the stack trace of its creation.
      const bad = await storeProcess(dir, { STORE_PORT: 'abc' });
      expect(bad.code).toBe(1);
      expect(bad.output().trim()).toBe(
        '[store] Invalid configuration:\n  STORE_PORT: a port number from 0 to 65535 (0: any free port)',
      );
      const bucket = await storeProcess(dir, { S3_BUCKET: 'Bad_Bucket' });
      expect(bucket.code).toBe(1);
      expect(bucket.output().trim()).toBe(
        '[store] Invalid configuration:\n  S3_BUCKET: a valid S3 bucket name (3–63 of a-z 0-9 . -)',
      );
    },
    PROCESS_TEST_MS,
  );
});

describe('one store per data dir', () => {
  it(
    'refuses a second store process on the data dir, naming the dir and the first one, and deletes nothing',
    async () => {
      const first = await storeProcess(dir);
      expect(first.code).toBeUndefined();
      const storeDir = join(dir, 'store');
      // A PUT of the first store, still arriving: a second start-up sweep would delete it.
      await writeFile(join(storeDir, 'tmp', 'in-flight'), 'bytes');

      const second = await storeProcess(dir);
      expect(second.code).toBe(1);
      expect(second.output()).toContain(
        `the data dir ${storeDir} is in use by another store process (pid ${first.child.pid})`,
      );
      await expect(startLocalS3({ dataDir: storeDir, port: 0, credentials })).rejects.toThrow(
        `in use by another store process (pid ${first.child.pid})`,
      );
      expect(await readdir(join(storeDir, 'tmp'))).toEqual(['in-flight']);
    },
    PROCESS_TEST_MS,
  );

  it(
    'takes over the lock of a store killed with SIGKILL',
    async () => {
      const first = await storeProcess(dir);
      first.child.kill('SIGKILL');
      await once(first.child, 'exit');
      expect(await readFile(join(dir, 'store', 'LOCK'), 'utf8')).toMatch(
        new RegExp(`^${first.child.pid} \\d+\n$`),
      );
      await startLocalS3({ dataDir: join(dir, 'store'), port: 0, credentials }).then((s) => started.push(s));
    },
    PROCESS_TEST_MS,
  );

  it('takes over a lock whose pid another process has now (a container restarted), not one whose process lives', async () => {
    const other = spawn('sleep', ['30']);
    try {
      await once(other, 'spawn');
      await mkdir(dir, { recursive: true });
      // The pid is alive, but the process that has it started at another time than the one that wrote it.
      await writeFile(join(dir, 'LOCK'), `${other.pid} 1\n`);
      const first = await start();
      await first.store.close();
      // The lock as that very process would have written it: in use.
      await writeFile(join(dir, 'LOCK'), lockText(other.pid!));
      await expect(start()).rejects.toThrow(`in use by another store process (pid ${other.pid})`);
    } finally {
      other.kill('SIGKILL');
    }
  });

  it('refuses a second store in the same process, and takes the dir again once the first is closed', async () => {
    const first = await start();
    await expect(start()).rejects.toThrow(`the data dir ${dir} is in use by a store this process`);
    await first.store.close();
    await start();
  });

  it('of two stores started at once in one process on one data dir, one starts and one is refused', async () => {
    const results = await Promise.allSettled([start(), start()]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const refused = results.find((r) => r.status === 'rejected')!;
    expect(String(refused.reason)).toContain(`the data dir ${dir} is in use by a store this process`);
  });

  it('a start aborted as it ends leaves no store running and lets the dir go', async () => {
    const stop = new AbortController();
    const log = (line: string) => {
      if (line.startsWith('listening on')) stop.abort(new Error('stopped'));
    };
    await expect(
      startLocalS3({ dataDir: dir, port: 0, credentials, log }, { signal: stop.signal }),
    ).rejects.toThrow('stopped');
    await start(); // the lock was let go
  });

  it('binds its port before the start-up sweep: a start whose port is taken deletes nothing', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as { port: number }).port;
    try {
      await mkdir(join(dir, 'tmp'), { recursive: true });
      await writeFile(join(dir, 'tmp', 'in-flight'), 'bytes');
      await expect(start(port)).rejects.toMatchObject({ code: 'EADDRINUSE' });
      expect(await readdir(join(dir, 'tmp'))).toEqual(['in-flight']);
    } finally {
      taken.close();
    }
    await start(); // and the lock was let go
  });
});

describe('a request body that stops arriving', () => {
  it('is dropped after the idle time, and its temp file removed', async () => {
    const idleMs = bodyIdle.ms;
    bodyIdle.ms = 300;
    try {
      const { client } = await start();
      const url = new URL(await getSignedUrl(client, new PutObjectCommand({ Bucket, Key: 'k' })));
      const req = request(url, { method: 'PUT', headers: { 'content-length': String(1024 * 1024) } });
      const closed = new Promise((resolve) => req.on('close', resolve));
      req.on('error', () => undefined);
      req.write(Buffer.alloc(100 * 1024)); // then nothing, and no FIN: a laptop gone to sleep
      await new Promise((r) => setTimeout(r, 150));
      expect(await readdir(join(dir, 'tmp'))).toHaveLength(1);
      const cut = await Promise.race([
        closed.then(() => 'closed'),
        new Promise((r) => setTimeout(r, 3000, 'open')),
      ]);
      expect(cut).toBe('closed');
      await new Promise((r) => setTimeout(r, 100));
      expect(await readdir(join(dir, 'tmp'))).toEqual([]);
      req.destroy();
    } finally {
      bodyIdle.ms = idleMs;
    }
  });
});
