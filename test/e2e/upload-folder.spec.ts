import { ListObjectsV2Command, ListPartsCommand } from '@aws-sdk/client-s3';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BUCKET, expect, makeFile, storeClient, test, STORE_ORIGIN } from './support/fixtures.ts';
import { throttle, watchStoreRequests } from './support/network.ts';
import { sha256Of, uploadsFor } from './support/s3-checks.ts';
import { seedMany } from './support/seed.ts';
import { untilPercent } from './support/progress.ts';

const MiB = 1024 * 1024;

async function keysUnder(prefix: string): Promise<string[]> {
  const page = await storeClient().send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix }));
  return (page.Contents ?? []).map((c) => c.Key!).sort();
}

test('uploads go into the folder being browsed, as in the S3 console', async ({ page, tmp }) => {
  const folder = `docs-${Date.now()}`;
  await seedMany(storeClient(), [{ key: `${folder}/2024/readme.txt`, size: 10 }]);
  const file = await makeFile(tmp, 'plan.bin', 6 * 1024 * 1024 + 3);
  await page.goto('/');
  const destination = page.getByTestId('upload-destination');
  await expect(destination).toHaveText('Uploads go to Bucket');
  await page.getByRole('link', { name: `${folder}/`, exact: true }).click();
  await page.getByRole('link', { name: '2024/', exact: true }).click();
  await expect(destination).toHaveText(`Uploads go to Bucket / ${folder} / 2024`);

  await page.getByTestId('file-input').setInputFiles(file.path);
  const row = page.getByTestId('upload-row');
  // Named below the folder "Uploads go to" states; the whole key is its title.
  await expect(row).toHaveAttribute('aria-label', 'plan.bin');
  await expect(row.locator('.name')).toHaveAttribute('title', `${folder}/2024/plan.bin`);
  await expect(row.getByTestId('upload-state')).toHaveText('Done', { timeout: 60_000 });
  expect(await keysUnder(`${folder}/`)).toEqual([`${folder}/2024/plan.bin`, `${folder}/2024/readme.txt`]);
  expect(await sha256Of(storeClient(), `${folder}/2024/plan.bin`)).toBe(file.sha256);
  // The folder on screen lists it without a reload.
  await expect(page.getByRole('button', { name: 'Download plan.bin' })).toBeVisible();

  // Back at the top, uploads go to the top again.
  await page.getByRole('navigation', { name: 'Folder' }).getByRole('link', { name: 'Bucket' }).click();
  await expect(destination).toHaveText('Uploads go to Bucket');
});

