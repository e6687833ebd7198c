import { expect, makeFile, test } from './support/fixtures.ts';
import { throttle } from './support/network.ts';

test('the tab title shows the uploads’ progress while they run, that they are paused, then that they are done', async ({
  page,
  tmp,
}) => {
  const file = await makeFile(tmp, `title-${Date.now()}.bin`, 12 * 1024 * 1024);
  await page.goto('/');
  await expect(page).toHaveTitle('Hoist');
  const restore = await throttle(page, { up: 1024 * 1024 });
  await page.getByTestId('file-input').setInputFiles(file.path);
  await expect(page).toHaveTitle(/^\d{1,2}% · Hoist$/);
  // Paused, it says so (with how far it got), not just the page's name.
  await page.getByRole('button', { name: 'Pause all' }).click();
  await expect(page).toHaveTitle(/^Paused \d{1,2}% · Hoist$/);
  await page.getByRole('button', { name: 'Resume all' }).click();
  await restore();
  const row = page.getByTestId('upload-row');
  await expect(row.getByTestId('upload-state')).toHaveText('Done', { timeout: 60_000 });
  await expect(page).toHaveTitle(/^(Done · )?Hoist$/);
  await expect(page).toHaveTitle('Hoist', { timeout: 15_000 });
});

test('the tab title names the folder open, for the history and a screen reader going from tab to tab', async ({
  page,
}) => {
  await page.goto(`/?prefix=${encodeURIComponent('title-folder/sub/')}`);
  await expect(page).toHaveTitle('title-folder/sub/ · Hoist');
  await page.getByRole('link', { name: 'title-folder', exact: true }).click();
  await expect(page).toHaveTitle('title-folder/ · Hoist');
  await page.goBack();
  await expect(page).toHaveTitle('title-folder/sub/ · Hoist');
  await page.getByRole('link', { name: 'Bucket', exact: true }).click();
  await expect(page).toHaveTitle('Hoist');
});
