import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { chromium } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, open, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DownloadLink, DownloadLinks } from '../server/shared/api-types.ts';
import { LOCAL_S3_TEST_CREDENTIALS } from '../server/local-s3/index.ts';
import { makeFile } from '../test/e2e/support/make-file.ts';
import { stubFolderPicker } from '../test/e2e/support/opfs.ts';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../test/e2e/support/chromium.ts';
import { figure, MiB, mibPerSecond } from './lib/stats.ts';
import type { Stack } from './lib/stack.ts';
import { launchRawChromium, WAIT_FOR_TIMING } from './lib/raw-chromium.ts';

async function link(baseURL: string, key: string): Promise<DownloadLink> {
  const res = await fetch(`${baseURL}/api/objects/download`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ key }),
  });
  return (await res.json()) as DownloadLink;
}

async function links(baseURL: string, keys: string[]): Promise<Map<string, string>> {
  const res = await fetch(`${baseURL}/api/objects/download-links`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ keys }),
  });
  const answer = (await res.json()) as DownloadLinks;
  return new Map(answer.links.map((l) => [l.key, l.url]));
}

/**
 * What this browser can do at best, for reference: a bare loop in a page of the same origin doing a
 * link call per object, the same GETs (same parallelism and ranges) and File System Access writes (OPFS), with no
 * engine, no checksum and no UI. Written as a string so the bundler's helpers never reach the page.
 */
const BARE_BROWSER_LOOP = `async ({ keys, folder, o }) => {
  const root = await (await navigator.storage.getDirectory()).getDirectoryHandle(folder, { create: true });
  const t0 = performance.now();
  let next = 0;
  const one = async (key, size) => {
    const res = await fetch('/api/objects/download', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ key }) });
    const { url } = await res.json();
    const handle = await root.getFileHandle(key.replaceAll('/', '_'), { create: true });
    const w = await handle.createWritable({ keepExistingData: false });
    const write = async (body, start) => {
      const reader = body.getReader();
      let pending = [], bytes = 0, at = start;
      const flush = async () => {
        if (!bytes) return;
        const data = new Uint8Array(bytes);
        let i = 0;
        for (const c of pending) { data.set(c, i); i += c.length; }
        await w.write({ type: 'write', position: at, data });
        at += bytes; pending = []; bytes = 0;
      };
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        pending.push(value); bytes += value.length;
        if (bytes >= o.writeBufferBytes) await flush();
      }
      await flush();
    };
    if (size < o.rangeThreshold) {
      await write((await fetch(url)).body, 0);
    } else {
      let r = 0;
      const count = Math.ceil(size / o.rangeSize);
      await Promise.all(Array.from({ length: o.rangeConcurrency }, async () => {
        while (r < count) {
          const start = r++ * o.rangeSize;
          const end = Math.min(size, start + o.rangeSize) - 1;
          await write((await fetch(url, { headers: { range: 'bytes=' + start + '-' + end } })).body, start);
        }
      }));
    }
    await w.close();
  };
  await Promise.all(Array.from({ length: o.concurrency }, async () => {
    while (next < keys.length) { const k = keys[next++]; await one(k.key, k.size); }
  }));
  const ms = performance.now() - t0;
  await (await navigator.storage.getDirectory()).removeEntry(folder, { recursive: true });
  return ms;
}`;

/** The ceiling: the same link calls and presigned GETs from Node, the same parallelism, bytes written to disk. */
async function nodeDownload(
  baseURL: string,
  keys: { key: string; size: number }[],
  dir: string,
  options: { concurrency: number; rangeSize: number; rangeConcurrency: number; rangeThreshold: number },
) {
  let next = 0;
  // Links as the engine gets them: small objects in batches of 50 (this one and the next ones).
  const ahead = new Map<string, Promise<string>>();
  const urlOf = (key: string, size: number, index: number): Promise<string> => {
    if (size >= options.rangeThreshold) return link(baseURL, key).then((l) => l.url);
    if (!ahead.has(key)) {
      const batch = keys
        .slice(index, index + 50)
        .filter((k) => k.size < options.rangeThreshold && !ahead.has(k.key));
      const call = links(
        baseURL,
        batch.map((k) => k.key),
      );
      for (const k of batch)
        ahead.set(
          k.key,
          call.then((m) => m.get(k.key)!),
        );
    }
    return ahead.get(key)!;
  };
  const one = async (key: string, size: number, index: number) => {
    const url = await urlOf(key, size, index);
    const file = await open(join(dir, key.replaceAll('/', '_')), 'w');
    try {
      if (size < options.rangeThreshold) {
        const res = await fetch(url);
        let offset = 0;
        for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
          await file.write(chunk, 0, chunk.length, offset);
          offset += chunk.length;
        }
        return;
      }
      const ranges = Array.from(
        { length: Math.ceil(size / options.rangeSize) },
        (_, i) => i * options.rangeSize,
      );
      let r = 0;
      await Promise.all(
        Array.from({ length: options.rangeConcurrency }, async () => {
          while (r < ranges.length) {
            const start = ranges[r++]!;
            const end = Math.min(size, start + options.rangeSize) - 1;
            const res = await fetch(url, { headers: { range: `bytes=${start}-${end}` } });
            let offset = start;
            for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
              await file.write(chunk, 0, chunk.length, offset);
              offset += chunk.length;
            }
          }
        }),
      );
    } finally {
      await file.close();
    }
  };
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      while (next < keys.length) {
        const index = next++;
        const k = keys[index]!;
        await one(k.key, k.size, index);
      }
    }),
  );
}

