// `npm run dev`: the API server in watch mode plus Vite with hot reload (which proxies /api to it).
// The page is opened at Vite's address, so that is the app's public URL unless HOIST_PUBLIC_URL says
// otherwise: the API accepts requests from that origin, and the embedded store's CORS rule names it.
// Each child runs in a process group of its own, stopped as a whole (npx and tsx watch start processes
// of their own): when one ends (Vite's port taken), nothing is left holding the ports. The settings are
// checked first, as the server checks them: `tsx watch` outlives a server that stops on a bad one (it
// waits for a file to change), which left Vite serving a page whose health check failed.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { ConfigError, parseConfig, type Config } from '../server/config.ts';
import { explainStartError } from '../server/start-error.ts';

const apiPort = process.env.PORT ?? '8080';
const vitePort = process.env.VITE_PORT ?? '5173';
const publicUrl = process.env.HOIST_PUBLIC_URL ?? `http://localhost:${vitePort}`;

const serverEnv = { PORT: apiPort, HOIST_PUBLIC_URL: publicUrl };

/** Whether `port` can be listened on at `host`; the error that says why not. */
const tryListen = (host: string, port: number) =>
  new Promise<Error | null>((resolve) => {
    const probe = createServer();
    probe.once('error', resolve);
    probe.listen(port, host, () => probe.close(() => resolve(null)));
  });

/**
 * What would stop the server at once, said before anything starts: a bad setting, or a port another
 * process holds. `tsx watch` outlives a server that stops (it waits for a file to change), so Vite would
 * go on serving a page whose API never answers.
 */
async function startProblem(): Promise<string | null> {
  if (!/^\d{1,5}$/.test(vitePort) || Number(vitePort) < 1 || Number(vitePort) > 65535)
    return `VITE_PORT: a port number from 1 to 65535 (got "${vitePort}").`;
  let config: Config;
  try {
    config = parseConfig({ ...process.env, ...serverEnv });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.message;
  }
  const ports: ['port' | 'store', number][] = [['port', config.port]];
  if (config.s3.embedded && config.storePort !== 0) ports.push(['store', config.storePort]);
  for (const [what, port] of ports) {
    const error = await tryListen(config.host, port);
    if (error) {
      const explained = explainStartError(error, config, what);
      return explained instanceof Error ? explained.message : String(explained);
    }
  }
  return null;
}

const problem = await startProblem();
if (problem) {
  console.error(problem);
  process.exit(1);
}

const start = (args: string[], env: NodeJS.ProcessEnv): ChildProcess =>
  spawn('npx', args, { stdio: 'inherit', env: { ...process.env, ...env }, detached: true });

const children = [
  start(['tsx', 'watch', '--clear-screen=false', 'server/index.ts'], serverEnv),
  start(['vite', '--port', vitePort, '--strictPort'], { HOIST_DEV_API: `http://127.0.0.1:${apiPort}` }),
];

let stopping = false;
const stop = () => {
  stopping = true;
  for (const child of children) {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGTERM');
    } catch {
      // That group is gone already.
    }
  }
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
for (const child of children) {
  child.on('exit', (code) => {
    if (!stopping) process.exitCode = code ?? 1;
    stop();
  });
}
