import type { Page } from '@playwright/test';
import { HeadObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { BUCKET, expect, storeClient, test } from './support/fixtures.ts';
import { readFolder, stubFolderPicker } from './support/opfs.ts';
import { seedMany, seedMultipartObject } from './support/seed.ts';

test('lists 2,500 keys page by page, sorts, filters, and deletes a shift-clicked range', async ({ page }) => {
  const prefix = `list-${Date.now()}/`;
  const names = Array.from({ length: 2500 }, (_, i) => `k${String(i).padStart(5, '0')}.txt`);
  await seedMany(
    storeClient(),
    names.map((n, i) => ({ key: `${prefix}${n}`, size: 1 + ((i * 7919) % 997) })),
    32,
  );
  await seedMany(storeClient(), [{ key: `${prefix}nested/inner.txt`, size: 3 }]);
  await page.goto('/');
  await page.getByRole('link', { name: prefix, exact: true }).click();
  await expect(page.getByRole('navigation', { name: 'Folder' })).toContainText(prefix.slice(0, -1));

  const rows = page.getByTestId('object-row');
  const table = page.getByRole('table', { name: 'Objects in this folder' });
  const seen = new Set<string>();
  for (let p = 1; p <= 25; p++) {
    await expect(page.getByText(`Page ${p}`, { exact: true })).toBeVisible();
    await expect(table).toHaveAttribute('aria-busy', 'false');
    await expect(rows).toHaveCount(100);
    for (const text of await rows.locator('td.name').allInnerTexts()) seen.add(text.trim());
    await page.getByRole('button', { name: 'Next page' }).click();
  }
  // S3 lists folders in key order with the objects: "nested/" comes after every "k…" key.
  await expect(page.getByText('Page 26', { exact: true })).toBeVisible();
  await expect(page.getByRole('link', { name: 'nested/', exact: true })).toBeVisible();
  await expect(rows).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Next page' })).toBeDisabled();
  expect(seen.size).toBe(2500);
  // A name cell may start with the row's icon: compare what follows the last space.
  const shownNames = new Set([...seen].map((s) => s.replace(/^.*\s/, '')));
  expect(names.filter((n) => !shownNames.has(n))).toEqual([]);

  await page.getByRole('button', { name: 'Previous page' }).click();
  await expect(page.getByText('Page 25', { exact: true })).toBeVisible();

  // Filter by name prefix, then sort the page by size.
  await page.getByRole('searchbox', { name: 'Filter by name' }).fill('k0012');
  await expect(rows).toHaveCount(10);
  await page.getByRole('button', { name: 'Size', exact: true }).click();
  const sizes = await rows.locator('td:nth-child(3)').allInnerTexts();
  const bytes = sizes.map((s) => Number(s.replace(/ B$/, '')));
  expect(bytes).toEqual([...bytes].sort((a, b) => a - b));
  await page.getByRole('button', { name: 'Size', exact: true }).click();
  const desc = (await rows.locator('td:nth-child(3)').allInnerTexts()).map((s) =>
    Number(s.replace(/ B$/, '')),
  );
  expect(desc).toEqual([...bytes].sort((a, b) => b - a));

  // Select a range with shift-click and delete it after the confirmation names them.
  await page.getByRole('button', { name: 'Name', exact: true }).click();
  await page.getByRole('checkbox', { name: 'Select k00120.txt' }).click();
  await page.getByRole('checkbox', { name: 'Select k00124.txt' }).click({ modifiers: ['Shift'] });
  await page.getByRole('button', { name: 'Delete selected' }).click();
  const dialog = page.getByRole('alertdialog');
  await expect(dialog).toContainText('Delete 5 objects?');
  await expect(dialog).toContainText('k00122.txt');
  await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
  await expect(rows).toHaveCount(5);
  const client = storeClient();
  for (const n of ['k00120.txt', 'k00124.txt']) {
    await expect(
      client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: `${prefix}${n}` })),
    ).rejects.toThrow();
  }
  await client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: `${prefix}k00125.txt` }));
});

