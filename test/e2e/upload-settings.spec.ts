import { GetObjectTaggingCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { BUCKET, expect, makeFile, storeClient, test } from './support/fixtures.ts';

const MiB = 1024 * 1024;

test('upload settings set the content type, Cache-Control, Content-Disposition, -Language, metadata and tags of the files added after, big and small', async ({
  page,
  tmp,
}) => {
  const dir = join(tmp, `settings-${Date.now()}`);
  await mkdir(dir);
  await writeFile(join(dir, 'notes.md'), '# notes\n');
  const big = await makeFile(dir, 'site.bin', 12 * MiB + 1); // multipart
  await page.goto('/');
  const settings = page.getByTestId('upload-settings');
  await settings.getByText('Upload settings').click();
  await settings.getByLabel('Content type').fill('text/markdown');
  await settings.getByLabel('Cache-Control').fill('public, max-age=3600');
  await settings.getByLabel('Content-Disposition').fill('attachment');
  await settings.getByLabel('Content-Language').fill('en-GB');
  await settings.getByLabel('Metadata').fill('Project: apollo\nreviewed-by: qa team\nauthor: José Müller');
  await settings.getByLabel('Tags').fill('team=data\nretention days=30');
  await expect(settings.locator('summary')).toContainText(
    'files added now get: text/markdown · Cache-Control · Content-Disposition · Content-Language · 3 metadata · 2 tags',
  );
  await page.getByTestId('folder-input').setInputFiles(dir);
  await expect(page.getByTestId('upload-totals')).toContainText('2 of 2 done', { timeout: 60_000 });

  const client = storeClient();
  for (const name of ['notes.md', basename(big.path)]) {
    const Key = `${basename(dir)}/${name}`;
    const head = await client.send(new HeadObjectCommand({ Bucket: BUCKET, Key }));
    expect(head, name).toMatchObject({
      ContentType: 'text/markdown',
      CacheControl: 'public, max-age=3600',
      ContentDisposition: 'attachment',
      ContentLanguage: 'en-GB',
      // Other letters as S3 takes and answers them (RFC 2047), as the AWS CLI then shows them.
      Metadata: { project: 'apollo', 'reviewed-by': 'qa team', author: '=?UTF-8?B?Sm9zw6kgTcO8bGxlcg==?=' },
    });
    const tagging = await client.send(new GetObjectTaggingCommand({ Bucket: BUCKET, Key }));
    expect(Object.fromEntries((tagging.TagSet ?? []).map((t) => [t.Key, t.Value])), name).toEqual({
      team: 'data',
      'retention days': '30',
    });
  }
  // The object's Details show them too. (Opened by its address: the top of the bucket lists 100
  // folders a page, and the other tests' folders may put this one on a later page.)
  await page.goto(`/?prefix=${encodeURIComponent(`${basename(dir)}/`)}`);
  await page.getByRole('button', { name: 'Details of notes.md' }).click();
  const details = page.getByRole('dialog', { name: 'Details of notes.md' });
  await expect(details).toContainText('apollo');
  const author = details.locator('div', { has: page.locator('dt', { hasText: 'x-amz-meta-author' }) });
  await expect(author.locator('dd')).toHaveText('José Müller');
  // And "Edit properties" shows it as typed.
  await details.getByRole('button', { name: 'Edit properties' }).click();
  await expect(details.getByLabel('Metadata')).toHaveValue(/^author: José Müller$/m);
});

test('settings S3 would refuse: the card says what to fix, and files picked meanwhile wait for it, to be added with the fix or let go', async ({
  page,
  tmp,
}) => {
  const file = await makeFile(tmp, `refused-settings-${Date.now()}.txt`, 100);
  await page.goto('/');
  const settings = page.getByTestId('upload-settings');
  await settings.getByText('Upload settings').click();
  await settings.getByLabel('Tags').fill('a=x&y');
  // Said as it is typed, politely; an alert once files were refused for it.
  await expect(settings.getByRole('status')).toContainText('Tag "a"');
  await expect(settings.getByRole('alert')).toHaveCount(0);
  // The field itself says it is invalid, and why, to a screen reader coming back to it; the others not.
  await expect(settings.getByLabel('Tags')).toHaveAttribute('aria-invalid', 'true');
  await expect(settings.getByLabel('Tags')).toHaveAccessibleDescription(/^Tag "a"/);
  await expect(settings.getByLabel('Content type')).not.toHaveAttribute('aria-invalid');
  // Closed again, then files picked: not added yet, and the card opens to say why; they wait for the
  // fix (not to be picked again: a11y review, session 44, WCAG 3.3.7).
  await settings.getByText('Upload settings').click();
  await page.getByTestId('file-input').setInputFiles(file.path);
  await expect(settings.getByRole('alert')).toHaveText(/^Files were not added yet: Tag "a"/);
  await expect(page.getByTestId('upload-row')).toHaveCount(0);
  await expect(settings.getByTestId('waiting-files')).toHaveText('1 file waits for the fix above.');
  const add = settings.getByRole('button', { name: 'Add it' });
  await expect(add).toBeDisabled();
  await settings.getByLabel('Tags').fill('a=x');
  await expect(settings.getByLabel('Tags')).not.toHaveAttribute('aria-invalid');
  await expect(settings.getByTestId('waiting-files')).toHaveText(
    '1 file waits to be added with these settings.',
  );
  await add.click();
  await expect(settings.getByTestId('waiting-files')).toHaveCount(0);
  await expect(page.getByTestId('upload-row').getByTestId('upload-state')).toHaveText('Done', {
    timeout: 30_000,
  });
  const key = (await page.getByTestId('upload-row').getAttribute('aria-label'))!;
  const tags = await storeClient().send(new GetObjectTaggingCommand({ Bucket: BUCKET, Key: key }));
  expect(tags.TagSet).toEqual([{ Key: 'a', Value: 'x' }]);

  // Let go: nothing is added.
  await settings.getByLabel('Tags').fill('b=x&y');
  await page.getByTestId('file-input').setInputFiles(file.path);
  await expect(settings.getByTestId('waiting-files')).toHaveText('1 file waits for the fix above.');
  await settings.getByRole('button', { name: 'Let it go' }).click();
  await expect(settings.getByTestId('waiting-files')).toHaveCount(0);
  await settings.getByLabel('Tags').fill('');
  await expect(page.getByTestId('upload-row')).toHaveCount(1);
});

test('a metadata name with "_" on a store that turns it into "-" (Ceph RGW): the card says so, and "-" is taken', async ({
  page,
}) => {
  // The embedded store keeps "_": the health report is answered as one from RGW would be.
  await page.route('**/api/health', async (route) => {
    const res = await route.fetch();
    await route.fulfill({ response: res, json: { ...(await res.json()), metadataUnderscore: 'dashed' } });
  });
  await page.goto('/');
  const settings = page.getByTestId('upload-settings');
  await settings.getByText('Upload settings').click();
  await settings.getByLabel('Metadata').fill('reviewed_by: qa');
  await expect(settings.getByRole('status')).toHaveText(
    'Metadata name "reviewed_by": this store turns "_" into "-" in metadata names (it would keep "reviewed-by"); use "-".',
  );
  await settings.getByLabel('Metadata').fill('reviewed-by: qa');
  await expect(settings.getByRole('status')).toHaveText('');
  await expect(settings).toContainText('files added now get: 1 metadata');
});

test('a storage class picked in the settings goes to the files added after, big and small; the list and Details say it, and "Edit properties" changes it', async ({
  page,
  tmp,
}) => {
  const dir = join(tmp, `class-${Date.now()}`);
  await mkdir(dir);
  await writeFile(join(dir, 'small.txt'), 'cold data\n');
  const big = await makeFile(dir, 'big.bin', 12 * MiB + 1); // multipart
  await page.goto('/');
  const settings = page.getByTestId('upload-settings');
  await settings.getByText('Upload settings').click();
  const choice = settings.getByLabel('Storage class');
  await expect(choice).toHaveValue('STANDARD');
  await choice.selectOption({ label: 'Standard-IA' });
  await expect(settings.locator('summary')).toContainText('files added now get: Standard-IA');
  // The list keeps its order whatever is picked, so the arrow keys step through every class.
  const order = [
    'Standard',
    'Intelligent-Tiering',
    'Standard-IA',
    'One Zone-IA',
    'Glacier Instant Retrieval',
    'Reduced redundancy',
  ];
  await expect(choice.locator('option')).toHaveText(order);
  await choice.press('ArrowDown');
  await expect(choice).toHaveValue('ONEZONE_IA');
  await choice.press('ArrowUp');
  await expect(choice).toHaveValue('STANDARD_IA');
  await page.getByTestId('folder-input').setInputFiles(dir);
  await expect(page.getByTestId('upload-totals')).toContainText('2 of 2 done', { timeout: 60_000 });
  const client = storeClient();
  const classOf = async (name: string) =>
    (await client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: `${basename(dir)}/${name}` })))
      .StorageClass;
  expect([await classOf('small.txt'), await classOf(basename(big.path))]).toEqual([
    'STANDARD_IA',
    'STANDARD_IA',
  ]);

  await page.goto(`/?prefix=${encodeURIComponent(`${basename(dir)}/`)}`);
  const row = page.getByTestId('object-row').filter({ hasText: 'small.txt' });
  await expect(row.locator('td.name')).toHaveText('small.txt · Standard-IA');
  await page.getByRole('button', { name: 'Details of small.txt' }).click();
  const panel = page.getByRole('dialog', { name: 'Details of small.txt' });
  const value = (term: string) =>
    panel.locator('div', { has: page.locator('dt', { hasText: term }) }).locator('dd');
  await expect(value('Storage class')).toHaveText('Standard-IA (STANDARD_IA)');
  await panel.getByRole('button', { name: 'Edit properties' }).click();
  const form = panel.getByRole('form', { name: 'Edit properties' });
  await expect(form.getByLabel('Storage class')).toHaveValue('STANDARD_IA');
  await form.getByLabel('Storage class').selectOption({ label: 'Glacier Instant Retrieval' });
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(panel.getByTestId('details-said')).toHaveText('Saved.');
  await expect(value('Storage class')).toHaveText('Glacier Instant Retrieval (GLACIER_IR)');
  expect(await classOf('small.txt')).toBe('GLACIER_IR');
  await expect(row.locator('td.name')).toHaveText('small.txt · Glacier Instant Retrieval');
});

