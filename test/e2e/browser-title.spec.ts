import { expect, makeFile, test } from './support/fixtures.ts';
import { throttle } from './support/network.ts';

test('the tab title shows the uploads’ progress while they run, then that they are done', async ({
  page,
  tmp,
}) => {
  const file = await makeFile(tmp, `title-${Date.now()}.bin`, 12 * 1024 * 1024);
  await page.goto('/');
  await expect(page).toHaveTitle('Hoist');
  const restore = await throttle(page, { up: 1024 * 1024 });
  await page.getByTestId('file-input').setInputFiles(file.path);
  await expect(page).toHaveTitle(/^\d{1,2}% · Hoist$/);
  await restore();
  const row = page.getByTestId('upload-row');
  await expect(row.getByTestId('upload-state')).toHaveText('Done', { timeout: 60_000 });
  await expect(page).toHaveTitle(/^(Done · )?Hoist$/);
  await expect(page).toHaveTitle('Hoist', { timeout: 15_000 });
});
