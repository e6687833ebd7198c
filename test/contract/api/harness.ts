import { hc } from 'hono/client';
import { parseConfig } from '../../../server/config.ts';
import { createApi, type AppType } from '../../../server/app.ts';
import { createS3Gateway, type ObjectStore } from '../../../server/s3/s3-gateway.ts';
import { createSelfTest } from '../../../server/self-test.ts';
import { S3Client } from '@aws-sdk/client-s3';
import type { S3Target } from '../support/target.ts';

export const SECRET = 'test-secret-'.padEnd(40, 'x');

/** The API in-process over a real S3 target, with the typed client the web app uses. */
export async function apiOver(
  target: S3Target,
  env: Record<string, string> = {},
  gateway: Parameters<typeof createS3Gateway>[2] = {},
  /**
   * `now`: the server's clock (token expiry), to step through a TTL without waiting.
   * `credentialsEndIn`: the target's keys given as temporary credentials that end this many ms from now.
   */
  deps: {
    now?: () => number;
    credentialsEndIn?: number;
    /** Stands between the API and the store, to replay a race the store would answer too fast for. */
    wrapStore?: (store: ObjectStore) => ObjectStore;
    /**
     * The self-test's time limit. Default: the server's, but a minute on Ceph RGW, which CI runs at the
     * lowest CPU priority beside the browser tests: its probes (a dozen requests) can take longer than
     * 10 s there, and a run given up learns nothing (the "_" and If-Match findings the tests check).
     */
    selfTestTimeoutMs?: number;
    /** HOIST_SECRET (default: SECRET), to stand for another instance that has its own. */
    secret?: string;
    /** What the server logs (default: nothing). */
    log?: (line: string) => void;
  } = {},
) {
  const config = parseConfig({ S3_BUCKET: target.bucket, ...env });
  const client = new S3Client({
    endpoint: target.endpoint,
    region: target.region,
    credentials:
      deps.credentialsEndIn === undefined
        ? target.credentials
        : { ...target.credentials, expiration: new Date(Date.now() + deps.credentialsEndIn) },
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const gatewayStore = createS3Gateway({ api: client, presign: client }, target.bucket, gateway);
  const store = deps.wrapStore?.(gatewayStore) ?? gatewayStore;
  const selfTestTimeoutMs = deps.selfTestTimeoutMs ?? (target.kind === 'rgw' ? 60_000 : undefined);
  const selfTest = createSelfTest({
    store,
    kind: target.kind === 'embedded' ? 'embedded' : 'external',
    keyPrefix: config.keyPrefix,
    appOrigins: ['http://localhost'], // where `api` below sends its requests
    configureCors: true,
    ...(selfTestTimeoutMs !== undefined && { timeoutMs: selfTestTimeoutMs }),
  });
  await selfTest.run();
  const metrics = { signCalls: 0, signedParts: 0 };
  const app = createApi({
    config,
    store,
    secret: deps.secret ?? SECRET,
    selfTest,
    metrics,
    log: deps.log ?? (() => {}),
    now: deps.now,
  });
  const api = hc<AppType>('http://localhost', {
    fetch: (input: RequestInfo | URL, init?: RequestInit) => app.request(input, init),
  });
  return { app, api, store, selfTest, config, metrics };
}
