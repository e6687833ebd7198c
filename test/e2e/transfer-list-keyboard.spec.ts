import type { Locator, Page } from '@playwright/test';
import { expect, storeClient, test, STORE_ORIGIN } from './support/fixtures.ts';
import { stubFolderPicker } from './support/opfs.ts';
import { seedMany } from './support/seed.ts';

/** Well above what the list's scroll box shows; below, a list renders every row. */
const ROWS_BOUND = 100;

const name = (i: number) => `f${String(i).padStart(4, '0')}.txt`;

/**
 * A windowed Downloads list of `count` rows that stay queued (or downloading) with a Pause and a Cancel
 * button each: the objects' GETs are held until the test ends. With `held`, only those rows do; the others
 * are done (no button).
 */
async function longDownloadList(page: Page, count: number, { held }: { held?: readonly number[] } = {}) {
  const prefix = `dlkeys-${Date.now()}/`;
  await seedMany(
    storeClient(),
    Array.from({ length: count }, (_, i) => ({ key: `${prefix}${name(i)}`, size: 10 })),
    32,
  );
  const heldNames = held && new Set(held.map(name));
  const isHeld = (url: string) => !heldNames || heldNames.has(new URL(url).pathname.split('/').pop()!);
  await page.route(`${STORE_ORIGIN}/**`, (route) =>
    route.request().method() === 'GET' && isHeld(route.request().url()) ? undefined : route.continue(),
  );
  await stubFolderPicker(page, 'keys');
  await page.goto('/');
  await page.getByRole('button', { name: `Download folder ${prefix}` }).click();
  const done = held ? count - held.length : 0;
  await expect(page.getByTestId('download-totals')).toContainText(`${done} of ${count} done`, {
    timeout: 60_000,
  });
  const list = page.getByRole('list', { name: 'Downloads' });
  await list.scrollIntoViewIfNeeded();
  const rows = page.getByTestId('download-row');
  await expect(rows.first()).toContainText(name(0));
  expect(await rows.count()).toBeLessThan(ROWS_BOUND);
  /** A row's label: the object's key. */
  const key = (i: number) => `${prefix}${name(i)}`;
  return { list, rows, key };
}

/** The accessible name of the focused element (its aria-label), or its tag when it has none. */
const focused = (page: Page) =>
  page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.tagName);

/**
 * Whether focus is on the control Tab (`'next'`) or Shift+Tab (`'previous'`) reaches from the list
 * when it has nowhere to go inside it: the nearest one after (or before) the list in the page. With
 * `focus`, focuses it first.
 */
