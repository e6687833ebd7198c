import { GetBucketCorsCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi } from '../../server/app.ts';
import { parseConfig } from '../../server/config.ts';
import { createS3Gateway } from '../../server/s3/s3-gateway.ts';
import { PAGE_ORIGIN_HEADER, type HealthAnswer } from '../../server/shared/api-types.ts';
import { SECRET } from './api/harness.ts';
import { createSelfTest } from '../../server/self-test.ts';
import { hoistCorsRule } from '../../server/shared/hoist-cors-rule.ts';
import { getTarget, makeClient, type S3Target } from './support/target.ts';

/** S3_CONFIGURE_BUCKET on a bucket that serves another app too: its rules stay, Hoist's is added. */
const otherApp = {
  AllowedOrigins: ['https://other-app.example.com'],
  AllowedMethods: ['GET'],
  AllowedHeaders: ['authorization'],
  MaxAgeSeconds: 600,
};
let target: S3Target;

beforeAll(async () => {
  target = await getTarget({ cors: [otherApp] });
});
afterAll(async () => {
  await target?.close();
});

describe("the self-test's bucket configuration", () => {
  it("adds Hoist's rule for its origin beside the bucket's other rules, and says so", async () => {
    const client = makeClient(target.endpoint, target.region, target.credentials);
    const store = createS3Gateway({ api: client, presign: client }, target.bucket);
    const lines: string[] = [];
    const selfTest = createSelfTest({
      store,
      kind: 'external',
      keyPrefix: '',
      appOrigins: ['https://hoist.example.com'],
      configureCors: true,
      log: (line) => lines.push(line),
    });
    const report = await selfTest.run();
    expect(report.checks.find((c) => c.name === 'cors')).toMatchObject({ ok: true });
    const { CORSRules } = await client.send(new GetBucketCorsCommand({ Bucket: target.bucket }));
    expect(CORSRules).toHaveLength(2);
    // Hoist's first: S3 answers a preflight with the first rule that matches it.
    expect(CORSRules?.[0]).toMatchObject({
      AllowedOrigins: ['https://hoist.example.com'],
      AllowedMethods: ['GET', 'PUT', 'HEAD'],
    });
    expect(CORSRules?.[1]).toMatchObject(otherApp);
    expect(lines.join('\n')).toMatch(/rule for https:\/\/hoist\.example\.com .*beside its 1 other rule/);

    // Run again (a restart): Hoist's rule is there, nothing is added twice.
    await createSelfTest({
      store,
      kind: 'external',
      keyPrefix: '',
      appOrigins: ['https://hoist.example.com'],
      configureCors: true,
    }).run();
    const again = await client.send(new GetBucketCorsCommand({ Bucket: target.bucket }));
    expect(again.CORSRules).toHaveLength(2);
    client.destroy();
  });
});

describe("the self-test's CORS check, against the store's own matching", () => {
  it('passes a rule whose origin has one "*" (any port), which the store lets the page through with', async () => {
    const wild = await getTarget({ cors: [hoistCorsRule(['http://127.0.0.1:*'])] });
    try {
      const origin = 'http://127.0.0.1:18301';
      const preflight = await fetch(`${wild.endpoint}/${wild.bucket}/part`, {
        method: 'OPTIONS',
        headers: {
          Origin: origin,
          'Access-Control-Request-Method': 'PUT',
          'Access-Control-Request-Headers': 'content-type,x-amz-checksum-crc32',
        },
      });
      expect(preflight.status).toBe(200);
      expect(preflight.headers.get('access-control-allow-origin')).toBe(origin);
      const store = createS3Gateway({ api: wild.client, presign: wild.client }, wild.bucket);
      const report = await createSelfTest({
        store,
        kind: 'external',
        keyPrefix: '',
        appOrigins: [origin],
        configureCors: false,
      }).run();
      expect(report.checks.find((c) => c.name === 'cors')).toMatchObject({ ok: true });
    } finally {
      await wild.close();
    }
  });
});

