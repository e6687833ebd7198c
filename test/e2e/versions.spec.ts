import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectVersionsCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { BUCKET, expect, storeClient, test } from './support/fixtures.ts';
import { launchHoist, type HoistProcess } from './support/processes.ts';

// A versioned bucket, as the S3 console's "Show versions" works on it: an object replaced by mistake
// comes back from its Details, a version goes for good, and a file deleted from the page comes back
// from "Deleted objects". A server of its own, on a bucket of its own (versioning, once on, stays).

const external = process.env.S3_ENDPOINT;
const bucket = `versions-${randomUUID().slice(0, 8)}`;
let app: HoistProcess;
let s3: S3Client;

test.describe.configure({ mode: 'serial' });
test.beforeAll(async () => {
  if (external) {
    s3 = storeClient();
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    app = await launchHoist({
      S3_ENDPOINT: external,
      S3_BUCKET: bucket,
      S3_ACCESS_KEY_ID: process.env.S3_ACCESS_KEY_ID ?? '',
      S3_SECRET_ACCESS_KEY: process.env.S3_SECRET_ACCESS_KEY ?? '',
      S3_CONFIGURE_BUCKET: 'true',
    });
  } else {
    app = await launchHoist({ S3_BUCKET: bucket });
    s3 = storeClient(app.storeEndpoint);
  }
  await s3.send(
    new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }),
  );
  // The server learns the bucket's versioning from its health check: asked again now.
  expect(
    ((await (await fetch(`${app.baseURL}/api/health?refresh=1`)).json()) as { versioning: string })
      .versioning,
  ).toBe('enabled');
});
test.afterAll(async () => {
  await app?.dispose();
  s3?.destroy();
});

async function put(key: string, body: string): Promise<string> {
  const r = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
  return r.VersionId!;
}

async function current(key: string) {
  const r = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return { body: await r.Body!.transformToString(), versionId: r.VersionId };
}

async function versionIds(key: string): Promise<string[]> {
  const r = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: key }));
  return (r.Versions ?? []).filter((v) => v.Key === key).map((v) => v.VersionId!);
}

async function openFolder(page: Page, folder: string) {
  await page.goto(`${app.baseURL}/?prefix=${encodeURIComponent(folder)}`);
  await expect(page.getByTestId('object-row').first()).toBeVisible();
}

test('an object replaced by mistake comes back from Details → Versions; an unwanted version goes for good', async ({
  page,
  context,
  tmp,
  consoleErrors,
}) => {
  const folder = `docs-${randomUUID().slice(0, 6)}/`;
  const key = `${folder}report.txt`;
  const first = await put(key, 'the report as it was');
  const second = await put(key, 'a draft saved over it');
  const third = await put(key, 'another draft');

  await openFolder(page, folder);
  await page.getByRole('button', { name: 'Details of report.txt' }).click();
  await page.getByRole('button', { name: 'Versions' }).click();
  const rows = page.getByTestId('version-row');
  await expect(rows).toHaveCount(3);
  await expect(rows.first()).toContainText('Current');
  await expect(rows.first()).toContainText(third);
  await expect(rows.last()).toContainText(first);
  // The current version has nothing to restore; the others do.
  await expect(rows.first().getByRole('button', { name: /^Restore/ })).toHaveCount(0);

  // The oldest, downloaded as it was.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    rows
      .last()
      .getByRole('button', { name: /^Download/ })
      .click(),
  ]);
  const saved = join(tmp, 'old.txt');
  await download.saveAs(saved);
  expect(await readFile(saved, 'utf8')).toBe('the report as it was');
  // A draft, opened in a tab of its own: that version's bytes, not the current one's.
  const [tab] = await Promise.all([
    context.waitForEvent('page'),
    rows.filter({ hasText: second }).getByRole('link', { name: /^Open/ }).click(),
  ]);
  await expect(tab.locator('body')).toHaveText('a draft saved over it');
  expect(new URL(tab.url()).searchParams.get('versionId')).toBe(second);
  await tab.close();

  // Restored: a copy of it is the current version, and the drafts are kept.
  await rows
    .last()
    .getByRole('button', { name: /^Restore/ })
    .click();
  await expect(page.getByTestId('versions-said')).toContainText('copied as the current one');
  // The list was read again and its rows moved: focus is on its heading.
  await expect(page.getByRole('heading', { name: 'Versions of report.txt' })).toBeFocused();
  await expect(rows).toHaveCount(4);
  const now = await current(key);
  expect(now.body).toBe('the report as it was');
  await expect(rows.first()).toContainText(now.versionId!);
  await expect(page.getByTestId('object-row').filter({ hasText: 'report.txt' })).toContainText('20 B');

  // A draft deleted for good: asked first, and Escape keeps it.
  const draft = rows.filter({ hasText: second });
  await draft.getByRole('button', { name: /for good$/ }).click();
  await expect(draft.getByRole('alertdialog')).toContainText('cannot be undone');
  await page.keyboard.press('Escape');
  await expect(draft.getByRole('alertdialog')).toHaveCount(0);
  await expect(draft.getByRole('button', { name: /for good$/ })).toBeFocused();
  await expect(page.getByRole('dialog', { name: 'Details of report.txt' })).toBeVisible();
  await draft.getByRole('button', { name: /for good$/ }).click();
  await draft.getByRole('button', { name: 'Delete for good' }).click();
  await expect(page.getByTestId('versions-said')).toContainText('deleted for good');
  await expect(rows).toHaveCount(3);
  expect(await versionIds(key)).toEqual([now.versionId, third, first]);
  expect(consoleErrors).toEqual([]);
});

