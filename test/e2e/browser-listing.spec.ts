import AxeBuilder from '@axe-core/playwright';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { Locator } from '@playwright/test';
import { BUCKET, expect, makeFile, storeClient, test } from './support/fixtures.ts';
import { seedMany, seedObject } from './support/seed.ts';

// The lines a cell's contents take: their boxes (icon, text fragments, buttons) grouped by vertical centre.
const lines = (cell: Locator) =>
  cell.evaluate((td) => {
    const range = document.createRange();
    range.selectNodeContents(td);
    const centres = [...range.getClientRects()]
      .filter((r) => r.width > 0 && r.height > 0)
      .map((r) => r.top + r.height / 2)
      .sort((a, b) => a - b);
    return centres.filter((c, i) => i === 0 || c - centres[i - 1]! > 8).length;
  });

test('typing a filter sends one listing request for the word, not one per key; the box keeps up', async ({
  page,
}) => {
  const folder = `typing-${Date.now()}/`;
  await seedMany(
    storeClient(),
    Array.from({ length: 30 }, (_, i) => ({
      key: `${folder}obj-${String(i * 37).padStart(4, '0')}`,
      size: 2,
    })),
  );
  await page.goto(`/?prefix=${encodeURIComponent(folder)}`);
  const rows = page.getByTestId('object-row');
  await expect(rows).toHaveCount(30);
  const listings: string[] = [];
  page.on('request', (r) => {
    const url = new URL(r.url());
    if (r.method() === 'GET' && url.pathname === '/api/objects')
      listings.push(url.searchParams.get('prefix')!);
  });
  const box = page.getByRole('searchbox', { name: 'Filter by name' });
  await box.focus();
  await page.keyboard.type('obj-0999');
  await expect(box).toHaveValue('obj-0999');
  await expect(rows).toHaveCount(1);
  await expect(rows).toContainText('obj-0999');
  expect(listings.length).toBeLessThanOrEqual(2);
  expect(listings.at(-1)).toBe(`${folder}obj-0999`);
});

test('"Select all" is half-ticked when some rows are', async ({ page }) => {
  const folder = `some-${Date.now()}/`;
  await seedMany(storeClient(), [
    { key: `${folder}a.txt`, size: 1 },
    { key: `${folder}b.txt`, size: 1 },
  ]);
  await page.goto(`/?prefix=${encodeURIComponent(folder)}`);
  const all = page.getByRole('checkbox', { name: 'Select all on this page' });
  const half = () => all.evaluate((el: HTMLInputElement) => el.indeterminate);
  await page.getByRole('checkbox', { name: 'Select a.txt' }).click();
  await expect(all).not.toBeChecked();
  expect(await half()).toBe(true);
  await page.getByRole('checkbox', { name: 'Select b.txt' }).click();
  await expect(all).toBeChecked();
  expect(await half()).toBe(false);
  await all.uncheck();
  expect(await half()).toBe(false);
});

test('a very long name wraps in its own column: every row keeps its size, date and buttons on one line', async ({
  page,
}) => {
  const folder = `long-${Date.now()}/`;
  const long = `${'L'.repeat(240)}.txt`;
  await seedMany(storeClient(), [
    { key: `${folder}${long}`, size: 10 },
    { key: `${folder}short.bin`, size: 5 * 1024 * 1024 },
    { key: `${folder}sub/x.txt`, size: 1 },
  ]);
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(`/?prefix=${encodeURIComponent(folder)}`);
  for (const name of [long, 'short.bin']) {
    const row = page
      .getByTestId('object-row')
      .filter({ has: page.getByRole('checkbox', { name: `Select ${name}` }) });
    const cells = row.locator('td');
    await expect(cells.nth(4).getByRole('button', { name: /^Details/ })).toBeVisible();
    // Size ("5.0 MB"), date, buttons: one line each.
    for (const i of [2, 3, 4])
      expect(await lines(cells.nth(i)), `cell ${i} of ${name.slice(0, 12)}…`).toBe(1);
  }
  expect(await lines(page.getByTestId('folder-row').locator('td').nth(4))).toBe(1);
  // The long name wraps in its column instead.
  expect(await lines(page.getByTestId('object-row').first().locator('td.name'))).toBeGreaterThan(1);
});

