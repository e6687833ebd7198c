/**
 * Chromium driven over a bare DevTools pipe, with only the Page, Runtime and DOM commands a run needs.
 *
 * Why not Playwright for the throughput runs: Playwright enables DevTools' Network domain on every page,
 * and the browser then copies every response body into the inspector's buffer. Measured here, that
 * costs downloads about 40 % (a fetch-and-discard loop: 78–89 MiB/s under Playwright, 159–188 MiB/s
 * without). Users have no debugger attached, so the throughput figures are taken without one; the
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

export async function launchRawChromium(extraArgs: string[] = []): Promise<RawBrowser> {
  const profile = await mkdtemp(join(tmpdir(), 'hoist-bench-raw-chromium-'));
  const child: ChildProcess = spawn(
    CHROMIUM_PATH,
    [...CHROMIUM_ARGS, '--remote-debugging-pipe', `--user-data-dir=${profile}`, ...extraArgs, 'about:blank'],
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
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => {
    for (const w of waiting.values()) w.reject(new Error('chromium exited'));
    waiting.clear();
  });

  const send = <T>(method: string, params: object = {}, sessionId?: string): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = nextId++;
      waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      toBrowser.write(`${JSON.stringify({ id, method, params, ...(sessionId && { sessionId }) })}\0`);
    });

  const evaluateIn = async <T>(sessionId: string, expression: string): Promise<T> => {
    const answer = await send<{
      result: { value?: unknown };
      exceptionDetails?: { text: string; exception?: { description?: string } };
    }>(
      'Runtime.evaluate',
      { expression, awaitPromise: true, returnByValue: true, userGesture: true },
      sessionId,
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
      for (let i = 0; i < 600; i++) {
        const state = await evaluateIn<string>(sessionId, 'document.readyState').catch(() => 'loading');
        if (state === 'complete' && (await evaluateIn<string>(sessionId, 'location.href')) !== 'about:blank')
          break;
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
      await send('Browser.close').catch(() => undefined);
      const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(killer);
      await rm(profile, { recursive: true, force: true });
    },
  };
}
