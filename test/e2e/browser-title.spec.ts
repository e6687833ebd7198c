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
