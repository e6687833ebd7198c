import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, makeFile, storeClient, test } from './support/fixtures.ts';
import { seedObject } from './support/seed.ts';

/** WCAG 2.2 A and AA rules (target size among them), as axe checks them, over what the page shows now. */
async function violations(page: Page) {
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
    .analyze();
  return result.violations.map((v) => ({
    rule: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary?.split('\n').slice(1, 2).join('')}`),
  }));
}

test('the page and its panels pass axe (WCAG 2.2 A and AA)', async ({ page, tmp }) => {
  const folder = `a11y-${Date.now()}`;
  await seedObject(storeClient(), `${folder}/report.pdf`, 3000);
  await seedObject(storeClient(), `${folder}/photos/a.jpg`, 3000);
  await page.goto('/');
  await page.getByRole('link', { name: `${folder}/`, exact: true }).click();
  await expect(page.getByRole('button', { name: 'Details of report.pdf' })).toBeVisible();
  const file = await makeFile(tmp, 'notes.txt', 2000);
  await page.getByTestId('file-input').setInputFiles(file.path);
  await expect(page.getByText('Done', { exact: true }).first()).toBeVisible();
  const seen: Record<string, unknown> = { page: await violations(page) };

  await page.getByRole('button', { name: 'Details of report.pdf' }).click();
  await page.getByRole('button', { name: 'Edit properties' }).click();
  seen.details = await violations(page);
  await page.keyboard.press('Escape');
  await page.keyboard.press('Escape');

  await page.getByRole('checkbox', { name: 'Select folder photos/' }).check();
  await page.getByRole('button', { name: 'Move or copy' }).click();
  await expect(page.getByText('Move or copy 1 folder: 1 object')).toBeVisible();
  seen.move = await violations(page);
  await page.keyboard.press('Escape');

  await page.getByRole('button', { name: 'Share report.pdf' }).click();
  seen.share = await violations(page);
  await page.keyboard.press('Escape');

  await page.getByRole('button', { name: 'Delete selected' }).click();
  seen.delete = await violations(page);

  await page.locator('summary', { hasText: 'Upload settings' }).click();
  seen.settings = await violations(page);

  // The same colours in dark mode (prefers-color-scheme), panels open.
  await page.emulateMedia({ colorScheme: 'dark' });
  seen.dark = await violations(page);

  expect(seen).toEqual({ page: [], details: [], move: [], share: [], delete: [], settings: [], dark: [] });
});

/**
 * Contrast in the page, as WCAG computes it: the relative luminance of two sRGB colours. axe cannot tell
 * a field's edge from decoration (1.4.11), and does not look at placeholders or forced colours.
 */
async function contrasts(page: Page) {
  return page.evaluate(() => {
    const rgb = (css: string) => (css.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number);
    const luminance = (css: string) => {
      const [r, g, b] = rgb(css).map((v) => {
        const c = v / 255;
        return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
    };
    const ratio = (a: string, b: string) => {
      const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
      return Math.round(((hi! + 0.05) / (lo! + 0.05)) * 100) / 100;
    };
    const card = getComputedStyle(document.querySelector('.card')!).backgroundColor;
    const field = document.querySelector('input[type="search"]')!;
    const icons = [...document.querySelectorAll('table.objects .icon[data-kind]')].map((icon) => ({
      kind: icon.getAttribute('data-kind'),
      color: getComputedStyle(icon).color,
    }));
    return {
      fieldEdge: ratio(getComputedStyle(field).borderTopColor, card),
      placeholder: ratio(getComputedStyle(field, '::placeholder').color, card),
      iconLeast: Math.min(...icons.map((icon) => ratio(icon.color, card))),
      iconColours: Object.fromEntries(icons.map((icon) => [icon.kind, icon.color])),
    };
  });
}

test('fields keep a visible edge and placeholder in both themes, and file icons a colour of their kind; in forced colours the bars keep their fill, and a selected row its mark (a11y review, session 44)', async ({
  page,
  tmp,
}) => {
  const folder = `contrast-${Date.now()}`;
  await seedObject(storeClient(), `${folder}/a.txt`, 100);
  for (const name of ['b.jpg', 'c.mp4', 'd.zip', 'e.mp3'])
    await seedObject(storeClient(), `${folder}/${name}`, 10);
  await page.goto(`/?prefix=${encodeURIComponent(`${folder}/`)}`);
  await expect(page.getByRole('checkbox', { name: 'Select a.txt' })).toBeVisible();
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    const seen = await contrasts(page);
    expect(seen.fieldEdge, `a field's edge on the card, ${colorScheme}`).toBeGreaterThanOrEqual(3);
    expect(seen.placeholder, `placeholder text, ${colorScheme}`).toBeGreaterThanOrEqual(4.5);
    // Told apart at a glance (the marks alone are small at 16 px), each visible on the card.
    expect(Object.keys(seen.iconColours).sort()).toEqual(['archive', 'audio', 'document', 'image', 'video']);
    expect(new Set(Object.values(seen.iconColours)).size, `icon colours, ${colorScheme}`).toBe(5);
    expect(seen.iconLeast, `file icons on the card, ${colorScheme}`).toBeGreaterThanOrEqual(3);
  }

  const file = await makeFile(tmp, 'bar.txt', 2000);
  await page.getByTestId('file-input').setInputFiles(file.path);
  await expect(page.getByText('Done', { exact: true }).first()).toBeVisible();
  await page.getByRole('checkbox', { name: 'Select a.txt' }).check();
  await page.emulateMedia({ colorScheme: 'light', forcedColors: 'active' });
  const forced = await page.evaluate(() => {
    const bar = document.querySelector('.uploads .progress')!;
    const fill = bar.querySelector('.progress-fill')!;
    const cell = document.querySelector('tr[aria-selected="true"] > td')!;
    return {
      track: getComputedStyle(bar).backgroundColor,
      edge: getComputedStyle(bar).borderTopStyle,
      fill: getComputedStyle(fill).backgroundColor,
      selected: getComputedStyle(cell).borderLeftStyle,
    };
  });
  expect(forced.edge).toBe('solid');
  expect(forced.fill).not.toBe(forced.track);
  expect(forced.selected).toBe('solid');
});
