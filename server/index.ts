// Process entry: parse config, build dependencies, serve, stop cleanly. Nothing else lives here.
import { serve } from '@hono/node-server';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApp } from './app.ts';
import { appOrigins } from './app-origins.ts';
import {
  ConfigError,
  embeddedStorePublicEndpoint,
  isLoopback,
  isWildcard,
  parseConfig,
  SETTING_NAMES,
} from './config.ts';
import { settingWarnings } from './setting-names.ts';
import { startJanitor } from './janitor.ts';
import { explainStartError } from './start-error.ts';
import { explainStoreError, storeErrorFacts } from './s3/explain-store-error.ts';
import { startLocalS3, type LocalS3 } from './local-s3/index.ts';
import { createS3Clients } from './s3/s3-clients.ts';
import { createS3Gateway } from './s3/s3-gateway.ts';
import { derivedStoreCredentials, loadSecret, secretFingerprint } from './secret.ts';
import { createSelfTest } from './self-test.ts';
import { REQUIRED_CORS } from './shared/hoist-cors-rule.ts';
import { staticSite } from './static-site.ts';
import { formatBytes } from './shared/format-bytes.ts';
import { retiredKeyWarning } from './local-s3/retired-key.ts';

const log = (line: string) => console.log(`[hoist] ${line}`);

const duration = (ms: number) =>
  ms % 3_600_000 === 0 ? `${ms / 3_600_000} h` : ms % 60_000 === 0 ? `${ms / 60_000} min` : `${ms / 1000} s`;

/** An address for URLs: IPv6 in brackets; every-address binds as the loopback this machine can open. */
function urlHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::' || host === '[::]') return '[::1]';
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

