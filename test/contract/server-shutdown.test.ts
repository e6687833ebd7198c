import { spawn } from 'node:child_process';
import { get } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort } from '../e2e/support/ports.ts';
import { childEnv, PROCESS_START_TIMEOUT_MS } from '../e2e/support/child-env.ts';

// The process entry: SIGTERM stops accepting, lets in-flight API calls finish, and exits 0.
describe('npm start’s process on SIGTERM', () => {
  it('finishes the call in flight, refuses new connections and exits cleanly', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'hoist-shutdown-'));
    const port = await freePort();
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts'], {
      env: childEnv({ PORT: String(port), STORE_PORT: String(await freePort()), HOIST_DATA_DIR: dataDir }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const base = `http://127.0.0.1:${port}`;
      await expect.poll(() => output, { timeout: PROCESS_START_TIMEOUT_MS }).toContain('Hoist is ready');
      // A self-test run touches the store several times: long enough to be in flight at SIGTERM.
      const inFlight = fetch(`${base}/api/health?refresh=1`);
      await new Promise((r) => setTimeout(r, 20));
      child.kill('SIGTERM');
      const res = await inFlight;
      expect(res.status).toBe(200);
      expect(((await res.json()) as { checks: unknown[] }).checks.length).toBeGreaterThan(0);
      expect(await exited).toBe(0);
      expect(output).toContain('SIGTERM: finishing in-flight requests, then stopping');
      await expect(fetch(`${base}/api/health`)).rejects.toThrow();
    } finally {
      child.kill('SIGKILL');
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

/** GET `path` with a Host header of our choosing (a load balancer asks by its own name for the backend). */
function getWithHost(port: number, path: string, host: string) {
  return new Promise<{ status: number; body: unknown; connection: string | undefined }>((resolve, reject) => {
    get({ host: '127.0.0.1', port, path, headers: { host }, agent: false }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body: JSON.parse(text), connection: res.headers.connection }),
      );
    }).on('error', reject);
  });
}

describe('behind a load balancer (GET /api/ready, HOIST_SHUTDOWN_DELAY)', () => {
  it('is ready once its self-test reached the bucket; on SIGTERM it says not ready, serves on for the delay with connections closed after each answer, then exits', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'hoist-drain-'));
    const port = await freePort();
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts'], {
      env: childEnv({
        PORT: String(port),
        STORE_PORT: String(await freePort()),
        HOIST_DATA_DIR: dataDir,
        HOIST_SHUTDOWN_DELAY: '3s',
      }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    let exitedAt = 0;
    const exited = new Promise<number | null>((resolve) =>
      child.once('exit', (code) => {
        exitedAt = Date.now();
        resolve(code);
      }),
    );
    try {
      await expect.poll(() => output, { timeout: PROCESS_START_TIMEOUT_MS }).toContain('Hoist is ready');
      // Asked under a name the API itself refuses (no HOIST_ACCESS_TOKEN: only this machine's names).
      await expect
        .poll(async () => (await getWithHost(port, '/api/ready', 'backend.internal:8080')).status, {
          timeout: 30_000,
        })
        .toBe(200);
      expect((await getWithHost(port, '/api/ready', 'backend.internal:8080')).body).toEqual({ ready: true });
      expect((await getWithHost(port, '/api/health', 'backend.internal:8080')).status).toBe(403);

      child.kill('SIGTERM');
      const termAt = Date.now();
      await expect
        .poll(async () => (await getWithHost(port, '/api/ready', '127.0.0.1')).status, { timeout: 2_000 })
        .toBe(503);
      expect((await getWithHost(port, '/api/ready', '127.0.0.1')).body).toEqual({
        ready: false,
        reason: 'stopping',
      });
      // Still serving the pages it has, each answer closing its connection.
      const health = await getWithHost(port, '/api/health', '127.0.0.1');
      expect(health.status).toBe(200);
      expect(health.connection).toBe('close');
      expect(output).toContain(
        'SIGTERM: GET /api/ready answers 503 from now on; serving 3 s more (HOIST_SHUTDOWN_DELAY), then stopping',
      );
      expect(await exited).toBe(0);
      expect(exitedAt - termAt).toBeGreaterThanOrEqual(2_900);
      expect(output).toContain('SIGTERM: finishing in-flight requests, then stopping');
    } finally {
      child.kill('SIGKILL');
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
