/**
 * What a download does when things go wrong around it: the connection drops, the tab is left, a file
 * is already (half) there, a button is clicked twice, some files fail, keys are no file names.
 */
import { expect, storeClient, test } from './support/fixtures.ts';
import { throttle } from './support/network.ts';
import { readFolder, stubFolderPicker } from './support/opfs.ts';
import { seedBigObject } from './support/seed.ts';

const MiB = 1024 * 1024;
const storeOrigin = `http://127.0.0.1:${Number(process.env.E2E_PORT) + 1000}`;

test('a download waits while the browser is offline and goes on by itself from the ranges it saved', async ({
  page,
  context,
  tmp,
}) => {
  const prefix = `dloffline-${Date.now()}/`;
  const seed = await seedBigObject(storeClient(), tmp, `${prefix}big.bin`, 200 * MiB);
  const ranges: string[] = [];
  page.on('request', (r) => {
    if (r.url().startsWith(storeOrigin) && r.method() === 'GET' && r.headers()['range'])
      ranges.push(r.headers()['range']!);
  });
  await stubFolderPicker(page, 'offline');
  await page.goto('/');
  await throttle(page, { up: -1, down: 15 * MiB });
  await page.getByRole('button', { name: `Download folder ${prefix}` }).click();
  const row = page.getByTestId('download-row').filter({ hasText: 'big.bin' });
  const state = row.getByTestId('download-state');
  await expect
    .poll(async () => Number(await row.getByRole('progressbar').getAttribute('aria-valuenow')), {
      timeout: 60_000,
    })
    .toBeGreaterThanOrEqual(40);

  await context.setOffline(true);
  await expect(state).toHaveText('Waiting for the connection…');
  // Hold the outage well past the retries' backoff: the row keeps waiting, it does not fail.
  await page.waitForTimeout(6_000);
  await expect(state).toHaveText('Waiting for the connection…');
  await expect(page.getByTestId('download-failure')).toHaveCount(0);

  await context.setOffline(false);
  await expect(state).toHaveText('Done', { timeout: 120_000 });
  // Went on from what it had saved: the first range was fetched once, before the outage.
  expect(ranges.filter((r) => r === `bytes=0-${8 * MiB - 1}`)).toHaveLength(1);
  expect(await readFolder(page, 'offline')).toEqual({ [seed.key]: { size: seed.size, sha256: seed.sha256 } });
});

test('leaving the page while a download runs asks first; once it is over, it does not', async ({
  page,
  tmp,
}) => {
  const prefix = `dlleave-${Date.now()}/`;
  await seedBigObject(storeClient(), tmp, `${prefix}big.bin`, 100 * MiB);
  await stubFolderPicker(page, 'leave');
  await page.goto('/');
  const restore = await throttle(page, { up: -1, down: 5 * MiB });
  await page.getByRole('button', { name: `Download folder ${prefix}` }).click();
  const row = page.getByTestId('download-row').filter({ hasText: 'big.bin' });
  await expect(row.getByTestId('download-state')).toHaveText('Downloading');

  const dialog = page.waitForEvent('dialog');
  await page.close({ runBeforeUnload: true });
  const asked = await dialog;
  expect(asked.type()).toBe('beforeunload');
  await asked.dismiss(); // stay
  await expect(row.getByTestId('download-state')).toHaveText('Downloading');

  await restore();
  await row.getByRole('button', { name: /Cancel download/ }).click();
  await expect(row.getByTestId('download-state')).toHaveText('Cancelled');
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.type());
    void d.dismiss();
  });
  const closed = page.waitForEvent('close');
  await page.close({ runBeforeUnload: true });
  await closed;
  expect(dialogs).toEqual([]);
});