async function main() {
  const config = parseConfig(process.env);
  for (const warning of settingWarnings(process.env, SETTING_NAMES)) log(`warning: ${warning}`);
  const dataDir = resolve(config.dataDir);
  const secret = await loadSecret(config.secret, dataDir).catch((error: unknown) => {
    throw explainStartError(error, config, 'data');
  });
  // Compared across instances: servers behind one load balancer must show the same fingerprint.
  log(
    `secret: ${config.secret ? 'HOIST_SECRET' : `kept in ${join(dataDir, 'hoist-secret')} (made by this install; HOIST_SECRET is not set)`} · fingerprint ${secretFingerprint(secret)}; every Hoist server behind one address needs the same HOIST_SECRET`,
  );
  // With an external store the data directory holds nothing else: a container without a volume for it
  // makes a new secret at every start, and the uploads in flight then fail (their tokens are refused).
  if (!config.secret && !config.s3.embedded)
    log(
      `warning: HOIST_SECRET is not set: keep ${dataDir} across restarts (a container's volume), or set HOIST_SECRET (32+ characters), or uploads in flight fail when the server restarts`,
    );
  const lifetime = new AbortController();

  let embedded: LocalS3 | undefined;
  let endpoint = config.s3.endpoint;
  let credentials = config.s3.credentials;
  let publicEndpoint = config.s3.publicEndpoint;
  if (config.s3.embedded) {
    const exposed = !isLoopback(config.host);
    // Keys of this install (from its secret), never ones everyone knows: a web page on this machine
    // could presign with those, and a store proxied to others (S3_PUBLIC_ENDPOINT) would be open to all.
    credentials ??= derivedStoreCredentials(secret);
    embedded = await startLocalS3({
      dataDir: join(dataDir, 'store'),
      host: config.host,
      port: config.storePort,
      region: config.s3.region,
      credentials,
      buckets: [config.s3.bucket],
      cors: REQUIRED_CORS,
      log: (line) => log(`store: ${line}`),
    }).catch((error: unknown) => {
      throw explainStartError(explainStartError(error, config, 'store'), config, 'data');
    });
    const port = new URL(embedded.endpoint).port;
    endpoint = isWildcard(config.host) ? `http://${urlHost(config.host)}:${port}` : embedded.endpoint;
    publicEndpoint ??= embeddedStorePublicEndpoint(config.publicUrl, Number(port)) ?? endpoint;
    log(`embedded S3 store on ${embedded.endpoint} (data in ${join(dataDir, 'store')})`);
    const retired = retiredKeyWarning(credentials.accessKeyId);
    if (retired) log(`store: ${retired}`);
    if (!exposed && !config.s3.credentials) {
      // On this machine only: other S3 tools can reach the same bucket with these (this install's own).
      log(
        `store: for other S3 tools, access key ${credentials.accessKeyId}, secret key ${credentials.secretAccessKey}, e.g. AWS_ACCESS_KEY_ID=${credentials.accessKeyId} AWS_SECRET_ACCESS_KEY=${credentials.secretAccessKey} AWS_REGION=${config.s3.region} aws --endpoint-url ${embedded.endpoint} s3 ls s3://${config.s3.bucket}`,
      );
    }
    if (exposed && !config.s3.credentials) {
      log(
        `store: reachable beyond this machine: access key ${credentials.accessKeyId}, derived from HOIST_SECRET (its secret key is not logged: \`npm run store -- --keys\` with the same HOIST_DATA_DIR prints it); set S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY to choose them`,
      );
    }
  }
  log(
    `S3: ${embedded ? 'embedded store' : (endpoint ?? 'AWS')} · region ${config.s3.region} · bucket ${config.s3.bucket}${
      config.keyPrefix ? ` · prefix ${config.keyPrefix}` : ''
    }${publicEndpoint && publicEndpoint !== endpoint ? ` · browsers use ${publicEndpoint}` : ''}`,
  );
  const clients = createS3Clients({ ...config.s3, publicEndpoint }, endpoint, credentials);
  const store = createS3Gateway(clients, config.s3.bucket);
  const selfTest = createSelfTest({
    store,
    kind: embedded ? 'embedded' : 'external',
    keyPrefix: config.keyPrefix,
    ...(publicEndpoint && publicEndpoint !== endpoint && { publicEndpoint }),
    appOrigins: appOrigins({ host: config.host, port: config.port, publicUrl: config.publicUrl }),
    configureCors: embedded !== undefined || config.s3.configureBucket,
    log,
  });
  // Browsers fetch presigned URLs: allow exactly the store's origin in the page's CSP. The first call
  // that needs credentials: none found (no S3_ACCESS_KEY_ID, nothing in the AWS chain) is a bad setting.
  const sample = await getSignedUrl(
    clients.presign,
    new GetObjectCommand({ Bucket: config.s3.bucket, Key: 'x' }),
    { expiresIn: 60 },
  ).catch((error: unknown) => {
    const facts = storeErrorFacts(error);
    if (facts.name !== 'CredentialsProviderError') throw error;
    throw new ConfigError(`Cannot sign for the store: ${explainStoreError(facts, config.s3.bucket)}`);
  });
  const webRoot = fileURLToPath(new URL('../dist/web', import.meta.url));
  const metrics = { signCalls: 0, signedParts: 0 };
  let stopping = false;
  const app = createApp(
    { config, store, secret, selfTest, log, metrics, stopping: () => stopping },
    { connectSrc: [new URL(sample).origin], static: staticSite(webRoot) },
  );

  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
    log(`Hoist is ready: open ${config.publicUrl ?? `http://${urlHost(config.host)}:${info.port}`}/`);
  });
  server.once('error', (error) => {
    const explained = explainStartError(error, config, 'port');
    console.error(explained instanceof ConfigError ? explained.message : explained);
    process.exit(1);
  });
  // Longer than a load balancer's idle timeout (AWS ALB: 60 s), so the server never closes a kept-alive
  // connection that the balancer (or a browser) is about to reuse; Node's default of 5 s makes that race.
  const http = server as unknown as { keepAliveTimeout: number; headersTimeout: number };
  http.keepAliveTimeout = 65_000;
  http.headersTimeout = 66_000;
  // Failures are logged by the self-test itself, on this run and later ones (once while they stay the
  // same), and so is passing again after one.
  void selfTest.run({ signal: lifetime.signal }).then((r) => {
    for (const c of r.checks) if (c.ok) log(`self-test ok   ${c.name}: ${c.message}`);
  });
  // What the size and duration settings were taken as ("1.5GiB", "10"): the operator sees it here.
  log(
    `uploads: files of up to ${formatBytes(config.maxObjectSize)} (HOIST_MAX_OBJECT_SIZE), links valid ${duration(config.presignTtlMs)} (HOIST_PRESIGN_TTL), storage classes ${config.storageClasses.join(', ')} (HOIST_STORAGE_CLASSES)`,
  );
  log(
    `janitor: every ${duration(config.janitorIntervalMs)}, aborts multipart uploads ${
      config.keyPrefix ? `under ${config.keyPrefix}` : 'anywhere in the bucket (HOIST_KEY_PREFIX is empty)'
    } that received no part for ${duration(config.staleUploadTtlMs)} (HOIST_STALE_UPLOAD_TTL)`,
  );
  startJanitor(
    {
      store,
      prefix: config.keyPrefix,
      ttlMs: config.staleUploadTtlMs,
      intervalMs: config.janitorIntervalMs,
      log,
      explain: (error) => explainStoreError(storeErrorFacts(error), config.s3.bucket),
    },
    lifetime.signal,
  );

  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    // Behind a load balancer: not ready from now on, but serving on until it has stopped sending here.
    const delay = signal === 'SIGTERM' ? config.shutdownDelayMs : 0;
    if (delay > 0) {
      log(
        `${signal}: GET /api/ready answers 503 from now on; serving ${duration(delay)} more (HOIST_SHUTDOWN_DELAY), then stopping`,
      );
      const later = setTimeout(() => closeDown(signal), delay);
      process.once('SIGINT', () => {
        clearTimeout(later);
        closeDown('SIGINT');
      });
    } else closeDown(signal);
  };
  const closeDown = (signal: string) => {
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