test('the list lines up: the selection count sits level with the buttons it goes with, which wrap as one bar; a folder row and a file row have Rename at one place; the sort headers read as headers, and the columns keep their places from folder to folder (visual review)', async ({
  page,
}) => {
  const folder = `lines-${Date.now()}`;
  await seedMany(storeClient(), [
    { key: `${folder}/sub/a-long-enough-name-to-widen-its-column.txt`, size: 1 },
    { key: `${folder}/b.txt`, size: 1 },
    { key: `${folder}/deep/x/y.txt`, size: 1 },
  ]);
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(`/?prefix=${encodeURIComponent(`${folder}/`)}`);
  const middle = async (l: Locator) => {
    const box = (await l.boundingBox())!;
    return box.y + box.height / 2;
  };
  const bar = page.getByRole('group', { name: 'Selected objects' });
  const count = bar.getByTestId('selection-count');
  const buttons = ['Download selected', 'Delete selected', 'Move or copy', 'Calculate total size'];
  for (const name of buttons) {
    const button = bar.getByRole('button', { name });
    expect(Math.abs((await middle(button)) - (await middle(count))), name).toBeLessThanOrEqual(2);
  }
  // The bar wraps as a whole: "Calculate total size" never alone on a line of its own.
  expect(await middle(bar.getByRole('button', { name: 'Calculate total size' }))).toBe(
    await middle(bar.getByRole('button', { name: 'Download selected' })),
  );
  const x = async (l: Locator) => (await l.boundingBox())!.x;
  expect(await x(page.getByRole('button', { name: 'Rename folder sub/' }))).toBe(
    await x(page.getByRole('button', { name: 'Rename b.txt', exact: true })),
  );
  const header = page.getByRole('columnheader', { name: 'Size' });
  const look = (l: Locator) =>
    l.evaluate((el) => {
      const style = getComputedStyle(el);
      return { color: style.color, underline: style.textDecorationLine };
    });
  const inHeader = await look(header.getByRole('button', { name: 'Size' }));
  expect(inHeader).toEqual({ color: (await look(header)).color, underline: 'none' });
  // The columns stay where they are from folder to folder: one of folders only, one of a long name.
  const columns = () =>
    Promise.all(
      ['Name', 'Size', 'Last modified'].map(async (name) => x(page.getByRole('columnheader', { name }))),
    );
  const here = await columns();
  for (const sub of ['deep/', 'sub/']) {
    await page.goto(`/?prefix=${encodeURIComponent(`${folder}/${sub}`)}`);
    await expect(page.getByTestId('object-row').or(page.getByTestId('folder-row')).first()).toBeVisible();
    expect(await columns(), sub).toEqual(here);
  }
});

test('a folder name of 250 letters with no space wraps inside its boxes: the trail and where uploads go stay in the card', async ({
  page,
}) => {
  const long = `${'d'.repeat(240)}${Date.now()}`;
  await seedMany(storeClient(), [{ key: `${long}/${long}/a.txt`, size: 1 }]);
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(`/?prefix=${encodeURIComponent(`${long}/${long}/`)}`);
  await expect(page.getByTestId('object-row')).toHaveCount(1);
  const inside = (selector: string, box: string) =>
    page.evaluate(
      ([selector, box]) => {
        const inner = document.querySelector(selector!)!.getBoundingClientRect();
        const outer = document.querySelector(box!)!.getBoundingClientRect();
        return inner.left >= outer.left && inner.right <= outer.right;
      },
      [selector, box],
    );
  expect(await inside('[data-testid="upload-destination"]', '.dropzone')).toBe(true);
  expect(await inside('.breadcrumbs', '.objects-card')).toBe(true);
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
});

