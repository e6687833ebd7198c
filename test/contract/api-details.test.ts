import { randomUUID } from 'node:crypto';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ObjectDetails } from '../../server/shared/api-types.ts';
import { apiOver } from './api/harness.ts';
import { getTarget, type S3Target } from './support/target.ts';

let target: S3Target;
let h: Awaited<ReturnType<typeof apiOver>>;
let prefix: string;

beforeAll(async () => {
  target = await getTarget();
  prefix = `details-${randomUUID().slice(0, 8)}/`;
  h = await apiOver(target, { HOIST_KEY_PREFIX: prefix });
});
afterAll(async () => {
  await target?.close();
});

describe('POST /api/objects/details', () => {
  it('gives what HeadObject says: size, type, ETag, headers and user metadata', async () => {
    const key = `${prefix}notes.txt`;
    await target.client.send(
      new PutObjectCommand({
        Bucket: target.bucket,
        Key: key,
        Body: 'hello details',
        ContentType: 'text/plain',
        CacheControl: 'no-cache',
        ContentDisposition: 'inline',
        Metadata: { owner: 'ana', project: 'hoist' },
        Tagging: 'team=data&stage=raw%20files',
      }),
    );
    const res = await h.api.objects.details.$post({ json: { key } });
    expect(res.status).toBe(200);
    const details = (await res.json()) as ObjectDetails;
    expect(details).toMatchObject({
      key,
      size: 13,
      contentType: 'text/plain',
      cacheControl: 'no-cache',
      contentDisposition: 'inline',
      metadata: { owner: 'ana', project: 'hoist' },
    });
    // As GetObjectTagging gives them (the S3 console's "Tags").
    expect([...(details.tags ?? [])].sort((a, b) => a.key.localeCompare(b.key))).toEqual([
      { key: 'stage', value: 'raw files' },
      { key: 'team', value: 'data' },
    ]);
    expect(details.etag).toMatch(/^"[0-9a-f]{32}"$/);
    expect(details.partCount).toBeUndefined();
    expect(Date.parse(details.lastModified ?? '')).toBeGreaterThan(0);
  });

  it('answers 404 for a key that is not there, 400 outside the prefix', async () => {
    expect((await h.api.objects.details.$post({ json: { key: `${prefix}nope` } })).status).toBe(404);
    expect((await h.api.objects.details.$post({ json: { key: 'elsewhere/x' } })).status).toBe(400);
  });
});
