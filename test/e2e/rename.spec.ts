import { expect, storeClient, test } from './support/fixtures.ts';
import { exists, sha256Of } from './support/s3-checks.ts';
import { seedObject } from './support/seed.ts';
import { reportVersioning } from './support/health.ts';

test('renames an object, moves one into a folder, and asks before replacing', async ({ page }) => {
  const folder = `ren-${Date.now()}`;
  const report = await seedObject(storeClient(), `${folder}/report.pdf`, 5000);
  const other = await seedObject(storeClient(), `${folder}/other.pdf`, 7000);
  await page.goto('/');
  await page.getByRole('link', { name: `${folder}/`, exact: true }).click();

  await page.getByRole('button', { name: 'Rename report.pdf' }).click();
  const dialog = page.getByRole('dialog', { name: 'Rename report.pdf' });
  const input = dialog.getByLabel('New name');
  await input.fill('other.pdf');
  await input.press('Enter');
  await expect(dialog.getByRole('alert')).toHaveText('“other.pdf” already exists here. Replace it');
  await input.fill('2024/final.pdf');
  await dialog.getByRole('button', { name: 'Rename', exact: true }).click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Download report.pdf' })).toHaveCount(0);
  await expect(page.getByRole('link', { name: '2024/', exact: true })).toBeVisible();
  // Its row is gone from here: the page says where it went (and screen readers hear it).
  const said = `Moved “report.pdf” to “final.pdf” in “${folder}/2024/”.`;
  await expect(page.getByTestId('rename-said')).toHaveText(said);
  await expect(page.getByTestId('rename-result')).toContainText(said);
  // Focus is on the result (its row is gone), not somewhere at the top of the page.
  await expect(page.getByTestId('rename-result').getByRole('button', { name: 'Close' })).toBeFocused();
  expect(await sha256Of(storeClient(), `${folder}/2024/final.pdf`)).toBe(report.sha256);
  expect(await exists(storeClient(), `${folder}/report.pdf`)).toBe(false);

  // Moving onto an existing name: asked first, replaced when confirmed.
  await page.getByRole('button', { name: 'Rename other.pdf' }).click();
  const second = page.getByRole('dialog', { name: 'Rename other.pdf' });
  await second.getByLabel('New name').fill('2024/final.pdf');
  await second.getByRole('button', { name: 'Rename', exact: true }).click();
  await second.getByRole('button', { name: 'Replace it' }).click();
  await expect(second).toHaveCount(0);
  expect(await sha256Of(storeClient(), `${folder}/2024/final.pdf`)).toBe(other.sha256);
  expect(await exists(storeClient(), `${folder}/other.pdf`)).toBe(false);
  await expect(page.getByRole('button', { name: 'Download other.pdf' })).toHaveCount(0);
  // "Open that folder" shows it there.
  await page.getByTestId('rename-result').getByRole('link', { name: 'Open that folder' }).click();
  await expect(page).toHaveURL(new RegExp(`prefix=${encodeURIComponent(`${folder}/2024/`)}`));
  await expect(page.getByRole('button', { name: 'Download final.pdf' })).toBeVisible();
});

test('a new path ending in "/" moves the object into that folder under its own name', async ({ page }) => {
  const folder = `ren-dir-${Date.now()}`;
  const notes = await seedObject(storeClient(), `${folder}/notes.txt`, 3000);
  await seedObject(storeClient(), `${folder}/archive/notes.txt`, 10);
  await page.goto('/');
  await page.getByRole('link', { name: `${folder}/`, exact: true }).click();

  await page.getByRole('button', { name: 'Rename notes.txt' }).click();
  const dialog = page.getByRole('dialog', { name: 'Rename notes.txt' });
  await dialog.getByLabel('New name').fill('archive/');
  await dialog.getByRole('button', { name: 'Rename', exact: true }).click();
  // The name it would take is the one shown when it is already there.
  await expect(dialog.getByRole('alert')).toHaveText('“archive/notes.txt” already exists here. Replace it');
  await dialog.getByRole('button', { name: 'Replace it' }).click();
  await expect(dialog).toHaveCount(0);
  expect(await sha256Of(storeClient(), `${folder}/archive/notes.txt`)).toBe(notes.sha256);
  expect(await exists(storeClient(), `${folder}/notes.txt`)).toBe(false);
});

