import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, storeClient, test, STORE_ORIGIN } from './support/fixtures.ts';
import { readFolder, stubFolderPicker } from './support/opfs.ts';
import { seedMany } from './support/seed.ts';

/** Well above what a scroll box of 28rem shows; below, a list renders every row. */
const ROWS_BOUND = 100;

const name = (i: number) => `f${String(i).padStart(4, '0')}.txt`;

test('a folder of 3,000 objects: only the rows in view are in the page, scrolling shows the last ones, and "Cancel all" cancels them all', async ({
  page,
  consoleErrors,
}) => {
  const count = 3_000;
  const prefix = `dlmany-${Date.now()}/`;
  await seedMany(
    storeClient(),
    Array.from({ length: count }, (_, i) => ({ key: `${prefix}${name(i)}`, size: 10 + (i % 30) })),
    32,
  );
  // The objects' GETs are held: the first downloads stay running, the rest queued, until cancelled.
  await page.route(`${STORE_ORIGIN}/**`, (route) => {
    return route.request().method() === 'GET' ? undefined : route.continue();
  });
  await stubFolderPicker(page, 'many');
  await page.goto('/');
  await page.getByRole('button', { name: `Download folder ${prefix}` }).click();
  const totals = page.getByTestId('download-totals');
  await expect(totals).toContainText(`0 of ${count.toLocaleString('en-US')} done`); // "0 of 3,000 done"
  const rows = page.getByTestId('download-row');
  await expect(rows.first()).toContainText(name(0));
  await expect(
    page.locator('[data-testid="download-row"][data-status="downloading"]').first(),
  ).toBeAttached();
  expect(await rows.count()).toBeLessThan(ROWS_BOUND);

  // Scrolled to the end: the last objects' rows are there, and still only a few rows.
  const list = page.getByRole('list', { name: 'Downloads' });
  await list.scrollIntoViewIfNeeded();
  await list.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
  await expect(rows.filter({ hasText: name(count - 1) })).toBeInViewport();
  // (The first row stays, for Tab from the page before the list to come in at: see virtual-list.tsx.)
  await expect(rows.filter({ hasText: name(1) })).toHaveCount(0);
  expect(await rows.count()).toBeLessThan(ROWS_BOUND);
  // Half way.
  await list.evaluate((el) => el.scrollTo({ top: el.scrollHeight / 2 }));
  await expect(
    rows
      .filter({ hasText: name(count / 2) })
      .or(rows.filter({ hasText: name(count / 2 + 1) }))
      .first(),
  ).toBeAttached();

  await page.getByRole('button', { name: 'Cancel all downloads' }).click();
  // "3,000 cancelled", and nothing of "0 B of 0 B · 0 of 0 done" before it.
  await expect(totals).toHaveText(new RegExp(`^${count.toLocaleString('en-US')} cancelled`));
  await expect(page.getByRole('status').filter({ hasText: 'cancelled' })).toHaveText(
    `${count.toLocaleString('en-US')} downloads cancelled.`,
  );
  await expect(page.locator('[data-testid="download-row"]:not([data-status="cancelled"])')).toHaveCount(0);
  await list.evaluate((el) => el.scrollTo({ top: 0 }));
  await expect(rows.first()).toContainText(name(0));
  await expect(rows.first()).toHaveAttribute('data-status', 'cancelled');
  await expect(page.getByRole('button', { name: 'Cancel all downloads' })).toBeDisabled();
  expect(consoleErrors).toEqual([]);
});

