import { GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { BUCKET, expect, makeFile, storeClient, test } from './support/fixtures.ts';

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
