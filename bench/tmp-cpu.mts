import { chromium } from '@playwright/test';
import { mkdtemp, rm, link } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeFile } from '../test/e2e/support/make-file.ts';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../test/e2e/support/chromium.ts';
import { startStack } from './lib/stack.ts';
import { launchRawChromium } from './lib/raw-chromium.ts';
import { measureCpu, processTree } from './lib/processes.ts';
const MiB = 1 << 20; const size = 512 * MiB;
const TIMING = `(() => { const w = window; w.__timing = { picked: 0, done: 0 }; document.addEventListener('change', () => (w.__timing.picked = performance.now()), { capture: true, once: true }); new MutationObserver(() => { if (!w.__timing.done && document.querySelector('[data-status="done"]')) w.__timing.done = performance.now(); }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-status'] }); })()`;
const WAIT = `new Promise((resolve) => { const t = setInterval(() => { if (window.__timing.done) { clearInterval(t); resolve(window.__timing); } }, 20); })`;
const stack = await startStack();
const dir = await mkdtemp(join(tmpdir(), 'up-'));
const extra = process.env.EXTRA ? process.env.EXTRA.split(' ') : [];
const raw = await launchRawChromium(extra);
const profile = await mkdtemp(join(tmpdir(), 'pw-'));
const pw = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
try {
  const file = await makeFile(dir, 'src.bin', size);
  for (let i = 0; i < 2; i++) {
    let name = `raw-${i}.bin`; await link(file.path, join(dir, name));
    const m = await measureCpu({ b: raw.pids }, async () => { const page = await raw.newPage(stack.baseURL, [TIMING]); await page.setInputFiles('[data-testid="file-input"]', [join(dir, name)]); const t = await page.evaluate<any>(WAIT); return { t, page }; });
    await m.result.page.close();
    console.log('raw', (512 / ((m.result.t.done - m.result.t.picked) / 1000)).toFixed(0), 'MiB/s cpu', m.cpuSeconds.b, 'wall', m.wallSeconds);
    name = `pw-${i}.bin`; await link(file.path, join(dir, name));
    const m2 = await measureCpu({ b: () => processTree(profile) }, async () => { const page = await pw.newPage(); await page.addInitScript(TIMING); await page.goto(stack.baseURL); await page.getByTestId('file-input').setInputFiles(join(dir, name)); const t = await page.evaluate(WAIT) as any; return { t, page }; });
    await m2.result.page.close();
    console.log('pw ', (512 / ((m2.result.t.done - m2.result.t.picked) / 1000)).toFixed(0), 'MiB/s cpu', m2.cpuSeconds.b, 'wall', m2.wallSeconds);
  }
} finally { await raw.close(); await pw.close(); await stack.stop(); await rm(dir, { recursive: true, force: true }); await rm(profile, { recursive: true, force: true }); }
