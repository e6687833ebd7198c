import {
  CopyObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import type { Page } from '@playwright/test';
import { BUCKET, expect, storeClient, test } from './support/fixtures.ts';
import { sha256Of } from './support/s3-checks.ts';
import { seedObject } from './support/seed.ts';

test('"Edit properties" in the details sets type, Cache-Control, Content-Disposition, -Language, metadata and tags; a bad value is said and not saved', async ({
  page,
}) => {
  const folder = `props-${Date.now()}`;
  const s3 = storeClient();
  const seeded = await seedObject(s3, `${folder}/clip.mp4`, 4000);
  await page.goto('/');
  await page.getByRole('link', { name: `${folder}/`, exact: true }).click();
  await page.getByRole('button', { name: 'Details of clip.mp4' }).click();
  const panel = page.getByRole('dialog', { name: 'Details of clip.mp4' });
  const value = (term: string) =>
    panel.locator('div', { has: page.locator('dt', { hasText: term }) }).locator('dd');
  await panel.getByRole('button', { name: 'Edit properties' }).click();
  const form = panel.getByRole('form', { name: 'Edit properties' });
  const type = form.getByLabel('Content type');
  await type.fill('video');
  await expect(form.getByRole('status')).toContainText('"video" is not a content type');
  await expect(form.getByRole('button', { name: 'Save' })).toBeDisabled();
  await type.fill('video/mp4');
  await form.getByLabel('Cache-Control').fill('max-age=600');
  await form.getByLabel('Content-Disposition').fill('attachment; filename="Holiday.mp4"');
  await form.getByLabel('Content-Language').fill('en-GB');
  await form.getByLabel('Metadata').fill('owner: bo');
  await form.getByLabel('Tags').fill('team=blue\nretention days=30');
  await expect(panel.getByTestId('details-said')).toHaveText(''); // in the page before "Saved."
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(panel.getByRole('status').and(panel.getByTestId('details-said'))).toHaveText('Saved.');
  // Focus goes back to what opened the form.
  await expect(panel.getByRole('button', { name: 'Edit properties' })).toBeFocused();
  // Read back from the store, as the panel shows it.
  await expect(value('Type')).toHaveText('video/mp4');
  await expect(value('Cache-Control')).toHaveText('max-age=600');
  await expect(value('Content-Disposition')).toHaveText('attachment; filename="Holiday.mp4"');
  await expect(value('x-amz-meta-owner')).toHaveText('bo');
  await expect(value('Tags')).toHaveText('team = blue, retention days = 30');
  const head = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: `${folder}/clip.mp4` }));
  expect([head.ContentType, head.CacheControl, head.Metadata]).toEqual([
    'video/mp4',
    'max-age=600',
    { owner: 'bo' },
  ]);
  expect([head.ContentDisposition, head.ContentLanguage, head.ContentEncoding]).toEqual([
    'attachment; filename="Holiday.mp4"',
    'en-GB',
    undefined,
  ]);
  const tags = await s3.send(new GetObjectTaggingCommand({ Bucket: BUCKET, Key: `${folder}/clip.mp4` }));
  expect(tags.TagSet?.map((t) => `${t.Key}=${t.Value}`).sort()).toEqual(['retention days=30', 'team=blue']);
  expect(await sha256Of(s3, `${folder}/clip.mp4`)).toBe(seeded.sha256);

  // The form starts as the object is now; Escape leaves the form, then the panel.
  await panel.getByRole('button', { name: 'Edit properties' }).click();
  await expect(form.getByLabel('Metadata')).toHaveValue('owner: bo');
  await expect(form.getByLabel('Content-Language')).toHaveValue('en-GB');
  await form.getByLabel('Metadata').press('Escape');
  await expect(form).toHaveCount(0);
  await expect(panel).toBeVisible();
});

