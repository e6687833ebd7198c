import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { chromium, type Page } from '@playwright/test';
import { link, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOCAL_S3_TEST_CREDENTIALS } from '../server/local-s3/index.ts';
import { planParts } from '../server/uploads/plan-parts.ts';
import { makeFile } from '../test/e2e/support/make-file.ts';
import { throttle } from '../test/e2e/support/network.ts';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../test/e2e/support/chromium.ts';
import { nodeSinglePut, nodeUpload } from './lib/node-uploader.ts';
import { measureCpu, processTree, rssBytes, sum } from './lib/processes.ts';
import { launchRawChromium, WAIT_FOR_TIMING, type RawBrowser } from './lib/raw-chromium.ts';
import { figure, MiB, mibPerSecond, repeat } from './lib/stats.ts';
import type { Stack } from './lib/stack.ts';

async function openBrowser() {
  const profile = await mkdtemp(join(tmpdir(), 'hoist-bench-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    args: [...CHROMIUM_ARGS, '--enable-precise-memory-info'],
    headless: true,
  });
  return {
    context,
    pids: () => processTree(profile),
    close: async () => {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

async function signCalls(baseURL: string): Promise<number> {
  const r = (await (await fetch(`${baseURL}/api/metrics`)).json()) as { signCalls: number };
  return r.signCalls;
}

function row(page: Page, name: string) {
  return page.getByTestId('upload-row').filter({ hasText: name });
}

/**
 * The browser's own reference: the same API calls and part PUTs (same part size, 6 at a time) from a
 * bare loop in a page of the same origin, with no hashing (no checksum signed), no engine and no UI.
 * Written as a string so the bundler's helpers never reach the page.
 */
const BARE_BROWSER_UPLOAD = `async ({ name, concurrency }) => {
  const file = document.getElementById('bare-file').files[0];
  const api = async (path, body) => {
    const res = await fetch('/api' + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (!res.ok) throw new Error(path + ': ' + res.status + ' ' + (await res.text()));
    return res.json();
  };
  const t0 = performance.now();
  const plan = await api('/uploads', { name, size: file.size, type: 'application/octet-stream', lastModified: 0, onConflict: 'replace' });
  const numbers = Array.from({ length: plan.partCount }, (_, i) => i + 1);
  const signed = [];
  for (let i = 0; i < numbers.length; i += 100)
    signed.push(...(await api('/uploads/sign', { token: plan.token, parts: numbers.slice(i, i + 100).map((partNumber) => ({ partNumber })) })).parts);
  const etags = new Map();
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < signed.length) {
      const part = signed[next++];
      const start = (part.partNumber - 1) * plan.partSize;
      const res = await fetch(part.url, { method: 'PUT', headers: part.headers, body: file.slice(start, start + part.size) });
      if (!res.ok) throw new Error('PUT ' + part.partNumber + ': ' + res.status);
      etags.set(part.partNumber, res.headers.get('etag'));
    }
  }));
  await api('/uploads/complete', { token: plan.token, parts: numbers.map((n) => ({ partNumber: n, etag: etags.get(n) })) });
  return performance.now() - t0;
}`;

/**
 * Runs `script` (a function's source, called with `args`) in a page of the app's origin that holds `path`
 * picked in a bare file input (`#bare-file`); returns what it returns (milliseconds here).
 */
async function inPageWithFile(
  browser: RawBrowser,
  baseURL: string,
  path: string,
  script: string,
  args: object,
) {
  const page = await browser.newPage(baseURL);
  await page.evaluate(
    `(() => { const input = document.createElement('input'); input.type = 'file'; input.id = 'bare-file'; document.body.append(input); })()`,
  );
  await page.setInputFiles('#bare-file', [path]);
  const ms = await page.evaluate<number>(`(${script})(${JSON.stringify(args)})`);
  await page.close();
  return ms;
}

function bareBrowserUpload(browser: RawBrowser, baseURL: string, path: string, name: string) {
  return inPageWithFile(browser, baseURL, path, BARE_BROWSER_UPLOAD, { name, concurrency: 6 });
}

/**
 * What Chromium itself reads a picked file at: two Web Workers (as many as the page hashes with) reading
 * it in part-sized slices with `Blob.arrayBuffer()`, no hashing. The page reads every byte twice (hashed
 * for its checksum, then sent by the PUT), so half of this bounds a checksummed upload from this browser.
 */
const BROWSER_FILE_READ = `async ({ workers, slice }) => {
  const file = document.getElementById('bare-file').files[0];
  const source = 'onmessage = async (e) => { const { file, from, to, slice } = e.data; let read = 0;' +
    ' for (let s = from; s < to; s += slice) read += (await file.slice(s, Math.min(s + slice, to)).arrayBuffer()).byteLength;' +
    ' postMessage(read); }';
  const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
  const share = Math.ceil(file.size / workers / slice) * slice;
  const t0 = performance.now();
  const reads = await Promise.all(Array.from({ length: workers }, (_, i) => new Promise((resolve, reject) => {
    const worker = new Worker(url);
    worker.onmessage = (e) => { resolve(e.data); worker.terminate(); };
    worker.onerror = (e) => reject(new Error(e.message));
    worker.postMessage({ file, from: i * share, to: Math.min(file.size, (i + 1) * share), slice });
  })));
  const ms = performance.now() - t0;
  URL.revokeObjectURL(url);
  const read = reads.reduce((a, b) => a + b, 0);
  if (read !== file.size) throw new Error('read ' + read + ' of ' + file.size + ' bytes');
  return ms;
}`;

function browserFileRead(browser: RawBrowser, baseURL: string, path: string, partSize: number) {
  return inPageWithFile(browser, baseURL, path, BROWSER_FILE_READ, { workers: 2, slice: partSize });
}

/** Records, inside the page, the file input's change event and the moment a row turns Done. */
const PAGE_TIMING = `(() => {
  const w = window;
  w.__timing = { picked: 0, done: 0 };
  document.addEventListener('change', () => (w.__timing.picked = performance.now()), { capture: true, once: true });
  new MutationObserver(() => {
    if (!w.__timing.done && document.querySelector('[data-status="done"]')) w.__timing.done = performance.now();
  }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-status'] });
})()`;

/**
 * Uploads through the real page, with no debugger attached (raw-chromium.ts). Timed inside the page,
 * like the bare loop beside it: from the file input's change event (the browser handing the picked file
 * to the page) to the row turning Done. The tab stays open (its renderer's CPU is counted) until `close`.
 */
async function pageUpload(browser: RawBrowser, baseURL: string, path: string) {
  const page = await browser.newPage(baseURL, [PAGE_TIMING]);
  await page.setInputFiles('[data-testid="file-input"]', [path]);
  const { picked, done } = await page.evaluate<{ picked: number; done: number }>(WAIT_FOR_TIMING);
  if (!picked || !done) throw new Error(`the page did not report its own timing (${picked}, ${done})`);
  return { inPageMs: done - picked, close: () => page.close() };
}

export interface UploadBenchOptions {
  stack: Stack;
  sizeBytes?: number;
  runs?: number;
  memorySizeBytes?: number;
  log?: (line: string) => void;
}

export async function runUploadBench(options: UploadBenchOptions) {
  const { stack } = options;
  const size = options.sizeBytes ?? 1024 * MiB;
  const runs = options.runs ?? 3;
  const log = options.log ?? console.error;
  const dir = await mkdtemp(join(tmpdir(), 'hoist-bench-files-'));
  const browser = await openBrowser();
  const raw = await launchRawChromium().catch(async (error: unknown) => {
    await browser.close();
    throw error;
  });
  try {
    const file = await makeFile(dir, 'bench-1g.bin', size);
    const groups = {
      browser: raw.pids,
      server: async () => [stack.serverPid],
      store: async () => (stack.storePid ? [stack.storePid] : []),
    };

    log(`upload: ${runs}× page upload of ${size / MiB} MiB, each beside the Node ceiling and a single PUT`);
    const page: number[] = [];
    const ceiling: number[] = [];
    const bare: number[] = [];
    const single: number[] = [];
    const fileRead: number[] = [];
    const signs: number[] = [];
    const cpu: Record<string, number>[] = [];
    const s3 = new S3Client({
      endpoint: stack.storeEndpoint,
      region: 'us-east-1',
      credentials: { ...LOCAL_S3_TEST_CREDENTIALS },
      forcePathStyle: true,
      requestChecksumCalculation: 'WHEN_REQUIRED',
    });
    for (let i = 0; i < runs; i++) {
      const before = await signCalls(stack.baseURL);
      // A new name per run (a hard link: same bytes, no copy), so no run meets the last one's object.
      const name = `bench-upload-${i}.bin`;
      await link(file.path, join(dir, name));
      const measured = await measureCpu(groups, () => pageUpload(raw, stack.baseURL, join(dir, name)));
      await measured.result.close();
      page.push(mibPerSecond(size, measured.result.inPageMs));
      cpu.push(measured.cpuSeconds);
      signs.push((await signCalls(stack.baseURL)) - before);
      const t1 = performance.now();
      await nodeUpload(stack.baseURL, file.path, `bench-ceiling-${i}.bin`);
      ceiling.push(mibPerSecond(size, performance.now() - t1));
      bare.push(
        mibPerSecond(size, await bareBrowserUpload(raw, stack.baseURL, file.path, `bench-bare-${i}.bin`)),
      );
      fileRead.push(
        mibPerSecond(size, await browserFileRead(raw, stack.baseURL, file.path, planParts(size).partSize)),
      );
      const url = await getSignedUrl(
        s3,
        new PutObjectCommand({ Bucket: 'hoist', Key: `bench-single-${i}.bin`, ContentLength: size }),
        { expiresIn: 600 },
      );
      const t2 = performance.now();
      await nodeSinglePut(url, file.path, size);
      single.push(mibPerSecond(size, performance.now() - t2));
      log(
        `  run ${i + 1}: page ${page[i]!.toFixed(0)} MiB/s, ceiling ${ceiling[i]!.toFixed(0)} MiB/s, bare browser loop ${bare[i]!.toFixed(0)} MiB/s, browser file read ${fileRead[i]!.toFixed(0)} MiB/s, single PUT ${single[i]!.toFixed(0)} MiB/s, ${signs[i]} sign calls, cpu ${JSON.stringify(cpu[i])}`,
      );
    }
    const ratios = page.map((p, i) => p / ceiling[i]!);
    const { partCount } = planParts(size);

    log('upload: time to first progress at 2 MB/s up, 40 ms latency');
    // Timed inside the page, from the file input's change event (the moment the browser hands the
    // picked file to the page) to the first frame whose progress bar is above 0: Playwright's own
    // setInputFiles round trips (~0.1–0.3 s here) are not something a user waits for. The time from
    // before setInputFiles is kept beside it in the JSON.
    const firstProgressFromAutomation: number[] = [];
    const firstProgressSteps: Record<string, number | null>[] = [];
    const firstProgress = await repeat(runs, async () => {
      const p = await browser.context.newPage();
      await p.goto(stack.baseURL);
      await throttle(p, { up: 2_000_000, latencyMs: 40 });
      await p.evaluate(() => {
        const w = window as unknown as { __picked: number };
        w.__picked = 0;
        document.addEventListener('change', () => (w.__picked = performance.now()), {
          capture: true,
          once: true,
        });
      });
      const small = await makeFile(dir, `first-${Date.now()}.bin`, 64 * MiB);
      const name = small.path.split('/').pop()!;
      const t0 = performance.now();
      await p.getByTestId('file-input').setInputFiles(small.path);
      const bar = row(p, name).getByRole('progressbar');
      const inPage = await p.waitForFunction(
        (el) =>
          Number(el?.getAttribute('aria-valuenow')) > 0 &&
          performance.now() - (window as unknown as { __picked: number }).__picked,
        await bar.elementHandle(),
        { polling: 'raf', timeout: 120_000 },
      );
      firstProgressFromAutomation.push(performance.now() - t0);
      const ms = (await inPage.jsonValue()) as number;
      // Where the time went, from the page's resource timing: the create call, part 1's PUT (its
      // preflight included), and the bar after the PUT's answer.
      const steps = await p.evaluate((storeOrigin) => {
        const picked = (window as unknown as { __picked: number }).__picked;
        const entries = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
        const create = entries.find((e) => e.startTime >= picked && e.name.includes('/api/uploads'));
        const put = entries.find((e) => e.startTime >= picked && e.name.startsWith(storeOrigin));
        // (No helper function in here: tsx names functions with a `__name` the page does not have.)
        return [create?.startTime, create?.responseEnd, put?.startTime, put?.responseEnd].map((t) =>
          t === undefined ? null : Math.round(t - picked),
        );
      }, new URL(stack.storeEndpoint).origin);
      const [createStart = null, createEnd = null, putStart = null, putEnd = null] = steps;
      const step = { createStart, createEnd, putStart, putEnd, bar: Math.round(ms) };
      firstProgressSteps.push(step);
      log(`  first progress ${JSON.stringify(step)} ms from the pick`);
      await row(p, name)
        .getByRole('button', { name: `Cancel ${name}` })
        .click();
      await row(p, name).getByTestId('upload-state').filter({ hasText: 'Cancelled' }).waitFor();
      await p.close();
      await rm(small.path);
      return ms;
    });

    log('upload: cancel latency at about 40%');
    const cancelRequests: number[] = [];
    const cancelConfirmed: number[] = [];
    for (let i = 0; i < runs; i++) {
      const p = await browser.context.newPage();
      // Timed inside the page, so Playwright's own event delivery is not counted: the click on
      // Cancel, the moment each part PUT settles, and the moment the row turns "cancelled".
      await p.addInitScript(() => {
        const w = window as unknown as {
          __cancel: { click: number; puts: [number, number][]; cancelled: number };
        };
        w.__cancel = { click: 0, puts: [], cancelled: 0 };
        const original = window.fetch;
        window.fetch = async (input, init) => {
          if (init?.method !== 'PUT') return original(input, init);
          const entry: [number, number] = [performance.now(), Infinity];
          w.__cancel.puts.push(entry);
          try {
            return await original(input, init);
          } finally {
            entry[1] = performance.now();
          }
        };
        document.addEventListener(
          'click',
          (e) => {
            if ((e.target as Element).closest('button')?.textContent === 'Cancel')
              w.__cancel.click = performance.now();
          },
          true,
        );
        new MutationObserver(() => {
          if (!w.__cancel.cancelled && document.querySelector('[data-status="cancelled"]')) {
            w.__cancel.cancelled = performance.now();
          }
        }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-status'] });
      });
      await p.goto(stack.baseURL);
      await throttle(p, { up: 100 * MiB });
      const name = `cancel-${i}.bin`;
      const f = await makeFile(dir, name, 256 * MiB);
      await p.getByTestId('file-input').setInputFiles(f.path);
      const bar = row(p, name).getByRole('progressbar');
      await p.waitForFunction(
        (el) => Number(el?.getAttribute('aria-valuenow')) >= 40,
        await bar.elementHandle(),
        {
          polling: 20,
          timeout: 120_000,
        },
      );
      await row(p, name)
        .getByRole('button', { name: `Cancel ${name}` })
        .click();
      await row(p, name).getByTestId('upload-state').filter({ hasText: 'Cancelled' }).waitFor();
      const timing = await p.evaluate(() => {
        const c = (
          window as unknown as { __cancel: { click: number; puts: [number, number][]; cancelled: number } }
        ).__cancel;
        const running = c.puts.filter(([start, end]) => start < c.click && end >= c.click);
        return {
          requestsEnded: Math.max(0, ...running.map(([, end]) => end - c.click)),
          inFlightAtClick: running.length,
          confirmed: c.cancelled - c.click,
        };
      });
      if (timing.inFlightAtClick === 0) log('  (no part was in flight at the click)');
      cancelRequests.push(timing.requestsEnded);
      cancelConfirmed.push(timing.confirmed);
      await p.close();
      await rm(f.path);
    }

    const memSize = options.memorySizeBytes ?? 2048 * MiB;
    log(`upload: memory during a ${memSize / MiB} MiB upload`);
    const memFile = await makeFile(dir, 'bench-mem.bin', memSize);
    const mp = await browser.context.newPage();
    await mp.goto(stack.baseURL);
    const cdp = await browser.context.newCDPSession(mp);
    await cdp.send('Performance.enable');
    const heap = async () => {
      const { metrics } = await cdp.send('Performance.getMetrics');
      return metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0;
    };
    await cdp.send('HeapProfiler.collectGarbage');
    const heapBefore = await heap();
    const rssBefore = await sum(await browser.pids(), rssBytes);
    let heapPeak = heapBefore;
    let rssPeak = rssBefore;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        heapPeak = Math.max(heapPeak, await heap().catch(() => 0));
        rssPeak = Math.max(rssPeak, await sum(await browser.pids(), rssBytes));
        await new Promise((r) => setTimeout(r, 250));
      }
    })();
    await mp.getByTestId('file-input').setInputFiles(memFile.path);
    await row(mp, 'bench-mem.bin')
      .getByTestId('upload-state')
      .filter({ hasText: 'Done' })
      .waitFor({ timeout: 600_000 });
    sampling = false;
    await sampler;
    await mp.close();
    await rm(memFile.path);

    return {
      sizeMiB: size / MiB,
      pageMiBps: figure(page),
      ceilingMiBps: figure(ceiling),
      singlePutMiBps: figure(single),
      ratioToCeiling: figure(ratios),
      bareBrowserMiBps: figure(bare),
      ratioToBareBrowser: figure(page.map((p, i) => p / bare[i]!)),
      browserFileReadMiBps: figure(fileRead),
      ratioToHalfFileRead: figure(page.map((p, i) => p / (fileRead[i]! / 2))),
      ratioToSinglePut: figure(page.map((p, i) => p / single[i]!)),
      signCallsPerUpload: figure(signs),
      signCallsTarget: Math.floor(partCount / 8) + 2,
      cpuSecondsPerUpload: cpu,
      firstProgressMs: firstProgress,
      firstProgressFromAutomationMs: figure(firstProgressFromAutomation),
      firstProgressStepsMs: firstProgressSteps,
      cancelRequestsEndedMs: figure(cancelRequests),
      cancelConfirmedMs: figure(cancelConfirmed),
      memory: {
        uploadMiB: memSize / MiB,
        jsHeapGrowthMiB: (heapPeak - heapBefore) / MiB,
        browserRssBeforeMiB: rssBefore / MiB,
        browserRssPeakMiB: rssPeak / MiB,
      },
    };
  } finally {
    await raw.close();
    await browser.close();
    await rm(dir, { recursive: true, force: true });
  }
}
