// Process entry for `npm run store`: read the environment, start the store, stop on SIGINT/SIGTERM.
// `npm run store -- --keys` prints the keys it would take and exits, starting nothing (so it also
// tells an operator the keys of `npm start`'s embedded store, which holds the data dir meanwhile).
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { isLoopback } from '../config.ts';
import { derivedStoreCredentials, loadSecret } from '../secret.ts';
import { DataDirError, LOCAL_S3_DEFAULT_CREDENTIALS, startLocalS3 } from './index.ts';
import { parseStoreEnv, StoreEnvError } from './store-env.ts';

const log = (line: string) => console.log(`[store] ${line}`);
/** What the user can fix (a setting, another store on the data dir): the message alone, and exit 1. */
const stop = (error: unknown): never => {
  const known = error instanceof StoreEnvError || error instanceof DataDirError;
  console.error(known ? `[store] ${error.message}` : error);
  process.exit(1);
};

const env = (() => {
  try {
    return parseStoreEnv(process.env);
  } catch (error) {
    return stop(error);
  }
})();
// As the embedded store of `npm start`: the documented development keys on this machine only; reachable
// beyond it, keys derived from HOIST_SECRET (kept in the data dir), unless S3_ACCESS_KEY_ID/… choose them.
const exposed = !isLoopback(env.host);
const credentials =
  env.credentials ??
  (exposed
    ? derivedStoreCredentials(await loadSecret(env.secret, resolve(env.dataDir)).catch(stop))
    : LOCAL_S3_DEFAULT_CREDENTIALS);
if (process.argv.includes('--keys')) {
  log(`access key id   ${credentials.accessKeyId}`);
  log(`secret key      ${credentials.secretAccessKey}`);
  // Asked on this machine with no HOST given, of a store that may have been started with one beyond it:
  // those keys too, when the data dir holds the secret they come from (nothing is written to find out).
  if (!exposed && !env.credentials) {
    const secret =
      env.secret ??
      (await readFile(join(resolve(env.dataDir), 'hoist-secret'), 'utf8').then(
        () => loadSecret(undefined, resolve(env.dataDir)),
        () => undefined,
      ));
    if (secret !== undefined) {
      const derived = derivedStoreCredentials(secret);
      log(
        '(the development defaults, for a store on this machine only; one started with HOST beyond it takes:)',
      );
      log(`access key id   ${derived.accessKeyId}`);
      log(`secret key      ${derived.secretAccessKey}`);
    }
  }
  process.exit(0);
}
const store = await startLocalS3({
  // Same place as the embedded store of `npm start`, so both see the same objects.
  dataDir: join(resolve(env.dataDir), 'store'),
  host: env.host,
  port: env.port,
  region: env.region,
  credentials,
  buckets: [env.bucket],
  log,
}).catch(stop);
log(`endpoint        ${store.endpoint}`);
log(`region          ${env.region}`);
log(`bucket          ${env.bucket}`);
log(`access key id   ${credentials.accessKeyId}`);
log(`secret key      ${credentials.secretAccessKey}`);
if (exposed && !env.credentials)
  log(
    'reachable beyond this machine, so it takes keys derived from HOIST_SECRET, not the development defaults; set S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY to choose them',
  );

for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => {
    log(`${signal}: stopping`);
    void store.close().then(() => process.exit(0));
  });
