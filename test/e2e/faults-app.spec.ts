import type { Page } from '@playwright/test';
import { expect, makeFile, storeClient, test, watchConsole } from './support/fixtures.ts';
import { launchHoist } from './support/processes.ts';
import { throttle } from './support/network.ts';
import { readFolder, stubFolderPicker } from './support/opfs.ts';
import { seedBigObject } from './support/seed.ts';
import { sha256Of, storeLeftovers, uploadsFor } from './support/s3-checks.ts';
import { percentOf, untilPercent } from './support/progress.ts';

// Faults of the Hoist server and of the page itself: a restart, a lost Complete answer, a closed tab.

const MiB = 1024 * 1024;

function rowFor(page: Page, name: string) {
  return page.getByTestId('upload-row').filter({ hasText: name });
}

/** How many unfinished uploads the page's IndexedDB journal holds. */
function journalled(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const open = indexedDB.open('hoist-uploads');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains('uploads')) return resolve(0);
          const count = db.transaction('uploads').objectStore('uploads').count();
          count.onsuccess = () => {
            resolve(count.result);
            db.close();
          };
          count.onerror = () => reject(count.error);
        };
      }),
  );
}

async function progressOf(page: Page, name: string): Promise<number> {
  return percentOf(rowFor(page, name));
}

test('the Hoist server is killed and back 8 s later: the upload waits for it, then goes on by itself', async ({
  browser,
  tmp,
}) => {
  const app = await launchHoist();
  try {
    const page = await browser.newPage({ baseURL: app.baseURL });
    const file = await makeFile(tmp, `restart-${Date.now()}.bin`, 60 * MiB + 3);
    const name = file.path.split('/').pop()!;
    await page.goto('/');
    const fast = await throttle(page, { up: 10 * MiB });
    await page.getByTestId('file-input').setInputFiles(file.path);
    await expect.poll(() => progressOf(page, name), { timeout: 60_000 }).toBeGreaterThanOrEqual(25);
    // Server and its embedded store die together (kill -9); the data dir stays.
    process.kill(app.pid()!, 'SIGKILL');
    await app.stop();
    const row = rowFor(page, name);
    await expect(row.getByTestId('upload-waiting')).toHaveText('Waiting for the Hoist server…', {
      timeout: 30_000,
    });
    // The list, asked meanwhile, says it cannot be fetched.
    await page.getByRole('button', { name: 'Refresh' }).click();
    const listError = page.getByText(/^Could not list objects:/);
    await expect(listError).toBeVisible({ timeout: 15_000 });
    await page.waitForTimeout(8_000); // down for a while longer
    // Still waiting (not failed), and saying so in place of "Uploading".
    await expect(row.getByTestId('upload-state')).toHaveText('Waiting for the Hoist server…');
    await expect(row).toHaveAttribute('data-status', 'uploading');
    await fast();
    const slow = await throttle(page, { up: MiB }); // the upload outlasts what follows
    await app.start();
    // Once the server answers again, the list is fetched again by itself, not only when the upload ends.
    await expect(listError).toHaveCount(0, { timeout: 20_000 });
    await expect(row.getByTestId('upload-state')).toHaveText('Uploading');
    await slow();

    // No Retry click: it goes on by itself once the server answers.
    const state = row.getByTestId('upload-state');
    await expect(state).toHaveText(/^(Done|Failed)$/, { timeout: 120_000 });
    await expect(state).toHaveText('Done');
    await expect(row.getByTestId('upload-waiting')).toHaveCount(0);
    const client = storeClient(app.storeEndpoint);
    expect(await sha256Of(client, name)).toBe(file.sha256);
    expect(await uploadsFor(client, name)).toEqual([]);
    await page.close();
  } finally {
    await app.dispose();
  }
});

test('the Hoist server is killed and back 8 s later mid-download: the download waits for it, then goes on by itself', async ({
  browser,
  tmp,
}) => {
  const app = await launchHoist();
  try {
    const prefix = `dlrestart-${Date.now()}/`;
    const seed = await seedBigObject(storeClient(app.storeEndpoint), tmp, `${prefix}big.bin`, 120 * MiB);
    const page = await browser.newPage({ baseURL: app.baseURL });
    await stubFolderPicker(page, 'restart');
    await page.goto('/');
    await throttle(page, { up: -1, down: 10 * MiB });
    await page.getByRole('button', { name: `Download folder ${prefix}` }).click();
    const row = page.getByTestId('download-row').filter({ hasText: 'big.bin' });
    const state = row.getByTestId('download-state');
    await untilPercent(row, 25);
    // Server and its embedded store die together (kill -9); the data dir stays.
    process.kill(app.pid()!, 'SIGKILL');
    await app.stop();
    await expect(state).toHaveText('Waiting for the Hoist server…', { timeout: 30_000 });
    // Down well past the retries' backoff: the row keeps waiting, it does not fail.
    await page.waitForTimeout(8_000);
    await expect(state).toHaveText('Waiting for the Hoist server…');
    await expect(page.getByTestId('download-failure')).toHaveCount(0);
    await app.start();

    // No Resume click: it goes on by itself once the server answers.
    await expect(state).toHaveText(/^(Done|Failed)$/, { timeout: 120_000 });
    await expect(state).toHaveText('Done');
    expect(await readFolder(page, 'restart')).toEqual({
      [seed.key]: { size: seed.size, sha256: seed.sha256 },
    });
    await page.close();
  } finally {
    await app.dispose();
  }
});