test('on a phone (390 px) a short name stays whole beside its icon and nothing scrolls sideways; the date goes under the name, "Sort by" sorts by it, and each row\'s actions open from one "⋯" button as a sheet', async ({
  page,
}) => {
  const folder = `phone-${Date.now()}/`;
  await seedObject(storeClient(), `${folder}beach.jpg`, 3_000_000);
  // A second apart: S3 dates objects to the second.
  await new Promise((resolve) => setTimeout(resolve, 1100));
  await seedMany(storeClient(), [
    { key: `${folder}video.mp4`, size: 20_000_000 },
    { key: `${folder}photos/a.txt`, size: 1 },
  ]);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`/?prefix=${encodeURIComponent(folder)}`);
  await expect(page.getByTestId('object-row')).toHaveCount(2);
  for (const row of await page.getByTestId('object-row').all()) {
    const name = row.locator('td.name .object-name');
    expect(await lines(name), await name.innerText()).toBe(1);
    // No "Last modified" column here: the date is under the name.
    await expect(row.locator('td.name .row-date')).toHaveText(/\d{4}/);
    await expect(row.locator('td').nth(3)).toBeHidden();
  }
  expect(await lines(page.getByTestId('folder-row').locator('td.name'))).toBe(1);
  const widths = await page.evaluate(() => {
    const card = document.querySelector('.objects-card')!;
    return {
      page: document.documentElement.scrollWidth,
      view: window.innerWidth,
      card: card.scrollWidth,
      cardView: card.clientWidth,
    };
  });
  expect(widths.page).toBeLessThanOrEqual(widths.view);
  expect(widths.card).toBeLessThanOrEqual(widths.cardView);
  // Sorting by date stays possible without the column's header.
  await page.getByLabel('Sort by').selectOption({ label: 'Last modified (newest first)' });
  await expect(page.getByTestId('object-row').first()).toContainText('video.mp4');
  await page.getByLabel('Sort by').selectOption({ label: 'Last modified (oldest first)' });
  await expect(page.getByTestId('object-row').first()).toContainText('beach.jpg');

  // One "⋯" a row, not four buttons stacked: a row is a line or two high.
  const beach = page.getByTestId('object-row').filter({ hasText: 'beach.jpg' });
  await expect(beach.getByRole('button')).toHaveCount(1);
  expect((await beach.boundingBox())!.height).toBeLessThan(80);
  const more = beach.getByRole('button', { name: 'Actions for beach.jpg' });
  await more.click();
  const sheet = page.getByRole('group', { name: 'Actions for beach.jpg' });
  await expect(sheet.getByRole('button')).toHaveText(['Download', 'Rename', 'Share', 'Details']);
  await expect(sheet.getByRole('button', { name: 'Download beach.jpg' })).toBeFocused();
  await expect(more).toHaveAttribute('aria-expanded', 'true');
  await expect(sheet).toBeInViewport({ ratio: 1 });
  const axe = await new AxeBuilder({ page })
    .include('.row-sheet:popover-open')
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  expect(axe.violations.map((v) => v.id)).toEqual([]);
  await page.keyboard.press('Escape');
  await expect(sheet).toBeHidden();
  await expect(more).toBeFocused();
  await expect(more).toHaveAttribute('aria-expanded', 'false');
  // An action closes the sheet; the panel it opens gives focus back to "⋯" when it closes.
  await more.click();
  await sheet.getByRole('button', { name: 'Details of beach.jpg' }).click();
  await expect(sheet).toBeHidden();
  const details = page.getByRole('dialog', { name: 'Details of beach.jpg' });
  await expect(details.locator('dd').first()).toHaveText(`${folder}beach.jpg`);
  await page.keyboard.press('Escape');
  await expect(details).toHaveCount(0);
  await expect(more).toBeFocused();
  // Tab past its last button closes it.
  await more.click();
  await expect(sheet.getByRole('button', { name: 'Download beach.jpg' })).toBeFocused();
  await sheet.getByRole('button', { name: 'Details of beach.jpg' }).focus();
  await page.keyboard.press('Tab');
  await expect(sheet).toBeHidden();
  // A folder's: Download, Rename, Delete.
  await page.getByRole('button', { name: 'Actions for photos/' }).click();
  await expect(page.getByRole('group', { name: 'Actions for photos/' }).getByRole('button')).toHaveText([
    'Download',
    'Rename',
    'Delete',
  ]);
});

