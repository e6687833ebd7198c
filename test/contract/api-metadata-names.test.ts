import { createHash, randomUUID } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HealthAnswer, SignedPart, UploadPlan } from '../../server/shared/api-types.ts';
import { apiOver } from './api/harness.ts';
import { getTarget, targetKind, type S3Target } from './support/target.ts';

// Ceph RGW stores x-amz-meta-reviewed_by as reviewed-by; S3 and the embedded store keep the "_". The
// self-test's probe object tells which, and where the store would change the name Hoist refuses it
// (on upload and on Edit properties) rather than answer "Saved." for a name nothing will find later.
// Each case runs on the kind of store it is about: "kept" on the embedded store (and S3), "refused" on
// RGW (S3_KIND=rgw).
const dashes = targetKind() === 'rgw';

let target: S3Target;
let h: Awaited<ReturnType<typeof apiOver>>;
let prefix: string;

beforeAll(async () => {
  target = await getTarget();
  prefix = `meta-names-${randomUUID().slice(0, 8)}/`;
  h = await apiOver(target, { HOIST_KEY_PREFIX: prefix });
});
afterAll(async () => {
  await target?.close();
});

const metadata = { reviewed_by: 'qa team', project: 'apollo' };

const upload = (name: string, size: number) =>
  h.api.uploads.$post({
    json: { name, size, type: 'text/plain', lastModified: 0, properties: { metadata } },
  });

async function putObject(name: string) {
  await target.client.send(
    new PutObjectCommand({ Bucket: target.bucket, Key: prefix + name, Body: 'x', ContentType: 'text/plain' }),
  );
  return target.client.send(new HeadObjectCommand({ Bucket: target.bucket, Key: prefix + name }));
}

const editMetadata = (name: string, etag: string) =>
  h.api.objects.properties.$post({
    json: { key: prefix + name, etag, properties: { contentType: 'text/plain', metadata } },
  });

function checksumOf(bytes: string, algorithm: UploadPlan['checksumAlgorithm']): string {
  if (algorithm === 'MD5') return createHash('md5').update(bytes).digest('base64');
  const b = Buffer.alloc(4);
  b.writeUInt32BE(crc32(bytes) >>> 0);
  return b.toString('base64');
}

const metadataOf = async (name: string) =>
  (await target.client.send(new HeadObjectCommand({ Bucket: target.bucket, Key: prefix + name }))).Metadata;

describe('metadata names with "_"', () => {
  it.skipIf(dashes)('are kept where the store keeps them: a single PUT and Edit properties', async () => {
    expect(h.selfTest.metadataUnderscore()).toBe('kept');
    expect(((await (await h.api.health.$get()).json()) as HealthAnswer).metadataUnderscore).toBe('kept');

    const res = await upload('uploaded.txt', 1);
    expect(res.status).toBe(200);
    const plan = (await res.json()) as UploadPlan;
    const sign = await h.api.uploads.sign.$post({
      json: {
        token: plan.token,
        parts: [{ partNumber: 1, checksum: checksumOf('x', plan.checksumAlgorithm) }],
      },
    });
    const { parts } = (await sign.json()) as { parts: SignedPart[] };
    const put = await fetch(parts[0]!.url, { method: 'PUT', headers: parts[0]!.headers, body: 'x' });
    expect(put.status).toBe(200);
    expect(await metadataOf('uploaded.txt')).toEqual(metadata);

    const before = await putObject('edited.txt');
    expect((await editMetadata('edited.txt', before.ETag!)).status).toBe(200);
    expect(await metadataOf('edited.txt')).toEqual(metadata);
  });

  it.runIf(dashes)(
    'are refused where the store turns "_" into "-", saying so, and nothing is written',
    async () => {
      expect(h.selfTest.metadataUnderscore()).toBe('dashed');
      const health = (await (await h.api.health.$get()).json()) as HealthAnswer;
      expect(health.metadataUnderscore).toBe('dashed');
      expect(health.checks.find((c) => c.name === 'checksums')?.message).toMatch(/turns "_" into "-"/);

      const said = {
        code: 'metadata-name-changed',
        message:
          'Metadata name "reviewed_by": this store turns "_" into "-" in metadata names (it would keep "reviewed-by"); use "-".',
      };
      for (const size of [1, 11 * 1024 ** 2]) {
        const res = await upload(`uploaded-${size}.txt`, size);
        expect(res.status).toBe(400);
        expect(((await res.json()) as unknown as { error: unknown }).error).toEqual(said);
      }

      const before = await putObject('edited.txt');
      const res = await editMetadata('edited.txt', before.ETag!);
      expect(res.status).toBe(400);
      expect(((await res.json()) as unknown as { error: unknown }).error).toEqual(said);
      const after = await target.client.send(
        new HeadObjectCommand({ Bucket: target.bucket, Key: `${prefix}edited.txt` }),
      );
      expect([after.ETag, after.Metadata]).toEqual([before.ETag, {}]);
    },
  );
});
