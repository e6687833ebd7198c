import { defineConfig } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './test/e2e/support/chromium.ts';

const port = Number(process.env.E2E_PORT ?? 18080 + Math.floor(Math.random() * 1000));
// A fresh data directory per run, shared with the tests so they can look inside the store, and
// removed by the global teardown.
if (!process.env.E2E_DATA_DIR) {
  process.env.E2E_DATA_DIR = mkdtempSync(join(tmpdir(), 'hoist-e2e-'));
  process.env.E2E_DATA_DIR_OWNED = '1';
}
const dataDir = process.env.E2E_DATA_DIR;
process.env.E2E_PORT = String(port);

export default defineConfig({
  testDir: 'test/e2e',
  globalTeardown: './test/e2e/support/global-teardown.ts',
  // One worker: the tests inspect the one store's data dir, and the box has two cores.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 180_000,
  reporter: process.env.CI ? [['list']] : [['list']],
  // Per checkout, so two runs on one machine never share (and delete) each other's traces.
  outputDir: 'test-results',
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: 'retain-on-failure',
    browserName: 'chromium',
    launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS },
  },
  webServer: {
    command: 'tsx server/index.ts',
    url: `http://127.0.0.1:${port}/api/health`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'pipe',
    env: {
      PORT: String(port),
      HOST: '127.0.0.1',
      HOIST_DATA_DIR: dataDir,
      STORE_PORT: String(port + 1000),
    },
  },
});