test('from a 320 px window (400 % zoom) or a 360 px phone to a tablet or a desktop at 200 % zoom, the list, Upload settings and Edit properties fit: no sideways scroll, every row button in view', async ({
  page,
}) => {
  const folder = `widths-${Date.now()}/`;
  await seedMany(storeClient(), [
    { key: `${folder}${'Quarterly report for the board meeting '.repeat(2).trim()}.pdf`, size: 3_000_000 },
    { key: `${folder}short.txt`, size: 10 },
    { key: `${folder}photos/a.txt`, size: 1 },
  ]);
  await page.goto(`/?prefix=${encodeURIComponent(folder)}`);
  await page.getByTestId('upload-settings').getByText('Upload settings').click();
  await page.getByRole('button', { name: 'Details of short.txt' }).click();
  await page.getByRole('button', { name: 'Edit properties' }).click();
  for (const width of [320, 360, 640, 768, 820]) {
    await page.setViewportSize({ width, height: 900 });
    // Polled: after a resize the page switches to (or from) its phone layout in a render of its own.
    const fit = () =>
      page.evaluate(() => {
        const card = document.querySelector('.objects-card')!;
        const right = card.getBoundingClientRect().right;
        // In view: the row's own (on a phone, its "⋯"), not a sheet that is closed.
        const buttons = [...card.querySelectorAll('td.row-actions button')].filter((b) =>
          b.checkVisibility(),
        );
        return {
          page: document.documentElement.scrollWidth <= window.innerWidth,
          card: card.scrollWidth <= card.clientWidth,
          buttons: buttons.length > 0 && buttons.every((b) => b.getBoundingClientRect().right <= right),
          fields: [...document.querySelectorAll('.settings-grid input, .settings-grid textarea')].every(
            (f) => f.getBoundingClientRect().right <= window.innerWidth,
          ),
          // A row's buttons in two lines at most, the lines apart (a column of four touching buttons
          // made each row 148 px tall at 640 px: a11y review, session 44).
          rows: [...card.querySelectorAll('td.row-actions')].every((cell) => {
            const boxes = [...cell.querySelectorAll(':scope > button, :scope > * > button')]
              .filter((b) => b.checkVisibility())
              .map((b) => b.getBoundingClientRect());
            const tops = [...new Set(boxes.map((b) => Math.round(b.top)))].sort((a, b) => a - b);
            const apart = boxes.every((a) =>
              boxes.every((b) => a === b || a.bottom <= b.top || b.bottom <= a.top || a.top === b.top),
            );
            return tops.length <= 2 && apart;
          }),
        };
      });
    await expect
      .poll(fit, { message: `${width} px` })
      .toEqual({ page: true, card: true, buttons: true, fields: true, rows: true });
  }
});

