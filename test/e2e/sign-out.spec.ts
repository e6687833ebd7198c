import { expect, makeFile, test } from './support/fixtures.ts';
import { throttle } from './support/network.ts';
import { launchHoist, type HoistProcess } from './support/processes.ts';

// A server with HOIST_ACCESS_TOKEN: signing in and out from the page, and the sign-in form when the
// address has sent too many wrong tokens.

const TOKEN = 'e2e-access-token-0123456789';
const MiB = 1024 * 1024;

let app: HoistProcess;

test.describe.configure({ mode: 'serial' });
test.beforeAll(async () => {
  // Its health answers 401 without a session: wait for the page only.
  app = await launchHoist({ HOIST_ACCESS_TOKEN: TOKEN }, { waitFor: 'page' });
});
test.afterAll(async () => {
  await app?.dispose();
});

test('signing in, then out: the form is back and the API refuses this browser', async ({ browser }) => {
  const context = await browser.newContext({ baseURL: app.baseURL });
  const page = await context.newPage();
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Sign out' })).toHaveCount(0);

  await page.getByLabel('Access token').fill(TOKEN);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Objects' })).toBeVisible();
  expect((await page.request.get('/api/objects')).status()).toBe(200);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Sign out' })).toHaveCount(0);
  await expect(page.getByRole('heading', { name: 'Objects' })).toHaveCount(0);
  expect((await context.cookies()).map((c) => c.name)).not.toContain('hoist_session');
  expect((await page.request.get('/api/objects')).status()).toBe(401);
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await context.close();
});

test('signing out while an upload runs asks first', async ({ browser, tmp }) => {
  const context = await browser.newContext({ baseURL: app.baseURL });
  const page = await context.newPage();
  await page.goto('/');
  await page.getByLabel('Access token').fill(TOKEN);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Objects' })).toBeVisible();
  const file = await makeFile(tmp, `sign-out-${Date.now()}.bin`, 24 * MiB);
  await throttle(page, { up: 2 * MiB });
  await page.getByTestId('file-input').setInputFiles(file.path);
  const row = page.getByTestId('upload-row').filter({ hasText: file.path.split('/').pop()! });
  await expect(row.getByRole('progressbar')).toBeVisible();

  const questions: string[] = [];
  page.once('dialog', (d) => {
    questions.push(d.message());
    void d.dismiss();
  });
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect
    .poll(() => questions)
    .toEqual(['Uploads or downloads are still running and will fail once you sign out. Sign out anyway?']);
  // Kept signed in: the upload goes on.
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
  expect((await page.request.get('/api/objects')).status()).toBe(200);

  page.once('dialog', (d) => void d.accept());
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  expect((await page.request.get('/api/objects')).status()).toBe(401);
  await context.close();
});

// Last: it leaves this address waiting out its wrong tokens for a minute.
test('the sign-in form says when too many wrong tokens came from this address', async ({ browser }) => {
  const context = await browser.newContext({ baseURL: app.baseURL });
  const page = await context.newPage();
  await page.goto('/');
  for (let i = 0; i < 10; i++) {
    const res = await page.request.post('/api/session', { data: { token: `guess-${i}` } });
    expect(res.status()).toBe(401);
  }
  await page.getByLabel('Access token').fill(TOKEN); // right, but not even compared now
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toHaveText(
    /^Too many wrong access tokens from your address\. Try again in \d+ s\.$/,
  );
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await context.close();
});