test('"New folder" checks the name, makes the folder as the S3 console does (it stays, empty), opens it, and a picked folder lands inside it', async ({
  page,
  tmp,
}) => {
  const name = `reports ${Date.now()}`;
  await mkdir(join(tmp, 'album', 'day 1'), { recursive: true });
  const photo = await makeFile(join(tmp, 'album', 'day 1'), 'a.jpg', 2048);
  await page.goto('/');
  await page.getByRole('button', { name: 'New folder' }).click();
  const form = page.getByRole('form', { name: 'New folder' });
  const input = form.getByLabel('Folder name');
  await input.fill('a/b');
  await form.getByRole('button', { name: 'Create folder' }).click();
  await expect(form.getByRole('alert')).toHaveText(
    'A folder name cannot contain "/". Create one folder at a time.',
  );
  await input.fill('..');
  await form.getByRole('button', { name: 'Create folder' }).click();
  await expect(form.getByRole('alert')).toHaveText('".." cannot be a folder name.');
  await input.fill(`  ${name} `);
  await input.press('Enter');

  await expect(form).toHaveCount(0);
  await expect(page.getByRole('navigation', { name: 'Folder' }).locator('[aria-current="page"]')).toHaveText(
    name,
  );
  await expect(page.getByText(`“${name}” is ready: files you upload now go into it.`)).toBeVisible();
  // Focus is on its name in the breadcrumbs; what it means is said to a screen reader too.
  await expect(page.getByRole('status').and(page.getByTestId('new-folder-said'))).toHaveText(
    `Folder “${name}” created and opened: files you upload now go into it.`,
  );
  await expect(page.getByTestId('upload-destination')).toHaveText(`Uploads go to Bucket / ${name}`);
  // The empty object the S3 console's "Create folder" writes: the folder stays with nothing in it.
  expect(await keysUnder(`${name}/`)).toEqual([`${name}/`]);
  await page.reload();
  await expect(page.getByText(`This folder is empty.`)).toBeVisible();
  await page.getByRole('navigation', { name: 'Folder' }).getByRole('link', { name: 'Bucket' }).click();
  await expect(page.getByRole('link', { name: `${name}/`, exact: true })).toBeVisible();
  // Made again: it is there already, and opened.
  await page.getByRole('button', { name: 'New folder' }).click();
  await form.getByLabel('Folder name').fill(name);
  await form.getByLabel('Folder name').press('Enter');
  await expect(page.getByRole('status').and(page.getByTestId('new-folder-said'))).toHaveText(
    `Folder “${name}” is there already: opened.`,
  );

  await page.getByTestId('folder-input').setInputFiles(join(tmp, 'album'));
  await expect(page.getByTestId('upload-row').getByTestId('upload-state')).toHaveText('Done', {
    timeout: 30_000,
  });
  expect(await keysUnder(`${name}/`)).toEqual([`${name}/`, `${name}/album/day 1/a.jpg`]);
  expect(await sha256Of(storeClient(), `${name}/album/day 1/a.jpg`)).toBe(photo.sha256);
  await expect(page.getByRole('link', { name: 'album/', exact: true })).toBeVisible();

  // Escape closes the form without moving.
  await page.getByRole('button', { name: 'New folder' }).click();
  await page.getByRole('form', { name: 'New folder' }).getByLabel('Folder name').press('Escape');
  await expect(page.getByRole('form', { name: 'New folder' })).toHaveCount(0);
  await expect(page.getByTestId('upload-destination')).toHaveText(`Uploads go to Bucket / ${name}`);
});