test('an upload that runs longer than the stale-upload TTL is kept while its parts arrive, and completes', async ({
  browser,
  tmp,
}) => {
  // 100 MiB at 5 MiB/s takes about 20 s: over twice the TTL, with the janitor looking every 2 s.
  const app = await launchHoist({ HOIST_STALE_UPLOAD_TTL: '8s', HOIST_JANITOR_INTERVAL: '2s' });
  try {
    const page = await browser.newPage({ baseURL: app.baseURL });
    const file = await makeFile(tmp, `long-${Date.now()}.bin`, 100 * MiB + 5);
    const name = file.path.split('/').pop()!;
    await page.goto('/');
    await throttle(page, { up: 5 * MiB });
    await page.getByTestId('file-input').setInputFiles(file.path);
    const state = rowFor(page, name).getByTestId('upload-state');
    await expect(state).toHaveText(/^(Done|Failed)$/, { timeout: 150_000 });
    expect(await rowFor(page, name).textContent()).not.toContain('no longer');
    await expect(state).toHaveText('Done');
    const client = storeClient(app.storeEndpoint);
    expect(await sha256Of(client, name)).toBe(file.sha256);
    expect(app.log()).not.toContain('janitor: aborted stale upload');
    await page.close();
  } finally {
    await app.dispose();
  }
});

test('a paused upload that expired meanwhile starts again from the beginning when resumed, and says so', async ({
  browser,
  tmp,
}) => {
  const app = await launchHoist({ HOIST_STALE_UPLOAD_TTL: '6s', HOIST_JANITOR_INTERVAL: '1s' });
  try {
    const page = await browser.newPage({ baseURL: app.baseURL });
    const file = await makeFile(tmp, `expired-pause-${Date.now()}.bin`, 100 * MiB + 7);
    const name = file.path.split('/').pop()!;
    const client = storeClient(app.storeEndpoint);
    await page.goto('/');
    const unthrottle = await throttle(page, { up: 15 * MiB }); // a part every few 100 ms: not idle
    await page.getByTestId('file-input').setInputFiles(file.path);
    await expect.poll(() => progressOf(page, name), { timeout: 60_000 }).toBeGreaterThanOrEqual(20);
    const row = rowFor(page, name);
    await row.getByRole('button', { name: `Pause ${name}` }).click();
    // Idle for longer than the TTL: the janitor aborts it, and its token runs out.
    await expect.poll(async () => (await uploadsFor(client, name)).length, { timeout: 30_000 }).toBe(0);
    await unthrottle();
    await row.getByRole('button', { name: `Resume ${name}` }).click();
    await expect(row.getByTestId('upload-state')).toHaveText('Done', { timeout: 60_000 });
    // Which of the two depends on timing: the token can outlive the aborted upload by a part's time.
    await expect(row).toContainText(
      /The unfinished upload (had expired|was no longer on the server), so it started again from the beginning\./,
    );
    expect(await sha256Of(client, name)).toBe(file.sha256);
    expect(await uploadsFor(client, name)).toEqual([]);
    await page.close();
  } finally {
    await app.dispose();
  }
});

test('the Complete answer is lost after the store completed: the page reports success, and the repeat is harmless', async ({
  page,
  tmp,
  consoleErrors,
}) => {
  const file = await makeFile(tmp, `lost-complete-${Date.now()}.bin`, 12 * MiB + 1);
  const name = file.path.split('/').pop()!;
  let completes = 0;
  const answers: number[] = [];
  await page.route('**/api/uploads/complete', async (route) => {
    completes++;
    if (completes === 1) {
      const response = await route.fetch();
      answers.push(response.status());
      return route.abort('connectionreset');
    }
    const response = await route.fetch();
    answers.push(response.status());
    return route.fulfill({ response });
  });
  await page.goto('/');
  await page.getByTestId('file-input').setInputFiles(file.path);
  const row = rowFor(page, name);
  await expect(row.getByTestId('upload-state')).toHaveText('Done', { timeout: 60_000 });
  expect(completes).toBeGreaterThanOrEqual(2);
  // The first Complete did complete on the store; the second was answered 200 (alreadyCompleted).
  expect(answers.slice(0, 2)).toEqual([200, 200]);
  const client = storeClient();
  expect(await sha256Of(client, name)).toBe(file.sha256);
  expect(await uploadsFor(client, name)).toEqual([]);
  // A network error is logged by Chromium for the dropped response; nothing else.
  expect(consoleErrors.filter((e) => !/ERR_CONNECTION_RESET|Failed to load resource/.test(e))).toEqual([]);
});

