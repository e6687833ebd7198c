import { ListPartsCommand } from '@aws-sdk/client-s3';
import type { Page } from '@playwright/test';
import { stat, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { mkdir } from 'node:fs/promises';
import { BUCKET, expect, makeFile, storeClient, test, STORE_ORIGIN } from './support/fixtures.ts';
import { launchHoist } from './support/processes.ts';
import { throttle, watchStoreRequests } from './support/network.ts';
import { sha256Of, uploadsFor } from './support/s3-checks.ts';
import { untilPercent } from './support/progress.ts';

const MiB = 1024 * 1024;

test('after a reload, the same file resumes with only the missing parts; a different file is refused', async ({
  page,
  tmp,
}) => {
  const name = `resume-${Date.now()}.bin`;
  const file = await makeFile(tmp, name, 100 * MiB + 1);
  await mkdir(join(tmp, 'other'));
  const impostor = await makeFile(join(tmp, 'other'), name, 100 * MiB + 1);
  // Same name, size and modification time (whole milliseconds, as File.lastModified keeps them).
  const when = new Date(Math.floor((await stat(file.path)).mtimeMs));
  await utimes(file.path, when, when);
  await utimes(impostor.path, when, when);

  await page.goto('/');
  const restore = await throttle(page, { up: 20 * MiB });
  await page.getByTestId('file-input').setInputFiles(file.path);
  const row = page.getByTestId('upload-row').filter({ hasText: name });
  await untilPercent(row, 30);
  await page.reload(); // still throttled, so the rest cannot finish before the page is gone
  await restore();

  const client = storeClient();
  const [upload] = await uploadsFor(client, name);
  expect(upload).toBeDefined();
  await expect(
    page.getByRole('region', { name: 'Unfinished uploads' }).or(page.getByLabel('Unfinished uploads')),
  ).toContainText(name);

  // A different file with the same name, size and date: its sampled bytes differ, so it is refused.
  await page.getByTestId('file-input').setInputFiles(impostor.path);
  const refused = page.getByTestId('upload-row').filter({ hasText: name }).first();
  await expect(refused.getByTestId('upload-state')).toHaveText('Failed');
  await expect(refused).toContainText('different');

  await page.reload();
  const serverParts = await client.send(
    new ListPartsCommand({ Bucket: BUCKET, Key: name, UploadId: upload!.UploadId! }),
  );
  const had = new Set((serverParts.Parts ?? []).map((p) => p.PartNumber!));
  expect(had.size).toBeGreaterThan(0);
  const requests = watchStoreRequests(page, STORE_ORIGIN);
  await page.getByTestId('file-input').setInputFiles(file.path);
  const resumed = page.getByTestId('upload-row').filter({ hasText: name });
  await expect(resumed.getByTestId('upload-state')).toHaveText('Done', { timeout: 120_000 });

  const sent = new Set(requests.partPuts());
  const partCount = Math.ceil(file.size / (5 * MiB));
  for (const n of had) expect(sent.has(n), `part ${n} was on the server already`).toBe(false);
  expect(sent.size).toBe(partCount - had.size);
  expect(await sha256Of(client, name)).toBe(file.sha256);
});

test('presigned URLs that expire after 5 s on a throttled upload: it re-signs and completes', async ({
  browser,
  tmp,
}) => {
  const app = await launchHoist({ HOIST_PRESIGN_TTL: '5s' });
  try {
    const page = await browser.newPage({ baseURL: app.baseURL });
    const file = await makeFile(tmp, `ttl-${Date.now()}.bin`, 60 * MiB);
    const name = file.path.split('/').pop()!;
    await page.goto('/');
    await throttle(page, { up: 4 * MiB });
    await page.getByTestId('file-input').setInputFiles(file.path);
    await expect(
      page.getByTestId('upload-row').filter({ hasText: name }).getByTestId('upload-state'),
    ).toHaveText('Done', {
      timeout: 150_000,
    });
    expect(await sha256Of(storeClient(app.storeEndpoint), name)).toBe(file.sha256);
    await page.close();
  } finally {
    await app.dispose();
  }
});

/**
 * A file sent (throttled) by `page`, then picked again in a second tab of the same context, which waits
 * for the first: both rows, and the second tab's requests to the store.
 */
async function pickedInTwoTabs(page: Page, path: string, name: string) {
  await throttle(page, { up: 5 * MiB });
  await page.getByTestId('file-input').setInputFiles(path);
  const row = page.getByTestId('upload-row').filter({ hasText: name });
  await untilPercent(row, 10);
  const second = await page.context().newPage();
  const requests = watchStoreRequests(second, STORE_ORIGIN);
  await second.goto('/');
  await second.getByTestId('file-input').setInputFiles(path);
  const waiting = second.getByTestId('upload-row').filter({ hasText: name });
  await expect(waiting.getByTestId('upload-waiting')).toHaveText(
    'Waiting for the other tab sending this file…',
  );
  return { row, waiting, requests };
}

// Web Locks exist only on secure pages: over plain http from another machine the tabs ask each other
// over a BroadcastChannel instead. Without Web Locks here, as there.
for (const webLocks of [true, false])
  test(`the same file picked in a second tab waits for the tab sending it, and goes on from its parts once that tab is closed${webLocks ? '' : ' (no Web Locks, as over plain http from another machine)'}`, async ({
    page,
    tmp,
  }) => {
    if (!webLocks)
      await page.context().addInitScript(() => delete (Navigator.prototype as { locks?: unknown }).locks);
    const name = `two-tabs-${Date.now()}.bin`;
    const file = await makeFile(tmp, name, 60 * MiB + 1);
    await page.goto('/');
    expect(await page.evaluate(() => 'locks' in navigator)).toBe(webLocks);
    const { waiting, requests } = await pickedInTwoTabs(page, file.path, name);
    await expect(waiting.getByTestId('upload-state')).not.toHaveText('Failed');
    const [upload] = await uploadsFor(storeClient(), name);
    expect(upload).toBeDefined();

    await page.close(); // the first tab goes mid-upload: the second takes its upload over
    await expect(waiting.getByTestId('upload-state')).toHaveText('Done', { timeout: 120_000 });
    expect(await sha256Of(storeClient(), name)).toBe(file.sha256);
    // The first tab's upload went on, not a new one: every part the second tab sent was of it.
    const puts = requests.started().filter((r) => r.method() === 'PUT');
    expect(puts.length).toBeGreaterThan(0);
    for (const put of puts) expect(new URL(put.url()).searchParams.get('uploadId')).toBe(upload!.UploadId);
    expect(await uploadsFor(storeClient(), name)).toEqual([]);
  });

test('a tab that pauses the file lets the second tab take its upload over; resumed, the first is Done once the second finishes', async ({
  page,
  tmp,
}) => {
  const name = `two-tabs-pause-${Date.now()}.bin`;
  const file = await makeFile(tmp, name, 60 * MiB + 1);
  await page.goto('/');
  const { row, waiting, requests } = await pickedInTwoTabs(page, file.path, name);
  // As slow as the first: unthrottled, the second sent the rest in a moment on a busy machine, before
  // the first tab's Resume could show it waiting (it went straight to Done, which is right too).
  await throttle(waiting.page(), { up: 5 * MiB });
  const [upload] = await uploadsFor(storeClient(), name);
  await row.getByRole('button', { name: `Pause ${name}` }).click();
  await expect(row.getByTestId('upload-state')).toHaveText('Paused');
  // The second tab goes on with the first tab's upload, from its parts.
  await expect(waiting.getByTestId('upload-waiting')).toHaveCount(0);
  await expect(waiting.getByTestId('upload-state')).toHaveText('Uploading');
  await row.getByRole('button', { name: `Resume ${name}` }).click();
  await expect(row.getByTestId('upload-waiting')).toHaveText('Waiting for the other tab sending this file…');
  await expect(waiting.getByTestId('upload-state')).toHaveText('Done', { timeout: 120_000 });
  await expect(row.getByTestId('upload-state')).toHaveText('Done', { timeout: 30_000 });
  await expect(row).toContainText('Another tab of this page uploaded this file meanwhile');
  const puts = requests.started().filter((r) => r.method() === 'PUT');
  expect(puts.length).toBeGreaterThan(0);
  for (const put of puts) expect(new URL(put.url()).searchParams.get('uploadId')).toBe(upload!.UploadId);
  expect(await sha256Of(storeClient(), name)).toBe(file.sha256);
  expect(await uploadsFor(storeClient(), name)).toEqual([]);
});

test('the same file picked in a second tab while the first sends it is Done there too once the first finishes, not asked about its name', async ({
  page,
  tmp,
}) => {
  const name = `two-tabs-done-${Date.now()}.bin`;
  const file = await makeFile(tmp, name, 30 * MiB + 1);
  await page.goto('/');
  const { row, waiting, requests } = await pickedInTwoTabs(page, file.path, name);
  await expect(row.getByTestId('upload-state')).toHaveText('Done', { timeout: 60_000 });
  await expect(waiting.getByTestId('upload-state')).toHaveText('Done', { timeout: 30_000 });
  await expect(waiting).toContainText('Another tab of this page uploaded this file meanwhile');
  expect(requests.started().filter((r) => r.method() === 'PUT')).toEqual([]);
  expect(await sha256Of(storeClient(), name)).toBe(file.sha256);
});
