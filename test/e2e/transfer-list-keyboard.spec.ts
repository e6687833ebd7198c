import type { Page } from '@playwright/test';
import { expect, storeClient, test } from './support/fixtures.ts';
import { stubFolderPicker } from './support/opfs.ts';
import { seedMany } from './support/seed.ts';

const storeOrigin = `http://127.0.0.1:${Number(process.env.E2E_PORT) + 1000}`;
/** Well above what the list's scroll box shows; below, a list renders every row. */
const ROWS_BOUND = 100;

const name = (i: number) => `f${String(i).padStart(4, '0')}.txt`;

/**
 * A windowed Downloads list of `count` rows that stay queued (or downloading) with a Cancel button
 * each: the objects' GETs are held until the test ends.
 */
async function longDownloadList(page: Page, count: number) {
  const prefix = `dlkeys-${Date.now()}/`;
  await seedMany(
    storeClient(),
    Array.from({ length: count }, (_, i) => ({ key: `${prefix}${name(i)}`, size: 10 })),
    32,
  );
  await page.route(`${storeOrigin}/**`, (route) =>
    route.request().method() === 'GET' ? undefined : route.continue(),
  );
  await stubFolderPicker(page, 'keys');
  await page.goto('/');
  await page.getByRole('button', { name: `Download folder ${prefix}` }).click();
  await expect(page.getByTestId('download-totals')).toContainText(`0 of ${count} done`);
  const list = page.getByRole('list', { name: 'Downloads' });
  await list.scrollIntoViewIfNeeded();
  const rows = page.getByTestId('download-row');
  await expect(rows.first()).toContainText(name(0));
  expect(await rows.count()).toBeLessThan(ROWS_BOUND);
  /** A row's label: the object's key. */
  const key = (i: number) => `${prefix}${name(i)}`;
  return { list, rows, key };
}

test('a row deep in a windowed list says its place and the list size (aria-posinset / aria-setsize)', async ({
  page,
  consoleErrors,
}) => {
  const count = 400;
  const { list, rows, key } = await longDownloadList(page, count);
  await expect(list).toHaveAttribute('role', 'list');
  await expect(rows.first()).toHaveAttribute('aria-posinset', '1');
  await expect(rows.first()).toHaveAttribute('aria-setsize', String(count));

  await list.evaluate((el) => el.scrollTo({ top: el.scrollHeight * 0.75 }));
  const deep = page.getByRole('listitem', { name: key(300), exact: true });
  await expect(deep).toBeAttached();
  await expect(deep).toHaveAttribute('aria-posinset', '301');
  await expect(deep).toHaveAttribute('aria-setsize', String(count));
  // Every row rendered says its own place, in order.
  const places = await rows.evaluateAll((els) => els.map((el) => Number(el.getAttribute('aria-posinset'))));
  expect(places.length).toBeLessThan(ROWS_BOUND);
  expect(places).toEqual(places.map((_, j) => places[0]! + j));
  // The spacers standing in for the other rows are no list items.
  await expect(list.getByRole('listitem')).toHaveCount(places.length);
  expect(consoleErrors).toEqual([]);
});
