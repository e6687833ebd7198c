import { rm, truncate, writeFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { BUCKET, DATA_DIR, expect, makeFile, storeClient, test, STORE_ORIGIN } from './support/fixtures.ts';
import { throttle, watchStoreRequests } from './support/network.ts';
import { exists, sha256Of, storeLeftovers, uploadsFor } from './support/s3-checks.ts';
import { untilPercent } from './support/progress.ts';

const MiB = 1024 * 1024;

function rowFor(page: Page, name: string) {
  return page.getByTestId('upload-row').filter({ hasText: name });
}

test('uploads a 200 MiB file; the stored SHA-256 equals the file’s', async ({ page, tmp, consoleErrors }) => {
  const file = await makeFile(tmp, `big-${Date.now()}.bin`, 200 * MiB);
  const name = file.path.split('/').pop()!;
  await page.goto('/');
  await page.getByTestId('file-input').setInputFiles(file.path);
  await expect(rowFor(page, name).getByTestId('upload-state')).toHaveText('Done', { timeout: 120_000 });
  expect(await sha256Of(storeClient(), name)).toBe(file.sha256);
  expect(consoleErrors).toEqual([]);
});

test('cancel at about 40% stops every request, aborts the upload and leaves nothing behind', async ({
  page,
  tmp,
}) => {
  const file = await makeFile(tmp, `cancel-${Date.now()}.bin`, 200 * MiB);
  const name = file.path.split('/').pop()!;
  const before = await storeLeftovers(DATA_DIR);
  await page.goto('/');
  const requests = watchStoreRequests(page, STORE_ORIGIN);
  await throttle(page, { up: 40 * MiB });
  await page.getByTestId('file-input').setInputFiles(file.path);
  const row = rowFor(page, name);
  await untilPercent(row, 36);
  expect(requests.inFlight().length).toBeGreaterThan(0);
  await row.getByRole('button', { name: `Cancel ${name}` }).click();
  // How fast is the benchmark's business (npm run bench: "Cancel: last request ended").
  await expect
    .poll(() => requests.inFlight().filter((r) => r.method() === 'PUT').length, { timeout: 10_000 })
    .toBe(0);
  await expect(row.getByTestId('upload-state')).toHaveText('Cancelled', { timeout: 10_000 });

  const client = storeClient();
  expect(await uploadsFor(client, name)).toEqual([]);
  expect(await exists(client, name)).toBe(false);
  // A part body the browser cut off mid-stream is dropped by the store once it sees the socket close.
  await expect.poll(async () => (await storeLeftovers(DATA_DIR)).tmp, { timeout: 3_000 }).toEqual([]);
  const after = await storeLeftovers(DATA_DIR);
  expect(after.uploads).toEqual(before.uploads);
  expect(after.data.sort()).toEqual(before.data.sort());
});

test('a quarter of part PUTs failing (500s and resets) still ends with the right bytes', async ({
  page,
  tmp,
}) => {
  const file = await makeFile(tmp, `flaky-${Date.now()}.bin`, 64 * MiB + 123);
  const name = file.path.split('/').pop()!;
  let n = 0;
  let failed = 0;
  await page.route(`${STORE_ORIGIN}/**`, async (route) => {
    const req = route.request();
    if (req.method() !== 'PUT') return route.continue();
    n++;
    if (n % 4 === 1) {
      failed++;
      return n % 8 === 1
        ? route.fulfill({ status: 500, body: 'InternalError' })
        : route.abort('connectionreset');
    }
    return route.continue();
  });
  await page.goto('/');
  await page.getByTestId('file-input').setInputFiles(file.path);
  await expect(rowFor(page, name).getByTestId('upload-state')).toHaveText('Done', { timeout: 120_000 });
  expect(failed).toBeGreaterThanOrEqual(2);
  expect(await sha256Of(storeClient(), name)).toBe(file.sha256);
});

test('a corrupted part is refused by the store and sent again', async ({ page, tmp }) => {
  const file = await makeFile(tmp, `corrupt-${Date.now()}.bin`, 20 * MiB);
  const name = file.path.split('/').pop()!;
  let corrupted = 0;
  await page.route(`${STORE_ORIGIN}/**`, async (route) => {
    const req = route.request();
    const body = req.postDataBuffer();
    if (req.method() === 'PUT' && body && body.length > 0 && corrupted === 0) {
      corrupted++;
      const copy = Buffer.from(body);
      copy[copy.length >> 1]! ^= 0x01;
      return route.continue({ postData: copy });
    }
    return route.continue();
  });
  await page.goto('/');
  await page.getByTestId('file-input').setInputFiles(file.path);
  await expect(rowFor(page, name).getByTestId('upload-state')).toHaveText('Done', { timeout: 60_000 });
  expect(corrupted).toBe(1);
  expect(await sha256Of(storeClient(), name)).toBe(file.sha256);
});

test('offline for 10 s mid-upload: it waits and completes', async ({ page, context, tmp }) => {
  const file = await makeFile(tmp, `offline-${Date.now()}.bin`, 100 * MiB);
  const name = file.path.split('/').pop()!;
  await page.goto('/');
  await throttle(page, { up: 20 * MiB });
  await page.getByTestId('file-input').setInputFiles(file.path);
  const row = rowFor(page, name);
  await untilPercent(row, 16);
  await context.setOffline(true);
  // Said on the row, with no speed or ETA frozen from before.
  await expect(row.getByTestId('upload-waiting')).toHaveText('Waiting for the connection…', {
    timeout: 10_000,
  });
  await expect(row).not.toContainText('/s');
  await page.waitForTimeout(10_000);
  await expect(row.getByTestId('upload-state')).not.toHaveText('Failed');
  await context.setOffline(false);
  await expect(row.getByTestId('upload-state')).toHaveText('Done', { timeout: 120_000 });
  expect(await sha256Of(storeClient(), name)).toBe(file.sha256);
  void BUCKET;
});

test('a file over S3’s 5 TiB limit is refused at once, saying why, and nothing is created', async ({
  page,
  tmp,
}) => {
  // Sparse: 6 TiB of size, no blocks on disk.
  const name = `huge-${Date.now()}.img`;
  const path = `${tmp}/${name}`;
  await writeFile(path, '');
  await truncate(path, 6 * 1024 ** 4);
  const small = await makeFile(tmp, `fine-${Date.now()}.bin`, 1000);
  const requests = watchStoreRequests(page, STORE_ORIGIN);
  await page.goto('/');
  await page.getByTestId('file-input').setInputFiles([path, small.path]);
  const row = rowFor(page, name);
  await expect(row.getByTestId('upload-state')).toHaveText('Failed');
  await expect(row).toContainText(`"${name}" is 6.0 TB; this server accepts files of up to 5.0 TB.`);
  await expect(row.getByRole('button', { name: `Retry ${name}` })).toHaveCount(0);
  // The other file is not held up.
  await expect(rowFor(page, small.path.split('/').pop()!).getByTestId('upload-state')).toHaveText('Done');
  expect(requests.partPuts()).toHaveLength(1);
  expect(await uploadsFor(storeClient(), name)).toEqual([]);
  expect(await exists(storeClient(), name)).toBe(false);
  // Nothing to cancel: it can be removed, and Clear finished clears it with the file that is done.
  await expect(row.getByRole('button', { name: `Cancel ${name}` })).toHaveCount(0);
  await expect(row.getByRole('button', { name: `Remove ${name} from the list` })).toBeVisible();
  await page.getByRole('button', { name: 'Clear finished' }).click();
  await expect(page.getByTestId('upload-row')).toHaveCount(0);
});

test('a file deleted on disk mid-upload fails for good saying so, and its upload is aborted', async ({
  page,
  tmp,
}) => {
  const file = await makeFile(tmp, `gone-${Date.now()}.bin`, 60 * MiB);
  const name = file.path.split('/').pop()!;
  await page.goto('/');
  await throttle(page, { up: 10 * MiB });
  await page.getByTestId('file-input').setInputFiles(file.path);
  const row = rowFor(page, name);
  await untilPercent(row, 15);
  await rm(file.path);
  // Not "could not reach the storage (network error or blocked by CORS)" with a Retry that fails again.
  await expect(row.getByTestId('upload-state')).toHaveText('Failed', { timeout: 30_000 });
  await expect(row).toContainText(`"${name}" can no longer be read`);
  await expect(row.getByRole('button', { name: `Retry ${name}` })).toHaveCount(0);
  await expect(row.getByRole('button', { name: `Remove ${name} from the list` })).toBeVisible();
  await expect.poll(() => uploadsFor(storeClient(), name), { timeout: 10_000 }).toEqual([]);
  expect(await exists(storeClient(), name)).toBe(false);
});

test('a failed-for-good row is taken off the list with Remove', async ({ page, tmp }) => {
  const file = await makeFile(tmp, `refused-${Date.now()}.bin`, 1000);
  const name = file.path.split('/').pop()!;
  await page.route('**/api/uploads/many', (route) =>
    route.fulfill({
      json: {
        results: [
          {
            status: 400,
            error: { code: 'invalid-key', message: 'This name is too long for S3 (over 1,024 bytes).' },
          },
        ],
      },
    }),
  );
  await page.goto('/');
  await page.getByTestId('file-input').setInputFiles(file.path);
  const row = rowFor(page, name);
  await expect(row.getByTestId('upload-state')).toHaveText('Failed');
  await row.getByRole('button', { name: `Remove ${name} from the list` }).click();
  await expect(rowFor(page, name)).toHaveCount(0);
});

test('a storage that runs out of space pauses the other uploads at once; "Resume uploads" finishes them all', async ({
  page,
  tmp,
}) => {
  const stamp = Date.now();
  const files = await Promise.all(
    ['a', 'b', 'c', 'd'].map((n) => makeFile(tmp, `full-${stamp}-${n}.bin`, 12 * MiB)),
  );
  // The store answers as the embedded one does on a full disk (507 InsufficientStorage) once a few
  // parts are in; the answer is Hoist's own store's, tested in server/local-s3/errors.test.ts.
  let full = false;
  let accepted = 0;
  let refused = 0;
  await page.route(`${STORE_ORIGIN}/**`, async (route) => {
    if (route.request().method() !== 'PUT') return route.continue();
    if (full) {
      refused++;
      return route.fulfill({
        status: 507,
        contentType: 'application/xml',
        body: '<Error><Code>InsufficientStorage</Code><Message>No space left on the disk.</Message></Error>',
      });
    }
    if (++accepted === 3) full = true;
    return route.continue();
  });
  await page.goto('/');
  await page.getByTestId('file-input').setInputFiles(files.map((f) => f.path));

  const held = page.getByTestId('upload-held');
  await expect(held).toContainText('Uploads paused: the storage is out of space.', { timeout: 60_000 });
  await expect(page.getByTestId('upload-announcement')).toHaveText(
    'Uploads paused: the storage is out of space.',
  );
  const states = page.getByTestId('upload-state');
  await expect(states.filter({ hasText: 'Failed' }).first()).toBeVisible();
  const failed = await states.filter({ hasText: 'Failed' }).count();
  await expect(states.filter({ hasText: 'Paused' })).toHaveCount(4 - failed);
  expect(failed).toBeLessThan(4);
  await expect(held).toContainText(`${4 - failed} upload`);
  await expect(held).toContainText(`; ${failed} failed on it, and Resume tries`);
  await expect(page.getByTestId('upload-row').filter({ hasText: 'Failed' }).first()).toContainText(
    'no space left',
  );
  // Held: nothing more is sent to a store that throws it away.
  const refusedThen = refused;
  await page.waitForTimeout(1_500);
  expect(refused).toBe(refusedThen);

  full = false; // space freed
  await page.getByRole('button', { name: 'Resume uploads' }).click();
  await expect(states.filter({ hasText: 'Done' })).toHaveCount(4, { timeout: 120_000 });
  await expect(held).toHaveCount(0);
  for (const f of files) expect(await sha256Of(storeClient(), f.path.split('/').pop()!)).toBe(f.sha256);
});
