/**
 * Chromium driven over a bare DevTools pipe, with only the Page, Runtime and DOM commands a run needs.
 *
 * Why not Playwright for the throughput runs: Playwright attaches DevTools to every page with its Network
 * domain on (the browser then keeps response bodies for the inspector). Measured here, a
 * fetch-and-discard loop ran at 78–89 MiB/s under Playwright and 159–188 MiB/s in a browser nobody
 * watches. Users have no debugger attached, so the throughput figures are taken without one; the
 * Playwright-driven figure of the page download is kept beside them.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../test/e2e/support/chromium.ts';
import { processTree } from './processes.ts';

type Message = {
  id?: number;
  method?: string;
  params?: unknown;
  result?: unknown;
  error?: { message: string };
  sessionId?: string;
};

export interface RawPage {
  /** Evaluates an expression (awaiting a promise it returns) with a user gesture; returns its JSON value. */
  evaluate<T>(expression: string): Promise<T>;
  /** Sets the files of the first element matching `selector` (an `<input type=file>`); fires `change`. */
  setInputFiles(selector: string, paths: string[]): Promise<void>;
  /** Any other DevTools command, in this tab's session (e.g. Profiler.* while investigating). */
  send<T>(method: string, params?: object): Promise<T>;
  close(): Promise<void>;
}

export interface RawBrowser {
  /** A new tab that runs `initScripts` before any page script, then loads `url`. */
  newPage(url: string, initScripts?: string[]): Promise<RawPage>;
  /** The browser's processes (for CPU figures). */
  pids(): Promise<number[]>;
  close(): Promise<void>;
}

const BACKGROUNDING_OFF = [
  '--disable-background-timer-throttling',
  '--disable-backgrounding-occluded-windows',
  '--disable-renderer-backgrounding',
];

export async function launchRawChromium(extraArgs: string[] = []): Promise<RawBrowser> {
  const profile = await mkdtemp(join(tmpdir(), 'hoist-bench-raw-chromium-'));
  const child: ChildProcess = spawn(
    CHROMIUM_PATH,
    [
      ...CHROMIUM_ARGS,
      // As Playwright does, so that the two drivers differ only in what DevTools watches.
      ...BACKGROUNDING_OFF,
      '--remote-debugging-pipe',
      `--user-data-dir=${profile}`,
      ...extraArgs,
      'about:blank',
    ],
    { stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'] },
  );
  const toBrowser = child.stdio[3] as Writable;
  const fromBrowser = child.stdio[4] as Readable;
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  let buffered = '';
  fromBrowser.setEncoding('utf8');
  fromBrowser.on('data', (chunk: string) => {
    buffered += chunk;
    for (let end = buffered.indexOf('\0'); end >= 0; end = buffered.indexOf('\0')) {
      const message = JSON.parse(buffered.slice(0, end)) as Message;
      buffered = buffered.slice(end + 1);
      const waiter = message.id === undefined ? undefined : waiting.get(message.id);
      if (!waiter) continue;
      waiting.delete(message.id!);
      if (message.error) waiter.reject(new Error(message.error.message));
      else waiter.resolve(message.result);
    }
  });
  let gone = false;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => {
    gone = true;
    for (const w of waiting.values()) w.reject(new Error('chromium exited'));
    waiting.clear();
  });
  // A write to the pipe of a browser that died fails the pending command, not the whole process.
  toBrowser.on('error', () => undefined);

  /** One DevTools command; fails after `timeoutMs` (a wedged browser must not hang the bench). */
  const send = <T>(method: string, params: object = {}, sessionId?: string, timeoutMs = 60_000): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      if (gone) return reject(new Error(`chromium exited (${method})`));
      const id = nextId++;
      const timer = setTimeout(() => {
        waiting.delete(id);
        reject(new Error(`no answer to ${method} in ${timeoutMs / 1000} s`));
      }, timeoutMs);
      waiting.set(id, {
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v as T);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      toBrowser.write(`${JSON.stringify({ id, method, params, ...(sessionId && { sessionId }) })}\0`);
    });

  /** Long enough for a whole benchmark transfer; a page that never reports fails the run instead. */
  const EVALUATE_TIMEOUT_MS = 900_000;

  const evaluateIn = async <T>(sessionId: string, expression: string): Promise<T> => {
    const answer = await send<{
      result: { value?: unknown };
      exceptionDetails?: { text: string; exception?: { description?: string } };
    }>(
      'Runtime.evaluate',
      { expression, awaitPromise: true, returnByValue: true, userGesture: true },
      sessionId,
      EVALUATE_TIMEOUT_MS,
    );
    if (answer.exceptionDetails) {
      throw new Error(answer.exceptionDetails.exception?.description ?? answer.exceptionDetails.text);
    }
    return answer.result.value as T;
  };

  await send('Browser.getVersion');
  return {
    async newPage(url, initScripts = []) {
      const { targetId } = await send<{ targetId: string }>('Target.createTarget', { url: 'about:blank' });
      const { sessionId } = await send<{ sessionId: string }>('Target.attachToTarget', {
        targetId,
        flatten: true,
      });
      await send('Page.enable', {}, sessionId);
      for (const source of initScripts)
        await send('Page.addScriptToEvaluateOnNewDocument', { source }, sessionId);
      await send('Page.navigate', { url }, sessionId);
      for (let i = 0; ; i++) {
        const state = await evaluateIn<string>(sessionId, 'document.readyState').catch(() => 'loading');
        if (state === 'complete' && (await evaluateIn<string>(sessionId, 'location.href')) !== 'about:blank')
          break;
        if (i >= 600) throw new Error(`${url} did not load in 30 s`);
        await new Promise((r) => setTimeout(r, 50));
      }
      return {
        evaluate: (expression) => evaluateIn(sessionId, expression),
        send: (method, params) => send(method, params, sessionId),
        async setInputFiles(selector, paths) {
          const { root } = await send<{ root: { nodeId: number } }>(
            'DOM.getDocument',
            { depth: 0 },
            sessionId,
          );
          const { nodeId } = await send<{ nodeId: number }>(
            'DOM.querySelector',
            { nodeId: root.nodeId, selector },
            sessionId,
          );
          if (!nodeId) throw new Error(`no element matches ${selector}`);
          await send('DOM.setFileInputFiles', { nodeId, files: paths }, sessionId);
        },
        async close() {
          await send('Target.closeTarget', { targetId });
        },
      };
    },
    pids: () => processTree(profile),
    async close() {
      const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await send('Browser.close', {}, undefined, 5_000).catch(() => undefined);
      await exited;
      clearTimeout(killer);
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/**
 * An expression for `RawPage.evaluate`: resolves with `window.__timing` once its `done` is set (by the
 * page's timing script), fails as soon as a transfer row turns "failed".
 */
export const WAIT_FOR_TIMING = `new Promise((resolve, reject) => {
  const t = setInterval(() => {
    if (window.__timing.done) {
      clearInterval(t);
      resolve(window.__timing);
    } else if (document.querySelector('[data-status="failed"]')) {
      clearInterval(t);
      reject(new Error('a transfer failed: ' + document.querySelector('[data-status="failed"]').textContent));
    }
  }, 20);
})`;