const onControlBeside = (list: Locator, side: 'next' | 'previous', { focus = false } = {}) =>
  list.evaluate(
    (el, [side, focus]) => {
      const following = (other: Element) =>
        (el.compareDocumentPosition(other) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0;
      const controls = Array.from(
        document.querySelectorAll<HTMLElement>(
          'button:not([disabled]), a[href], input:not([disabled]), [tabindex]',
        ),
      ).filter(
        (c) =>
          c.tabIndex >= 0 && !el.contains(c) && c.checkVisibility() && following(c) === (side === 'next'),
      );
      const expected = side === 'next' ? controls[0] : controls[controls.length - 1];
      if (focus) expected?.focus();
      const name = (c: Element | null | undefined) => c && (c.getAttribute('aria-label') ?? c.textContent);
      return {
        focused: name(document.activeElement),
        expected: name(expected),
        same: expected === document.activeElement,
      };
    },
    [side, focus] as const,
  );

test('a row deep in a windowed list says its place and the list size (aria-posinset / aria-setsize)', async ({
  page,
  consoleErrors,
}) => {
  const count = 400;
  const { list, rows, key } = await longDownloadList(page, count);
  await expect(list).toHaveAttribute('role', 'list');
  await expect(rows.first()).toHaveAttribute('aria-posinset', '1');
  await expect(rows.first()).toHaveAttribute('aria-setsize', String(count));

  await list.evaluate((el) => el.scrollTo({ top: el.scrollHeight * 0.75 }));
  const deep = page.getByRole('listitem', { name: key(300), exact: true });
  await expect(deep).toBeAttached();
  await expect(deep).toHaveAttribute('aria-posinset', '301');
  await expect(deep).toHaveAttribute('aria-setsize', String(count));
  // Every row rendered says its own place, in order: those around the view, and the first and last
  // rows kept for Tab to come in at, where they belong.
  const rendered = await rows.evaluateAll((els) =>
    els.map((el) => ({
      place: Number(el.getAttribute('aria-posinset')),
      label: el.getAttribute('aria-label'),
    })),
  );
  const places = rendered.map((row) => row.place);
  expect(places.length).toBeLessThan(ROWS_BOUND);
  expect(rendered.map((row) => row.label)).toEqual(places.map((place) => key(place - 1)));
  expect(places).toEqual([1, ...places.slice(1, -1).map((_, j) => places[1]! + j), count]);
  // The spacers standing in for the other rows are no list items.
  await expect(list.getByRole('listitem')).toHaveCount(places.length);
  expect(consoleErrors).toEqual([]);
});

test('the row holding focus stays in the page, where it belongs, when the list scrolls far away; it goes once focus leaves', async ({
  page,
  consoleErrors,
}) => {
  const count = 400;
  const { list, rows, key } = await longDownloadList(page, count);
  const row = page.getByRole('listitem', { name: key(5), exact: true });
  const pauseOf = (i: number) => page.getByRole('button', { name: `Pause download of ${key(i)}` });
  const cancel = page.getByRole('button', { name: `Cancel download of ${key(5)}` });
  await cancel.focus();
  const top = await row.evaluate((el: HTMLElement) => el.offsetTop);

  await list.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
  await expect(rows.filter({ hasText: name(count - 1) })).toBeInViewport();
  expect(await focused(page)).toBe(`Cancel download of ${key(5)}`);
  await expect(cancel).toBeFocused();
  expect(await rows.count()).toBeLessThan(ROWS_BOUND);
  // Where it was, with its place in the list: the rows between it and the window are padding.
  expect(await row.evaluate((el: HTMLElement) => el.offsetTop)).toBe(top);
  await expect(row).toHaveAttribute('aria-posinset', '6');
  // Half way: still the same button, focused.
  await list.evaluate((el) => el.scrollTo({ top: el.scrollHeight / 2 }));
  await expect(rows.filter({ hasText: name(count / 2) })).toBeAttached();
  await expect(cancel).toBeFocused();
  // Tab and Shift+Tab go on from it in list order, as in a list of every row, and scroll to where they go.
  await page.keyboard.press('Tab');
  await expect(pauseOf(6)).toBeFocused();
  await expect(pauseOf(6)).toBeInViewport();
  await list.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
  await expect(rows.filter({ hasText: name(count - 1) })).toBeInViewport();
  await page.keyboard.press('Shift+Tab');
  await expect(cancel).toBeFocused();
  await expect(cancel).toBeInViewport();

  // Focus leaves the list while the row is out of view: the row is gone.
  await list.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
  await expect(rows.filter({ hasText: name(count - 1) })).toBeInViewport();
  await expect(row).toBeAttached();
  await page.getByRole('button', { name: 'Cancel all downloads' }).focus();
  await expect(row).toHaveCount(0);
  expect(await rows.count()).toBeLessThan(ROWS_BOUND);
  expect(consoleErrors).toEqual([]);
});

test('Tab walks a windowed list past the rows first rendered, and the list scrolls with it', async ({
  page,
}) => {
  const count = 300;
  const { rows, key } = await longDownloadList(page, count);
  await page.getByRole('button', { name: `Cancel download of ${key(0)}` }).focus();
  const firstRendered = await rows.count();
  // Beyond the last row rendered when Tab was first pressed.
  const steps = firstRendered + 20;
  for (let i = 1; i <= steps; i++) {
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe(`Pause download of ${key(i)}`);
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe(`Cancel download of ${key(i)}`);
  }
  await expect(page.getByRole('button', { name: `Cancel download of ${key(steps)}` })).toBeInViewport();
  // And back up with Shift+Tab.
  for (let i = steps; i >= steps - 5; i--) {
    await page.keyboard.press('Shift+Tab');
    expect(await focused(page)).toBe(`Pause download of ${key(i)}`);
    await page.keyboard.press('Shift+Tab');
    expect(await focused(page)).toBe(`Cancel download of ${key(i - 1)}`);
  }
  expect(await rows.count()).toBeLessThan(ROWS_BOUND);
});

test('a row button pressed from the keyboard that goes away (Cancel) leaves focus on what the row offers next, not on the page', async ({
  page,
  consoleErrors,
}) => {
  const count = 150;
  const { rows, key } = await longDownloadList(page, count);
  const row = page.getByRole('listitem', { name: key(3), exact: true });
  await page.getByRole('button', { name: `Cancel download of ${key(3)}` }).focus();
  await page.keyboard.press('Enter');
  await expect(row).toHaveAttribute('data-status', 'cancelled');
  await expect(page.getByRole('button', { name: `Cancel download of ${key(3)}` })).toHaveCount(0);
  // Focus is in the same row (its first button now, or the row), and Tab goes on to the next row.
  expect(await row.evaluate((el) => el.contains(document.activeElement))).toBe(true);
  await page.keyboard.press('Tab');
  expect(await focused(page)).toMatch(new RegExp(`download of ${key(4).replace(/[.]/g, '\\.')}$`));
  expect(await rows.count()).toBeLessThan(ROWS_BOUND);
  expect(consoleErrors).toEqual([]);
});

test('Tab and Shift+Tab reach the next row with a button however far below the rendered rows it is, and leave the list after the last', async ({
  page,
  consoleErrors,
}) => {
  const count = 250;
  // Every row but 3, 120 and 230 is done (no button); those three are far apart, each well beyond
  // the rows rendered around another.
  const { list, rows, key } = await longDownloadList(page, count, { held: [3, 120, 230] });
  const cancelOf = (i: number) => page.getByRole('button', { name: `Cancel download of ${key(i)}` });
  const pauseOf = (i: number) => page.getByRole('button', { name: `Pause download of ${key(i)}` });
  // Not among the rows rendered around the ones in view.
  await expect(cancelOf(120)).toHaveCount(0);
  await cancelOf(3).focus();

  await page.keyboard.press('Tab');
  await expect(pauseOf(120)).toBeFocused();
  await expect(pauseOf(120)).toBeInViewport();
  await page.keyboard.press('Tab');
  await expect(cancelOf(120)).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(pauseOf(230)).toBeFocused();
  await expect(pauseOf(230)).toBeInViewport();
  await page.keyboard.press('Tab');
  await expect(cancelOf(230)).toBeFocused();
  expect(await rows.count()).toBeLessThan(ROWS_BOUND);
  // No row with a button after it: Tab leaves the list for the control after it, as in a list of every row.
  await page.keyboard.press('Tab');
  expect(await onControlBeside(list, 'next')).toMatchObject({ same: true });

  // And back up, from the control after the list.
  await page.keyboard.press('Shift+Tab');
  await expect(cancelOf(230)).toBeFocused();
  await page.keyboard.press('Shift+Tab');
  await expect(pauseOf(230)).toBeFocused();
  await page.keyboard.press('Shift+Tab');
  await expect(cancelOf(120)).toBeFocused();
  await expect(cancelOf(120)).toBeInViewport();
  await page.keyboard.press('Shift+Tab');
  await expect(pauseOf(120)).toBeFocused();
  await page.keyboard.press('Shift+Tab');
  await expect(cancelOf(3)).toBeFocused();
  await expect(cancelOf(3)).toBeInViewport();
  await page.keyboard.press('Shift+Tab');
  await expect(pauseOf(3)).toBeFocused();
  await page.keyboard.press('Shift+Tab');
  expect(await onControlBeside(list, 'previous')).toMatchObject({ same: true });
  expect(await rows.count()).toBeLessThan(ROWS_BOUND);
  expect(consoleErrors).toEqual([]);
});

test('Tab and Shift+Tab from the page come into the list at its first and last rows with a button, however far from the rows in view', async ({
  page,
  consoleErrors,
}) => {
  const count = 250;
  // The rows in view and around them are done (no button), as after a big upload has run a while.
  const { list, rows, key } = await longDownloadList(page, count, { held: [150, 230] });
  const cancelOf = (i: number) => page.getByRole('button', { name: `Cancel download of ${key(i)}` });
  const pauseOf = (i: number) => page.getByRole('button', { name: `Pause download of ${key(i)}` });
  expect(await onControlBeside(list, 'previous', { focus: true })).toMatchObject({ same: true });
  await page.keyboard.press('Tab');
  await expect(pauseOf(150)).toBeFocused();
  await expect(pauseOf(150)).toBeInViewport();

  await list.evaluate((el) => el.scrollTo({ top: 0 }));
  expect(await onControlBeside(list, 'next', { focus: true })).toMatchObject({ same: true });
  await expect(rows.first()).toContainText(name(0));
  await page.keyboard.press('Shift+Tab');
  await expect(cancelOf(230)).toBeFocused();
  await expect(cancelOf(230)).toBeInViewport();
  expect(await rows.count()).toBeLessThan(ROWS_BOUND);
  expect(consoleErrors).toEqual([]);
});

test('a link first on the page, and one before each transfer list, skips to the objects: seen once focused', async ({
  page,
}) => {
  const objects = page.getByRole('heading', { name: 'Objects', level: 2 });
  const card = page.locator('section.objects-card');

  // From the top of the page, the first Tab stop.
  await page.goto('/');
  await expect(objects).toBeVisible();
  await page.keyboard.press('Tab');
  const top = page.getByRole('link', { name: 'Skip to the objects' }).first();
  await expect(top).toBeFocused();
  expect((await top.boundingBox())!.width).toBeGreaterThan(20); // seen while focused
  await page.keyboard.press('Enter');
  await expect(objects).toBeFocused();
  await page.keyboard.press('Tab');
  expect(await card.evaluate((el) => el.contains(document.activeElement))).toBe(true);

  // Coming from above the 150 rows of Downloads: the control just before the list is the link.
  const { list } = await longDownloadList(page, 150);
  const before = await onControlBeside(list, 'previous', { focus: true });
  expect(before.focused).toBe('Skip to the objects');
  expect(before.same).toBe(true);
  await page.keyboard.press('Enter');
  await expect(objects).toBeFocused();
  expect(page.url()).not.toContain('#');
  // Not focused, it takes no room.
  expect((await top.boundingBox())!.width).toBeLessThanOrEqual(1);
});
