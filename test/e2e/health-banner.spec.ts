import { expect, test } from './support/fixtures.ts';

// The banner for a Hoist server the page cannot reach: one sentence, shown soon after it happens.

const UNREACHABLE = 'The Hoist server cannot be reached; retrying every few seconds…';

test('the server unreachable: one sentence, asked again as soon as the tab is visible or the browser is back online', async ({
  page,
}) => {
  await page.goto('/');
  await expect(page.getByText('Embedded store · bucket hoist')).toBeVisible();
  const banner = page.getByRole('alert');
  await expect(banner).toHaveCount(0);

  // The tab comes back into view (polling stops while it is hidden): asked at once, not in 15 s.
  await page.waitForTimeout(5_500); // the health answer is fresh for 5 s: tab switches ask no sooner
  await page.route('**/api/health', (route) => route.abort('connectionrefused'));
  await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange', { bubbles: true })));
  await expect(banner).toHaveText(UNREACHABLE, { timeout: 3_000 });

  // It clears on its own (polled every 5 s while failing).
  await page.unroute('**/api/health');
  await expect(banner).toHaveCount(0, { timeout: 10_000 });

  // The browser comes back online: asked at once, however fresh the last answer.
  await page.route('**/api/health', (route) => route.abort('connectionrefused'));
  await page.evaluate(() => {
    window.dispatchEvent(new Event('offline'));
    window.dispatchEvent(new Event('online'));
  });
  await expect(banner).toHaveText(UNREACHABLE, { timeout: 3_000 });
});
