import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DownloadLink, DownloadLinks, ShareLink } from '../../server/shared/api-types.ts';
import { apiOver } from './api/harness.ts';
import { getTarget, type S3Target } from './support/target.ts';

/**
 * Objects stored with `Content-Encoding: gzip` (web assets, `aws s3 cp --content-encoding gzip`): a
 * browser, like Node's fetch here, would decode such a body on the fly, so a download would hold other
 * bytes than the object's (and a ranged or size-checked one would fail). Hoist's links ask the store
 * to answer `Content-Encoding: identity`: the bytes arrive as stored, as `aws s3 cp` gives them.
 */
let target: S3Target;
let h: Awaited<ReturnType<typeof apiOver>>;
let prefix: string;

beforeAll(async () => {
  target = await getTarget();
  prefix = `encoding-${randomUUID().slice(0, 8)}/`;
  h = await apiOver(target, { HOIST_KEY_PREFIX: prefix });
});
afterAll(async () => {
  await target?.close();
});

describe('an object stored gzip-encoded', () => {
  const text = 'hello, gzip '.repeat(100);
  const stored = gzipSync(text);

  async function expectStoredBytes(url: string) {
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-encoding') ?? 'identity').toBe('identity');
    expect(Buffer.from(await res.arrayBuffer()).equals(stored)).toBe(true);
  }

  it('downloads as the bytes stored, not decoded: one link, a batch of links and a share link', async () => {
    const key = `${prefix}notes.txt.gz`;
    await target.client.send(
      new PutObjectCommand({
        Bucket: target.bucket,
        Key: key,
        Body: stored,
        ContentEncoding: 'gzip',
        ContentType: 'text/plain',
      }),
    );
    const one = (await (await h.api.objects.download.$post({ json: { key } })).json()) as DownloadLink;
    expect(one.size).toBe(stored.length);
    await expectStoredBytes(one.url);

    const batch = (await (
      await h.api.objects['download-links'].$post({ json: { keys: [key] } })
    ).json()) as DownloadLinks;
    await expectStoredBytes(batch.links[0]!.url);

    const share = (await (
      await h.api.objects.share.$post({ json: { key, expiresInSeconds: 600 } })
    ).json()) as ShareLink;
    await expectStoredBytes(share.url);

    // A range of it is a range of the stored bytes.
    const ranged = await fetch(one.url, { headers: { range: 'bytes=10-19' } });
    expect(ranged.status).toBe(206);
    expect(Buffer.from(await ranged.arrayBuffer()).equals(stored.subarray(10, 20))).toBe(true);
  });
});
