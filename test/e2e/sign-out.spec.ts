import type { Page } from '@playwright/test';
import { expect, makeFile, storeClient, test } from './support/fixtures.ts';
import { sha256Of } from './support/s3-checks.ts';
import { seedMany } from './support/seed.ts';
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

/** Clicks Sign out, answers the question it asks with "stay" at once, and gives its text. */
async function signOutAsks(page: Page): Promise<string> {
  const asked = new Promise<string>((resolve) =>
    page.once('dialog', (dialog) => {
      resolve(dialog.message());
      void dialog.dismiss();
    }),
  );
  await page.getByRole('button', { name: 'Sign out' }).click();
  return asked;
}

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

test('signing out while an upload runs asks first, and the upload waits under the form until signed in again', async ({
  browser,
  tmp,
}) => {
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

  expect(await signOutAsks(page)).toBe(
    'Uploads or downloads are still running: they wait while you are signed out and go on once you sign in again. Sign out anyway?',
  );
  // Kept signed in: the upload goes on.
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
  expect((await page.request.get('/api/objects')).status()).toBe(200);

  page.once('dialog', (d) => void d.accept());
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  expect((await page.request.get('/api/objects')).status()).toBe(401);
  // The upload stays in view under the form, held: refused 401, it waits for the session, parts kept.
  await expect(row.getByTestId('upload-waiting')).toHaveText('Waiting for you to sign in…', {
    timeout: 30_000,
  });
  await expect(row.getByTestId('upload-state')).not.toHaveText('Failed');
  // Only the list: no box or picker takes new files while signed out.
  await expect(page.getByRole('button', { name: 'Choose files' })).toHaveCount(0);
  await expect(page.getByTestId('file-input')).toHaveCount(0);
  await page.getByLabel('Access token').fill(TOKEN);
  await page.getByRole('button', { name: 'Sign in' }).click();
  // Signed in again, it goes on by itself.
  await expect(row.getByTestId('upload-state')).toHaveText(/^(Done|Failed)$/, { timeout: 60_000 });
  await expect(row.getByTestId('upload-state')).toHaveText('Done');
  expect(await sha256Of(storeClient(app.storeEndpoint), file.path.split('/').pop()!)).toBe(file.sha256);
  await context.close();
});

test('signing out in one tab shows the other tab the form; signing in again there lets its upload in the background go on', async ({
  browser,
  tmp,
}) => {
  const context = await browser.newContext({ baseURL: app.baseURL });
  const first = await context.newPage();
  await first.goto('/');
  await first.getByLabel('Access token').fill(TOKEN);
  await first.getByRole('button', { name: 'Sign in' }).click();
  await expect(first.getByRole('heading', { name: 'Objects' })).toBeVisible();
  const second = await context.newPage();
  await second.goto('/');
  await expect(second.getByRole('heading', { name: 'Objects' })).toBeVisible();
  const file = await makeFile(tmp, `two-tabs-session-${Date.now()}.bin`, 24 * MiB);
  const name = file.path.split('/').pop()!;
  const unthrottle = await throttle(second, { up: 2 * MiB });
  await second.getByTestId('file-input').setInputFiles(file.path);
  const row = second.getByTestId('upload-row').filter({ hasText: name });
  await expect(row.getByRole('progressbar')).toBeVisible();
  // The second tab goes to the background: its health checks pause (as in a browser window behind
  // another), so only being told by the first tab can bring its upload back.
  await second.evaluate(() => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
    document.dispatchEvent(new Event('visibilitychange'));
  });

  first.once('dialog', (d) => void d.accept());
  await first.getByRole('button', { name: 'Sign out' }).click();
  await expect(first.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  // The form there too, and the upload held for the session.
  await expect(second.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await expect(row.getByTestId('upload-waiting')).toHaveText('Waiting for you to sign in…', {
    timeout: 30_000,
  });
  await unthrottle();

  // Signed in again in the first tab, with the token pasted with a line break after it.
  await first.getByLabel('Access token').fill(`${TOKEN}\n`);
  await first.getByRole('button', { name: 'Sign in' }).click();
  await expect(first.getByRole('heading', { name: 'Objects' })).toBeVisible();
  await expect(row.getByTestId('upload-state')).toHaveText(/^(Done|Failed)$/, { timeout: 60_000 });
  await expect(row.getByTestId('upload-state')).toHaveText('Done');
  expect(await second.evaluate(() => document.visibilityState)).toBe('hidden');
  expect(await sha256Of(storeClient(app.storeEndpoint), name)).toBe(file.sha256);
  await context.close();
});

test('signing out while a folder delete runs asks first', async ({ browser }) => {
  const context = await browser.newContext({ baseURL: app.baseURL });
  const page = await context.newPage();
  const f = `so-run-${Date.now()}/`;
  await seedMany(storeClient(app.storeEndpoint), [
    { key: `${f}a.txt`, size: 3 },
    { key: `${f}b.txt`, size: 4 },
  ]);
  // The delete call waits until the question has been asked.
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  await page.route('**/api/objects/delete', async (route) => {
    await held;
    await route.continue();
  });
  await page.goto('/');
  await page.getByLabel('Access token').fill(TOKEN);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: `Delete folder ${f}` }).click();
  const dialog = page.getByRole('alertdialog', { name: `Delete folder ${f}` });
  await dialog.getByRole('button', { name: 'Delete folder' }).click();
  await expect(dialog.getByRole('button', { name: 'Stop' })).toBeVisible();

  expect(await signOutAsks(page)).toBe(
    'A move, copy or delete is still running and stops part-way once you sign out. Sign out anyway?',
  );
  release();
  await expect(dialog.getByRole('status')).toHaveText('Deleted 2 objects.');
  await context.close();
});