test('an object written again while its form is open is not edited; "Show it as it is now" reads it again', async ({
  page,
}) => {
  const folder = `props-race-${Date.now()}`;
  const s3 = storeClient();
  await seedObject(s3, `${folder}/doc.txt`, 100);
  await page.goto('/');
  await page.getByRole('link', { name: `${folder}/`, exact: true }).click();
  await page.getByRole('button', { name: 'Details of doc.txt' }).click();
  const panel = page.getByRole('dialog', { name: 'Details of doc.txt' });
  await panel.getByRole('button', { name: 'Edit properties' }).click();
  const form = panel.getByRole('form', { name: 'Edit properties' });
  await form.getByLabel('Cache-Control').fill('max-age=60');
  // Someone else writes the object meanwhile, with a type of its own.
  await s3.send(
    new PutObjectCommand({
      Bucket: BUCKET,
      Key: `${folder}/doc.txt`,
      Body: 'newer',
      ContentType: 'text/plain',
    }),
  );
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(form.getByRole('alert')).toContainText('was written again since it was shown');
  await expect(form.getByRole('button', { name: 'Save' })).toBeDisabled();
  await form.getByRole('button', { name: 'Show it as it is now' }).click();
  // The form starts again from the newer object; saving now works.
  await expect(form.getByLabel('Content type')).toHaveValue('text/plain');
  await expect(form.getByLabel('Cache-Control')).toHaveValue('');
  await form.getByLabel('Cache-Control').fill('max-age=60');
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(panel.getByRole('status').and(panel.getByTestId('details-said'))).toHaveText('Saved.');
  const head = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: `${folder}/doc.txt` }));
  expect([head.ContentType, head.CacheControl, head.ContentLength]).toEqual(['text/plain', 'max-age=60', 5]);
});

test('a metadata change by someone else while the form is open (the ETag stays) is not undone; "Show it as it is now" refills the form', async ({
  page,
}) => {
  const folder = `props-meta-${Date.now()}`;
  const key = `${folder}/doc.txt`;
  const s3 = storeClient();
  await seedObject(s3, key, 100);
  await page.goto(`/?prefix=${encodeURIComponent(`${folder}/`)}`);
  await page.getByRole('button', { name: 'Details of doc.txt' }).click();
  const panel = page.getByRole('dialog', { name: 'Details of doc.txt' });
  await panel.getByRole('button', { name: 'Edit properties' }).click();
  const form = panel.getByRole('form', { name: 'Edit properties' });
  await form.getByLabel('Content type').fill('text/markdown');
  // Someone else rewrites its metadata in place (same bytes, so the same ETag).
  await s3.send(
    new CopyObjectCommand({
      Bucket: BUCKET,
      Key: key,
      CopySource: `${BUCKET}/${key}`,
      MetadataDirective: 'REPLACE',
      ContentType: 'application/octet-stream',
      CacheControl: 'no-cache',
    }),
  );
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(form.getByRole('alert')).toContainText('was changed since it was shown');
  expect((await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }))).CacheControl).toBe('no-cache');
  await form.getByRole('button', { name: 'Show it as it is now' }).click();
  await expect(form.getByLabel('Cache-Control')).toHaveValue('no-cache');
  await form.getByLabel('Content type').fill('text/markdown');
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(panel.getByRole('status').and(panel.getByTestId('details-said'))).toHaveText('Saved.');
  const head = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }));
  expect([head.ContentType, head.CacheControl]).toEqual(['text/markdown', 'no-cache']);
});

/** Opens `folder/note.txt`'s details and its Edit properties, and types a Cache-Control there. */
async function typedInEditProperties(page: Page, folder: string) {
  await page.goto('/');
  await page.getByRole('link', { name: `${folder}/`, exact: true }).click();
  await page.getByRole('button', { name: 'Details of note.txt' }).click();
  const panel = page.getByRole('dialog', { name: 'Details of note.txt' });
  await panel.getByRole('button', { name: 'Edit properties' }).click();
  const form = panel.getByRole('form', { name: 'Edit properties' });
  await form.getByLabel('Cache-Control').fill('max-age=60');
  return { panel, form };
}

test('Escape in "Edit properties" asks before it throws away what was typed; with nothing typed it just closes', async ({
  page,
}) => {
  const folder = `props-esc-${Date.now()}`;
  await seedObject(storeClient(), `${folder}/note.txt`, 100);
  const { panel, form } = await typedInEditProperties(page, folder);

  // Asked, and kept.
  const asked: string[] = [];
  page.once('dialog', (d) => {
    asked.push(d.message());
    void d.dismiss();
  });
  await page.keyboard.press('Escape');
  await expect.poll(() => asked).toEqual(['Discard the changes you typed in Edit properties?']);
  await expect(form.getByLabel('Cache-Control')).toHaveValue('max-age=60');
  // Asked, and thrown away: the details stay open, as after Cancel.
  page.once('dialog', (d) => void d.accept());
  await page.keyboard.press('Escape');
  await expect(form).toHaveCount(0);
  await expect(panel).toBeVisible();

  // Nothing typed: Escape closes the form at once, with no question.
  await panel.getByRole('button', { name: 'Edit properties' }).click();
  page.once('dialog', (d) => {
    asked.push(d.message());
    void d.dismiss();
  });
  await page.keyboard.press('Escape');
  await expect(form).toHaveCount(0);
  expect(asked).toHaveLength(1);
});

