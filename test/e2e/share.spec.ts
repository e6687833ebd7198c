import { createHash } from 'node:crypto';
import { expect, storeClient, test } from './support/fixtures.ts';
import { seedObject } from './support/seed.ts';

test('"Share" makes a link that downloads the object without Hoist, valid for the time picked', async ({
  page,
  context,
}) => {
  const folder = `share-${Date.now()}`;
  const seeded = await seedObject(storeClient(), `${folder}/plan é.pdf`, 12_345);
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto('/');
  await page.getByRole('button', { name: `${folder}/`, exact: true }).click();
  await page.getByRole('button', { name: 'Share plan é.pdf' }).click();
  const dialog = page.getByRole('dialog', { name: 'Share plan é.pdf' });
  await dialog.getByLabel('Link valid for').selectOption('7 days');
  await dialog.getByRole('button', { name: 'Create link' }).click();
  const url = await dialog.getByLabel('Share link').inputValue();
  expect(new URL(url).searchParams.get('X-Amz-Expires')).toBe(String(7 * 24 * 3600));
  await expect(dialog.getByRole('status')).toContainText('Works until');

  await dialog.getByRole('button', { name: 'Copy', exact: true }).click();
  await expect(dialog.getByRole('status')).toContainText('Copied.');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(url);

  // Anyone with the link gets the bytes, with the file's name; no cookie or token involved.
  const res = await fetch(url);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-disposition')).toContain("filename*=UTF-8''plan%20%C3%A9.pdf");
  const body = Buffer.from(await res.arrayBuffer());
  expect(body.length).toBe(12_345);
  expect(createHash('sha256').update(body).digest('hex')).toBe(seeded.sha256);

  // The S3 URI, for people who use the CLI.
  await dialog.getByRole('button', { name: 'Copy S3 URI' }).click();
  await expect
    .poll(() => page.evaluate(() => navigator.clipboard.readText()))
    .toBe(`s3://hoist/${folder}/plan é.pdf`);
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toHaveCount(0);
  // Escape closes it too.
  await page.getByRole('button', { name: 'Share plan é.pdf' }).click();
  await dialog.getByLabel('Link valid for').press('Escape');
  await expect(dialog).toHaveCount(0);
});