test('focusing the name box again after an edit keeps what was typed (it selects the name only while unedited)', async ({
  page,
}) => {
  const folder = `ren-focus-${Date.now()}`;
  await seedObject(storeClient(), `${folder}/top.txt`, 100);
  await page.goto('/');
  await page.getByRole('link', { name: `${folder}/`, exact: true }).click();
  await page.getByRole('button', { name: 'Rename top.txt' }).click();
  const dialog = page.getByRole('dialog', { name: 'Rename top.txt' });
  const input = dialog.getByLabel('New name');
  await input.fill('../secret/x.txt');
  await input.press('Enter');
  await expect(dialog.getByRole('alert')).toContainText('..');
  await dialog.getByRole('button', { name: 'Cancel' }).focus();
  // Back into the box: the caret goes to the end, nothing is pre-selected, so typing appends.
  await input.focus();
  expect(await input.evaluate((el: HTMLInputElement) => [el.selectionStart, el.selectionEnd])).not.toEqual([
    0, 3,
  ]);
  await input.fill('sub/renamed.txt');
  await expect(input).toHaveValue('sub/renamed.txt');
});

test('a new path starting with "/" moves the object out of the folder shown, from the top of the bucket; ".." says how', async ({
  page,
}) => {
  const stamp = Date.now();
  const folder = `ren-top-${stamp}`;
  const big = await seedObject(storeClient(), `${folder}/big60-v1.bin`, 6000);
  const small = await seedObject(storeClient(), `${folder}/t${stamp}.bin`, 10);
  await seedObject(storeClient(), `${folder}/stays.txt`, 5);
  // The top is listed first: coming back to it must show what was moved there meanwhile.
  await page.goto('/');
  await page.getByRole('link', { name: `${folder}/`, exact: true }).click();

  await page.getByRole('button', { name: 'Rename big60-v1.bin' }).click();
  const dialog = page.getByRole('dialog', { name: 'Rename big60-v1.bin' });
  const input = dialog.getByLabel('New name');
  await expect(input).toHaveAccessibleDescription(/Start with “\/” for a path from the top of the bucket/);
  await input.fill('../moved/');
  await input.press('Enter');
  await expect(dialog.getByRole('alert')).toContainText('start the path with "/"');
  await input.fill(`/moved-${stamp}/`);
  await input.press('Enter');
  await expect(dialog).toHaveCount(0);
  // Gone from the folder shown, which is listed again; the rest stays.
  await expect(page.getByRole('button', { name: 'Rename big60-v1.bin' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Rename stays.txt' })).toBeVisible();
  expect(await sha256Of(storeClient(), `moved-${stamp}/big60-v1.bin`)).toBe(big.sha256);
  expect(await exists(storeClient(), `${folder}/big60-v1.bin`)).toBe(false);

  // "/" alone: the top, under its own name.
  await page.getByRole('button', { name: `Rename t${stamp}.bin` }).click();
  const second = page.getByRole('dialog', { name: `Rename t${stamp}.bin` });
  await second.getByLabel('New name').fill('/');
  await second.getByRole('button', { name: 'Rename', exact: true }).click();
  await expect(second).toHaveCount(0);
  await expect(page.getByRole('button', { name: `Rename t${stamp}.bin` })).toHaveCount(0);
  expect(await sha256Of(storeClient(), `t${stamp}.bin`)).toBe(small.sha256);

  // The top shows both (filtered: the top of the test store holds many folders, over a page).
  await page.getByRole('navigation', { name: 'Folder' }).getByRole('link', { name: 'Bucket' }).click();
  const filter = page.getByRole('searchbox', { name: 'Filter by name' });
  await filter.fill(`t${stamp}`);
  await expect(page.getByRole('button', { name: `Rename t${stamp}.bin` })).toBeVisible();
  await filter.fill(`moved-${stamp}`);
  await page.getByRole('link', { name: `moved-${stamp}/`, exact: true }).click();
  await expect(page.getByRole('button', { name: 'Rename big60-v1.bin' })).toBeVisible();
});

test('an object’s Rename with the name untouched does nothing, even for a name in decomposed Unicode', async ({
  page,
}) => {
  const folder = `ren-nfd-${Date.now()}`;
  const name = 'cafe\u0301.txt'; // as macOS writes "café.txt" (NFD)
  await seedObject(storeClient(), `${folder}/${name}`, 100);
  await page.goto('/');
  await page.getByRole('link', { name: `${folder}/`, exact: true }).click();
  await page.getByRole('button', { name: `Rename ${name}` }).click();
  const dialog = page.getByRole('dialog', { name: `Rename ${name}` });
  await expect(dialog.getByRole('button', { name: 'Rename', exact: true })).toBeDisabled();
  await dialog.getByLabel('New name').press('Enter');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  expect(await exists(storeClient(), `${folder}/${name}`)).toBe(true);
  expect(await exists(storeClient(), `${folder}/${name.normalize('NFC')}`)).toBe(false);
});

test('spaces typed at the ends of a new name are said to be left out before the rename, which then leaves them out', async ({
  page,
}) => {
  const folder = `ren-trim-${Date.now()}`;
  const seeded = await seedObject(storeClient(), `${folder}/draft.txt`, 100);
  await page.goto('/');
  await page.getByRole('link', { name: `${folder}/`, exact: true }).click();
  await page.getByRole('button', { name: 'Rename draft.txt' }).click();
  const dialog = page.getByRole('dialog', { name: 'Rename draft.txt' });
  const input = dialog.getByLabel('New name');
  await input.fill('final.txt');
  await expect(dialog.getByTestId('rename-trimmed')).toHaveCount(0);
  await input.fill('  final.txt ');
  await expect(dialog.getByTestId('rename-trimmed')).toHaveText(
    'Spaces at the start and end are left out: it will be “final.txt”.',
  );
  await expect(input).toHaveAccessibleDescription(/Spaces at the start and end are left out/);
  await input.press('Enter');
  await expect(dialog).toHaveCount(0);
  expect(await sha256Of(storeClient(), `${folder}/final.txt`)).toBe(seeded.sha256);
  expect(await exists(storeClient(), `${folder}/draft.txt`)).toBe(false);
});

test('a rename that takes long stays in view, and ending after another folder was opened closes nothing there', async ({
  page,
}) => {
  const folder = `ren-slow-${Date.now()}`;
  const big = await seedObject(storeClient(), `${folder}/big.bin`, 1000);
  await seedObject(storeClient(), `${folder}/other/inner/x.txt`, 10);
  // The rename's answer is held (a big object's copy inside S3 takes minutes) until let go.
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route(
    (url) => url.pathname === '/api/objects/rename',
    async (route) => {
      await held;
      await route.continue();
    },
  );
  await page.goto('/');
  await page.getByRole('link', { name: `${folder}/`, exact: true }).click();
  await page.getByRole('button', { name: 'Rename big.bin' }).click();
  const dialog = page.getByRole('dialog', { name: 'Rename big.bin' });
  await dialog.getByLabel('New name').fill('moved.bin');
  await dialog.getByLabel('New name').press('Enter');
  await expect(dialog).toContainText('The rename goes on until the copy is done');
  // Sent, it goes on: Escape and Cancel do not hide it, and the other actions wait for it.
  await page.keyboard.press('Escape');
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeDisabled();
  await expect(page.getByRole('button', { name: 'Delete folder other/' })).toBeDisabled();

  // Another folder opened meanwhile: its own delete dialog is not closed by the rename ending.
  await page.getByRole('link', { name: 'other/', exact: true }).click();
  await page.getByRole('button', { name: 'Delete folder inner/' }).click();
  const remove = page.getByRole('alertdialog', { name: 'Delete folder inner/' });
  await expect(remove).toContainText('Delete “inner/” and the 1 object in it');
  const renamed = page.waitForResponse((r) => r.url().includes('/api/objects/rename'));
  // Once the rename has ended the page lists again (what it does at that point, as it would close).
  const listed = page.waitForRequest((r) => new URL(r.url()).pathname === '/api/objects');
  release();
  expect((await renamed).status()).toBe(200);
  await listed;
  await expect(remove).toBeVisible();
  await remove.getByRole('button', { name: 'Keep it' }).click();
  await expect(page.getByRole('button', { name: 'New folder' })).toBeEnabled();
  await expect(page.getByRole('button', { name: 'Delete folder inner/' })).toBeEnabled();
  expect(await sha256Of(storeClient(), `${folder}/moved.bin`)).toBe(big.sha256);
});

test('on a versioned bucket, Rename, Move, a folder rename and Edit properties say what stays behind; Copy does not', async ({
  page,
}) => {
  const folder = `ver-notes-${Date.now()}`;
  await seedObject(storeClient(), `${folder}/a.txt`, 10);
  await seedObject(storeClient(), `${folder}/sub/b.txt`, 20);
  await reportVersioning(page, 'enabled');
  await page.goto(`/?prefix=${encodeURIComponent(`${folder}/`)}`);

  await page.getByRole('button', { name: 'Rename a.txt' }).click();
  const rename = page.getByRole('dialog', { name: 'Rename a.txt' });
  // Heard with the field, not only seen below it.
  await expect(rename.getByLabel('New name or path')).toHaveAccessibleDescription(
    /Versioning is on: the old name keeps its earlier versions behind a delete marker \(and they are still stored\) — “Deleted objects” above the list brings them back, or deletes them for good\.$/,
  );
  await rename.getByRole('button', { name: 'Cancel' }).click();

  await page.getByRole('button', { name: 'Rename folder sub/' }).click();
  const renameFolder = page.getByRole('dialog', { name: 'Rename folder sub/' });
  await expect(renameFolder.getByTestId('versions-note')).toHaveText(
    /^Versioning is on: the old names keep their earlier versions behind delete markers/,
  );
  await renameFolder.getByRole('button', { name: 'Cancel' }).click();

  await page.getByRole('checkbox', { name: 'Select a.txt' }).check();
  await page.getByRole('button', { name: 'Move or copy' }).click();
  const move = page.getByRole('dialog', { name: /^Move or copy/ });
  const note = move.getByTestId('versions-note');
  await expect(note).toHaveText(/^Versioning is on: the old names keep/);
  await expect(move.getByLabel('Destination folder')).toHaveAccessibleDescription(/Versioning is on/);
  // A copy leaves the originals as they are: nothing to say.
  await move.getByRole('radio', { name: 'Copy' }).check();
  await expect(note).toHaveCount(0);
  await move.getByRole('button', { name: 'Cancel' }).click();

  await page.getByRole('button', { name: 'Details of a.txt' }).click();
  await page.getByRole('button', { name: 'Edit properties' }).click();
  await expect(page.getByRole('form', { name: 'Edit properties' }).getByTestId('versions-note')).toHaveText(
    'Versioning is on: a change of type, headers, metadata or storage class is saved as a new version, and the version shown stays as an earlier one (a second full copy, still stored).',
  );
});

test('without versioning, Rename, Move and Edit properties say nothing of versions', async ({ page }) => {
  const folder = `unver-notes-${Date.now()}`;
  await seedObject(storeClient(), `${folder}/a.txt`, 10);
  await page.goto(`/?prefix=${encodeURIComponent(`${folder}/`)}`);
  await page.getByRole('button', { name: 'Rename a.txt' }).click();
  await expect(page.getByRole('dialog', { name: 'Rename a.txt' })).toContainText('A path moves it');
  await expect(page.getByTestId('versions-note')).toHaveCount(0);
  await page.getByRole('button', { name: 'Cancel' }).click();
  await page.getByRole('checkbox', { name: 'Select a.txt' }).check();
  await page.getByRole('button', { name: 'Move or copy' }).click();
  await expect(page.getByRole('dialog', { name: /^Move or copy/ })).toContainText('A path is taken');
  await expect(page.getByTestId('versions-note')).toHaveCount(0);
  await page.getByRole('button', { name: 'Cancel' }).click();
  await page.getByRole('button', { name: 'Details of a.txt' }).click();
  await page.getByRole('button', { name: 'Edit properties' }).click();
  await expect(page.getByRole('form', { name: 'Edit properties' })).toBeVisible();
  await expect(page.getByTestId('versions-note')).toHaveCount(0);
});
