import { childEnv } from './child-env.ts';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface AppProcess {
  baseURL: string;
  storeEndpoint: string;
  dataDir: string;
  /** SIGTERM and wait; the data dir stays. */
  stop(): Promise<void>;
  /** Start again on the same ports and data dir. */
  start(): Promise<void>;
  /** Stop and delete the data dir. */
  dispose(): Promise<void>;
  log(): string;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** A separate Hoist server (with its embedded store) for tests that need other settings or a restart. */
export async function launchApp(env: Record<string, string> = {}): Promise<AppProcess> {
  const port = await freePort();
  const storePort = await freePort();
  const dataDir = await mkdtemp(join(tmpdir(), 'hoist-e2e-app-'));
  let child: ChildProcess | null = null;
  let output = '';
  const baseURL = `http://127.0.0.1:${port}`;

  const start = async () => {
    child = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts'], {
      env: childEnv({
        PORT: String(port),
        STORE_PORT: String(storePort),
        HOIST_DATA_DIR: dataDir,
        HOST: '127.0.0.1',
        ...env,
      }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      try {
        const res = await fetch(`${baseURL}/api/health`);
        const body = (await res.json()) as { ok: boolean };
        if (body.ok) return;
      } catch {
        // not up yet
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`Hoist did not start:\n${output}`);
  };

  const stop = async () => {
    const c = child;
    child = null;
    if (!c || c.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      c.once('exit', () => resolve());
      c.kill('SIGTERM');
      setTimeout(() => c.kill('SIGKILL'), 5_000).unref();
    });
  };

  await start();
  return {
    baseURL,
    storeEndpoint: `http://127.0.0.1:${storePort}`,
    dataDir,
    stop,
    start,
    dispose: async () => {
      await stop();
      await rm(dataDir, { recursive: true, force: true });
    },
    log: () => output,
  };
}
