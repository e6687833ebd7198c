// Process entry for `npm run store`: read the environment, start the store, stop on SIGINT/SIGTERM.
import { join, resolve } from 'node:path';
import { DataDirError, LOCAL_S3_DEFAULT_CREDENTIALS, startLocalS3 } from './index.ts';
import { parseStoreEnv } from './store-env.ts';

const env = parseStoreEnv(process.env, LOCAL_S3_DEFAULT_CREDENTIALS);
const log = (line: string) => console.log(`[store] ${line}`);
const store = await startLocalS3({
  // Same place as the embedded store of `npm start`, so both see the same objects.
  dataDir: join(resolve(env.dataDir), 'store'),
  host: env.host,
  port: env.port,
  region: env.region,
  credentials: env.credentials,
  buckets: [env.bucket],
  log,
}).catch((error: unknown) => {
  // Another store on the data dir, a damaged metadata file: the message says which and what to do.
  console.error(error instanceof DataDirError ? `[store] ${error.message}` : error);
  process.exit(1);
});
log(`endpoint        ${store.endpoint}`);
log(`region          ${env.region}`);
log(`bucket          ${env.bucket}`);
log(`access key id   ${env.credentials.accessKeyId}`);
log(`secret key      ${env.credentials.secretAccessKey}`);

for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => {
    log(`${signal}: stopping`);
    void store.close().then(() => process.exit(0));
  });
