import { DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { BUCKET, expect, storeClient, STORE_ORIGIN, test } from './support/fixtures.ts';

/** A 1×1 PNG: what a browser shows as an image when the store says image/png. */
const PIXEL = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

async function put(key: string, body: string | Buffer, contentType: string) {
  await storeClient().send(
    new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body, ContentType: contentType }),
  );
}

test("a file's name opens it in a new tab, as what its name says where its type says nothing", async ({
  page,
  context,
  consoleErrors,
}) => {
  const folder = `open-${Date.now()}`;
  // As `aws s3 cp` stores what it cannot name: binary/octet-stream, which a browser would only save.
  await put(`${folder}/notes é.txt`, 'Plain words, in UTF-8: é 中文', 'binary/octet-stream');
  await put(`${folder}/pixel.png`, PIXEL, 'binary/octet-stream');
  // As the page's own upload of a .txt stores it: text/plain, no charset. UTF-8 all the same.
  await put(`${folder}/typed.txt`, 'Typed: é 中文', 'text/plain');
  await page.goto(`/?prefix=${encodeURIComponent(`${folder}/`)}`);
  // Where it goes is said with it, not in its name.
  await expect(page.getByRole('link', { name: 'notes é.txt' })).toHaveAccessibleDescription(
    'Opens in a new tab.',
  );

  const [tab] = await Promise.all([
    context.waitForEvent('page'),
    page.getByRole('link', { name: 'notes é.txt', exact: true }).click(),
  ]);
  await tab.waitForURL((url) => url.origin === STORE_ORIGIN);
  const url = new URL(tab.url());
  expect(url.searchParams.get('response-content-disposition')).toMatch(/^inline; /);
  expect(url.searchParams.get('response-content-type')).toBe('text/plain; charset=utf-8');
  await expect(tab.locator('body')).toHaveText('Plain words, in UTF-8: é 中文');
  await tab.close();

  const [typed] = await Promise.all([
    context.waitForEvent('page'),
    page.getByRole('link', { name: 'typed.txt', exact: true }).click(),
  ]);
  await expect(typed.locator('body')).toHaveText('Typed: é 中文');
  await typed.close();

  const [image] = await Promise.all([
    context.waitForEvent('page'),
    page.getByRole('link', { name: /^pixel\.png/ }).click(),
  ]);
  await image.waitForURL((u) => u.origin === STORE_ORIGIN);
  // Shown, not saved: the tab is the browser's image view of it.
  await expect(image.locator('img')).toHaveJSProperty('naturalWidth', 1);
  await image.close();
  await expect(page.getByRole('alert')).toHaveCount(0);
  expect(consoleErrors).toEqual([]);
});

test('an object deleted behind the page opens on a page that says so, with the way back', async ({
  page,
  context,
}) => {
  const folder = `open-gone-${Date.now()}`;
  const key = `${folder}/gone.txt`;
  await put(key, 'soon gone', 'text/plain');
  await page.goto(`/?prefix=${encodeURIComponent(`${folder}/`)}`);
  const link = page.getByRole('link', { name: /^gone\.txt/ });
  await expect(link).toBeVisible();
  await storeClient().send(new DeleteObjectCommand({ Bucket: BUCKET, Key: key }));

  const [tab] = await Promise.all([context.waitForEvent('page'), link.click()]);
  await expect(tab.getByRole('alert')).toHaveText(`"${key}" is not in the bucket (any more).`);
  await expect(tab).toHaveTitle(`"${key}" is not in the bucket (any more). · Hoist`);
  await tab.getByRole('link', { name: 'Back to Hoist' }).click();
  await expect(tab.getByRole('heading', { name: 'Hoist', level: 1 })).toBeVisible();
});
