import { expect, test } from './support/fixtures.ts';

test('the page loads, the store is healthy and nothing logs an error', async ({ page, consoleErrors }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Hoist' })).toBeVisible();
  await expect(page.getByText('Embedded store · bucket hoist')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Choose files' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Objects' })).toBeVisible();
  await expect(page.getByRole('alert')).toHaveCount(0);
  expect(consoleErrors).toEqual([]);
});

test('the API answers with security headers', async ({ request }) => {
  const res = await request.get('/');
  const csp = res.headers()['content-security-policy'] ?? '';
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toMatch(/connect-src 'self' http:\/\/127\.0\.0\.1:\d+/);
  expect(csp).toMatch(/frame-src 'self' http:\/\/127\.0\.0\.1:\d+/);
  expect(res.headers()['x-content-type-options']).toBe('nosniff');
});