test('a right token whose session cookie the browser does not keep says so, rather than showing the form again', async ({
  browser,
}) => {
  const context = await browser.newContext({ baseURL: app.baseURL });
  const page = await context.newPage();
  // The server's yes, with no cookie kept: as a browser that blocks cookies for the site (or drops a
  // Secure one over plain http) leaves it. (route.fetch() would store the cookie in the context.)
  await page.route('**/api/session', (route) =>
    route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ signedIn: true }) }),
  );
  await page.goto('/');
  await page.getByLabel('Access token').fill(TOKEN);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toContainText('did not keep the session');
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await context.close();
});

test('behind one address with a server that has another HOIST_SECRET, signing in says so, not that cookies are blocked', async ({
  browser,
}) => {
  // A second instance with its own secret (each generates one when none is set); the page's health
  // check after signing in reaches it, as a round-robin load balancer would send it.
  const other = await launchHoist(
    { HOIST_ACCESS_TOKEN: TOKEN, HOIST_SECRET: 'another-instance-secret-'.padEnd(40, 'z') },
    { waitFor: 'page' },
  );
  try {
    const context = await browser.newContext({ baseURL: app.baseURL });
    const page = await context.newPage();
    await page.goto('/');
    await page.route('**/api/health', async (route) =>
      route.fulfill({ response: await route.fetch({ url: `${other.baseURL}/api/health` }) }),
    );
    await page.getByLabel('Access token').fill(TOKEN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert')).toHaveText(
      'The token is right, but the Hoist server that answered next did not take the session it gave: the servers behind this address do not share their HOIST_SECRET. Ask whoever runs Hoist to set the same HOIST_SECRET on each.',
    );
    await context.close();
  } finally {
    await other.dispose();
  }
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
  // The page's clock, moved on by hand below (the server's own wait is real: a minute).
  await context.clock.install();
  await page.getByLabel('Access token').fill(TOKEN); // right, but not even compared now
  const signIn = page.getByRole('button', { name: 'Sign in' });
  await signIn.click();
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('Too many wrong access tokens from your address.');
  // Said once with the wait the server gave; shown counting down, the button off until it is over.
  const said = Number((await alert.locator('.sr-only').textContent())!.match(/^Try again in (\d+) s\.$/)![1]);
  expect(said).toBeGreaterThan(40);
  expect(said).toBeLessThanOrEqual(60);
  const shown = alert.locator('[aria-hidden="true"]');
  await expect(shown).toHaveText(`Try again in ${said} s.`);
  await expect(signIn).toBeDisabled();
  await context.clock.fastForward(10_000);
  await expect(shown).toHaveText(/^Try again in (\d+) s\.$/);
  const later = Number((await shown.textContent())!.match(/(\d+)/)![1]);
  expect(later).toBeLessThanOrEqual(said - 9);
  await expect(signIn).toBeDisabled();
  await context.clock.fastForward(61_000);
  await expect(shown).toHaveText('You can try again now.');
  await expect(page.getByRole('status').filter({ hasText: 'You can sign in again now.' })).toHaveCount(1);
  await expect(signIn).toBeEnabled();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await context.close();
});
