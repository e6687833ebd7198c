import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../test/e2e/support/ports.ts';
import { LOCAL_S3_TEST_CREDENTIALS as TEST_KEYS } from '../../server/local-s3/index.ts';

export interface Stack {
  baseURL: string;
  storeEndpoint: string;
  serverPid: number;
  storePid: number;
  dataDir: string;
  stop(): Promise<void>;
}

function start(
  args: string[],
  env: Record<string, string>,
  nodeArgs: string[] = [],
): { child: ChildProcess; output: () => string } {
  let out = '';
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', ...args], {
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  return { child, output: () => out };
}

async function waitFor(url: string, ok: (res: Response) => Promise<boolean>, log: () => string) {
  for (let i = 0; i < 300; i++) {
    try {
      if (await ok(await fetch(url))) return;
    } catch {
      // not yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not come up:\n${log()}`);
}

/**
 * The store and the Hoist server as two processes (so their CPU can be told apart), or the server
 * alone against an external S3_ENDPOINT.
 */
export async function startStack(
  env: Record<string, string> = {},
  external?: { endpoint: string; accessKeyId: string; secretAccessKey: string },
  options: { serverNodeArgs?: string[]; storeNodeArgs?: string[] } = {},
): Promise<Stack> {
  const dataDir = await mkdtemp(join(tmpdir(), 'hoist-bench-'));
  const port = await freePort();
  const children: ChildProcess[] = [];
  let storeEndpoint: string;
  let storePid = 0;
  let credentials: Record<string, string> = {};
  if (external) {
    storeEndpoint = external.endpoint;
    credentials = { S3_ACCESS_KEY_ID: external.accessKeyId, S3_SECRET_ACCESS_KEY: external.secretAccessKey };
  } else {
    const storePort = await freePort();
    storeEndpoint = `http://127.0.0.1:${storePort}`;
    const store = start(
      ['server/local-s3/main.ts'],
      {
        STORE_PORT: String(storePort),
        HOIST_DATA_DIR: join(dataDir, 'store'),
        S3_ACCESS_KEY_ID: TEST_KEYS.accessKeyId,
        S3_SECRET_ACCESS_KEY: TEST_KEYS.secretAccessKey,
      },
      options.storeNodeArgs,
    );
    children.push(store.child);
    storePid = store.child.pid!;
    await waitFor(storeEndpoint, async (r) => r.status > 0, store.output);
    credentials = {
      S3_ACCESS_KEY_ID: TEST_KEYS.accessKeyId,
      S3_SECRET_ACCESS_KEY: TEST_KEYS.secretAccessKey,
    };
  }
  const server = start(
    ['server/index.ts'],
    {
      PORT: String(port),
      HOIST_DATA_DIR: dataDir,
      S3_ENDPOINT: storeEndpoint,
      S3_CONFIGURE_BUCKET: 'true',
      S3_BUCKET: process.env.BENCH_BUCKET ?? 'hoist',
      ...credentials,
      ...env,
    },
    options.serverNodeArgs,
  );
  children.push(server.child);
  const baseURL = `http://127.0.0.1:${port}`;
  await waitFor(
    `${baseURL}/api/health`,
    async (r) => ((await r.json()) as { ok: boolean }).ok,
    server.output,
  );
  return {
    baseURL,
    storeEndpoint,
    serverPid: server.child.pid!,
    storePid,
    dataDir,
    async stop() {
      for (const c of children.reverse()) {
        if (c.exitCode !== null) continue;
        await new Promise<void>((resolve) => {
          c.once('exit', () => resolve());
          c.kill('SIGTERM');
          setTimeout(() => c.kill('SIGKILL'), 5000).unref();
        });
      }
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
