import { GetBucketCorsCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createS3Gateway } from '../../server/s3/s3-gateway.ts';
import { createSelfTest, hoistCorsRule } from '../../server/self-test.ts';
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