test('what is typed in "Edit properties" is not thrown away unasked by Close, another row’s button or another folder', async ({
  page,
}) => {
  const folder = `props-leave-${Date.now()}`;
  await seedObject(storeClient(), `${folder}/note.txt`, 100);
  await seedObject(storeClient(), `${folder}/other.txt`, 100);
  const { panel, form } = await typedInEditProperties(page, folder);

  const asked: string[] = [];
  const answer = (accept: boolean) =>
    page.once('dialog', (d) => {
      asked.push(d.message());
      void (accept ? d.accept() : d.dismiss());
    });
  // One row of ways out: the panel's Close is on the line of the form's Save and Cancel (visual review).
  const top = async (name: string) =>
    (await panel.getByRole('button', { name, exact: true }).boundingBox())!.y;
  expect(await top('Close')).toBe(await top('Save'));
  expect(await top('Cancel')).toBe(await top('Save'));
  // Each asks; kept when the answer is no.
  answer(false);
  await panel.getByRole('button', { name: 'Close', exact: true }).click();
  answer(false);
  await page.getByRole('button', { name: 'Details of other.txt' }).click();
  answer(false);
  await page.getByRole('link', { name: 'Bucket', exact: true }).click();
  await expect.poll(() => asked).toHaveLength(3);
  expect(new Set(asked)).toEqual(new Set(['Discard the changes you typed in Edit properties?']));
  await expect(form.getByLabel('Cache-Control')).toHaveValue('max-age=60');
  await expect(page.getByRole('dialog', { name: 'Details of other.txt' })).toHaveCount(0);

  // Yes: the other row's details open.
  answer(true);
  await page.getByRole('button', { name: 'Details of other.txt' }).click();
  await expect(page.getByRole('dialog', { name: 'Details of other.txt' })).toBeVisible();
  await expect(form).toHaveCount(0);
  // Nothing typed now: the folder opens with no question.
  await page.getByRole('link', { name: 'Bucket', exact: true }).click();
  await expect(page.getByRole('link', { name: `${folder}/`, exact: true })).toBeVisible();
  expect(asked).toHaveLength(4);
});

test('the browser’s Back asks too before it throws away what is typed in "Edit properties", and stays when told no', async ({
  page,
}) => {
  const folder = `props-back-${Date.now()}`;
  await seedObject(storeClient(), `${folder}/note.txt`, 100);
  const { form } = await typedInEditProperties(page, folder);
  const inFolder = page.url();

  // Every question is heard (none goes unseen, dismissed by default), answered as told next.
  const asked: string[] = [];
  let next = false;
  page.on('dialog', (d) => {
    asked.push(d.message());
    void (next ? d.accept() : d.dismiss());
  });
  const answer = (accept: boolean) => (next = accept);
  // A #fragment entry (typed, or a link's) opens no other folder: going to it and Back ask nothing.
  await page.evaluate(() => (window.location.hash = 'note'));
  await expect(page).toHaveURL(`${inFolder}#note`);
  await page.goBack();
  await expect(page).toHaveURL(inFolder);
  expect(asked).toEqual([]);
  // No: the folder, the form and what is typed stay, and so does the address.
  answer(false);
  await page.goBack();
  await expect.poll(() => asked).toEqual(['Discard the changes you typed in Edit properties?']);
  await expect(page).toHaveURL(inFolder);
  await expect(form.getByLabel('Cache-Control')).toHaveValue('max-age=60');
  await expect(page.getByRole('link', { name: `${folder}/`, exact: true })).toHaveCount(0);
  // Back again, yes: the bucket's top opens, and Forward the folder again, with no question now.
  answer(true);
  await page.goBack();
  await expect(page.getByRole('link', { name: `${folder}/`, exact: true })).toBeVisible();
  await expect(form).toHaveCount(0);
  await page.goForward();
  await expect(page).toHaveURL(inFolder);
  await expect(page.getByRole('button', { name: 'Details of note.txt' })).toBeVisible();
  // The fragment's entry is still where it was, after the folder's.
  await page.goForward();
  await expect(page).toHaveURL(`${inFolder}#note`);
  expect(asked).toHaveLength(2);
});
