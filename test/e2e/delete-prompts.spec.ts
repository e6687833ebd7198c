import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { BUCKET, expect, storeClient, test } from './support/fixtures.ts';
import { reportVersioning } from './support/health.ts';
import { seedMany, seedObject } from './support/seed.ts';
import { sha256Of } from './support/s3-checks.ts';

async function keysUnder(prefix: string): Promise<string[]> {
  const page = await storeClient().send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix }));
  return (page.Contents ?? []).map((o) => o.Key!);
}

test('a folder delete keeps, and names, what was written under the folder after it was counted', async ({
  page,
}) => {
  const parent = `late-${Date.now()}/`;
  await seedMany(
    storeClient(),
    Array.from({ length: 25 }, (_, i) => ({ key: `${parent}many/f${i}.txt`, size: 4 })),
  );
  await page.goto(`/?prefix=${encodeURIComponent(parent)}`);
  await page.getByRole('button', { name: 'Delete folder many/' }).click();
  const dialog = page.getByRole('alertdialog', { name: 'Delete folder many/' });
  // The embedded store has no versioning: a delete is for good.
  await expect(dialog).toContainText(
    'Delete “many/” and the 25 objects in it (100 B)? This cannot be undone.',
  );
  // A screen reader reads the question with the prompt; Tab goes round its buttons, never out into the
  // list behind it (where Escape would no longer answer it).
  await expect(dialog).toHaveAccessibleDescription(
    'Delete “many/” and the 25 objects in it (100 B)? This cannot be undone.',
  );
  await expect(dialog.getByRole('button', { name: 'Keep it' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(dialog.getByRole('button', { name: 'Delete folder' })).toBeFocused();
  await page.keyboard.press('Shift+Tab');
  await expect(dialog.getByRole('button', { name: 'Keep it' })).toBeFocused();

  // Written after the count, before the confirmation: not part of what was confirmed. A counted key
  // written again is not either (the delete is pinned to the ETag counted).
  await seedObject(storeClient(), `${parent}many/late.bin`, 10);
  const rewritten = await seedObject(storeClient(), `${parent}many/f7.txt`, 12);
  await dialog.getByRole('button', { name: 'Delete folder' }).click();
  await expect(dialog.getByRole('status')).toHaveText(
    'Deleted 24 objects. 2 objects written since the count are still in “many/”.',
  );
  expect(await keysUnder(`${parent}many/`)).toEqual([`${parent}many/f7.txt`, `${parent}many/late.bin`]);
  expect(await sha256Of(storeClient(), `${parent}many/f7.txt`)).toBe(rewritten.sha256);
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(page.getByRole('link', { name: 'many/', exact: true })).toBeVisible();
});

test('a folder delete waits out a Hoist server restart of a few seconds, and one that lasts longer stops with a plain reason and "Try the rest again"', async ({
  page,
}) => {
  const parent = `restart-${Date.now()}/`;
  await seedMany(
    storeClient(),
    Array.from({ length: 6 }, (_, i) => ({ key: `${parent}gone/f${i}.txt`, size: 4 })),
  );
  await page.goto(`/?prefix=${encodeURIComponent(parent)}`);
  // The delete call finds no server, as while it restarts: twice (about 1.5 s), then it is back.
  let refused = 0;
  let refuse = 2;
  await page.route('**/api/objects/delete', (route) =>
    refused++ < refuse ? route.abort('connectionrefused') : route.continue(),
  );
  await page.getByRole('button', { name: 'Delete folder gone/' }).click();
  const dialog = page.getByRole('alertdialog', { name: 'Delete folder gone/' });
  await dialog.getByRole('button', { name: 'Delete folder' }).click();
  await expect(dialog.getByRole('status')).toHaveText('Deleted 6 objects.');
  expect(await keysUnder(`${parent}gone/`)).toEqual([]);
  await dialog.getByRole('button', { name: 'Close' }).click();

  // Down for longer than that: the dialog says so in a sentence, and offers the rest once it is back.
  await seedMany(
    storeClient(),
    Array.from({ length: 3 }, (_, i) => ({ key: `${parent}later/f${i}.txt`, size: 4 })),
  );
  await page.getByRole('button', { name: 'Refresh' }).click();
  refused = 0;
  refuse = 100;
  await page.getByRole('button', { name: 'Delete folder later/' }).click();
  const again = page.getByRole('alertdialog', { name: 'Delete folder later/' });
  await again.getByRole('button', { name: 'Delete folder' }).click();
  await expect(again.getByRole('alert')).toHaveText(
    'The folder could not be deleted. It stopped after 0 of 3 objects were deleted: The Hoist server cannot be reached. Check your connection.',
  );
  refuse = 0;
  await again.getByRole('button', { name: 'Try the rest again (3 objects)' }).click();
  await expect(again.getByRole('status')).toHaveText('Deleted 3 objects.');
  expect(await keysUnder(`${parent}later/`)).toEqual([]);
});

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
    'Versioning is on: this adds delete markers; earlier versions stay in the bucket (and are still stored) — “Deleted objects” above the list brings them back, or deletes them for good.';

  await page.getByRole('checkbox', { name: 'Select a.txt' }).click();
  await page.getByRole('button', { name: 'Delete selected' }).click();
  const confirm = page.getByRole('alertdialog');
  await expect(confirm).toContainText(`Delete 1 object? ${onVersioned}`);
  await expect(confirm).not.toContainText('cannot be undone');
  await expect(confirm.getByRole('button', { name: 'Keep them' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(confirm.getByRole('button', { name: 'Delete', exact: true })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(confirm.getByRole('button', { name: 'Keep them' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(confirm).toHaveCount(0);

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

test('counting a big folder before its delete shows how many were found so far', async ({ page }) => {
  const parent = `count-${Date.now()}/`;
  await seedMany(
    storeClient(),
    Array.from({ length: 1001 }, (_, i) => ({ key: `${parent}big/f${i}.txt`, size: 1 })),
  );
  // The listing's second page waits until the first page's count is seen (this times nothing).
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  await page.route(
    (url) => url.pathname === '/api/objects' && url.searchParams.has('cursor'),
    async (route) => {
      await released;
      await route.continue();
    },
  );
  await page.goto(`/?prefix=${encodeURIComponent(parent)}`);
  await page.getByRole('button', { name: 'Delete folder big/' }).click();
  const dialog = page.getByRole('alertdialog', { name: 'Delete folder big/' });
  await expect(dialog.getByTestId('count-found')).toHaveText('1,000 found so far');
  release();
  await expect(dialog).toContainText('Delete “big/” and the 1,001 objects in it', { timeout: 30_000 });
  await expect(dialog.getByTestId('count-found')).toHaveCount(0);
  await dialog.getByRole('button', { name: 'Keep it' }).click();
});
