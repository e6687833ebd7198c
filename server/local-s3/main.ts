// Process entry for `npm run store`: read the environment, start the store, stop on SIGINT/SIGTERM.
// `npm run store -- --keys` prints the keys it would take and exits, starting nothing (so it also
// tells an operator the keys of `npm start`'s embedded store, which holds the data dir meanwhile).
import { join, resolve } from 'node:path';
import { isLoopback } from '../config.ts';
import { derivedStoreCredentials, loadSecret } from '../secret.ts';
import { DataDirError, startLocalS3 } from './index.ts';
import { parseStoreEnv, StoreEnvError } from './store-env.ts';
import { retiredKeyWarning } from './retired-key.ts';
import { REQUIRED_CORS } from '../shared/hoist-cors-rule.ts';

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
// As the embedded store of `npm start`: keys derived from the data directory's secret (HOIST_SECRET,
// or the one generated there), so this install's own, unless S3_ACCESS_KEY_ID/… choose them. Never
// fixed ones everyone knows: any web page on this machine could presign requests with those.
const exposed = !isLoopback(env.host);
const credentials =
  env.credentials ?? derivedStoreCredentials(await loadSecret(env.secret, resolve(env.dataDir)).catch(stop));
if (process.argv.includes('--keys')) {
  log(`access key id   ${credentials.accessKeyId}`);
  log(`secret key      ${credentials.secretAccessKey}`);
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
  // As `npm start`'s store: a Hoist server pointed at this one works without S3_CONFIGURE_BUCKET.
  cors: REQUIRED_CORS,
  log,
}).catch(stop);
log(`endpoint        ${store.endpoint}`);
const retired = retiredKeyWarning(credentials.accessKeyId);
if (retired) log(retired);
log(`region          ${env.region}`);
log(`bucket          ${env.bucket}`);
log(`access key id   ${credentials.accessKeyId}`);
// Its secret key in the log only on this machine: reachable beyond it, whoever reads the log would
// hold the whole bucket (`--keys` prints it, asked for).
if (exposed)
  log(
    'secret key      (not logged: the store is reachable beyond this machine; `npm run store -- --keys` prints it)',
  );
else log(`secret key      ${credentials.secretAccessKey}`);

for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => {
    log(`${signal}: stopping`);
    void store.close().then(() => process.exit(0));
  });
