import { GetBucketCorsCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createS3Gateway } from '../../server/s3/s3-gateway.ts';
import { createSelfTest } from '../../server/self-test.ts';
import { getTarget, type S3Target } from './support/target.ts';

let target: S3Target;

beforeAll(async () => {
  target = await getTarget();
});
afterAll(async () => {
  await target?.close();
});

/** A Hoist server's self-test with S3_CONFIGURE_BUCKET=true, opened at `origin`. */
function serverAt(origin: string) {
  const store = createS3Gateway({ api: target.client, presign: target.client }, target.bucket);
  return createSelfTest({
    store,
    kind: target.kind === 'embedded' ? 'embedded' : 'external',
    keyPrefix: '',
    appOrigins: [origin],
    configureCors: true,
  });
}

async function hoistOrigins(): Promise<string[]> {
  const cors = await target.client.send(new GetBucketCorsCommand({ Bucket: target.bucket }));
  return cors.CORSRules?.find((r) => r.ID === 'hoist')?.AllowedOrigins ?? [];
}

describe('two Hoist servers configuring one bucket', () => {
  it("keep each other's origin on the CORS rule: both pass, again and again, and the other app's rule stays", async () => {
    const staging = serverAt('https://staging.example.com');
    const production = serverAt('https://hoist.example.com');
    // The bucket has a broad rule of another app first (any origin, no Content-Range exposed): S3 uses
    // the first rule that matches, so Hoist's must come before it.
    expect((await staging.run()).ok).toBe(true);
    expect((await production.run()).ok).toBe(true);
    expect((await hoistOrigins()).sort()).toEqual([
      'https://hoist.example.com',
      'https://staging.example.com',
    ]);
    for (const server of [staging, production, staging]) {
      const report = await server.run();
      expect(report.checks.find((c) => c.name === 'cors')).toMatchObject({ ok: true });
    }
    expect((await hoistOrigins()).sort()).toEqual([
      'https://hoist.example.com',
      'https://staging.example.com',
    ]);
    // The permissive rule the test bucket was made with (another app's) is still there.
    const cors = await target.client.send(new GetBucketCorsCommand({ Bucket: target.bucket }));
    expect(cors.CORSRules?.some((r) => r.ID !== 'hoist')).toBe(true);
  });
});