test('deletes a whole folder, nested ones included, after saying how much is in it', async ({ page }) => {
  const stamp = Date.now();
  const doomed = `trash-${stamp}/`;
  const kept = `keep-${stamp}/`;
  await seedMany(
    storeClient(),
    [
      ...Array.from({ length: 1500 }, (_, i) => ({ key: `${doomed}f${i}.txt`, size: 10 })),
      { key: `${doomed}deep/er/x.bin`, size: 2048 },
      // Folder markers, as the S3 console's "Create folder" makes them.
      { key: doomed, size: 0 },
      { key: `${doomed}deep/`, size: 0 },
      { key: `${kept}a.txt`, size: 3 },
    ],
    32,
  );
  await page.goto('/');
  await page.getByRole('button', { name: `Delete folder ${doomed}` }).click();
  const dialog = page.getByRole('alertdialog', { name: `Delete folder ${doomed}` });
  await expect(dialog).toContainText(`Delete “${doomed}” and the 1,503 objects in it (16.6 KB)?`);
  await dialog.getByRole('button', { name: 'Keep it' }).click();
  await expect(dialog).toHaveCount(0);
  expect(await keyCount(doomed)).toBe(1503);
  // Escape closes it as "Keep it" does.
  await page.getByRole('button', { name: `Delete folder ${doomed}` }).click();
  await expect(dialog.getByRole('button', { name: 'Keep it' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  expect(await keyCount(doomed)).toBe(1503);

  await page.getByRole('button', { name: `Delete folder ${doomed}` }).click();
  await dialog.getByRole('button', { name: 'Delete folder' }).click();
  await expect(dialog.getByRole('status')).toHaveText('Deleted 1,503 objects.', { timeout: 30_000 });
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(page.getByRole('link', { name: doomed, exact: true })).toHaveCount(0);
  await expect(page.getByRole('link', { name: kept, exact: true })).toBeVisible();
  expect(await keyCount(doomed)).toBe(0);
  expect(await keyCount(kept)).toBe(1);
});

test('folders can be ticked beside objects: a shift-range spans both, "Download selected" brings their contents, "Delete selected" counts then deletes them', async ({
  page,
}) => {
  const prefix = `mixed-${Date.now()}/`;
  const seeded = await seedMany(storeClient(), [
    { key: `${prefix}alpha/one.bin`, size: 1000 },
    { key: `${prefix}alpha/deep/two.bin`, size: 2000 },
    { key: `${prefix}beta/three.bin`, size: 3000 },
    { key: `${prefix}a.txt`, size: 10 },
    { key: `${prefix}b.txt`, size: 20 },
  ]);
  // A folder marker, as the S3 console's "Create folder" makes: it goes with its folder.
  await seedMany(storeClient(), [{ key: `${prefix}beta/`, size: 0 }]);
  await stubFolderPicker(page, 'mixed');
  await page.goto(`/?prefix=${encodeURIComponent(prefix)}`);
  const count = page.getByTestId('selection-count');

  // Folders come first on screen: a shift-range from "alpha/" to "a.txt" takes "beta/" too.
  await page.getByRole('checkbox', { name: 'Select folder alpha/' }).click();
  await page.getByRole('checkbox', { name: 'Select a.txt' }).click({ modifiers: ['Shift'] });
  await expect(count).toHaveText('3 selected');
  await expect(page.getByRole('checkbox', { name: 'Select folder beta/' })).toBeChecked();
  await expect(page.getByRole('checkbox', { name: 'Select b.txt' })).not.toBeChecked();

  // Download: the ticked object and everything under the ticked folders, laid out as in the bucket.
  await page.getByRole('button', { name: 'Download selected' }).click();
  const rows = page.getByTestId('download-row');
  await expect(rows).toHaveCount(4);
  await expect(
    rows.filter({ has: page.getByTestId('download-state').getByText('Done', { exact: true }) }),
  ).toHaveCount(4);
  const files = await readFolder(page, 'mixed');
  const expected = seeded.filter((s) => !s.key.endsWith('b.txt'));
  expect(Object.keys(files).sort()).toEqual(expected.map((s) => s.key.slice(prefix.length)).sort());
  for (const s of expected)
    expect(files[s.key.slice(prefix.length)]).toEqual({ size: s.size, sha256: s.sha256 });

  // Delete: the dialog counts what is under the folders first, and keeps everything until asked.
  await page.getByRole('button', { name: 'Delete selected' }).click();
  const dialog = page.getByRole('alertdialog', { name: 'Delete 2 folders and 1 object' });
  await expect(dialog).toContainText('Delete 2 folders and 1 object: 5 objects in all (5.9 KB)?');
  await dialog.getByRole('button', { name: 'Keep them' }).click();
  await expect(dialog).toHaveCount(0);
  expect(await keyCount(prefix)).toBe(6);
  await expect(count).toHaveText('3 selected');

  // The ticks change while it is open: it was for the rows ticked before, so it closes, and opens
  // again for what is ticked now (one folder alone is named).
  await page.getByRole('button', { name: 'Delete selected' }).click();
  await expect(dialog).toContainText('5 objects in all');
  for (const name of ['Select a.txt', 'Select folder beta/'])
    await page.getByRole('checkbox', { name }).click();
  await expect(dialog).toHaveCount(0);
  await expect(count).toHaveText('1 selected');
  await page.getByRole('button', { name: 'Delete selected' }).click();
  const alpha = page.getByRole('alertdialog', { name: 'Delete folder alpha/' });
  await expect(alpha).toContainText('Delete “alpha/” and the 2 objects in it (2.9 KB)?');
  await alpha.getByRole('button', { name: 'Keep it' }).click();
  for (const name of ['Select a.txt', 'Select folder beta/'])
    await page.getByRole('checkbox', { name }).click();
  await expect(count).toHaveText('3 selected');

  await page.getByRole('button', { name: 'Delete selected' }).click();
  // The live line is there, empty, before the outcome is set into it (so it is announced).
  await expect(dialog.getByRole('status')).toHaveText('');
  await dialog.getByRole('button', { name: 'Delete all' }).press('Enter');
  await expect(dialog.getByRole('status')).toHaveText('Deleted 5 objects.');
  // The button pressed is gone: the focus goes to the one that closes the dialog.
  await expect(dialog.getByRole('button', { name: 'Close' })).toBeFocused();
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(count).toHaveText('0 selected');
  await expect(page.getByRole('checkbox', { name: 'Select folder alpha/' })).toHaveCount(0);
  await expect(page.getByRole('checkbox', { name: 'Select b.txt' })).toBeVisible();
  expect(await keyCount(prefix)).toBe(1);
});

test('"Details" shows what the store keeps of an object: size, type, ETag, parts, checksum (CRC64NVME too), headers and metadata', async ({
  page,
}) => {
  const prefix = `details-${Date.now()}/`;
  await storeClient().send(
    new PutObjectCommand({
      Bucket: BUCKET,
      Key: `${prefix}report.pdf`,
      Body: 'x'.repeat(1234),
      ContentType: 'application/pdf',
      CacheControl: 'max-age=3600',
      Metadata: { owner: 'ana' },
      ChecksumAlgorithm: 'CRC32',
    }),
  );
  await seedMultipartObject(storeClient(), `${prefix}parts.bin`, 6 * 1024 * 1024 + 1, 5 * 1024 * 1024);
  // S3's default checksum since late 2024 (and what aws-cli sends): always of the whole object.
  const crc64 = await storeClient().send(
    new PutObjectCommand({
      Bucket: BUCKET,
      Key: `${prefix}default.bin`,
      Body: 'y'.repeat(5000),
      ChecksumAlgorithm: 'CRC64NVME',
    }),
  );
  await page.goto(`/?prefix=${encodeURIComponent(prefix)}`);

  const opener = page.getByRole('button', { name: 'Details of report.pdf' });
  await opener.click();
  const panel = page.getByRole('dialog', { name: 'Details of report.pdf' });
  const value = (term: string, dialog = panel) =>
    dialog.locator('div', { has: page.locator('dt', { hasText: term }) }).locator('dd');
  await expect(value('Size')).toHaveText('1.2 KB (1,234 bytes)');
  await expect(value('Type')).toHaveText('application/pdf');
  await expect(value('Uploaded in')).toHaveText('one request');
  await expect(value('Checksum')).toContainText('CRC32 ');
  await expect(value('Cache-Control')).toHaveText('max-age=3600');
  await expect(value('x-amz-meta-owner')).toHaveText('ana');
  await expect(value('S3 URI')).toHaveText(`s3://${BUCKET}/${prefix}report.pdf`);
  // Focus starts at the top of the panel (a screen reader reads it from there); Tab goes on inside it.
  await expect(panel.getByText('Details of report.pdf')).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(panel.getByRole('button', { name: 'Edit properties' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(panel).toHaveCount(0);
  await expect(opener).toBeFocused();

  await page.getByRole('button', { name: 'Details of parts.bin' }).click();
  const parts = page.getByRole('dialog', { name: 'Details of parts.bin' });
  await expect(value('Uploaded in', parts)).toHaveText('2 parts');
  await expect(parts).toContainText('(checksum of the part checksums)');
  await parts.getByRole('button', { name: 'Close' }).click();
  await expect(parts).toHaveCount(0);

  await page.getByRole('button', { name: 'Details of default.bin' }).click();
  const crc64Panel = page.getByRole('dialog', { name: 'Details of default.bin' });
  expect(crc64.ChecksumCRC64NVME).toMatch(/^[A-Za-z0-9+/]{11}=$/);
  await expect(value('Checksum', crc64Panel)).toHaveText(`CRC64NVME ${crc64.ChecksumCRC64NVME}`);
});

async function keyCount(prefix: string): Promise<number> {
  let count = 0;
  let token: string | undefined;
  do {
    const page = await storeClient().send(
      new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix, ContinuationToken: token }),
    );
    count += page.KeyCount ?? 0;
    token = page.NextContinuationToken;
  } while (token);
  return count;
}

test('selection covers only the rows on screen: filtering or paging clears it, and the bulk buttons agree', async ({
  page,
}) => {
  const prefix = `sel-${Date.now()}/`;
  await seedMany(
    storeClient(),
    Array.from({ length: 120 }, (_, i) => ({
      key: `${prefix}${i < 60 ? 'a' : 'b'}${String(i).padStart(3, '0')}.txt`,
      size: 5,
    })),
    32,
  );
  await page.goto('/');
  await page.getByRole('link', { name: prefix, exact: true }).click();
  const count = page.getByTestId('selection-count');
  const deleteSelected = page.getByRole('button', { name: 'Delete selected' });
  const downloadSelected = page.getByRole('button', { name: 'Download selected' });
  await expect(count).toHaveText('0 selected');
  await expect(deleteSelected).toBeDisabled();

  // Sorting shows its direction, and says it only reorders this page.
  await expect(page.getByTestId('sort-note')).toContainText('Sorting applies to the objects on this page');
  const sizeHeader = page.getByRole('columnheader', { name: 'Size' });
  await expect(sizeHeader).toHaveAttribute('aria-sort', 'none');
  // A screen reader is told each new order (aria-sort alone is read only when the header is reached).
  const sortSaid = page.getByTestId('sort-said');
  await expect(sortSaid).toHaveText('');
  await page.getByRole('button', { name: 'Size', exact: true }).click();
  await expect(sizeHeader).toHaveAttribute('aria-sort', 'ascending');
  await expect(sizeHeader).toContainText('▲');
  await expect(sortSaid).toHaveText('Sorted by size, smallest first, this page only.');
  await expect(page.getByRole('columnheader', { name: 'Name' })).not.toContainText(/[▲▼]/);
  await page.getByRole('button', { name: 'Size', exact: true }).click();
  await expect(sizeHeader).toContainText('▼');
  await expect(sortSaid).toHaveText('Sorted by size, largest first, this page only.');
  await page.getByRole('button', { name: 'Name', exact: true }).click();
  await expect(page.getByRole('columnheader', { name: 'Name' })).toContainText('▲');
  await expect(sortSaid).toHaveText('Sorted by name, A to Z, this page only.');

  // Ticked, then hidden by the filter: nothing is selected any more, both buttons are off.
  await page.getByRole('checkbox', { name: 'Select a001.txt' }).click();
  await expect(count).toHaveText('1 selected');
  await expect(deleteSelected).toBeEnabled();
  await page.getByRole('searchbox', { name: 'Filter by name' }).fill('b');
  await expect(page.getByRole('checkbox', { name: 'Select a001.txt' })).toHaveCount(0);
  await expect(count).toHaveText('0 selected');
  await expect(deleteSelected).toBeDisabled();
  await expect(downloadSelected).toBeDisabled();
  // Clearing the filter does not bring back a selection the user no longer sees being made.
  await page.getByRole('searchbox', { name: 'Filter by name' }).fill('');
  await expect(page.getByRole('checkbox', { name: 'Select a001.txt' })).not.toBeChecked();

  // Everything on page 1, then page 2: nothing selected there.
  await page.getByRole('checkbox', { name: 'Select all on this page' }).check();
  await expect(count).toHaveText('100 selected');
  await page.getByRole('button', { name: 'Next page' }).click();
  await expect(page.getByText('Page 2', { exact: true })).toBeVisible();
  await expect(count).toHaveText('0 selected');
  await expect(deleteSelected).toBeDisabled();
  await expect(downloadSelected).toBeDisabled();

  // A delete that fails keeps the selection, so it can be tried again.
  await page.getByRole('checkbox', { name: 'Select b110.txt' }).click();
  await page.getByRole('checkbox', { name: 'Select b111.txt' }).click();
  let failing = Infinity;
  await page.route('**/api/objects/delete', (route) =>
    failing-- > 0 ? route.abort('failed') : route.continue(),
  );
  await deleteSelected.click();
  const dialog = page.getByRole('alertdialog');
  await expect(dialog).toContainText('Delete 2 objects?');
  await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Delete failed' })).toBeVisible();
  await expect(count).toHaveText('2 selected');
  // Again, with the server away for two calls only (a restart): waited out, and deleted.
  failing = 2;
  await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
  await expect(dialog).toHaveCount(0);
  await expect(count).toHaveText('0 selected');
  await expect(page.getByRole('checkbox', { name: 'Select b111.txt' })).toHaveCount(0);
  expect(await keyCount(prefix)).toBe(118);
});

test('the folder is in the URL: reload keeps it, Back and Forward move between folders', async ({ page }) => {
  const top = `docs-${Date.now()}/`;
  await seedMany(storeClient(), [{ key: `${top}2024/report.txt`, size: 4 }]);
  await page.goto('/');
  const crumbs = page.getByRole('navigation', { name: 'Folder' });
  await page.getByRole('link', { name: top, exact: true }).click();
  await page.getByRole('link', { name: '2024/', exact: true }).click();
  await expect(page.getByRole('checkbox', { name: 'Select report.txt' })).toBeVisible();
  expect(new URL(page.url()).searchParams.get('prefix')).toBe(`${top}2024/`);

  await page.reload();
  await expect(page.getByRole('checkbox', { name: 'Select report.txt' })).toBeVisible();
  await expect(crumbs).toContainText(`${top.slice(0, -1)} / 2024`);
  // One page only: no note about sorting.
  await expect(page.getByTestId('sort-note')).toHaveCount(0);
  // Uploads go where the page says, the folder from the URL.
  await expect(page.getByText('Uploads go to')).toContainText(`Bucket / ${top.slice(0, -1)} / 2024`);

  await page.goBack();
  await expect(page.getByRole('link', { name: '2024/', exact: true })).toBeVisible();
  expect(new URL(page.url()).searchParams.get('prefix')).toBe(top);
  await page.goBack();
  await expect(page.getByRole('link', { name: top, exact: true })).toBeVisible();
  expect(new URL(page.url()).search).toBe('');
  await page.goForward();
  await expect(page.getByRole('link', { name: '2024/', exact: true })).toBeVisible();
  await expect(crumbs.locator('[aria-current="page"]')).toHaveText(top.slice(0, -1));
});

test('names keep their spaces; panels and the delete confirmation close with Escape and give focus back', async ({
  page,
}) => {
  const top = `focus-${Date.now()}/`;
  await seedMany(storeClient(), [
    { key: `${top}  spaced  .txt`, size: 3 },
    { key: `${top}plain.txt`, size: 3 },
    { key: `${top}inner/x.txt`, size: 3 },
  ]);
  await page.goto('/');
  await page.getByRole('link', { name: top, exact: true }).click();
  // Opening a folder puts focus on its name, not on <body>.
  const here = page.getByRole('navigation', { name: 'Folder' }).locator('[aria-current="page"]');
  await expect(here).toBeFocused();

  const spaced = page.getByTestId('object-row').filter({ hasText: 'spaced' }).locator('td.name');
  expect(await spaced.evaluate((el: HTMLElement) => el.innerText)).toMatch(/ {2}spaced {2}\.txt$/);

  // Share and Rename: Escape closes them and focus goes back to the button that opened them.
  const share = page.getByRole('button', { name: 'Share plain.txt' });
  await share.click();
  await page.getByRole('dialog', { name: 'Share plain.txt' }).getByLabel('Link valid for').press('Escape');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(share).toBeFocused();
  await share.click();
  await page.getByRole('dialog', { name: 'Share plain.txt' }).getByRole('button', { name: 'Close' }).click();
  await expect(share).toBeFocused();
  const rename = page.getByRole('button', { name: 'Rename plain.txt' });
  await rename.click();
  await page.getByRole('dialog', { name: 'Rename plain.txt' }).getByRole('textbox').press('Escape');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(rename).toBeFocused();

  // The delete confirmation too.
  await page.getByRole('checkbox', { name: 'Select plain.txt' }).click();
  const deleteSelected = page.getByRole('button', { name: 'Delete selected' });
  await deleteSelected.click();
  const confirm = page.getByRole('alertdialog');
  await expect(confirm.getByRole('button', { name: 'Keep them' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(confirm).toHaveCount(0);
  await expect(deleteSelected).toBeFocused();
  // After the delete, focus goes to the result's Close (its rows are gone), and once that is closed
  // to the folder's name (the button turns off with nothing selected).
  await deleteSelected.click();
  await confirm.getByRole('button', { name: 'Delete', exact: true }).click();
  await expect(confirm).toHaveCount(0);
  const result = page.getByTestId('delete-result').locator('..');
  await expect(result.getByRole('button', { name: 'Close' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('delete-result')).toHaveCount(0);
  await expect(here).toBeFocused();

  // Opening a folder from its row: focus on the new folder's name.
  await page.getByRole('link', { name: 'inner/', exact: true }).click();
  await expect(here).toHaveText('inner');
  await expect(here).toBeFocused();
});

test('what a filter finds is said to screen readers once its listing is in, and nothing once it is cleared', async ({
  page,
}) => {
  const folder = `filter-said-${Date.now()}/`;
  await seedMany(storeClient(), [
    { key: `${folder}report-1.pdf`, size: 10 },
    { key: `${folder}report-2.pdf`, size: 10 },
    { key: `${folder}reports/q1.pdf`, size: 10 },
    { key: `${folder}photo.jpg`, size: 10 },
  ]);
  await page.goto(`/?prefix=${encodeURIComponent(folder)}`);
  const said = page.getByRole('status').and(page.getByTestId('filter-said'));
  await expect(page.getByRole('button', { name: 'Details of photo.jpg' })).toBeVisible();
  await expect(said).toHaveText('');
  const box = page.getByLabel('Filter by name');
  await box.fill('rep');
  await expect(said).toHaveText('2 objects and 1 folder start with “rep”.');
  await expect(page.getByRole('button', { name: 'Details of photo.jpg' })).toHaveCount(0);
  await box.fill('photo');
  await expect(said).toHaveText('1 object starts with “photo”.');
  await box.fill('zz');
  await expect(said).toHaveText('Nothing here starts with “zz”.');
  await box.fill('');
  await expect(page.getByRole('button', { name: 'Details of photo.jpg' })).toBeVisible();
  await expect(said).toHaveText('');
});

test('Details, Share and Download are sent again when a load balancer answers 502 for a Hoist server restarting', async ({
  page,
}) => {
  const folder = `lb-502-${Date.now()}/`;
  await seedMany(storeClient(), [{ key: `${folder}a.txt`, size: 1234 }]);
  // Each call's first try meets the balancer's answer for an instance that went away.
  const refused: string[] = [];
  for (const path of ['details', 'share', 'download']) {
    let first = true;
    await page.route(`**/api/objects/${path}`, (route) => {
      if (!first) return route.continue();
      first = false;
      refused.push(path);
      return route.fulfill({ status: 502, contentType: 'text/html', body: '<h1>502 Bad Gateway</h1>' });
    });
  }
  await page.goto(`/?prefix=${encodeURIComponent(folder)}`);

  await page.getByRole('button', { name: 'Details of a.txt' }).click();
  const details = page.getByRole('dialog', { name: 'Details of a.txt' });
  await expect(details).toContainText('1,234 bytes');
  await expect(details.getByRole('alert')).toHaveCount(0);
  await details.getByRole('button', { name: 'Close' }).click();

  await page.getByRole('button', { name: 'Share a.txt' }).click();
  const share = page.getByRole('dialog', { name: 'Share a.txt' });
  await share.getByRole('button', { name: 'Create link' }).click();
  await expect(share.getByLabel('Share link')).toHaveValue(/a\.txt/);
  await expect(share.getByRole('alert')).toHaveCount(0);
  await share.getByRole('button', { name: 'Close' }).click();

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download a.txt' }).click();
  expect((await download).suggestedFilename()).toBe('a.txt');
  await (await download).cancel();
  expect(refused.sort()).toEqual(['details', 'download', 'share']);
});

test('a name with a right-to-left override (another tool wrote it) shows that character, not a disguised extension', async ({
  page,
}) => {
  const folder = `bidi-${Date.now()}/`;
  await seedMany(storeClient(), [{ key: `${folder}invoice\u202Efdp.exe`, size: 10 }]);
  await page.goto(`/?prefix=${encodeURIComponent(folder)}`);
  const cell = page.getByTestId('object-row').locator('td.name');
  await expect(cell).toHaveText('invoice[U+202E]fdp.exe');
  // Without it spelt out, the row would read "invoiceexe.pdf".
  expect(await cell.evaluate((el) => (el as HTMLElement).innerText)).not.toContain('\u202E');
  // And so does every panel that names it: Details (its key and S3 URI too), Share, Rename, Delete.
  const spelt = async (dialog: ReturnType<Page['getByRole']>) => {
    await expect(dialog).toContainText('invoice[U+202E]fdp.exe');
    expect(await dialog.evaluate((el) => (el as HTMLElement).innerText)).not.toContain('\u202E');
  };
  const row = page.getByTestId('object-row');
  for (const action of ['Details of', 'Share', 'Rename']) {
    await row.getByRole('button', { name: new RegExp(`^${action} `) }).click();
    await spelt(page.getByRole('dialog'));
    await page
      .getByRole('dialog')
      .getByRole('button', { name: /^(Close|Cancel)$/ })
      .first()
      .click();
    await expect(page.getByRole('dialog')).toHaveCount(0);
  }
  await row.getByRole('checkbox').check();
  await page.getByRole('button', { name: 'Delete selected' }).click();
  await spelt(page.getByRole('alertdialog').or(page.getByRole('dialog')));
  // A folder of such a name, in the breadcrumbs.
  await seedMany(storeClient(), [{ key: `${folder}sub\u202Erid/a.txt`, size: 1 }]);
  await page.goto(`/?prefix=${encodeURIComponent(`${folder}sub\u202Erid/`)}`);
  const crumbs = page.getByRole('navigation', { name: 'Folder' });
  await expect(crumbs).toContainText('sub[U+202E]rid');
  expect(await crumbs.evaluate((el) => (el as HTMLElement).innerText)).not.toContain('\u202E');
});

test('"Calculate total size" counts what the ticked folders hold, past one listing page, and the ticked objects', async ({
  page,
}) => {
  const parent = `total-${Date.now()}/`;
  // 1,001 objects under photos/ (two listing pages), nested ones too; 3 KiB beside it; one not ticked.
  const specs = Array.from({ length: 1001 }, (_, i) => ({
    key: `${parent}photos/${i % 2 === 0 ? 'raw/' : ''}p${i}.jpg`,
    size: i % 5,
  }));
  await seedMany(storeClient(), [
    ...specs,
    { key: `${parent}notes.txt`, size: 3 * 1024 },
    { key: `${parent}other.txt`, size: 99 },
  ]);
  const bytes = specs.reduce((sum, s) => sum + s.size, 0) + 3 * 1024;
  await page.goto(`/?prefix=${encodeURIComponent(parent)}`);
  await page.getByRole('checkbox', { name: 'Select folder photos/' }).click();
  await page.getByRole('checkbox', { name: 'Select notes.txt' }).click();
  await page.getByRole('button', { name: 'Calculate total size' }).click();
  const panel = page.getByRole('dialog', { name: 'Total size of 1 folder and 1 object' });
  // Two listing pages (a busy machine can take a while: this waits, it times nothing).
  await expect(panel.getByTestId('total-size')).toHaveText(
    `1,002 objects, ${(bytes / 1024).toFixed(1)} KB (${bytes.toLocaleString('en-US')} bytes)`,
    { timeout: 30_000 },
  );
  await expect(page.getByTestId('total-size-said')).toHaveText(
    `Total size of 1 folder and 1 object: 1,002 objects, ${(bytes / 1024).toFixed(1)} KB (${bytes.toLocaleString('en-US')} bytes).`,
  );
  await expect(panel.getByRole('button', { name: 'Close' })).toBeFocused();
  // It was for the rows ticked then: another tick closes it.
  await page.getByRole('checkbox', { name: 'Select other.txt' }).click();
  await expect(panel).toBeHidden();

  // One folder alone is named.
  await page.getByRole('checkbox', { name: 'Select notes.txt' }).click();
  await page.getByRole('checkbox', { name: 'Select other.txt' }).click();
  await page.getByRole('button', { name: 'Calculate total size' }).click();
  const one = page.getByRole('dialog', { name: 'Total size of “photos/”' });
  await expect(one.getByTestId('total-size')).toContainText('1,001 objects');
  await page.keyboard.press('Escape');
  await expect(one).toBeHidden();
  await expect(page.getByRole('button', { name: 'Calculate total size' })).toBeFocused();
});

test('sorting by name Z to A lists the folders Z to A too, still above the files', async ({ page }) => {
  const prefix = `sort-folders-${Date.now()}/`;
  await seedMany(
    storeClient(),
    ['alpha/x.txt', 'beta/x.txt', 'gamma/x.txt', 'a.txt', 'b.txt'].map((k) => ({
      key: `${prefix}${k}`,
      size: 1,
    })),
  );
  await page.goto('/');
  await page.getByRole('link', { name: prefix, exact: true }).click();
  const folderRows = page.getByTestId('folder-row');
  const fileRows = page.getByTestId('object-row');
  await expect(folderRows).toHaveText([/alpha\//, /beta\//, /gamma\//]);
  // Listed A to Z; the first click on Name turns that round.
  await page.getByRole('button', { name: 'Name', exact: true }).click();
  await expect(page.getByRole('columnheader', { name: 'Name' })).toContainText('▼');
  await expect(folderRows).toHaveText([/gamma\//, /beta\//, /alpha\//]);
  await expect(fileRows).toHaveText([/b\.txt/, /a\.txt/]);
  // Folders have no size: by size they stay A to Z.
  await page.getByRole('button', { name: 'Size', exact: true }).click();
  await expect(folderRows).toHaveText([/alpha\//, /beta\//, /gamma\//]);
});