test('Escape while "New folder" is being made stops the call: the page stays where it was', async ({
  page,
}) => {
  const name = `late ${Date.now()}`;
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let answered!: () => void;
  const done = new Promise<void>((resolve) => (answered = resolve));
  // The create call held until the form is gone, then sent on (or, aborted, dropped).
  await page.route('**/api/objects/folder', async (route) => {
    await released;
    await route.continue().catch(() => undefined);
    answered();
  });
  await page.goto('/');
  await page.getByRole('button', { name: 'New folder' }).click();
  const form = page.getByRole('form', { name: 'New folder' });
  await form.getByLabel('Folder name').fill(name);
  await form.getByLabel('Folder name').press('Enter');
  await expect(form.getByRole('button', { name: 'Creating…' })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(form).toHaveCount(0);
  release();
  await done;
  // Given time to have opened it, the page is still at the top, and says nothing was made.
  await page.waitForTimeout(500);
  await expect(page.getByTestId('upload-destination')).toHaveText('Uploads go to Bucket');
  await expect(page.getByTestId('new-folder-said')).toHaveText('');
});

test('an unfinished upload says which folder it was going to, and opens it to resume there', async ({
  page,
  tmp,
}) => {
  const folder = `vault-${Date.now()}`;
  const file = await makeFile(tmp, 'backup.tar', 40 * MiB + 7);
  await page.goto('/');
  await page.getByRole('button', { name: 'New folder' }).click();
  // In the form: page-wide, the label also matches rows of other tests' folders ("… folder named-…").
  const name = page.getByRole('form', { name: 'New folder' }).getByLabel('Folder name');
  await name.fill(folder);
  await name.press('Enter');
  // Made (an empty "folder/" object) and opened: files picked from now on go into it.
  await expect(page.getByTestId('upload-destination')).toHaveText(`Uploads go to Bucket / ${folder}`);
  const restore = await throttle(page, { up: 8 * MiB });
  await page.getByTestId('file-input').setInputFiles(file.path);
  const row = page.getByTestId('upload-row');
  await untilPercent(row, 25);
  await page.reload(); // still throttled, so nothing finishes first
  await restore();

  const key = `${folder}/backup.tar`;
  const [upload] = await uploadsFor(storeClient(), key);
  expect(upload).toBeDefined();
  const destination = page.getByTestId('upload-destination');
  // The reload kept the folder (it is in the URL); go to the top, where the upload was not going.
  await expect(destination).toHaveText(`Uploads go to Bucket / ${folder}`);
  await page.getByRole('navigation', { name: 'Folder' }).getByRole('link', { name: 'Bucket' }).click();
  await expect(destination).toHaveText('Uploads go to Bucket');
  const unfinished = page.getByLabel('Unfinished uploads');
  await expect(unfinished).toContainText(key);
  await unfinished.getByRole('button', { name: `Open the folder of ${key}` }).click();
  await expect(destination).toHaveText(`Uploads go to Bucket / ${folder}`);
  await expect(page.getByRole('navigation', { name: 'Folder' }).locator('[aria-current="page"]')).toHaveText(
    folder,
  );
  await expect(unfinished.getByRole('button', { name: `Open the folder of ${key}` })).toHaveCount(0);

  const had = new Set(
    (
      await storeClient().send(
        new ListPartsCommand({ Bucket: BUCKET, Key: key, UploadId: upload!.UploadId! }),
      )
    ).Parts?.map((p) => p.PartNumber!) ?? [],
  );
  expect(had.size).toBeGreaterThan(0);
  const requests = watchStoreRequests(page, STORE_ORIGIN);
  await page.getByTestId('file-input').setInputFiles(file.path);
  await expect(page.getByTestId('upload-row').getByTestId('upload-state')).toHaveText('Done', {
    timeout: 60_000,
  });
  for (const n of requests.partPuts()) expect(had.has(n), `part ${n} was on the server already`).toBe(false);
  expect(await sha256Of(storeClient(), key)).toBe(file.sha256);
  expect(await uploadsFor(storeClient(), key)).toEqual([]);
});

test('a picked folder that holds no files says nothing was added, rather than nothing at all', async ({
  page,
  tmp,
}) => {
  await mkdir(join(tmp, 'emptydir', 'inner'), { recursive: true });
  await page.goto('/');
  await page.getByTestId('folder-input').setInputFiles(join(tmp, 'emptydir'));
  await expect(page.getByTestId('upload-notice')).toHaveText(
    'Nothing to upload: what was picked or dropped holds no files (S3 keeps no empty folders; "New folder" makes one).',
  );
  await expect(page.getByTestId('upload-row')).toHaveCount(0);
});

test('a "\\" in a picked folder\'s file name stays in the key, as the AWS CLI keeps it (Chromium\'s path reads "/")', async ({
  page,
  tmp,
}) => {
  const folder = `odd-${Date.now()}`;
  await mkdir(join(tmp, folder));
  await writeFile(join(tmp, folder, 'back\\slash.txt'), 'one name');
  await writeFile(join(tmp, folder, 'plain.txt'), 'another');
  await page.goto('/');
  await page.getByTestId('folder-input').setInputFiles(join(tmp, folder));
  const rows = page.getByTestId('upload-row');
  await expect(rows).toHaveCount(2);
  await expect(rows.getByTestId('upload-state')).toHaveText(['Done', 'Done'], { timeout: 30_000 });
  // Before: "odd/back/slash.txt", a folder "back" holding "slash.txt".
  expect(await keysUnder(`${folder}/`)).toEqual([`${folder}/back\\slash.txt`, `${folder}/plain.txt`]);
});
