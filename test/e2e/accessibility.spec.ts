import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, makeFile, storeClient, test } from './support/fixtures.ts';
import { seedObject } from './support/seed.ts';

/** WCAG 2.1 A and AA rules, as axe checks them, over what the page shows now. */
async function violations(page: Page) {
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  return result.violations.map((v) => ({
    rule: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary?.split('\n').slice(1, 2).join('')}`),
  }));
}

test('the page and its panels pass axe (WCAG 2.1 A and AA)', async ({ page, tmp }) => {
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