test("a folder of 150 objects downloads whole through a windowed list, and a live region says when all are done; a row's layout is read once, not on each progress update", async ({
  page,
}) => {
  const count = 150;
  const prefix = `dlwin-${Date.now()}/`;
  const seeded = await seedMany(
    storeClient(),
    Array.from({ length: count }, (_, i) => ({ key: `${prefix}${name(i)}`, size: 100 + i })),
  );
  // Reading a row's size from script forces a layout: the list reads each row's once, when it mounts,
  // not on every progress update (a ResizeObserver tells it of later changes: see virtual-list.tsx).
  await page.addInitScript(() => {
    const counter = window as unknown as { rowLayoutRereads: number };
    counter.rowLayoutRereads = 0;
    const read = new WeakSet<Element>();
    const count = (el: Element) => {
      if (!el.matches('.transfers > li')) return;
      if (read.has(el)) counter.rowLayoutRereads++;
      read.add(el);
    };
    const rect = Element.prototype.getBoundingClientRect;
    Element.prototype.getBoundingClientRect = function (this: Element) {
      count(this);
      return rect.call(this);
    };
    const offsetHeight = Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'offsetHeight')!;
    Object.defineProperty(HTMLElement.prototype, 'offsetHeight', {
      ...offsetHeight,
      get(this: HTMLElement) {
        count(this);
        return offsetHeight.get!.call(this) as number;
      },
    });
  });
  await stubFolderPicker(page, 'win');
  await page.goto('/');
  await page.getByRole('button', { name: `Download folder ${prefix}` }).click();
  const status = page.getByTestId('download-announcement');
  await expect(status).toHaveRole('status');
  await expect(status).toHaveText(`All ${count} downloads done.`, { timeout: 120_000 });
  await expect(page.getByTestId('download-totals')).toContainText(`${count} of ${count} done`);
  expect(await page.getByTestId('download-row').count()).toBeLessThan(ROWS_BOUND);
  expect(
    await page.evaluate(() => (window as unknown as { rowLayoutRereads: number }).rowLayoutRereads),
  ).toBe(0);
  const files = await readFolder(page, 'win');
  expect(Object.keys(files)).toHaveLength(count);
  for (const s of seeded) expect(files[s.key], s.key).toEqual({ size: s.size, sha256: s.sha256 });
});

test('a failed upload in a windowed list is announced (role="alert") once: scrolled out of view and back, its row still says why, without an alert', async ({
  page,
  tmp,
}) => {
  const count = 150;
  const stamp = Date.now();
  const paths: string[] = [];
  for (let i = 0; i < count; i++) {
    const path = join(tmp, `alert-${stamp}-${name(i)}`);
    await writeFile(path, `file ${i}\n`);
    paths.push(path);
  }
  // Refused for good: the first, the middle and the last file. The first and last rows (with a button)
  // stay rendered for Tab to come in at (see virtual-list.tsx); the middle one comes and goes.
  const refused = new Set([0, count / 2, count - 1].map((i) => `alert-${stamp}-${name(i)}`));
  const reason = 'This name is too long for S3 (over 1,024 bytes).';
  // Creates go many at a time (POST /api/uploads/many); the refused files' answers are replaced.
  await page.route('**/api/uploads/many', async (route) => {
    const { files } = route.request().postDataJSON() as { files: { name: string }[] };
    const response = await route.fetch();
    const { results } = (await response.json()) as { results: unknown[] };
    const answers = results.map((result, i) =>
      refused.has(files[i]!.name) ? { status: 400, error: { code: 'invalid-key', message: reason } } : result,
    );
    await route.fulfill({ response, json: { results: answers } });
  });
  // Into a folder of its own: 150 objects at the bucket's top would push later tests' folders off its
  // first page.
  await page.goto(`/?prefix=${encodeURIComponent(`alert-${stamp}/`)}`);
  await expect(page.getByTestId('upload-destination')).toHaveText(`Uploads go to Bucket / alert-${stamp}`);
  await page.getByTestId('file-input').setInputFiles(paths);
  await expect(page.getByTestId('upload-totals')).toContainText(`${count - 3} of ${count} done`, {
    timeout: 120_000,
  });
  const row = page.getByRole('listitem', { name: `alert-${stamp}-${name(count / 2)}`, exact: true });
  await expect(row).toHaveCount(0);
  const list = page.getByRole('list', { name: 'Uploads' });
  await list.scrollIntoViewIfNeeded();

  // First shown, the failure is said (3 s after the first row said its own: failures closer together
  // are said once, then counted by the queue).
  await page.waitForTimeout(3_000);
  await list.evaluate((el) => el.scrollTo({ top: el.scrollHeight / 2 }));
  await expect(row.getByTestId('upload-state')).toHaveText('Failed');
  await expect(row.getByRole('alert')).toHaveText(reason);
  // Out of view (its row gone from the page) and back: the row says why, and no alert again.
  await list.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
  await expect(row).toHaveCount(0);
  await list.evaluate((el) => el.scrollTo({ top: el.scrollHeight / 2 }));
  await expect(row.getByTestId('upload-error')).toHaveText(reason);
  await expect(row.getByRole('alert')).toHaveCount(0);
});
