import { GetObjectCommand, HeadObjectCommand, PutBucketCorsCommand } from '@aws-sdk/client-s3';
import { hoistCorsRule } from '../../server/shared/hoist-cors-rule.ts';
import { createHash } from 'node:crypto';
import { BUCKET, expect, makeFile, storeClient, test } from './support/fixtures.ts';
import { externalStoreEnv, launchHoist, launchStore } from './support/processes.ts';

test('uploads a file through the page; the stored bytes match and it is listed and downloadable', async ({
  page,
  tmp,
  consoleErrors,
}) => {
  const file = await makeFile(tmp, `thin-path-${Date.now()}.bin`, 21 * 1024 * 1024 + 7);
  const name = file.path.split('/').pop()!;
  // In a folder of its own: the top of the shared bucket lists other tests' objects, 100 to a page.
  const folder = `${name}-folder/`;
  await page.goto(`/?prefix=${encodeURIComponent(folder)}`);
  await page.getByTestId('file-input').setInputFiles(file.path);
  const row = page.getByTestId('upload-row').filter({ hasText: name });
  await expect(row.getByTestId('upload-state')).toHaveText('Done', { timeout: 60_000 });
  await expect(row.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '100');

  const got = await storeClient().send(new GetObjectCommand({ Bucket: BUCKET, Key: `${folder}${name}` }));
  const bytes = await got.Body!.transformToByteArray();
  expect(createHash('sha256').update(bytes).digest('hex')).toBe(file.sha256);

  // Listed without a manual refresh, and downloadable through the browser's download manager.
  const listed = page.getByTestId('object-row').filter({ hasText: name });
  await expect(listed).toBeVisible();
  const downloadPromise = page.waitForEvent('download');
  await listed.getByRole('button', { name: `Download ${name}` }).click();
  const download = await downloadPromise;
  expect(download.suggestedFilename()).toBe(name);
  const path = await download.path();
  const { readFile } = await import('node:fs/promises');
  expect(
    createHash('sha256')
      .update(await readFile(path))
      .digest('hex'),
  ).toBe(file.sha256);
  expect(consoleErrors).toEqual([]);
});

test('an upload stores only the headers asked for: no Cache-Control the browser added to a conditional PUT', async ({
  page,
  tmp,
}) => {
  // One part (a single PUT sent with If-None-Match: *) and several (parts, then Complete).
  const small = await makeFile(tmp, `small-${Date.now()}.txt`, 3000);
  const big = await makeFile(tmp, `parts-${Date.now()}.bin`, 6 * 1024 * 1024);
  await page.goto('/');
  await page.getByTestId('file-input').setInputFiles([small.path, big.path]);
  for (const file of [small, big]) {
    const name = file.path.split('/').pop()!;
    const row = page.getByTestId('upload-row').filter({ hasText: name });
    await expect(row.getByTestId('upload-state')).toHaveText('Done', { timeout: 60_000 });
    const head = await storeClient().send(new HeadObjectCommand({ Bucket: BUCKET, Key: name }));
    expect([name, head.CacheControl, head.Expires]).toEqual([name, undefined, undefined]);
  }
});

test('on a real bucket whose CORS Hoist sets up, the page uploads whether it is opened at 127.0.0.1 or localhost', async ({
  browser,
  tmp,
}) => {
  // A store with no CORS of its own: only the rule Hoist puts there (S3_CONFIGURE_BUCKET) lets pages in.
  const store = await launchStore();
  const app = await launchHoist(externalStoreEnv(store.endpoint));
  try {
    for (const base of [app.baseURL, app.baseURL.replace('127.0.0.1', 'localhost')]) {
      const page = await browser.newPage({ baseURL: base });
      const file = await makeFile(
        tmp,
        `origin-${new URL(base).hostname}-${Date.now()}.bin`,
        6 * 1024 * 1024 + 3,
      );
      const name = file.path.split('/').pop()!;
      await page.goto('/');
      await page.getByTestId('file-input').setInputFiles(file.path);
      const row = page.getByTestId('upload-row').filter({ hasText: name });
      await expect(row.getByTestId('upload-state')).toHaveText('Done', { timeout: 60_000 });
      const got = await storeClient(store.endpoint).send(new GetObjectCommand({ Bucket: BUCKET, Key: name }));
      const bytes = await got.Body!.transformToByteArray();
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(file.sha256);
      await page.close();
    }
  } finally {
    await app.dispose();
    await store.dispose();
  }
});

test('a page open at an origin the bucket CORS rule does not name is told so; one at the origin it names is not', async ({
  browser,
}) => {
  const store = await launchStore();
  // Hoist does not set up this bucket: its operator wrote a rule for 127.0.0.1 only.
  const { S3_CONFIGURE_BUCKET: _, ...env } = externalStoreEnv(store.endpoint);
  const app = await launchHoist(env, { waitFor: 'page' });
  try {
    await storeClient(store.endpoint).send(
      new PutBucketCorsCommand({
        Bucket: BUCKET,
        CORSConfiguration: { CORSRules: [hoistCorsRule([app.baseURL])] },
      }),
    );
    const local = app.baseURL.replace('127.0.0.1', 'localhost');
    const there = await browser.newPage({ baseURL: local });
    await there.goto('/');
    await expect(there.getByRole('alert').filter({ hasText: 'CORS' })).toContainText(
      `does not allow PUT and GET from ${local}`,
      { timeout: 30_000 },
    );
    const named = await browser.newPage({ baseURL: app.baseURL });
    await named.goto('/');
    await expect(named.getByText('S3 · bucket hoist')).toBeVisible();
    await expect(named.getByRole('alert')).toHaveCount(0, { timeout: 30_000 });
  } finally {
    await app.dispose();
    await store.dispose();
  }
});
