import { describe, expect, it } from 'vitest';
import type { DownloadLink } from '../../../../server/shared/api-types.ts';
import { DownloadError } from './errors.ts';
import { localExpiry } from '../shared/local-expiry.ts';
import { LinkHolder } from './link-holder.ts';

const link = (n: number, over: Partial<DownloadLink> = {}): DownloadLink => ({
  key: 'k',
  url: `https://s3.test/k?sig=${n}`,
  size: 10,
  etag: 'e1',
  expiresAt: 1_000_000,
  ...over,
});

function holder(next: () => DownloadLink = () => link(2)) {
  let calls = 0;
  const h = new LinkHolder(link(1), async () => {
    calls++;
    return next();
  });
  return { h, calls: () => calls };
}

const refused = new DownloadError('http-403', 'refused');

describe('LinkHolder', () => {
  it('re-signs once for several requests refused with the same link', async () => {
    const { h, calls } = holder();
    await Promise.all([h.refresh(0, refused), h.refresh(0, refused), h.refresh(0, refused)]);
    expect(calls()).toBe(1);
    expect(h.link.url).toMatch(/sig=2/);
    expect(h.generation).toBe(1);
    await h.refresh(0, refused); // an older link's failure: just use the current one
    expect(calls()).toBe(1);
  });

  it('does not re-sign again when the fresh link is refused before any success', async () => {
    const { h } = holder();
    await h.refresh(0, refused);
    await expect(h.refresh(1, refused)).rejects.toBe(refused);
  });

  it('re-signs again after a success in between (a later expiry)', async () => {
    const { h, calls } = holder();
    await h.refresh(0, refused);
    h.succeeded();
    await h.refresh(1, refused);
    expect(calls()).toBe(2);
  });

  it("fails as 'changed' when the fresh link names another version", async () => {
    const { h } = holder(() => link(2, { etag: 'e2' }));
    await expect(h.refresh(0, refused)).rejects.toMatchObject({ code: 'changed' });
    expect(h.link.etag).toBe('e1');
  });

  it('renews ahead of expiry', async () => {
    const { h, calls } = holder(() => link(2, { expiresAt: 9_000_000 }));
    await h.ensureFresh(900_000);
    expect(calls()).toBe(0);
    await h.ensureFresh(990_000);
    expect(calls()).toBe(1);
    await h.ensureFresh(990_000);
    expect(calls()).toBe(1);
  });

  it("measures a link's life by the server's clock: a browser clock 15 minutes off neither re-signs before every request nor misses the expiry", async () => {
    const signedAt = Date.UTC(2026, 11, 2, 3, 57, 0); // by the server's clock
    const signed = (n: number) =>
      link(n, {
        url: `https://s3.test/k?X-Amz-Date=20261202T035700Z&X-Amz-Expires=900&X-Amz-Signature=${n}`,
        expiresAt: signedAt + 900_000,
      });
    for (const offset of [15 * 60_000, -15 * 60_000]) {
      let now = signedAt + offset + 200; // the answer arrived 200 ms after it was signed
      let calls = 0;
      const h = new LinkHolder(
        signed(1),
        async () => {
          calls++;
          return signed(2);
        },
        { now: () => now },
      );
      await h.ensureFresh(now);
      now += 14 * 60_000;
      await h.ensureFresh(now); // a minute left
      expect(calls, `clock off by ${offset} ms`).toBe(0);
      now += 40_000;
      await h.ensureFresh(now); // 20 s left: renewed ahead of the 403
      expect(calls, `clock off by ${offset} ms`).toBe(1);
    }
  });

  it('takes a link without a SigV4 signing time at its word, and never longer than X-Amz-Expires', () => {
    expect(localExpiry(link(1, { expiresAt: 5_000 }), 1_000)).toBe(5_000);
    const url = 'https://s3.test/k?X-Amz-Date=20261202T035700Z&X-Amz-Expires=60';
    const signedAt = Date.UTC(2026, 11, 2, 3, 57, 0);
    expect(localExpiry({ url, expiresAt: signedAt + 3_600_000 }, 1_000)).toBe(61_000);
  });
});