test('a file uploaded over another with "Replace" is said to keep it, and the old one comes back from Versions', async ({
  page,
  consoleErrors,
}) => {
  const folder = `notes-${randomUUID().slice(0, 6)}/`;
  const old = await put(`${folder}plan.txt`, 'the plan that worked');
  await openFolder(page, folder);
  await page.getByTestId('file-input').setInputFiles({
    name: 'plan.txt',
    mimeType: 'text/plain',
    buffer: Buffer.from('a worse plan'),
  });
  const row = page.getByTestId('upload-row').first();
  await expect(row.getByTestId('upload-state')).toHaveText('Already exists');
  await expect(row).toContainText('Versioning is on: Replace keeps the object there as an earlier version');
  await row.getByRole('button', { name: 'Replace' }).click();
  await expect(row.getByTestId('upload-state')).toHaveText('Done');
  expect((await current(`${folder}plan.txt`)).body).toBe('a worse plan');

  await page.getByRole('button', { name: 'Details of plan.txt' }).click();
  await page.getByRole('button', { name: 'Versions' }).click();
  const rows = page.getByTestId('version-row');
  await expect(rows).toHaveCount(2);
  await rows
    .filter({ hasText: old })
    .getByRole('button', { name: /^Restore/ })
    .click();
  await expect(page.getByTestId('versions-said')).toContainText('copied as the current one');
  expect((await current(`${folder}plan.txt`)).body).toBe('the plan that worked');
  expect(consoleErrors).toEqual([]);
});

test('a file deleted from the page comes back from "Deleted objects", as the version it was', async ({
  page,
  consoleErrors,
}) => {
  const folder = `photos-${randomUUID().slice(0, 6)}/`;
  const kept = await put(`${folder}holiday.jpg`, 'not really a photo');
  await put(`${folder}other.jpg`, 'stays');

  await openFolder(page, folder);
  await page.getByRole('checkbox', { name: 'Select holiday.jpg' }).check();
  await page.getByRole('button', { name: 'Delete selected' }).click();
  await expect(page.getByRole('alertdialog')).toContainText('delete markers');
  await page.getByRole('button', { name: 'Delete', exact: true }).click();
  await expect(page.getByTestId('object-row')).toHaveCount(1);

  await page.getByRole('button', { name: 'Deleted objects' }).click();
  const panel = page.getByRole('dialog', { name: /^Deleted objects in/ });
  await expect(panel.getByTestId('deleted-row')).toHaveCount(1);
  await expect(panel.getByTestId('deleted-row')).toContainText('holiday.jpg');
  await panel.getByRole('button', { name: 'Restore holiday.jpg' }).click();
  await expect(page.getByTestId('deleted-said')).toContainText('“holiday.jpg” is back.');
  await expect(page.getByTestId('object-row')).toHaveCount(2);
  // The very version deleted, not a copy of it.
  expect(await current(`${folder}holiday.jpg`)).toEqual({ body: 'not really a photo', versionId: kept });

  // A folder deleted whole is no row any more: "Deleted objects" names it, and opens it on what it held.
  const inside = await put(`${folder}2024/beach.jpg`, 'sand');
  await panel.getByRole('button', { name: 'Close' }).click();
  await page.getByRole('button', { name: 'Refresh' }).click();
  await page.getByRole('button', { name: 'Delete folder 2024/' }).click();
  const prompt = page.getByRole('alertdialog', { name: 'Delete folder 2024/' });
  await prompt.getByRole('button', { name: 'Delete folder' }).click();
  await expect(prompt.getByRole('status')).toHaveText('Deleted 1 object.');
  await prompt.getByRole('button', { name: 'Close' }).click();
  await expect(page.getByTestId('folder-row')).toHaveCount(0);
  await page.getByRole('button', { name: 'Deleted objects' }).click();
  await panel.getByTestId('deleted-folder').getByRole('link', { name: '2024/' }).click();
  await expect(page).toHaveURL(new RegExp(`prefix=${encodeURIComponent(`${folder}2024/`)}`));
  await panel.getByRole('button', { name: 'Restore beach.jpg' }).click();
  await expect(page.getByTestId('object-row')).toHaveCount(1);
  expect(await current(`${folder}2024/beach.jpg`)).toEqual({ body: 'sand', versionId: inside });
  expect(consoleErrors).toEqual([]);
});

