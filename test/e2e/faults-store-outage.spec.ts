import type { Browser, Page } from '@playwright/test';
import { expect, makeFile, storeClient, test } from './support/fixtures.ts';
import { throttle } from './support/network.ts';
import { externalStoreEnv, launchHoist, launchStore } from './support/processes.ts';
import { sha256Of, uploadsFor } from './support/s3-checks.ts';
import { readFolder, stubFolderPicker } from './support/opfs.ts';
import { seedObject } from './support/seed.ts';
import { untilPercent } from './support/progress.ts';

// The S3 endpoint is a separate process (`npm run store`) that these tests stop and start under Hoist.

const MiB = 1024 * 1024;

function rowFor(page: Page, name: string) {
  return page.getByTestId('upload-row').filter({ hasText: name });
}

type Hoisted = {
  store: Awaited<ReturnType<typeof launchStore>>;
  app: Awaited<ReturnType<typeof launchHoist>>;
  /** SIGSTOP the store: it takes connections and answers nothing, so no error ever comes back. */
  hang: () => void;
  /** SIGCONT it (also done, always, when the test ends). */
  wake: () => void;
};

/** Runs `body` with its own store process and a Hoist server on it; both are gone after, the store never left stopped. */
async function withOwnStore(body: (h: Hoisted) => Promise<void>) {
  const store = await launchStore();
  const app = await launchHoist(externalStoreEnv(store.endpoint));
  let hungPid: number | undefined;
  const hang = () => {
    hungPid = store.pid()!;
    process.kill(hungPid, 'SIGSTOP');
  };
  const wake = () => {
    if (hungPid !== undefined) process.kill(hungPid, 'SIGCONT');
    hungPid = undefined;
  };
  try {
    await body({ store, app, hang, wake });
  } finally {
    wake();
    await app.dispose();
    await store.dispose();
  }
}

/** A 60 MiB file uploading at 10 MiB/s through a new page, once its bar is at a quarter. */
async function uploadUntilAQuarter(browser: Browser, baseURL: string, tmp: string, prefix: string) {
  const page = await browser.newPage({ baseURL });
  const file = await makeFile(tmp, `${prefix}-${Date.now()}.bin`, 60 * MiB + 7);
  const name = file.path.split('/').pop()!;
  await page.goto('/');
  await throttle(page, { up: 10 * MiB });
  await page.getByTestId('file-input').setInputFiles(file.path);
  const row = rowFor(page, name);
  await untilPercent(row, 25);
  return { page, file, name, row };
}

test('the store unreachable at start: the page loads, says so, and recovers on its own when it comes back', async ({
  browser,
  tmp,
}) => {
  const store = await launchStore();
  await store.stop();
  const app = await launchHoist(externalStoreEnv(store.endpoint), { waitFor: 'page' });
  try {
    const page = await browser.newPage({ baseURL: app.baseURL });
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto('/');
    await expect(page.getByRole('alert').filter({ hasText: 'not ready' })).toBeVisible({ timeout: 30_000 });
    await expect(page.getByTestId('file-input')).toBeAttached();

    await store.start();
    // Nobody reloads: the health poll clears the banner once the store answers again.
    await expect(page.getByRole('alert').filter({ hasText: 'not ready' })).toHaveCount(0, {
      timeout: 45_000,
    });
    const file = await makeFile(tmp, `after-outage-${Date.now()}.bin`, 12 * MiB);
    const name = file.path.split('/').pop()!;
    await page.getByTestId('file-input').setInputFiles(file.path);
    await expect(rowFor(page, name).getByTestId('upload-state')).toHaveText('Done', { timeout: 60_000 });
    expect(await sha256Of(storeClient(store.endpoint), name)).toBe(file.sha256);
    // The object list recovers by itself too (it is fetched again when the health check turns ok).
    await expect(page.getByRole('alert')).toHaveCount(0, { timeout: 15_000 });
    await expect(page.getByTestId('object-row').filter({ hasText: name })).toBeVisible();
    expect(pageErrors).toEqual([]);
    await page.close();
  } finally {
    await app.dispose();
    await store.dispose();
  }
});

test('the store goes away while the page is open: the banner says so within half a minute, and clears', async ({
  browser,
}) => {
  await withOwnStore(async ({ store, app }) => {
    const page = await browser.newPage({ baseURL: app.baseURL });
    await page.goto('/');
    await expect(page.getByTestId('file-input')).toBeAttached();
    await expect(page.getByRole('alert')).toHaveCount(0);
    await store.stop();
    // The page asks every 15 s; the server checks the bucket at least every 10 s between full self-tests.
    // The banner; the object list may say it cannot list beside it (a second alert).
    await expect(page.getByRole('alert').filter({ hasText: 'not ready' })).toBeVisible({ timeout: 30_000 });
    await store.start();
    await expect(page.getByRole('alert')).toHaveCount(0, { timeout: 30_000 });
    await page.close();
  });
});

