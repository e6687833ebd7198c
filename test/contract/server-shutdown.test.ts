import { spawn } from 'node:child_process';
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