test('a folder deleted whole comes back whole with "Restore folder", its own folders too', async ({
  page,
  consoleErrors,
}) => {
  const folder = `trip-${randomUUID().slice(0, 6)}/`;
  const keys = [`${folder}album/a.jpg`, `${folder}album/b.jpg`, `${folder}album/raw/c.raw`];
  const versions = await Promise.all(keys.map((k) => put(k, `bytes of ${k}`)));
  await put(`${folder}kept.txt`, 'stays');

  await openFolder(page, folder);
  await page.getByRole('button', { name: 'Delete folder album/' }).click();
  const prompt = page.getByRole('alertdialog', { name: 'Delete folder album/' });
  await prompt.getByRole('button', { name: 'Delete folder' }).click();
  await expect(prompt.getByRole('status')).toHaveText('Deleted 3 objects.');
  await prompt.getByRole('button', { name: 'Close' }).click();
  await expect(page.getByTestId('folder-row')).toHaveCount(0);

  await page.getByRole('button', { name: 'Deleted objects' }).click();
  const panel = page.getByRole('dialog', { name: /^Deleted objects in/ });
  await panel.getByRole('button', { name: 'Restore folder album/' }).click();
  const ask = panel.getByRole('alertdialog');
  await expect(ask).toContainText('Restore 3 objects deleted in album/ and its folders?');
  await ask.getByRole('button', { name: 'Restore 3 objects' }).click();
  await expect(page.getByTestId('deleted-said')).toHaveText('Restored 3 objects of 3 in album/.');
  await expect(panel.getByTestId('deleted-folder')).toHaveCount(0);
  // Its line went with the button pressed: focus is at the top of the panel, not lost.
  await expect(panel.locator('.panel-subject')).toBeFocused();
  await expect(page.getByTestId('folder-row')).toHaveCount(1);
  for (const [i, key] of keys.entries()) {
    expect(await current(key)).toEqual({ body: `bytes of ${key}`, versionId: versions[i] });
  }
  expect(consoleErrors).toEqual([]);
});

test('Escape while "Restore all" runs stops it and says the rest are still deleted; the panel stays', async ({
  page,
}) => {
  const folder = `stop-${randomUUID().slice(0, 6)}/`;
  const keys = [`${folder}a.txt`, `${folder}b.txt`, `${folder}deep/c.txt`];
  for (const key of keys) {
    await put(key, key);
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
  }
  await put(`${folder}kept.txt`, 'so the folder is listed');
  await openFolder(page, folder);
  // Each restore call hangs, as on a slow store, so the run is still going when Escape comes.
  await page.route('**/api/versions/restore', () => new Promise(() => {}));
  await page.getByRole('button', { name: 'Deleted objects' }).click();
  const panel = page.getByRole('dialog', { name: /^Deleted objects in/ });
  await panel.getByRole('button', { name: 'Restore all…' }).click();
  await panel.getByRole('alertdialog').getByRole('button', { name: 'Restore 3 objects' }).click();
  await expect(panel.getByRole('button', { name: 'Stop' })).toBeFocused();
  await expect(panel.getByRole('button', { name: 'Close' })).toBeDisabled();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('deleted-said')).toHaveText(
    /^Stopped: restored 0 objects of 3 in .*; the rest are still deleted\.$/,
  );
  await expect(panel).toBeVisible();
  await expect(panel.getByRole('button', { name: 'Restore all…' })).toBeFocused();

  await page.unrouteAll({ behavior: 'ignoreErrors' });
  await panel.getByRole('button', { name: 'Restore all…' }).click();
  await panel.getByRole('alertdialog').getByRole('button', { name: 'Restore 3 objects' }).click();
  await expect(page.getByTestId('deleted-said')).toHaveText(/^Restored 3 objects of 3 in /);
  for (const key of keys) expect((await current(key)).body).toBe(key);
});