test('the tab is closed mid-upload: a new tab lists it as unfinished and picking the file again finishes it', async ({
  context,
  tmp,
}) => {
  const file = await makeFile(tmp, `closed-tab-${Date.now()}.bin`, 50 * MiB + 9);
  const name = file.path.split('/').pop()!;
  const first = await context.newPage();
  await first.goto('/');
  await throttle(first, { up: 10 * MiB });
  await first.getByTestId('file-input').setInputFiles(file.path);
  await expect.poll(() => progressOf(first, name), { timeout: 60_000 }).toBeGreaterThanOrEqual(30);
  await first.close();

  const client = storeClient();
  expect(await uploadsFor(client, name)).toHaveLength(1);
  const second = await context.newPage();
  await second.goto('/');
  await expect(second.getByLabel('Unfinished uploads')).toContainText(name, { timeout: 15_000 });
  await second.getByTestId('file-input').setInputFiles(file.path);
  await expect(rowFor(second, name).getByTestId('upload-state')).toHaveText('Done', { timeout: 120_000 });
  expect(await sha256Of(client, name)).toBe(file.sha256);
  expect(await uploadsFor(client, name)).toEqual([]);
  await second.close();
});

test('the tab is closed and nobody comes back: the janitor aborts the upload after the TTL', async ({
  browser,
  tmp,
}) => {
  const app = await launchHoist({ HOIST_STALE_UPLOAD_TTL: '3s', HOIST_JANITOR_INTERVAL: '1s' });
  try {
    const context = await browser.newContext({ baseURL: app.baseURL });
    const page = await context.newPage();
    const file = await makeFile(tmp, `abandoned-${Date.now()}.bin`, 40 * MiB);
    const name = file.path.split('/').pop()!;
    const client = storeClient(app.storeEndpoint);
    await page.goto('/');
    await throttle(page, { up: 2 * MiB });
    await page.getByTestId('file-input').setInputFiles(file.path);
    await expect.poll(async () => (await uploadsFor(client, name)).length, { timeout: 30_000 }).toBe(1);
    await page.close();
    const closedAt = Date.now();

    await expect.poll(async () => (await uploadsFor(client, name)).length, { timeout: 20_000 }).toBe(0);
    await expect
      .poll(async () => (await storeLeftovers(app.dataDir)).uploads, { timeout: 10_000 })
      .toEqual([]);
    expect(app.log()).toContain(`janitor: aborted stale upload of "${name}"`);

    // Someone comes back after all: the expired upload is not offered as unfinished (it could only fail).
    // Its token lives the TTL past the page's last call, which can be a little after the last part the
    // janitor goes by (a sign call for parts that never came): come back once it has surely expired.
    await new Promise((r) => setTimeout(r, Math.max(0, closedAt + 3_000 + 500 - Date.now())));
    const later = await context.newPage();
    const errors = watchConsole(later);
    await later.goto('/');
    // Listing the unfinished uploads drops the expired record from the journal, and shows nothing.
    await expect.poll(() => journalled(later), { timeout: 15_000 }).toBe(0);
    await expect(later.getByLabel('Unfinished uploads')).toHaveCount(0);
    expect(errors).toEqual([]);
    await context.close();
  } finally {
    await app.dispose();
  }
});

test('the server comes back with its store at another address: the open tab says to reload, and after the reload the upload goes', async ({
  browser,
  tmp,
}) => {
  // The page's Content-Security-Policy lets it reach only the store of the server that served it, so
  // every part of this tab is blocked by the browser: it said only "network error or blocked by CORS".
  const before = await launchHoist();
  let after: Awaited<ReturnType<typeof launchHoist>> | null = null;
  try {
    const page = await browser.newPage({ baseURL: before.baseURL });
    await page.goto('/');
    await expect(page.getByTestId('file-input')).toBeAttached();
    await before.dispose();
    after = await launchHoist({ PORT: new URL(before.baseURL).port });
    expect(after.storeEndpoint).not.toBe(before.storeEndpoint);
    const file = await makeFile(tmp, `moved-${Date.now()}.bin`, 1000);
    const name = file.path.split('/').pop()!;
    await page.getByTestId('file-input').setInputFiles(file.path);
    const banner = page.getByTestId('store-blocked');
    await expect(banner).toContainText('Reload this page', { timeout: 30_000 });
    await expect(banner).toContainText(new URL(after.storeEndpoint).origin);
    await page.reload();
    await expect(page.getByTestId('store-blocked')).toHaveCount(0);
    await page.getByTestId('file-input').setInputFiles(file.path);
    await expect(rowFor(page, name).getByTestId('upload-state')).toHaveText('Done', { timeout: 30_000 });
    expect(await sha256Of(storeClient(after.storeEndpoint), name)).toBe(file.sha256);
    await page.close();
  } finally {
    await before.dispose();
    await after?.dispose();
  }
});