test('the store stops for 20 s mid-upload: the row waits for it, spending no retry, and goes on by itself', async ({
  browser,
  tmp,
}) => {
  await withOwnStore(async ({ store, app }) => {
    const { page, file, name, row } = await uploadUntilAQuarter(browser, app.baseURL, tmp, 'store-gone');
    await store.stop();
    const stoppedAt = Date.now();
    // The parts get no answer; the Hoist server cannot reach the store either: a wait, not a failure.
    await expect(row.getByTestId('upload-waiting')).toHaveText('Waiting for the storage to answer again…', {
      timeout: 15_000,
    });
    await page.waitForTimeout(Math.max(0, 20_000 - (Date.now() - stoppedAt)));
    const state = row.getByTestId('upload-state');
    // Still waiting (not failed), and saying so in place of "Uploading".
    await expect(state).toHaveText('Waiting for the storage to answer again…');
    await expect(row).toHaveAttribute('data-status', 'uploading');
    await store.start();

    // Rode out the outage by itself: no Retry click.
    await expect(state).toHaveText('Done', { timeout: 120_000 });
    const client = storeClient(store.endpoint);
    expect(await sha256Of(client, name)).toBe(file.sha256);
    expect(await uploadsFor(client, name)).toEqual([]);
    await page.close();
  });
});

test('the store hangs mid-upload (SIGSTOP): within half a minute the row waits for it, not a frozen speed; it finishes by itself after', async ({
  browser,
  tmp,
}) => {
  await withOwnStore(async ({ store, app, hang, wake }) => {
    const { page, file, name, row } = await uploadUntilAQuarter(browser, app.baseURL, tmp, 'store-hung');
    hang(); // takes connections, answers nothing: no error ever comes back
    await expect(row.getByTestId('upload-waiting')).toHaveText('Waiting for the storage to answer again…', {
      timeout: 30_000,
    });
    await expect(row.getByTestId('upload-state')).toHaveText('Waiting for the storage to answer again…');
    await expect(row).toHaveAttribute('data-status', 'uploading');
    wake();
    await expect(row.getByTestId('upload-state')).toHaveText('Done', { timeout: 120_000 });
    const client = storeClient(store.endpoint);
    expect(await sha256Of(client, name)).toBe(file.sha256);
    expect(await uploadsFor(client, name)).toEqual([]);
    await page.close();
  });
});

test('a file picked while the store hangs (SIGSTOP) says it waits for the storage, not just "Queued", and is done once it answers', async ({
  page,
  tmp,
}) => {
  await withOwnStore(async ({ store, app, hang, wake }) => {
    const file = await makeFile(tmp, `picked-while-hung-${Date.now()}.bin`, 1000);
    const name = file.path.split('/').pop()!;
    await page.goto(app.baseURL);
    await expect(page.getByTestId('file-input')).toBeAttached();
    hang(); // the create's look at the key gets no answer, nor any error
    await page.getByTestId('file-input').setInputFiles(file.path);
    const row = rowFor(page, name);
    await expect(row.getByTestId('upload-waiting')).toHaveText('Waiting for the storage to answer again…', {
      timeout: 30_000,
    });
    await expect(row.getByTestId('upload-state')).toHaveText('Waiting for the storage to answer again…');
    await expect(row).toHaveAttribute('data-status', 'queued');
    wake();
    await expect(row.getByTestId('upload-state')).toHaveText('Done', { timeout: 60_000 });
    await expect(row.getByTestId('upload-waiting')).toHaveCount(0);
    expect(await sha256Of(storeClient(store.endpoint), name)).toBe(file.sha256);
  });
});

test('the store stops for 15 s mid-download: the row waits for it, then finishes by itself, checksum verified', async ({
  browser,
}) => {
  await withOwnStore(async ({ store, app }) => {
    const key = `dl-store-gone-${Date.now()}/big.bin`;
    const size = 40 * MiB; // under the ranged threshold: one GET, resumed with Range after the outage
    const seed = await seedObject(storeClient(store.endpoint), key, size);
    const page = await browser.newPage({ baseURL: app.baseURL });
    await stubFolderPicker(page, 'store-gone');
    await page.goto('/');
    const unthrottle = await throttle(page, { up: -1, down: 4 * MiB });
    await page.getByRole('link', { name: `${key.split('/')[0]}/` }).waitFor();
    await page.getByRole('button', { name: `Download folder ${key.split('/')[0]}/` }).click();
    const row = page.getByTestId('download-row').filter({ hasText: 'big.bin' });
    await untilPercent(row, 20);
    await store.stop();
    await expect(row.getByTestId('download-state')).toHaveText('Waiting for the storage to answer again…', {
      timeout: 45_000,
    });
    await page.waitForTimeout(15_000);
    await store.start();
    await unthrottle(); // the rest at full speed: what is tested is that it goes on by itself
    await expect(row.getByTestId('download-state')).toHaveText('Done', { timeout: 120_000 });
    await expect(row).toContainText('Checksum verified');
    expect(await readFolder(page, 'store-gone')).toEqual({ [key]: { size, sha256: seed.sha256 } });
    await page.close();
  });
});
