import { defineConfig } from '@playwright/test';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './test/e2e/support/chromium.ts';
import { appPortOf, dataDirOf, storePortOf } from './test/e2e/support/worker-server.ts';
import { LOCAL_S3_TEST_CREDENTIALS } from './server/local-s3/index.ts';

// Each worker has its own Hoist server and embedded store (its own port and data dir), so tests that
// look inside the store or stop it never see another worker's. Workers: E2E_WORKERS, 1 by default.
// `npm run test:e2e` (scripts/e2e.sh) and `npm test` (scripts/test.sh) run the suite in two passes: the
// "shared" project on two workers, then the "timed" one alone on one (in `npm test`, with the contract
// suite beside it at the lowest CPU priority). The timed files hold the tests whose claims depend on
// time passing as planned (a hung store noticed within half a minute, an outage or offline spell
// waited out, parts paced on a throttled link, URLs that expire after 5 s): run beside another
// worker's work they failed 1 run in 2. The shared ones wait for states rather than deadlines (their
// throttling only keeps a transfer running long enough to act on it); the tightest is "no request in
// flight 1 s after Pause or Cancel", an abort, which holds under load. A test with a deadline goes in
// a timed file. The suite went from 16.5 to about 13 min. `npx playwright test` alone runs both
// projects on one worker.
const workers = Number(process.env.E2E_WORKERS ?? 1);
const TIMED =
  /(faults-store-outage|faults-app|download-failures|upload-faults|upload-resume|upload-queue-feedback|health-banner)\.spec\.ts$/;
process.env.E2E_PORT ??= String(18080 + Math.floor(Math.random() * 900));
// A fresh data directory per run, shared with the tests so they can look inside the store, and
// removed by the global teardown.
if (!process.env.E2E_DATA_DIR) {
  process.env.E2E_DATA_DIR = mkdtempSync(join(tmpdir(), 'hoist-e2e-'));
  process.env.E2E_DATA_DIR_OWNED = '1';
}

const servers = Array.from({ length: workers }, (_, index) => {
  const port = appPortOf(index);
  const dataDir = dataDirOf(index);
  mkdirSync(dataDir, { recursive: true });
  return {
    command: 'tsx server/index.ts',
    url: `http://127.0.0.1:${port}/api/health`,
    reuseExistingServer: false,
    timeout: 120_000, // tsx compiles the server as it starts: slow on a busy machine
    stdout: 'pipe' as const,
    env: {
      PORT: String(port),
      HOST: '127.0.0.1',
      HOIST_DATA_DIR: dataDir,
      STORE_PORT: String(storePortOf(index)),
      // The tests' keys (storeClient in support/fixtures.ts), not this store's own.
      S3_ACCESS_KEY_ID: LOCAL_S3_TEST_CREDENTIALS.accessKeyId,
      S3_SECRET_ACCESS_KEY: LOCAL_S3_TEST_CREDENTIALS.secretAccessKey,
    },
  };
});

export default defineConfig({
  testDir: 'test/e2e',
  globalTeardown: './test/e2e/support/global-teardown.ts',
  workers,
  fullyParallel: false,
  retries: 0,
  timeout: 180_000,
  reporter: [['list']],
  // Per checkout, so two runs on one machine never share (and delete) each other's traces.
  outputDir: 'test-results',
  use: {
    // Each test's baseURL is its worker's server (see the baseURL fixture in support/fixtures.ts).
    // A failed test keeps its trace: each action with its timing, the console, page errors and the
    // test's source. Not the screencast or the DOM and network snapshots: recording those for every test
    // cost a third of the suite's time (2.9 against 2.0 min for the download and list files; the
    // network snapshot copies every body the page sends or gets, hundreds of MiB here).
    trace: { mode: 'retain-on-failure', screenshots: false, snapshots: false },
    browserName: 'chromium',
    launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS },
  },
  projects: [
    // Each pass clears only its own project's folder of traces, not the other pass's.
    { name: 'shared', testIgnore: TIMED, outputDir: 'test-results/shared' },
    { name: 'timed', testMatch: TIMED, outputDir: 'test-results/timed' },
  ],
  webServer: servers,
});