test('on a phone, Details with a long metadata name keeps every value in view, and an error reads in dark mode (WCAG contrast)', async ({
  page,
}) => {
  const key = `meta-phone-${Date.now()}.bin`;
  await storeClient().send(
    new PutObjectCommand({
      Bucket: BUCKET,
      Key: key,
      Body: 'hello',
      Metadata: { 'original-source-application': 'camera-app' },
    }),
  );
  await page.setViewportSize({ width: 360, height: 740 });
  await page.goto('/');
  await page.getByRole('button', { name: `Actions for ${key}` }).click();
  await page.getByRole('button', { name: `Details of ${key}` }).click();
  const dialog = page.getByRole('dialog', { name: `Details of ${key}` });
  await expect(dialog.locator('dd').first()).toHaveText(key);
  const fit = await dialog.evaluate((box) => {
    const right = box.getBoundingClientRect().right;
    return [...box.querySelectorAll('dd')].map((dd) => {
      const r = dd.getBoundingClientRect();
      return r.right <= right && r.width >= 200;
    });
  });
  expect(fit.length).toBeGreaterThan(5);
  expect(fit.every(Boolean), JSON.stringify(fit)).toBe(true);
  await page.keyboard.press('Escape');

  await page.emulateMedia({ colorScheme: 'dark' });
  await page.getByRole('button', { name: 'New folder' }).click();
  const form = page.getByRole('form', { name: 'New folder' });
  await form.getByLabel('Folder name').fill('..');
  await form.getByLabel('Folder name').press('Enter');
  await expect(form.getByRole('alert')).toHaveText('".." cannot be a folder name.');
  const result = await new AxeBuilder({ page })
    .include('form.new-folder')
    .withRules(['color-contrast'])
    .analyze();
  expect(result.violations.map((v) => v.nodes.map((n) => n.failureSummary))).toEqual([]);
});

test.describe('on a touch screen', () => {
  test.use({ hasTouch: true, viewport: { width: 360, height: 800 } });

  test('check boxes are 24 px targets at least (WCAG 2.2, 2.5.8), not 13 px', async ({ page }) => {
    const folder = `touch-${Date.now()}/`;
    await seedMany(storeClient(), [{ key: `${folder}a.txt`, size: 1 }]);
    await page.goto(`/?prefix=${encodeURIComponent(folder)}`);
    for (const box of [
      page.getByRole('checkbox', { name: 'Select a.txt' }),
      page.getByRole('checkbox', { name: /^Select all/ }),
    ]) {
      const size = await box.boundingBox();
      expect(size?.width).toBeGreaterThanOrEqual(24);
      expect(size?.height).toBeGreaterThanOrEqual(24);
    }
  });
});

test('what one tab uploads or deletes shows in another tab of the page at once, with no Refresh', async ({
  page,
  tmp,
}) => {
  const folder = `tabs-${Date.now()}/`;
  await seedMany(storeClient(), [{ key: `${folder}old.txt`, size: 3 }]);
  const other = await page.context().newPage();
  for (const p of [page, other]) {
    await p.goto(`/?prefix=${encodeURIComponent(folder)}`);
    await expect(p.getByTestId('object-row')).toHaveCount(1);
  }
  const file = await makeFile(tmp, 'new.txt', 100);
  await page.getByTestId('file-input').setInputFiles(file.path);
  await expect(other.getByRole('button', { name: 'Details of new.txt' })).toBeVisible();
  await other.getByRole('checkbox', { name: 'Select old.txt' }).check();
  await other.getByRole('button', { name: 'Delete selected' }).click();
  await other.getByRole('alertdialog').getByRole('button', { name: 'Delete', exact: true }).click();
  await expect(page.getByRole('button', { name: 'Details of old.txt' })).toHaveCount(0);
  await expect(page.getByTestId('object-row')).toHaveCount(1);
  await other.close();
});