describe('health, for a page open at an origin the CORS rule does not name', () => {
  it('passes the page at 127.0.0.1 that the rule names, and tells the one at localhost what to add', async () => {
    const named = await getTarget({ cors: [hoistCorsRule(['http://127.0.0.1:8080'])] });
    try {
      const store = createS3Gateway({ api: named.client, presign: named.client }, named.bucket);
      const selfTest = createSelfTest({
        store,
        kind: 'external',
        keyPrefix: '',
        appOrigins: ['http://127.0.0.1:8080', 'http://localhost:8080'],
        configureCors: false,
      });
      const metrics = { signCalls: 0, signedParts: 0 };
      const appWith = (env: Record<string, string>) =>
        createApi({
          config: parseConfig({ S3_BUCKET: named.bucket, ...env }),
          store,
          secret: SECRET,
          selfTest,
          metrics,
          log: () => {},
        });
      const app = appWith({});
      // The page says where it is open (PAGE_ORIGIN_HEADER): the address the request came to is no
      // guide behind a proxy or with HOIST_PUBLIC_URL.
      const health = async (origin: string | null, query = '?refresh=1', on = app) =>
        (await (
          await on.request(`http://127.0.0.1:8080/health${query}`, {
            headers: origin ? { [PAGE_ORIGIN_HEADER]: origin } : {},
          })
        ).json()) as HealthAnswer;

      expect((await health('http://127.0.0.1:8080')).ok).toBe(true);
      const elsewhere = await health('http://localhost:8080');
      expect(elsewhere.ok).toBe(false);
      expect(elsewhere.checks.find((c) => c.name === 'cors')).toEqual({
        name: 'cors',
        ok: false,
        message:
          'The bucket CORS does not allow PUT and GET from http://localhost:8080. Add it to AllowedOrigins (see README), or set HOIST_PUBLIC_URL if people open Hoist at another address.',
      });
      // Asked again without a new run: still said; the other page, and a caller that is no page, pass.
      expect((await health('http://localhost:8080', '')).ok).toBe(false);
      expect((await health('http://127.0.0.1:8080', '')).ok).toBe(true);
      expect((await health(null, '')).ok).toBe(true);
      // HOIST_PUBLIC_URL names the origin the rule has: a page opened elsewhere is told all the same.
      const published = appWith({ HOIST_PUBLIC_URL: 'http://127.0.0.1:8080' });
      expect((await health('http://localhost:8080', '', published)).ok).toBe(false);
      expect((await health('https://127.0.0.1:8080', '', published)).ok).toBe(false);
      expect((await health('http://127.0.0.1:8080', '', published)).ok).toBe(true);
    } finally {
      await named.close();
    }
  });

  it('a page behind a proxy at an address Hoist was not told of passes when the rule names it, and is told to set HOIST_PUBLIC_URL', async () => {
    const proxied = await getTarget({ cors: [hoistCorsRule(['https://files.example.com'])] });
    try {
      const store = createS3Gateway({ api: proxied.client, presign: proxied.client }, proxied.bucket);
      const selfTest = createSelfTest({
        store,
        kind: 'external',
        keyPrefix: '',
        appOrigins: ['http://127.0.0.1:8080'],
        configureCors: false,
      });
      const app = createApi({
        config: parseConfig({ S3_BUCKET: proxied.bucket }),
        store,
        secret: SECRET,
        selfTest,
        metrics: { signCalls: 0, signedParts: 0 },
        log: () => {},
      });
      const health = async (origin: string | null) =>
        (await (
          await app.request('http://127.0.0.1:8080/health?refresh=1', {
            headers: origin ? { [PAGE_ORIGIN_HEADER]: origin } : {},
          })
        ).json()) as HealthAnswer;
      const page = await health('https://files.example.com');
      expect(page.ok).toBe(true);
      expect(page.checks.find((c) => c.name === 'cors')).toEqual({
        name: 'cors',
        ok: true,
        message:
          "CORS allows uploads from this page's address (https://files.example.com), though not from the one Hoist takes as its own: set HOIST_PUBLIC_URL to the address people open Hoist at, so that its own check is made for it.",
      });
      // Hoist's own address, and a caller that is no page, are still told what the rule lacks.
      expect((await health('http://127.0.0.1:8080')).ok).toBe(false);
      expect((await health(null)).checks.find((c) => c.name === 'cors')?.message).toMatch(
        /^The bucket CORS does not allow PUT and GET from http:\/\/127\.0\.0\.1:8080/,
      );
    } finally {
      await proxied.close();
    }
  });
});