test('a content type typed key by key says nothing on its way to a valid one, and a wrong one once, when typing pauses', async ({
  page,
}) => {
  await page.goto('/');
  const settings = page.getByTestId('upload-settings');
  await settings.getByText('Upload settings').click();
  const line = settings.getByRole('status');
  // Every text the polite line takes is what a screen reader says.
  await line.evaluate((el) => {
    const said: string[] = [];
    (window as unknown as { said: string[] }).said = said;
    new MutationObserver(() => said.push(el.textContent ?? '')).observe(el, {
      childList: true,
      characterData: true,
      subtree: true,
    });
  });
  const said = async () =>
    (await page.evaluate(() => (window as unknown as { said: string[] }).said)).filter((s) => s !== '');
  const field = settings.getByLabel('Content type');
  await field.pressSequentially('text/plain', { delay: 60 });
  await expect(field).toHaveValue('text/plain');
  await page.waitForTimeout(1_500); // longer than a pause in typing: nothing is still to come
  expect(await said()).toEqual([]);

  await field.fill('');
  await field.pressSequentially('not a type', { delay: 60 });
  await expect(line).toHaveText('"not a type" is not a content type (like text/html or image/png).');
  await expect(field).toHaveAccessibleDescription(/^"not a type" is not a content type/);
  expect(await said()).toEqual(['"not a type" is not a content type (like text/html or image/png).']);
});