test('a deleted folder leaves the list as soon as the delete ends, while its result shows', async ({
  page,
}) => {
  const parent = `delf-${Date.now()}/`;
  await seedMany(storeClient(), [
    ...Array.from({ length: 12 }, (_, i) => ({ key: `${parent}gone/f${i}.txt`, size: 4 })),
    { key: `${parent}kept/a.txt`, size: 1 },
  ]);
  await page.goto(`/?prefix=${encodeURIComponent(parent)}`);
  await page.getByRole('button', { name: 'Delete folder gone/' }).click();
  const dialog = page.getByRole('alertdialog', { name: 'Delete folder gone/' });
  await dialog.getByRole('button', { name: 'Delete folder' }).click();
  await expect(dialog.getByRole('status')).toHaveText('Deleted 12 objects.');
  await expect(page.getByRole('link', { name: 'gone/', exact: true })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Download folder gone/' })).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'kept/', exact: true })).toBeVisible();
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toHaveCount(0);
});

test('"Delete selected" says how many objects it deleted', async ({ page }) => {
  const folder = `delsel-${Date.now()}/`;
  await seedMany(
    storeClient(),
    Array.from({ length: 100 }, (_, i) => ({ key: `${folder}o${String(i).padStart(3, '0')}`, size: 1 })),
  );
  await page.goto(`/?prefix=${encodeURIComponent(folder)}`);
  await page.getByRole('checkbox', { name: 'Select all on this page' }).check();
  await page.getByRole('button', { name: 'Delete selected' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Delete', exact: true }).click();
  await expect(page.getByTestId('delete-result')).toHaveText('Deleted 100 objects.');
  await expect(page.getByTestId('object-row')).toHaveCount(0);
});

test('emptied by a delete, a later page says so, not that the folder is empty; Previous goes back', async ({
  page,
}) => {
  const folder = `lastpage-${Date.now()}/`;
  await seedMany(
    storeClient(),
    Array.from({ length: 103 }, (_, i) => ({ key: `${folder}o${String(i).padStart(3, '0')}`, size: 1 })),
  );
  await page.goto(`/?prefix=${encodeURIComponent(folder)}`);
  const rows = page.getByTestId('object-row');
  await expect(rows).toHaveCount(100);
  await page.getByRole('button', { name: 'Next page' }).click();
  await expect(rows).toHaveCount(3);
  await page.getByRole('checkbox', { name: 'Select all on this page' }).check();
  await page.getByRole('button', { name: 'Delete selected' }).click();
  const said = page.getByRole('status').and(page.getByTestId('delete-said'));
  await expect(said).toHaveText(''); // in the page before the outcome, so it is announced
  await page.getByRole('alertdialog').getByRole('button', { name: 'Delete', exact: true }).click();
  await expect(page.getByTestId('delete-result')).toHaveText('Deleted 3 objects.');
  await expect(said).toHaveText('Deleted 3 objects.');
  await expect(
    page.getByText('Nothing is left on this page; the pages before it still list theirs.'),
  ).toBeVisible();
  await expect(page.getByText(/This folder is empty/)).toHaveCount(0);
  await page.getByRole('button', { name: 'Previous page' }).click();
  await expect(rows).toHaveCount(100);
});

test('opening a folder shows "Loading…" until it is listed, never the rows of the folder before', async ({
  page,
}) => {
  const top = `switch-${Date.now()}/`;
  await seedMany(storeClient(), [
    { key: `${top}notes.txt`, size: 1 },
    { key: `${top}photos/a.jpg`, size: 1 },
  ]);
  await page.goto(`/?prefix=${encodeURIComponent(top)}`);
  const rows = page.getByTestId('object-row');
  await expect(rows).toHaveCount(1);
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route(
    (url) => url.pathname === '/api/objects' && url.searchParams.get('prefix') === `${top}photos/`,
    async (route) => {
      await held;
      await route.continue();
    },
  );
  await page.getByRole('link', { name: 'photos/', exact: true }).click();
  await expect(page.getByText('Loading…')).toBeVisible();
  await expect(rows).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'photos/', exact: true })).toHaveCount(0);
  release();
  await expect(rows).toHaveCount(1);
  await expect(rows).toContainText('a.jpg');
});

