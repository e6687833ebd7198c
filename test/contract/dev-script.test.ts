import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort } from '../e2e/support/ports.ts';
import { childEnv, PROCESS_START_TIMEOUT_MS } from '../e2e/support/child-env.ts';

// `npm run dev`: the API server in watch mode behind Vite. It runs the embedded store whatever store the
// contract suite points at, so it runs once, in the embedded store's run.
const embeddedRun = !process.env.S3_ENDPOINT;

function startDev(env: Record<string, string>): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/dev.ts'], {
    env: childEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  return { child, output: () => output };
}

const exited = (child: ChildProcess) =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve(child.exitCode)
    : new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

/** Whether something answers HTTP at `port` on this machine. */
const answers = (port: number) =>
  fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(2000) }).then(
    () => true,
    () => false,
  );

describe.runIf(embeddedRun)('npm run dev', () => {
  it('stops at once with the message of a bad setting, leaving no Vite behind', async () => {
    const vitePort = await freePort();
    const { child, output } = startDev({
      PORT: String(await freePort()),
      VITE_PORT: String(vitePort),
      HOIST_PRESIGN_TTL: '9d',
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), PROCESS_START_TIMEOUT_MS);
    const code = await exited(child);
    clearTimeout(timer);
    expect(code, output()).toBe(1);
    expect(output()).toContain('HOIST_PRESIGN_TTL: from 1s up to 7d');
    expect(await answers(vitePort)).toBe(false);
  });

  it('stops at once, naming the setting, for a bad VITE_PORT or an API port another process holds', async () => {
    const run = async (env: Record<string, string>) => {
      const { child, output } = startDev(env);
      const timer = setTimeout(() => child.kill('SIGKILL'), PROCESS_START_TIMEOUT_MS);
      const code = await exited(child);
      clearTimeout(timer);
      return { code, output: output() };
    };
    const badVite = await run({ PORT: String(await freePort()), VITE_PORT: 'abc' });
    expect(badVite).toMatchObject({ code: 1, output: expect.stringContaining('VITE_PORT: a port number') });
    expect(badVite.output).not.toContain('HOIST_PUBLIC_URL');

    const held = createServer();
    await new Promise<void>((resolve) => held.listen(0, '127.0.0.1', resolve));
    const heldPort = (held.address() as AddressInfo).port;
    const vitePort = await freePort();
    try {
      const busy = await run({ PORT: String(heldPort), VITE_PORT: String(vitePort) });
      expect(busy.code, busy.output).toBe(1);
      expect(busy.output).toContain(
        `port ${heldPort} is already in use (another Hoist?). Set PORT to a free port.`,
      );
      expect(await answers(vitePort)).toBe(false);
    } finally {
      held.close();
    }
  });

  it("serves the page and the API at Vite's address, which the API takes as its own; Ctrl+C stops it all", async () => {
    const [apiPort, vitePort, storePort] = [await freePort(), await freePort(), await freePort()];
    const dataDir = await mkdtemp(join(tmpdir(), 'hoist-dev-'));
    const { child, output } = startDev({
      PORT: String(apiPort),
      VITE_PORT: String(vitePort),
      STORE_PORT: String(storePort),
      HOIST_DATA_DIR: dataDir,
    });
    try {
      const vite = `http://localhost:${vitePort}`;
      const health = () =>
        fetch(`${vite}/api/health`, { signal: AbortSignal.timeout(5000) }).then(
          (r) => r.status,
          () => 0,
        );
      await expect
        .poll(health, { timeout: PROCESS_START_TIMEOUT_MS, interval: 500 })
        .toBe(200)
        .catch((error: unknown) => {
          throw new Error(`${String(error)}\n${output()}`);
        });
      const page = await fetch(`${vite}/`);
      expect(await page.text()).toContain('<div id="root">');
      // A request the page makes from Vite's origin is taken (a body the API refuses as invalid: 400),
      // not refused as from another origin (403).
      const post = await fetch(`${vite}/api/uploads`, {
        method: 'POST',
        headers: { origin: vite, 'content-type': 'application/json' },
        body: '{}',
      });
      expect(post.status, await post.text()).toBe(400);
      // The same page opened at the other spelling of this machine is Vite's page too, and is taken.
      const numeric = await fetch(`http://127.0.0.1:${vitePort}/api/uploads`, {
        method: 'POST',
        headers: { origin: `http://127.0.0.1:${vitePort}`, 'content-type': 'application/json' },
        body: '{}',
      });
      expect(numeric.status, await numeric.text()).toBe(400);

      child.kill('SIGINT');
      await exited(child);
      await expect
        .poll(() => Promise.all([apiPort, vitePort, storePort].map(answers)))
        .toEqual([false, false, false]);
    } finally {
      // Its children run in process groups of their own, which only the script stops.
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGINT');
        await Promise.race([exited(child), new Promise((resolve) => setTimeout(resolve, 10_000))]);
      }
      child.kill('SIGKILL');
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
