import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { LOCAL_S3_TEST_CREDENTIALS } from '../server/local-s3/index.ts';
import { measureCpu } from './lib/processes.ts';
import { launchRawChromium } from './lib/raw-chromium.ts';
import type { Stack } from './lib/stack.ts';
import { figure } from './lib/stats.ts';

const run = promisify(execFile);

/**
 * Times the page from the pick (the input's `change`) until the totals say every file is done. The list
 * renders only the rows in view past 100, so the totals line, not the rows, tells when all are done.
 */
const PAGE_TIMING = (count: number) => `(() => {
  const w = window;
  w.__timing = { picked: 0, done: 0 };
  document.addEventListener('change', () => (w.__timing.picked = performance.now()), { capture: true, once: true });
  const all = ${JSON.stringify(`${count.toLocaleString('en-US')} of ${count.toLocaleString('en-US')} done`)};
  new MutationObserver(() => {
    const totals = document.querySelector('[data-testid="upload-totals"]');
    if (!w.__timing.done && totals && totals.textContent.includes(" · " + all)) w.__timing.done = performance.now();
  }).observe(document, { subtree: true, childList: true, characterData: true });
})()`;

const WAIT = `new Promise((resolve, reject) => {
  const t = setInterval(() => {
    if (window.__timing.done) { clearInterval(t); resolve(window.__timing); }
    else if (document.querySelector('[data-status="failed"]')) { clearInterval(t); reject(new Error('an upload failed')); }
  }, 20);
})`;

export interface SmallFilesBenchOptions {
  stack: Stack;
  runs?: number;
  count?: number;
  fileBytes?: number;
  log?: (line: string) => void;
}

/**
 * Many small files: `count` files of `fileBytes` picked at once in the page (no debugger attached:
 * raw-chromium.ts), against `aws s3 cp --recursive` (the image's CLI v1: ten threads, one PUT a file)
 * with the same files to the same store. Per file the page makes a share of a create call to Hoist
 * (POST /api/uploads/many), and the browser a CORS preflight and the PUT; the CLI only the PUT.
 */
export async function runSmallFilesBench(options: SmallFilesBenchOptions) {
  const { stack } = options;
  const runs = options.runs ?? 3;
  const count = options.count ?? 500;
  const fileBytes = options.fileBytes ?? 16 * 1024;
  const log = options.log ?? console.error;
  const dir = await mkdtemp(join(tmpdir(), 'hoist-bench-small-'));
  const raw = await launchRawChromium();
  const groups = {
    browser: raw.pids,
    server: async () => [stack.serverPid],
    store: async () => (stack.storePid ? [stack.storePid] : []),
  };
  const cliEnv = {
    ...process.env,
    AWS_ACCESS_KEY_ID: LOCAL_S3_TEST_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_S3_TEST_CREDENTIALS.secretAccessKey,
    AWS_DEFAULT_REGION: 'us-east-1',
  };
  try {
    log(`small files: ${runs}× ${count} files of ${fileBytes / 1024} KiB, page beside aws s3 cp --recursive`);
    const page: number[] = [];
    const cli: number[] = [];
    const cpu: Record<string, number>[] = [];
    for (let i = 0; i < runs; i++) {
      const folder = join(dir, `run-${i}`);
      await mkdir(folder);
      const paths: string[] = [];
      for (let n = 0; n < count; n++) {
        const path = join(folder, `small-${i}-${n}.bin`);
        await writeFile(path, Buffer.alloc(fileBytes, (n * 7 + i) % 251));
        paths.push(path);
      }
      const tab = await raw.newPage(stack.baseURL, [PAGE_TIMING(count)]);
      const measured = await measureCpu(groups, async () => {
        await tab.setInputFiles('[data-testid="file-input"]', paths);
        const { picked, done } = await tab.evaluate<{ picked: number; done: number }>(WAIT);
        return done - picked;
      });
      await tab.close();
      page.push(count / (measured.result / 1000));
      cpu.push(
        Object.fromEntries(Object.entries(measured.cpuSeconds).map(([k, v]) => [k, (v / count) * 1000])),
      );
      const t0 = performance.now();
      await run(
        'aws',
        [
          '--endpoint-url',
          stack.storeEndpoint,
          's3',
          'cp',
          '--recursive',
          '--quiet',
          folder,
          `s3://hoist/bench-cli-${i}/`,
        ],
        { env: cliEnv },
      );
      cli.push(count / ((performance.now() - t0) / 1000));
      log(`  run ${i + 1}: page ${page.at(-1)!.toFixed(0)} files/s, CLI ${cli.at(-1)!.toFixed(0)} files/s`);
    }
    return {
      count,
      fileKiB: fileBytes / 1024,
      pageFilesPerSecond: figure(page),
      cliFilesPerSecond: figure(cli),
      ratioToCli: figure(page.map((p, i) => p / cli[i]!)),
      /** CPU milliseconds per file in the page's runs, by process group */
      cpuMsPerFile: cpu,
    };
  } finally {
    await raw.close();
    await rm(dir, { recursive: true, force: true });
  }
}
