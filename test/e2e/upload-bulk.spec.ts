import { expect, makeFile, storeClient, test, STORE_ORIGIN } from './support/fixtures.ts';
import { throttle, watchStoreRequests } from './support/network.ts';
import { sha256Of } from './support/s3-checks.ts';

const MiB = 1024 * 1024;

test('"Pause all" stops every upload at once and "Resume all" finishes them with the right bytes', async ({
  page,
  tmp,
}) => {
  const stamp = Date.now();
  const files = await Promise.all(
    [1, 2, 3].map((n) => makeFile(tmp, `bulk-${stamp}-${n}.bin`, 11 * MiB + n)),
  );
  await page.goto('/');
  const unthrottle = await throttle(page, { up: 2 * MiB });
  const requests = watchStoreRequests(page, STORE_ORIGIN);
  await page.getByTestId('file-input').setInputFiles(files.map((f) => f.path));
  const rows = page.getByTestId('upload-row');
  await expect(page.locator('[data-testid="upload-row"][data-status="uploading"]').first()).toBeAttached();
  await expect.poll(() => requests.inFlight().length).toBeGreaterThan(0);

  // One row from the keyboard: the button flips to Resume and keeps the focus, and back.
  const first = rows.first();
  await first.getByRole('button', { name: /^Pause / }).focus();
  await page.keyboard.press('Enter');
  await expect(first.getByTestId('upload-state')).toHaveText('Paused');
  await expect(first.getByRole('button', { name: /^Resume / })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(first.getByRole('button', { name: /^Pause / })).toBeFocused();

  await page.getByRole('button', { name: 'Pause all' }).click();
  await expect(rows.getByTestId('upload-state')).toHaveText(['Paused', 'Paused', 'Paused']);
  await expect.poll(() => requests.inFlight().length).toBe(0);
  await expect(page.getByRole('button', { name: 'Pause all' })).toBeDisabled();
  // The focus was on "Pause all", now off: it moves to "Resume all", not to the page; pressed again, it
  // comes back to "Pause all", never onto "Cancel all" beside them (a third Enter cancelled every upload).
  await expect(page.getByRole('button', { name: 'Resume all' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('button', { name: 'Pause all' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('button', { name: 'Resume all' })).toBeFocused();
  await expect(rows.getByTestId('upload-state')).toHaveText(['Paused', 'Paused', 'Paused']);
  await expect.poll(() => requests.inFlight().length).toBe(0);

  // Paused is not over: a closed tab would lose the files, so leaving asks first.
  const asked = page.waitForEvent('dialog');
  await page.close({ runBeforeUnload: true });
  const dialog = await asked;
  expect(dialog.type()).toBe('beforeunload');
  await dialog.dismiss(); // stay
  await expect(rows.getByTestId('upload-state')).toHaveText(['Paused', 'Paused', 'Paused']);

  await unthrottle();
  await page.getByRole('button', { name: 'Resume all' }).click();
  await expect(rows.getByTestId('upload-state')).toHaveText(['Done', 'Done', 'Done'], { timeout: 60_000 });
  await expect(page.getByRole('button', { name: 'Resume all' })).toBeDisabled();
  for (const f of files) expect(await sha256Of(storeClient(), f.path.split('/').pop()!)).toBe(f.sha256);
});

test('"Retry failed" retries every failed upload in one click', async ({ page, tmp }) => {
  const stamp = Date.now();
  const files = await Promise.all([1, 2].map((n) => makeFile(tmp, `refused-${stamp}-${n}.bin`, 1000 * n)));
  let refuse = true;
  await page.route(`${STORE_ORIGIN}/**`, async (route) => {
    if (refuse && route.request().method() === 'PUT')
      return route.fulfill({
        status: 400,
        contentType: 'application/xml',
        body: '<Error><Code>InvalidArgument</Code><Message>refused by the test</Message></Error>',
      });
    return route.continue();
  });
  await page.goto('/');
  await page.getByTestId('file-input').setInputFiles(files.map((f) => f.path));
  const rows = page.getByTestId('upload-row');
  await expect(rows.getByTestId('upload-state')).toHaveText(['Failed', 'Failed'], { timeout: 30_000 });
  const failures = page.getByRole('group', { name: 'Failed uploads' });
  await expect(failures).toContainText('2 uploads failed.');
  // Failing together, they are said once by a row and counted by the queue: not an alert each.
  await expect(page.getByTestId('upload-announcement')).toHaveText('2 uploads failed');
  await expect(rows.getByRole('alert')).toHaveCount(1);
  await expect(rows.getByTestId('upload-error')).toHaveCount(2);

  refuse = false;
  await failures.getByRole('button', { name: 'Retry failed' }).click();
  await expect(rows.getByTestId('upload-state')).toHaveText(['Done', 'Done'], { timeout: 30_000 });
  await expect(failures).toHaveCount(0);
  for (const f of files) expect(await sha256Of(storeClient(), f.path.split('/').pop()!)).toBe(f.sha256);
});

test('the bulk buttons, and the choices for all names taken, go under their line together on a narrow card, never one alone (visual review)', async ({
  page,
  tmp,
}) => {
  const stamp = Date.now();
  const files = await Promise.all([1, 2].map((n) => makeFile(tmp, `bulkline-${stamp}-${n}.bin`, 1000 + n)));
  await page.goto('/');
  await page.getByTestId('file-input').setInputFiles(files.map((f) => f.path));
  await expect(page.getByTestId('upload-totals')).toContainText('2 of 2 done');
  const upload = page.getByRole('region', { name: 'Upload' });
  const names = ['Pause all', 'Resume all', 'Cancel all', 'Clear finished'];
  for (const width of [560, 640, 700, 760, 820, 900, 1024, 1280]) {
    await page.setViewportSize({ width, height: 800 });
    const tops = async () =>
      new Set(
        await Promise.all(
          names.map(async (name) =>
            Math.round((await upload.getByRole('button', { name, exact: true }).boundingBox())!.y),
          ),
        ),
      ).size;
    await expect.poll(tops, { message: `${width} px` }).toBe(1);
  }
  // So do "Replace all", "Keep both for all" and "Skip all" under the question of names taken.
  const again = await Promise.all([1, 2].map((n) => makeFile(tmp, `bulkline-${stamp}-${n}.bin`, 2000 + n)));
  await page.getByTestId('file-input').setInputFiles(again.map((f) => f.path));
  const taken = page.getByRole('group', { name: 'Uploads whose name is taken' });
  await expect(taken).toContainText('2 files have a name that is already taken.');
  for (const width of [480, 560, 640, 760, 1024]) {
    await page.setViewportSize({ width, height: 800 });
    const tops = async () =>
      new Set(
        await Promise.all(
          ['Replace all', 'Keep both for all', 'Skip all'].map(async (name) =>
            Math.round((await taken.getByRole('button', { name }).boundingBox())!.y),
          ),
        ),
      ).size;
    await expect.poll(tops, { message: `taken, ${width} px` }).toBe(1);
  }
  await taken.getByRole('button', { name: 'Skip all' }).click();
});
