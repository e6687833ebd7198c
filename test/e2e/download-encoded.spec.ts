import { PutObjectCommand } from '@aws-sdk/client-s3';
import { createHash, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { BUCKET, expect, storeClient, test } from './support/fixtures.ts';
import { readFolder, stubFolderPicker } from './support/opfs.ts';

const MiB = 1024 * 1024;
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** Puts `body` as stored gzip-encoded bytes (as `aws s3 cp --content-encoding gzip` does). */
async function putEncoded(key: string, body: Buffer, contentType: string) {
  await storeClient().send(
    new PutObjectCommand({
      Bucket: BUCKET,
      Key: key,
      Body: body,
      ContentEncoding: 'gzip',
      ContentType: contentType,
      ChecksumAlgorithm: 'CRC32',
    }),
  );
  return { key, size: body.length, sha256: sha256(body) };
}

// Chromium decodes a `Content-Encoding: gzip` body on the fly: without Hoist asking the store for
// `identity`, the single download saved the decoded text under the .gz name, and the folder download
// failed ("sent more than the … bytes expected"), the big one's ranges undecodable.
test('objects stored gzip-encoded download as their stored bytes, verified: into a folder (plain and ranged) and one by one', async ({
  page,
  consoleErrors,
}) => {
  const prefix = `gz-${Date.now()}/`;
  const small = await putEncoded(`${prefix}page.html`, gzipSync('<p>hello</p>\n'.repeat(5000)), 'text/html');
  // Over the range threshold (64 MiB): downloaded as parallel ranges of the stored bytes.
  const big = await putEncoded(
    `${prefix}data.bin.gz`,
    gzipSync(randomBytes(66 * MiB), { level: 1 }),
    'application/octet-stream',
  );
  await stubFolderPicker(page, 'gz');
  await page.goto('/');
  await page.getByRole('button', { name: `Download folder ${prefix}` }).click();
  const rows = page.getByTestId('download-row');
  await expect(rows).toHaveCount(2);
  for (const name of ['page.html', 'data.bin.gz']) {
    const row = rows.filter({ hasText: name });
    await expect(row.getByTestId('download-state').getByText('Done', { exact: true })).toBeVisible({
      timeout: 60_000,
    });
    await expect(row).toContainText('Checksum verified');
  }
  expect(await readFolder(page, 'gz')).toEqual({
    [small.key]: { size: small.size, sha256: small.sha256 },
    [big.key]: { size: big.size, sha256: big.sha256 },
  });

  // The row's own Download: the browser's download manager gets the stored bytes too.
  await page.getByRole('link', { name: prefix, exact: true }).click();
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download page.html' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe('page.html');
  expect(sha256(await readFile(await download.path()))).toBe(small.sha256);
  expect(consoleErrors).toEqual([]);
});
