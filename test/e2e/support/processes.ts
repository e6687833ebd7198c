import { DeleteBucketCorsCommand, S3Client } from '@aws-sdk/client-s3';
import { childEnv, PROCESS_START_TIMEOUT_MS } from './child-env.ts';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOCAL_S3_TEST_CREDENTIALS } from '../../../server/local-s3/index.ts';
import { freePort } from './ports.ts';

/**
 * Processes that tests start themselves: the embedded store on its own (`npm run store`) so it can
 * be stopped under a running Hoist, and a Hoist server whose start waits only for the page to answer (its
 * health may be failing on purpose) and that exposes its pid for memory sampling.
 */

export interface Proc {
  pid(): number | undefined;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** stop and delete the data dir */
  dispose(): Promise<void>;
  log(): string;
}

export interface StoreProcess extends Proc {
  endpoint: string;
  dataDir: string;
}

export interface HoistProcess extends Proc {
  baseURL: string;
  storeEndpoint: string;
  dataDir: string;
}

/** Whether a child has ended: with a code, or killed by a signal (which leaves `exitCode` null). */
const ended = (c: ChildProcess) => c.exitCode !== null || c.signalCode !== null;

function managed(
  args: string[],
  env: Record<string, string>,
  ready: (output: string) => Promise<boolean>,
  dataDir: string,
): Proc {
  let child: ChildProcess | null = null;
  let output = '';
  const start = async () => {
    output = '';
    const c = spawn(process.execPath, ['--import', 'tsx', ...args], {
      env: childEnv(env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = c;
    c.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    c.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    const deadline = Date.now() + PROCESS_START_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (ended(c)) break;
      if (await ready(output).catch(() => false)) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    const how = ended(c)
      ? `exited with ${c.exitCode ?? c.signalCode}`
      : `not ready after ${PROCESS_START_TIMEOUT_MS / 1000} s`;
    c.kill('SIGKILL');
    throw new Error(`${args.join(' ')} did not start (${how}):\n${output}`);
  };
  const stop = async () => {
    const c = child;
    child = null;
    if (!c || ended(c)) return;
    await new Promise<void>((resolve) => {
      c.once('exit', () => resolve());
      c.kill('SIGTERM');
      setTimeout(() => c.kill('SIGKILL'), 5_000).unref();
    });
  };
  return {
    pid: () => child?.pid,
    start,
    stop,
    dispose: async () => {
      await stop();
      await rm(dataDir, { recursive: true, force: true });
    },
    log: () => output,
  };
}

/** The embedded store alone (server/local-s3/main.ts), given the tests' keys. */
export async function launchStore(): Promise<StoreProcess> {
  const port = await freePort();
  const dataDir = await mkdtemp(join(tmpdir(), 'hoist-e2e-store-'));
  const proc = managed(
    ['server/local-s3/main.ts'],
    { STORE_PORT: String(port), HOIST_DATA_DIR: dataDir, HOST: '127.0.0.1', ...TEST_KEYS },
    async (output) => output.includes('[store] endpoint'),
    dataDir,
  );
  await proc.start();
  const endpoint = `http://127.0.0.1:${port}`;
  // As a real bucket: no CORS rule until one is written (`npm run store` gives a new bucket the rule
  // `npm start`'s has), so what Hoist's S3_CONFIGURE_BUCKET writes, or a test's own rule, is all there is.
  const client = new S3Client({
    endpoint,
    region: 'us-east-1',
    credentials: { ...LOCAL_S3_TEST_CREDENTIALS },
    forcePathStyle: true,
  });
  try {
    await client.send(new DeleteBucketCorsCommand({ Bucket: 'hoist' }));
  } finally {
    client.destroy();
  }
  return { ...proc, endpoint, dataDir };
}

/** The env that points Hoist at a separately started store (LOCAL_S3_TEST_CREDENTIALS, CORS applied by Hoist: launchStore leaves it none). */
export function externalStoreEnv(endpoint: string): Record<string, string> {
  return { S3_ENDPOINT: endpoint, ...TEST_KEYS, S3_CONFIGURE_BUCKET: 'true' };
}

/**
 * The keys the tests' stores take (an embedded one included: given these, it takes no keys of its own),
 * so a test's S3 client reaches the store its server uses (fixtures.ts `storeClient`).
 */
export const TEST_KEYS = {
  S3_ACCESS_KEY_ID: LOCAL_S3_TEST_CREDENTIALS.accessKeyId,
  S3_SECRET_ACCESS_KEY: LOCAL_S3_TEST_CREDENTIALS.secretAccessKey,
};

/**
 * A Hoist server (with its embedded store unless env has S3_ENDPOINT). `waitFor: 'page'` returns once the
 * page is served, whatever the health says; 'healthy' (the default) waits for health ok.
 */
export async function launchHoist(
  env: Record<string, string> = {},
  options: { waitFor?: 'page' | 'healthy' } = {},
): Promise<HoistProcess> {
  // A PORT given: the address a page open before a restart is at.
  const port = env['PORT'] ? Number(env['PORT']) : await freePort();
  const storePort = await freePort();
  const dataDir = await mkdtemp(join(tmpdir(), 'hoist-e2e-app-'));
  const baseURL = `http://127.0.0.1:${port}`;
  const proc = managed(
    ['server/index.ts'],
    {
      PORT: String(port),
      STORE_PORT: String(storePort),
      HOIST_DATA_DIR: dataDir,
      HOST: '127.0.0.1',
      ...TEST_KEYS,
      ...env,
    },
    async () => {
      const signal = AbortSignal.timeout(10_000);
      if (options.waitFor === 'page') return (await fetch(`${baseURL}/`, { signal })).ok;
      return ((await (await fetch(`${baseURL}/api/health`, { signal })).json()) as { ok: boolean }).ok;
    },
    dataDir,
  );
  await proc.start();
  return { ...proc, baseURL, storeEndpoint: env['S3_ENDPOINT'] ?? `http://127.0.0.1:${storePort}`, dataDir };
}

/** Resident memory of a process now and at its peak (VmRSS, VmHWM from /proc/<pid>/status), in bytes. */
export async function memoryOf(pid: number): Promise<{ rss: number; peak: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kib = (name: string) =>
    Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
  return { rss: kib('VmRSS'), peak: kib('VmHWM') };
}
