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
  await page.getByRole('link', { name: `${folder}/`, exact: true }).click();
  await page.getByRole('button', { name: 'Share plan é.pdf' }).click();
  const dialog = page.getByRole('dialog', { name: 'Share plan é.pdf' });
  // What a presigned link is: the name's bytes when opened, until it expires, with no taking it back.
  await expect(dialog).toHaveAccessibleDescription(
    'A link to download plan é.pdf without signing in to Hoist. Until it expires it gives whatever is stored under this name when it is opened (a file uploaded over it since too), and it cannot be taken back sooner.',
  );
  await dialog.getByLabel('Link valid for').selectOption('7 days');
  // The live line is in the page before the link, so what it says then is announced.
  const status = dialog.getByRole('status').and(dialog.getByTestId('share-link-status'));
  await expect(status).toHaveText('');
  await dialog.getByRole('button', { name: 'Create link' }).click();
  const url = await dialog.getByLabel('Share link').inputValue();
  expect(new URL(url).searchParams.get('X-Amz-Expires')).toBe(String(7 * 24 * 3600));
  await expect(status).toContainText('Works until');
  // Who it works for is said with it, not only shown below the field.
  await expect(status).toHaveText(
    /^Works until .+\. Only works on this computer: the link points at 127\.0\.0\.1:\d+\.$/,
  );
  // Said there for screen readers alone: the page shows it once, below the field.
  await expect(status.locator('.sr-only')).toHaveText(/^Only works on this computer/);
  // The embedded store listens on 127.0.0.1: the page says the link is for this computer only.
  await expect(dialog).not.toContainText('anyone', { ignoreCase: true });
  await expect(dialog.getByTestId('share-reach')).toHaveText(
    /^Only works on this computer: the link points at 127\.0\.0\.1:\d+\. .*S3_PUBLIC_ENDPOINT/,
  );

  await dialog.getByRole('button', { name: 'Copy', exact: true }).click();
  await expect(status).toContainText('Copied.');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(url);

  // Anyone with the link gets the bytes, with the file's name; no cookie or token involved.
  const res = await fetch(url);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-disposition')).toContain("filename*=UTF-8''plan%20%C3%A9.pdf");
  const body = Buffer.from(await res.arrayBuffer());
  expect(body.length).toBe(12_345);
  expect(createHash('sha256').update(body).digest('hex')).toBe(seeded.sha256);

  // The S3 URI, for people who use the CLI, with the same feedback.
  await expect(dialog.getByTestId('s3-uri-status')).toHaveText('');
  await dialog.getByRole('button', { name: 'Copy S3 URI' }).click();
  await expect(dialog.getByTestId('s3-uri-status')).toHaveText('Copied.');
  await expect(status).not.toContainText('Copied.');
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

test('a link to a public store says anyone with it can download the object', async ({ page }) => {
  const folder = `share-public-${Date.now()}`;
  await seedObject(storeClient(), `${folder}/a.txt`, 10);
  // As with S3_PUBLIC_ENDPOINT or AWS: the presigned link's host is not this machine.
  await page.route('**/api/objects/share', (route) =>
    route.fulfill({
      json: {
        key: `${folder}/a.txt`,
        url: `https://hoist.s3.eu-west-1.amazonaws.com/${folder}/a.txt?X-Amz-Expires=3600`,
        expiresAt: Date.now() + 3600_000,
      },
    }),
  );
  await page.goto('/');
  await page.getByRole('link', { name: `${folder}/`, exact: true }).click();
  await page.getByRole('button', { name: 'Share a.txt' }).click();
  const dialog = page.getByRole('dialog', { name: 'Share a.txt' });
  await dialog.getByRole('button', { name: 'Create link' }).click();
  await expect(dialog.getByTestId('share-reach')).toHaveText('Anyone with the link can download it.');
  await expect(dialog.getByTestId('share-link-status')).toHaveText(
    /^Works until .+\. Anyone with the link can download it\.$/,
  );
});

test('with no clipboard, "Copy S3 URI" selects the URI as stored, though the panel spells out its invisible characters', async ({
  page,
}) => {
  const folder = `share-noclip-${Date.now()}`;
  const key = `${folder}/invoice\u202Efdp.exe`;
  await seedObject(storeClient(), key, 10);
  // Plain http, or the permission refused.
  await page.addInitScript(() => {
    navigator.clipboard.writeText = () => Promise.reject(new DOMException('Denied', 'NotAllowedError'));
  });
  await page.goto(`/?prefix=${encodeURIComponent(`${folder}/`)}`);
  await page.getByRole('button', { name: /^Share / }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText(`s3://hoist/${folder}/invoice[U+202E]fdp.exe`);
  await dialog.getByRole('button', { name: 'Copy S3 URI' }).click();
  await expect(dialog.getByTestId('s3-uri-status')).toHaveText('Press Ctrl+C (⌘C) to copy.');
  const field = dialog.getByLabel('S3 URI');
  await expect(field).toBeFocused();
  await expect(field).toHaveValue(`s3://hoist/${key}`);
  expect(
    await field.evaluate((el: HTMLInputElement) => el.value.slice(el.selectionStart!, el.selectionEnd!)),
  ).toBe(`s3://hoist/${key}`);
});
