import type { Page } from '@playwright/test';
import type { BucketVersioning } from '../../server/shared/api-types.ts';
import { expect, storeClient, test } from './support/fixtures.ts';
import { seedMany } from './support/seed.ts';

/** The health report as a store of that versioning would give it (the embedded store has none). */
async function reportVersioning(page: Page, versioning: BucketVersioning) {
  await page.route(
    (url) => url.pathname === '/api/health',
    async (route) => {
      const response = await route.fetch();
      await route.fulfill({ response, json: { ...(await response.json()), versioning } });
    },
  );
}

test('on a versioned bucket the delete prompts say earlier versions stay, not that it cannot be undone', async ({
  page,
}) => {
  const parent = `versioned-${Date.now()}/`;
  await seedMany(storeClient(), [
    { key: `${parent}a.txt`, size: 1 },
    { key: `${parent}sub/b.txt`, size: 2 },
  ]);
  await reportVersioning(page, 'enabled');
  await page.goto(`/?prefix=${encodeURIComponent(parent)}`);
  const onVersioned =
    'Versioning is on: this adds delete markers; earlier versions stay in the bucket (and are still stored) — remove them with the S3 console or the CLI.';

  await page.getByRole('checkbox', { name: 'Select a.txt' }).click();
  await page.getByRole('button', { name: 'Delete selected' }).click();
  const confirm = page.getByRole('alertdialog');
  await expect(confirm).toContainText(`Delete 1 object? ${onVersioned}`);
  await expect(confirm).not.toContainText('cannot be undone');
  await confirm.getByRole('button', { name: 'Keep them' }).click();

  await page.getByRole('button', { name: 'Delete folder sub/' }).click();
  const folder = page.getByRole('alertdialog', { name: 'Delete folder sub/' });
  await expect(folder).toContainText(`Delete “sub/” and the 1 object in it (2 B)? ${onVersioned}`);
  await folder.getByRole('button', { name: 'Keep it' }).click();

  // A store that would not say: nothing claimed either way.
  await page.unrouteAll();
  await reportVersioning(page, 'unknown');
  await page.reload();
  await page.getByRole('checkbox', { name: 'Select a.txt' }).click();
  await page.getByRole('button', { name: 'Delete selected' }).click();
  await expect(page.getByRole('alertdialog')).toContainText(
    'Delete 1 object? Unless the bucket keeps earlier versions (Hoist could not check), this cannot be undone.',
  );
});
