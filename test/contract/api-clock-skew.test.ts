import { createHash, randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import type { DownloadLink, ShareLink, SignedPart, UploadPlan } from '../../server/shared/api-types.ts';
import { apiOver } from './api/harness.ts';
import { putSignedParts } from './support/put-parts.ts';
import { getTarget, targetKind } from './support/target.ts';

// A Hoist server whose clock is off from the store's (a VM without NTP). The SDK corrects its own
// requests by the store's Date header; presigned links were dated by this server's clock, so with it
// 20 minutes behind every part URL had expired on arrival, and 20 minutes ahead the store answered
// "Request is not valid yet". Only the embedded store's clock can be set here.

const MiB = 1024 ** 2;
const TTL_SECONDS = 900;

/** "20261202T035700Z" → ms */
const amzDate = (url: string) => {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(
    new URL(url).searchParams.get('X-Amz-Date')!,
  )!;
  return Date.parse(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`);
};

describe.runIf(targetKind() === 'embedded')("a server whose clock is off from the store's", () => {
  it.each([
    ['20 min ahead of', 20 * 60_000],
    ['20 min behind', -20 * 60_000],
  ])(
    'with the store %s this server: the self-test passes, parts, downloads and share links work, and links say when they end by the store',
    async (_, offsetMs) => {
      const target = await getTarget({ storeNow: () => new Date(Date.now() + offsetMs) });
      try {
        const h = await apiOver(target, { HOIST_PRESIGN_TTL: `${TTL_SECONDS}s` });
        expect(h.selfTest.report().checks.filter((c) => !c.ok)).toEqual([]);
        // …and says the clocks differ, for whoever runs it to set this one right.
        const bucket = h.selfTest.report().checks.find((c) => c.name === 'bucket')!;
        expect(bucket.message).toContain(
          `The store's clock is 20 min ${offsetMs > 0 ? 'ahead of' : 'behind'} this server's`,
        );
        expect(h.store.clockOffsetMs()).toBeGreaterThan(offsetMs - 5_000);
        expect(h.store.clockOffsetMs()).toBeLessThan(offsetMs + 5_000);

        const bytes = randomBytes(6 * MiB + 3);
        const created = await h.api.uploads.$post({
          json: { name: 'skewed.bin', size: bytes.length, type: 'application/octet-stream', lastModified: 0 },
        });
        expect(created.status).toBe(200);
        const plan = (await created.json()) as UploadPlan;
        const slices = [bytes.subarray(0, plan.partSize), bytes.subarray(plan.partSize)];
        const checksum = (slice: Uint8Array) => {
          if (plan.checksumAlgorithm === 'MD5') return createHash('md5').update(slice).digest('base64');
          const b = Buffer.alloc(4);
          b.writeUInt32BE(crc32(slice) >>> 0);
          return b.toString('base64');
        };
        const signed = await h.api.uploads.sign.$post({
          json: {
            token: plan.token,
            parts: slices.map((slice, i) => ({ partNumber: i + 1, checksum: checksum(slice) })),
          },
        });
        expect(signed.status).toBe(200);
        const { parts } = (await signed.json()) as { parts: SignedPart[] };
        // The page takes a link's lifetime from its X-Amz-Date to expiresAt: the TTL, not ±20 min.
        for (const part of parts)
          expect(Math.abs(part.expiresAt - amzDate(part.url) - TTL_SECONDS * 1000)).toBeLessThan(2_000);
        const done = await putSignedParts(parts, slices);
        const completed = await h.api.uploads.complete.$post({ json: { token: plan.token, parts: done } });
        expect(completed.status).toBe(200);
        const stored = await target.client.send(
          new GetObjectCommand({ Bucket: target.bucket, Key: plan.key }),
        );
        expect(Buffer.from(await stored.Body!.transformToByteArray()).equals(bytes)).toBe(true);

        const link = (await (
          await h.api.objects.download.$post({ json: { key: plan.key } })
        ).json()) as DownloadLink;
        expect(Math.abs(link.expiresAt - amzDate(link.url) - TTL_SECONDS * 1000)).toBeLessThan(2_000);
        const got = await fetch(link.url);
        expect(got.status).toBe(200);
        expect(Buffer.from(await got.arrayBuffer()).equals(bytes)).toBe(true);

        const share = (await (
          await h.api.objects.share.$post({ json: { key: plan.key, expiresInSeconds: 3600 } })
        ).json()) as ShareLink;
        // Shown to the user as a time of day: the store's, which is what the link ends by.
        expect(Math.abs(share.expiresAt - (Date.now() + offsetMs + 3600_000))).toBeLessThan(5_000);
        expect((await fetch(share.url, { headers: { Range: 'bytes=0-0' } })).status).toBe(206);
      } finally {
        await target.close();
      }
    },
  );

  it.each([
    ['20 min behind', -20 * 60_000],
    ['20 min ahead of', 20 * 60_000],
  ])(
    "with the store %s this server: Cancel tells a single PUT that landed (Done) from an object there before it (nothing left), by the store's clock (code review, session 44)",
    async (_, offsetMs) => {
      /** Set while an object is written "a minute ago" by the store's clock. */
      let shift = 0;
      const target = await getTarget({ storeNow: () => new Date(Date.now() + offsetMs + shift) });
      try {
        const h = await apiOver(target, {});
        const bytes = randomBytes(1000);
        const signedSingle = async (name: string, onConflict?: 'replace') => {
          const created = await h.api.uploads.$post({
            json: {
              name,
              size: bytes.length,
              type: 'text/plain',
              lastModified: 0,
              ...(onConflict && { onConflict }),
            },
          });
          expect(created.status).toBe(200);
          const plan = (await created.json()) as UploadPlan;
          const crc = Buffer.alloc(4);
          crc.writeUInt32BE(crc32(bytes) >>> 0);
          const checksum =
            plan.checksumAlgorithm === 'MD5'
              ? createHash('md5').update(bytes).digest('base64')
              : crc.toString('base64');
          const signed = await h.api.uploads.sign.$post({
            json: { token: plan.token, parts: [{ partNumber: 1, checksum }] },
          });
          expect(signed.status).toBe(200);
          return { plan, signed: (await signed.json()) as { token: string; parts: SignedPart[] } };
        };

        // The PUT landed, and the page's Cancel came after it (it gave up on the answer).
        const landed = await signedSingle('landed.txt');
        const part = landed.signed.parts[0]!;
        expect((await fetch(part.url, { method: 'PUT', headers: part.headers, body: bytes })).status).toBe(
          200,
        );
        const afterLanding = await h.api.uploads.abort.$post({
          json: { token: landed.signed.token, sent: true },
        });
        expect(await afterLanding.json()).toMatchObject({ error: { code: 'already-completed' } });
        expect(afterLanding.status).toBe(409);

        // An object of the same size there a minute before, to be replaced by an upload cancelled before
        // its PUT: nothing of the upload landed.
        const prefix = landed.plan.key.slice(0, -'landed.txt'.length);
        shift = -60_000;
        await target.client.send(
          new PutObjectCommand({
            Bucket: target.bucket,
            Key: `${prefix}before.txt`,
            Body: randomBytes(1000),
          }),
        );
        shift = 0;
        const replacing = await signedSingle('before.txt', 'replace');
        const cancelled = await h.api.uploads.abort.$post({
          json: { token: replacing.signed.token, sent: false },
        });
        expect(cancelled.status).toBe(200);
        expect(await cancelled.json()).toMatchObject({ confirmed: true, partsRemoved: 0 });
      } finally {
        await target.close();
      }
    },
  );
});