/** Records, inside the page, the click on "Download folder" and the moment the totals say `n` of `n` done. */
const DOWNLOAD_TIMING = `(n) => {
  const w = window;
  w.__timing = { clicked: 0, done: 0 };
  document.addEventListener('click', (e) => {
    if (e.target.closest('button')?.getAttribute('aria-label')?.startsWith('Download folder')) w.__timing.clicked = performance.now();
  }, true);
  // From the totals: a list this long renders only the rows in view.
  new MutationObserver(() => {
    if (!w.__timing.done && (document.querySelector('[data-testid="download-totals"]')?.textContent ?? '').includes(n + ' of ' + n + ' done'))
      w.__timing.done = performance.now();
  }).observe(document, { subtree: true, childList: true, characterData: true });
}`;

export async function runDownloadBench(options: {
  stack: Stack;
  runs?: number;
  bigBytes?: number;
  log?: (l: string) => void;
}) {
  const { stack } = options;
  const runs = options.runs ?? 3;
  const bigBytes = options.bigBytes ?? 1024 * MiB;
  const log = options.log ?? console.error;
  const dir = await mkdtemp(join(tmpdir(), 'hoist-bench-dl-'));
  const s3 = new S3Client({
    endpoint: stack.storeEndpoint,
    region: 'us-east-1',
    credentials: { ...LOCAL_S3_TEST_CREDENTIALS },
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
  });
  log('download: seeding 200 × 1 MiB and one 1 GiB object');
  const small = Array.from({ length: 200 }, (_, i) => ({ key: `bench-dl/small/f${i}.bin`, size: MiB }));
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < small.length) {
        const o = small[next++]!;
        await s3.send(
          new PutObjectCommand({
            Bucket: 'hoist',
            Key: o.key,
            Body: randomBytes(o.size),
            ChecksumAlgorithm: 'CRC32',
          }),
        );
      }
    }),
  );
  const bigFile = await makeFile(dir, 'big-src.bin', bigBytes);
  await s3.send(
    new PutObjectCommand({
      Bucket: 'hoist',
      Key: 'bench-dl/big/big.bin',
      Body: createReadStream(bigFile.path),
      ContentLength: bigBytes,
      // A CRC32, as Hoist's own uploads carry (and S3 gives every object a CRC64NVME): checked over
      // the ranges as they arrive. An object with only an MD5 ETag would be read back after it.
      ChecksumAlgorithm: 'CRC32',
    }),
  );
  await rm(bigFile.path);

  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  const engine = { concurrency: 6, rangeSize: 8 * MiB, rangeConcurrency: 4, rangeThreshold: 64 * MiB };
  const raw = await launchRawChromium().catch(async (error: unknown) => {
    await browser.close();
    throw error;
  });
  const bareBrowser = async (keys: { key: string; size: number }[], bytes: number) => {
    const page = await raw.newPage(stack.baseURL);
    const args = { keys, folder: `bare-${Date.now()}`, o: { ...engine, writeBufferBytes: MiB } };
    const ms = await page.evaluate<number>(`(${BARE_BROWSER_LOOP})(${JSON.stringify(args)})`);
    await page.close();
    return mibPerSecond(bytes, ms);
  };
  const ceiling = async (keys: { key: string; size: number }[], bytes: number) => {
    const out = await mkdtemp(join(dir, 'node-'));
    const t0 = performance.now();
    await nodeDownload(stack.baseURL, keys, out, engine);
    const ms = performance.now() - t0;
    await rm(out, { recursive: true, force: true });
    return mibPerSecond(bytes, ms);
  };
  try {
    // Browse into bench-dl/ so the folder buttons are on the page.
    const results = {
      smallPage: [] as number[],
      smallPlaywright: [] as number[],
      smallNode: [] as number[],
      smallBare: [] as number[],
      bigPage: [] as number[],
      bigPlaywright: [] as number[],
      bigNode: [] as number[],
      bigBare: [] as number[],
      bigSaved: [] as number[],
    };
    for (let i = 0; i < runs; i++) {
      results.smallPage.push(await measureRaw('small', 200 * MiB, 200));
      results.smallPlaywright.push(await measureIn('small', 200 * MiB, 200));
      results.smallNode.push(await ceiling(small, 200 * MiB));
      results.smallBare.push(await bareBrowser(small, 200 * MiB));
      const big = [{ key: 'bench-dl/big/big.bin', size: bigBytes }];
      results.bigPage.push(await measureRaw('big', bigBytes, 1));
      results.bigPlaywright.push(await measureIn('big', bigBytes, 1));
      results.bigNode.push(await ceiling(big, bigBytes));
      results.bigBare.push(await bareBrowser(big, bigBytes));
      results.bigSaved.push(await measureSaved(bigBytes));
      log(
        `  run ${i + 1}: 200×1 MiB page ${results.smallPage[i]!.toFixed(0)} (under Playwright ${results.smallPlaywright[i]!.toFixed(0)}) vs node ${results.smallNode[i]!.toFixed(0)} vs bare browser ${results.smallBare[i]!.toFixed(0)} MiB/s; 1 GiB page ${results.bigPage[i]!.toFixed(0)} (under Playwright ${results.bigPlaywright[i]!.toFixed(0)}) vs node ${results.bigNode[i]!.toFixed(0)} vs bare browser ${results.bigBare[i]!.toFixed(0)} MiB/s; its Download button (the browser's download manager) ${results.bigSaved[i]!.toFixed(0)} MiB/s`,
      );
    }
    return {
      smallObjects: {
        count: 200,
        pageMiBps: figure(results.smallPage),
        playwrightPageMiBps: figure(results.smallPlaywright),
        ceilingMiBps: figure(results.smallNode),
        ratio: figure(results.smallPage.map((p, i) => p / results.smallNode[i]!)),
        bareBrowserMiBps: figure(results.smallBare),
        ratioToBareBrowser: figure(results.smallPage.map((p, i) => p / results.smallBare[i]!)),
      },
      bigObject: {
        sizeMiB: bigBytes / MiB,
        pageMiBps: figure(results.bigPage),
        playwrightPageMiBps: figure(results.bigPlaywright),
        ceilingMiBps: figure(results.bigNode),
        ratio: figure(results.bigPage.map((p, i) => p / results.bigNode[i]!)),
        bareBrowserMiBps: figure(results.bigBare),
        ratioToBareBrowser: figure(results.bigPage.map((p, i) => p / results.bigBare[i]!)),
        savedMiBps: figure(results.bigSaved),
        savedRatio: figure(results.bigSaved.map((p, i) => p / results.bigNode[i]!)),
      },
    };
  } finally {
    await raw.close();
    await browser.close();
    await rm(dir, { recursive: true, force: true });
  }

  /**
   * The page with no debugger attached (raw-chromium.ts): the figure users get. Timed inside the page,
   * like the bare loop: from the click on "Download folder" to the last row Done.
   */
  async function measureRaw(folder: 'small' | 'big', bytes: number, count: number) {
    const target = `bench-${Date.now()}`;
    const page = await raw.newPage(stack.baseURL, [
      `window.showDirectoryPicker = async () => (await navigator.storage.getDirectory()).getDirectoryHandle(${JSON.stringify(target)}, { create: true });`,
      `(${DOWNLOAD_TIMING})(${count})`,
    ]);
    const click = (label: string) =>
      page.evaluate(`new Promise((resolve, reject) => {
        const name = (b) => b.getAttribute('aria-label') ?? [...b.childNodes]
          .filter((n) => !(n.nodeType === 1 && n.getAttribute('aria-hidden') === 'true'))
          .map((n) => n.textContent).join('').trim();
        const giveUp = setTimeout(() => { clearInterval(t); reject(new Error('no button or link named ' + ${JSON.stringify(label)})); }, 30000);
        const t = setInterval(() => {
          const button = [...document.querySelectorAll('button, a')].find((b) => name(b) === ${JSON.stringify(label)});
          if (button) { clearInterval(t); clearTimeout(giveUp); button.click(); resolve(true); }
        }, 20);
      })`);
    await click('bench-dl/');
    await click(`Download folder ${folder}/`);
    const { clicked, done } = await page.evaluate<{ clicked: number; done: number }>(WAIT_FOR_TIMING);
    if (!clicked || !done) throw new Error(`the page did not report its own timing (${clicked}, ${done})`);
    await page.evaluate(
      `navigator.storage.getDirectory().then((root) => root.removeEntry(${JSON.stringify(target)}, { recursive: true }))`,
    );
    await page.close();
    return mibPerSecond(bytes, done - clicked);
  }

  /**
   * One object as users download one: its row's Download button, which hands the presigned URL to the
   * browser's own download manager (as the S3 console does). Timed from Node, from the click to the saved
   * file at its full size (Chromium writes "….crdownload" and renames it when done); polled every 10 ms.
   */
  async function measureSaved(bytes: number) {
    const saveDir = await mkdtemp(join(dir, 'saved-'));
    const page = await raw.newPage(stack.baseURL);
    await page.send('Page.setDownloadBehavior', { behavior: 'allow', downloadPath: saveDir });
    const click = (label: string) =>
      page.evaluate(`new Promise((resolve, reject) => {
        const giveUp = setTimeout(() => { clearInterval(t); reject(new Error('no button or link named ' + ${JSON.stringify(label)})); }, 30000);
        const t = setInterval(() => {
          const name = (b) => b.getAttribute('aria-label') ?? [...b.childNodes]
            .filter((n) => !(n.nodeType === 1 && n.getAttribute('aria-hidden') === 'true'))
            .map((n) => n.textContent).join('').trim();
          const b = [...document.querySelectorAll('button, a')].find((b) => name(b) === ${JSON.stringify(label)});
          if (b) { clearInterval(t); clearTimeout(giveUp); b.click(); resolve(true); }
        }, 20);
      })`);
    await click('bench-dl/');
    await click('big/');
    await page.evaluate(`new Promise((resolve) => { const t = setInterval(() => {
      if (document.querySelector('button[aria-label="Download big.bin"]')) { clearInterval(t); resolve(true); } }, 20); })`);
    const t0 = performance.now();
    await page.evaluate(`document.querySelector('button[aria-label="Download big.bin"]').click()`);
    const saved = join(saveDir, 'big.bin');
    for (;;) {
      const size = await stat(saved).then(
        (s) => s.size,
        () => -1,
      );
      if (size === bytes) break;
      if (performance.now() - t0 > 600_000)
        throw new Error(`the download manager did not save big.bin (${size})`);
      await new Promise((r) => setTimeout(r, 10));
    }
    const ms = performance.now() - t0;
    await page.close();
    await rm(saveDir, { recursive: true, force: true });
    return mibPerSecond(bytes, ms);
  }

  /** The same under Playwright, which attaches DevTools' Network domain (see raw-chromium.ts). */
  async function measureIn(folder: 'small' | 'big', bytes: number, count: number) {
    const page = await browser.newPage();
    const target = `bench-${Date.now()}`;
    await stubFolderPicker(page, target);
    await page.addInitScript(`(${DOWNLOAD_TIMING})(${count})`);
    await page.goto(stack.baseURL);
    await page.getByRole('link', { name: 'bench-dl/', exact: true }).click();
    await page.getByRole('button', { name: `Download folder ${folder}/` }).waitFor();
    await page.getByRole('button', { name: `Download folder ${folder}/` }).click();
    await page.waitForFunction(
      (n) =>
        (document.querySelector('[data-testid="download-totals"]')?.textContent ?? '').includes(
          `${n} of ${n} done`,
        ),
      count,
      { polling: 50, timeout: 600_000 },
    );
    const { clicked, done } = await page.evaluate(
      () => (window as unknown as { __timing: { clicked: number; done: number } }).__timing,
    );
    if (!clicked || !done) throw new Error(`the page did not report its own timing (${clicked}, ${done})`);
    await page.evaluate(
      async (name) => (await navigator.storage.getDirectory()).removeEntry(name, { recursive: true }),
      target,
    );
    await page.close();
    return mibPerSecond(bytes, done - clicked);
  }
}