test('a deep folder trail is cut in the middle, and so is where uploads go: the top, the parent and the folder shown, the path in full on hover, and "…" unfolds the rest', async ({
  page,
}) => {
  const deep = `trail-${Date.now()}/one/two/three/four/`;
  await seedMany(storeClient(), [{ key: `${deep}x.txt`, size: 1 }]);
  await page.goto(`/?prefix=${encodeURIComponent(deep)}`);
  const crumbs = page.getByRole('navigation', { name: 'Folder' });
  await expect(crumbs).toHaveText('Bucket / … / three / four');
  await expect(crumbs).toHaveAttribute('title', `Bucket / ${deep.split('/').filter(Boolean).join(' / ')}`);
  // Where uploads go is cut the same way (a folder 300 levels down took nine lines), whole on hover.
  const destination = page.getByTestId('upload-destination');
  await expect(destination).toHaveText('Uploads go to Bucket / … / three / four');
  await expect(destination.locator('strong')).toHaveAttribute(
    'title',
    `Bucket / ${deep.split('/').filter(Boolean).join(' / ')}`,
  );
  await crumbs.getByRole('link', { name: 'three' }).click();
  await expect(crumbs.locator('[aria-current="page"]')).toHaveText('three');
  await expect(crumbs).toHaveText('Bucket / … / two / three');
  // "…" unfolds the folders between, which a touch screen's user cannot hover for: each is a link.
  await crumbs
    .getByRole('button', { name: `Show the 2 folders between: ${deep.split('/')[0]} / one` })
    .click();
  await expect(crumbs).toHaveText(`Bucket / ${deep.split('/')[0]} / one / two / three`);
  await crumbs.getByRole('link', { name: 'one' }).click();
  await expect(crumbs.locator('[aria-current="page"]')).toHaveText('one');
});

test('folder names and breadcrumbs are links to ?prefix=…: a plain click or Enter opens the folder in the page, Ctrl+click a new tab', async ({
  page,
}) => {
  const top = `links-${Date.now()}/`;
  await seedMany(storeClient(), [{ key: `${top}sub/a.txt`, size: 1 }]);
  await page.goto('/');
  // Set in the page: a reload would lose it.
  await page.evaluate(() => ((window as unknown as { hoistMark: number }).hoistMark = 1));
  const mark = () => page.evaluate(() => (window as unknown as { hoistMark?: number }).hoistMark);
  const crumbs = page.getByRole('navigation', { name: 'Folder' });
  const here = crumbs.locator('[aria-current="page"]');

  const folder = page.getByRole('link', { name: top, exact: true });
  await expect(folder).toHaveAttribute('href', `?prefix=${encodeURIComponent(top)}`);
  await folder.click();
  await expect(here).toHaveText(top.slice(0, -1));
  await expect(here).toBeFocused();
  expect(new URL(page.url()).searchParams.get('prefix')).toBe(top);
  expect(await mark()).toBe(1);

  // Ctrl+click: the browser opens the folder in a new tab; this one stays where it is.
  const sub = page.getByRole('link', { name: 'sub/', exact: true });
  await expect(sub).toHaveAttribute('href', `?prefix=${encodeURIComponent(`${top}sub/`)}`);
  const [tab] = await Promise.all([
    page.context().waitForEvent('page'),
    sub.click({ modifiers: ['Control'] }),
  ]);
  await expect(tab.getByRole('checkbox', { name: 'Select a.txt' })).toBeVisible();
  expect(new URL(tab.url()).searchParams.get('prefix')).toBe(`${top}sub/`);
  await tab.close();
  await expect(here).toHaveText(top.slice(0, -1));
  expect(new URL(page.url()).searchParams.get('prefix')).toBe(top);

  // The keyboard: Enter on the link opens it in the page.
  await sub.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('checkbox', { name: 'Select a.txt' })).toBeVisible();
  await expect(here).toBeFocused();
  expect(await mark()).toBe(1);

  // The crumbs above are links too; the top's is the bare page.
  const bucket = crumbs.getByRole('link', { name: 'Bucket', exact: true });
  await expect(bucket).toHaveAttribute('href', '/');
  await expect(crumbs.getByRole('link', { name: top.slice(0, -1), exact: true })).toHaveAttribute(
    'href',
    `?prefix=${encodeURIComponent(top)}`,
  );
  await bucket.click();
  await expect(page.getByRole('link', { name: top, exact: true })).toBeVisible();
  expect(new URL(page.url()).search).toBe('');
  expect(await mark()).toBe(1);
  // Back goes to the folder the links opened.
  await page.goBack();
  await expect(page.getByRole('checkbox', { name: 'Select a.txt' })).toBeVisible();
});