test('a single Restore and a Delete for good wait out a Hoist restart, as "Restore all" does', async ({
  page,
}) => {
  const folder = `restart-${randomUUID().slice(0, 6)}/`;
  const key = `${folder}notes.txt`;
  const first = await put(key, 'first words');
  const kept = await put(key, 'kept words');
  await put(`${folder}other.txt`, 'stays');
  await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
  /** Each call to `path` finds no server, as while it restarts, `times` times (about 1.5 s for two), then it is back. */
  const down = async (path: string, times: number) => {
    let refused = 0;
    await page.route(`**/api/versions/${path}`, (route) =>
      refused++ < times ? route.abort('connectionrefused') : route.continue(),
    );
  };

  await openFolder(page, folder);
  await down('restore', 2);
  await page.getByRole('button', { name: 'Deleted objects' }).click();
  const panel = page.getByRole('dialog', { name: /^Deleted objects in/ });
  await panel.getByRole('button', { name: 'Restore notes.txt' }).click();
  await expect(page.getByTestId('deleted-said')).toHaveText('“notes.txt” is back.');
  expect(await current(key)).toEqual({ body: 'kept words', versionId: kept });
  await panel.getByRole('button', { name: 'Close' }).click();

  await down('delete', 1);
  await page.getByRole('button', { name: 'Details of notes.txt' }).click();
  await page.getByRole('button', { name: 'Versions' }).click();
  const oldest = page.getByTestId('version-row').filter({ hasText: first });
  await oldest.getByRole('button', { name: /for good$/ }).click();
  await oldest.getByRole('button', { name: 'Delete for good' }).click();
  await expect(page.getByTestId('versions-said')).toContainText('deleted for good');
  expect(await versionIds(key)).toEqual([kept]);
});

test('under suspended versioning, Restore asks before its copy replaces the "null" version for good', async ({
  page,
  consoleErrors,
}) => {
  const folder = `suspended-${randomUUID().slice(0, 6)}/`;
  const key = `${folder}draft.txt`;
  const kept = await put(key, 'saved while versioning was on');
  await s3.send(
    new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Suspended' } }),
  );
  try {
    await fetch(`${app.baseURL}/api/health?refresh=1`);
    await put(key, 'written while suspended');
    await openFolder(page, folder);
    await page.getByRole('button', { name: 'Details of draft.txt' }).click();
    await page.getByRole('button', { name: 'Versions' }).click();
    const old = page.getByTestId('version-row').filter({ hasText: kept });
    await old.getByRole('button', { name: /^Restore/ }).click();
    const ask = old.getByRole('alertdialog');
    await expect(ask).toContainText(
      'Versioning is suspended: the copy is saved as the "null" version, which replaces the current version of',
    );
    await ask.getByRole('button', { name: 'Keep it' }).click();
    await expect(old.getByRole('button', { name: /^Restore/ })).toBeFocused();
    expect((await current(key)).body).toBe('written while suspended');

    await old.getByRole('button', { name: /^Restore/ }).click();
    await ask.getByRole('button', { name: 'Restore anyway' }).click();
    await expect(page.getByTestId('versions-said')).toContainText('in place of the "null" version');
    expect((await current(key)).body).toBe('saved while versioning was on');
  } finally {
    await s3.send(
      new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }),
    );
  }
  expect(consoleErrors).toEqual([]);
});

test('a bucket without versioning offers neither Versions nor Deleted objects', async ({ page }) => {
  const folder = `plain-${randomUUID().slice(0, 6)}/`;
  const client = storeClient();
  await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: `${folder}a.txt`, Body: 'a' }));
  client.destroy();
  await page.goto(`/?prefix=${encodeURIComponent(folder)}`);
  await page.getByRole('button', { name: 'Details of a.txt' }).click();
  await expect(page.getByRole('button', { name: 'Edit properties' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Versions' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Deleted objects' })).toHaveCount(0);
});
