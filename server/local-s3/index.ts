import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { S3Error } from './errors.ts';
import type { CorsRule } from './cors.ts';
import { DataDirError } from './data-dir-error.ts';
import { lockDataDir } from './data-dir-lock.ts';
import { makePrivate } from './make-dir.ts';
import { s3RequestListener } from './server.ts';
import { RETIRED_ACCESS_KEY } from './retired-key.ts';
import { Store } from './store.ts';

export type { CorsRule } from './cors.ts';
export { DataDirError } from './data-dir-error.ts';
export { S3Error } from './errors.ts';

/** The embedded S3-compatible store: start it on a data dir, get an endpoint. */

export interface LocalS3Options {
  /** everything lives under here (objects, multipart parts, bucket config, metadata) */
  dataDir: string;
  /** default '127.0.0.1' */
  host?: string;
  /** default 9000; 0 = random free port */
  port?: number;
  /** default 'us-east-1' */
  region?: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** created on start if missing */
  buckets?: string[];
  /** set as the CORS configuration of `buckets` at start, when they have none */
  cors?: CorsRule[];
  log?: (line: string) => void;
  /** The store's clock (default: this machine's); its answers' `Date` header and SigV4's time checks. */
  now?: () => Date;
}

export interface LocalS3 {
  /** http://host:port */
  endpoint: string;
  close(): Promise<void>;
}

/**
 * Fixed keys for the tests and benchmarks that start a store themselves and give it these. Never a
 * default: keys everyone knows let any web page on the machine (or anyone the store is proxied to)
 * presign requests for the whole bucket. `npm start` and `npm run store` take keys derived from the
 * data directory's secret (secret.ts `derivedStoreCredentials`), or S3_ACCESS_KEY_ID/….
 */
export const LOCAL_S3_TEST_CREDENTIALS: { accessKeyId: string; secretAccessKey: string } = Object.freeze({
  accessKeyId: RETIRED_ACCESS_KEY,
  secretAccessKey: 'hoist-local-secret-key-change-me-0000000',
});

const DEFAULTS = {
  host: '127.0.0.1',
  port: 9000,
  region: 'us-east-1',
  buckets: [],
  log: () => undefined,
} satisfies Partial<LocalS3Options>;

export async function startLocalS3(
  opts: LocalS3Options,
  options: { signal?: AbortSignal } = {},
): Promise<LocalS3> {
  const config = { ...DEFAULTS, ...opts };
  const { signal } = options;
  signal?.throwIfAborted();
  // The objects' bytes are in here: only this user may look in (an older version's dir included), and
  // a dir another user owns stops the start before anything is written in it. A chmod refused (a
  // file system without modes) is no reason not to start.
  const madePrivate = await makePrivate(config.dataDir).catch((error: unknown) => {
    if (error instanceof DataDirError) throw error;
    return false;
  });
  // Before anything on disk is touched: a second store on this dir stops here, having changed nothing.
  const lock = await lockDataDir(config.dataDir, signal ? { signal } : {});
  if (madePrivate)
    config.log(`made ${config.dataDir} private (mode 0700): other users of this machine could read it`);
  // Requests that come while the store loads wait for it.
  let ready!: (listener: RequestListener) => void;
  const listener = new Promise<RequestListener>((resolve) => (ready = resolve));
  const server = createServer((req, res) => void listener.then((answer) => answer(req, res)));
  server.keepAliveTimeout = 65_000;
  server.requestTimeout = 0;
  try {
    // Listening before the start-up sweep: a start that cannot have its port has deleted nothing either.
    await new Promise<void>((resolve, reject) => {
      const onError = (error: Error) => reject(error);
      server.once('error', onError);
      server.listen(config.port, config.host, () => {
        server.off('error', onError);
        resolve();
      });
    });
    const store = await Store.open(config.dataDir, {
      ...(signal && { signal }),
      ...(config.now && { now: config.now }),
    });
    for (const name of config.buckets) {
      if (!store.hasBucket(name)) await store.createBucket(name, signal ? { signal } : {});
      if (config.cors && !store.bucket(name).record.cors)
        await store.setCors(name, config.cors, signal ? { signal } : {});
    }
    ready(
      s3RequestListener({
        store,
        region: config.region,
        credentials: config.credentials,
        log: config.log,
        ...(config.now && { now: config.now }),
      }),
    );
  } catch (error) {
    server.close();
    server.closeAllConnections();
    await lock.release();
    throw error;
  }
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const endpoint = `http://${host}:${address.port}`;
  config.log(`listening on ${endpoint}, data in ${config.dataDir}`);
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= new Promise<void>((resolve, reject) => {
      server.close((error) => (error ? reject(error) : resolve()));
      server.closeIdleConnections();
      setTimeout(() => server.closeAllConnections(), 2000).unref();
    }).finally(() => lock.release()));
  // Aborted while the start's last writes ran (they check the signal only as they begin): no store.
  if (signal?.aborted) {
    await close();
    signal.throwIfAborted();
  }
  signal?.addEventListener('abort', () => void close(), { once: true });
  return { endpoint, close };
}

export function isS3Error(error: unknown): error is S3Error {
  return error instanceof S3Error;
}
