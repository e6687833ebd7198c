// Process entry: parse config, build dependencies, serve, stop cleanly. Nothing else lives here.
import { serve } from '@hono/node-server';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApp } from './app.ts';
import { ConfigError, parseConfig } from './config.ts';
import { startJanitor } from './janitor.ts';
import { LOCAL_S3_DEFAULT_CREDENTIALS, startLocalS3, type LocalS3 } from './local-s3/index.ts';
import { createS3Clients } from './s3/s3-clients.ts';
import { createS3Gateway } from './s3/s3-gateway.ts';
import { loadSecret } from './secret.ts';
import { REQUIRED_CORS, createSelfTest } from './self-test.ts';
import { staticSite } from './static-site.ts';

const log = (line: string) => console.log(`[hoist] ${line}`);

async function main() {
  const config = parseConfig(process.env);
  const dataDir = resolve(config.dataDir);
  const secret = await loadSecret(config.secret, dataDir);
  const lifetime = new AbortController();

  let embedded: LocalS3 | undefined;
  let endpoint = config.s3.endpoint;
  let credentials = config.s3.credentials;
  let publicEndpoint = config.s3.publicEndpoint;
  if (!endpoint) {
    credentials ??= LOCAL_S3_DEFAULT_CREDENTIALS;
    embedded = await startLocalS3({
      dataDir: join(dataDir, 'store'),
      host: config.host,
      port: config.storePort,
      region: config.s3.region,
      credentials,
      buckets: [config.s3.bucket],
      cors: REQUIRED_CORS,
      log: (line) => log(`store: ${line}`),
    });
    endpoint = embedded.endpoint;
    publicEndpoint ??= embedded.endpoint;
    log(`embedded S3 store on ${embedded.endpoint} (data in ${join(dataDir, 'store')})`);
  }
  const clients = createS3Clients({ ...config.s3, publicEndpoint }, endpoint, credentials);
  const store = createS3Gateway(clients, config.s3.bucket);
  const appOrigin = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${config.port}`;
  const selfTest = createSelfTest({
    store,
    kind: embedded ? 'embedded' : 'external',
    keyPrefix: config.keyPrefix,
    appOrigins: [appOrigin],
    configureCors: embedded !== undefined || config.s3.configureBucket,
    log,
  });
  // Browsers fetch presigned URLs: allow exactly the store's origin in the page's CSP.
  const sample = await getSignedUrl(
    clients.presign,
    new GetObjectCommand({ Bucket: config.s3.bucket, Key: 'x' }),
    {
      expiresIn: 60,
    },
  );
  const webRoot = fileURLToPath(new URL('../dist/web', import.meta.url));
  const metrics = { signCalls: 0, signedParts: 0 };
  const app = createApp(
    { config, store, secret, selfTest, log, metrics },
    { connectSrc: [new URL(sample).origin], static: staticSite(webRoot) },
  );

  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
    log(`Hoist is ready: open http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${info.port}/`);
  });
  // Longer than a load balancer's idle timeout (AWS ALB: 60 s), so the server never closes a kept-alive
  // connection that the balancer (or a browser) is about to reuse; Node's default of 5 s makes that race.
  const http = server as unknown as { keepAliveTimeout: number; headersTimeout: number };
  http.keepAliveTimeout = 65_000;
  http.headersTimeout = 66_000;
  void selfTest.run({ signal: lifetime.signal }).then((r) => {
    for (const c of r.checks) log(`self-test ${c.ok ? 'ok  ' : 'FAIL'} ${c.name}: ${c.message}`);
  });
  startJanitor(
    {
      store,
      prefix: config.keyPrefix,
      ttlMs: config.staleUploadTtlMs,
      intervalMs: config.janitorIntervalMs,
      log,
    },
    lifetime.signal,
  );

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: finishing in-flight requests, then stopping`);
    lifetime.abort();
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    server.close(async () => {
      await embedded?.close();
      process.exit(0);
    });
    // A connection whose call finishes now is idle from then on: close those as they come, rather than
    // waiting out the keep-alive.
    const closeIdle = () => (server as { closeIdleConnections?: () => void }).closeIdleConnections?.();
    closeIdle();
    setInterval(closeIdle, 100).unref();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(error.message);
  } else {
    console.error('Hoist failed to start:', error);
  }
  process.exit(1);
});
