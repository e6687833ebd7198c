import { describe, expect, it } from 'vitest';
import type { DownloadLink } from '../../../../server/shared/api-types.ts';
import { DownloadError } from './errors.ts';
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
});
