import { HeadObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { mkdir, open, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Page } from '@playwright/test';
import { BUCKET, expect, makeFile, storeClient, test } from './support/fixtures.ts';
import { sha256Of, uploadsFor } from './support/s3-checks.ts';
import { throttle } from './support/network.ts';

async function keysUnder(prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await storeClient().send(
      new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix, ContinuationToken: token }),
    );
    keys.push(...(page.Contents ?? []).map((c) => c.Key!));
    token = page.NextContinuationToken;
  } while (token);
  return keys.sort();
}

test('a picked folder keeps its relative paths as key prefixes', async ({ page, tmp }) => {
  const top = `album-${Date.now()}`;
  await mkdir(join(tmp, top, 'day 1'), { recursive: true });
  await mkdir(join(tmp, top, 'day 2', 'raw'), { recursive: true });
  const a = await makeFile(join(tmp, top, 'day 1'), 'a.jpg', 1000);
  const b = await makeFile(join(tmp, top, 'day 2', 'raw'), 'b.cr2', 6 * 1024 * 1024 + 1);
  await writeFile(join(tmp, top, 'notes.txt'), 'hello');
  await page.goto('/');
  await page.getByTestId('folder-input').setInputFiles(join(tmp, top));
  const rows = page.getByTestId('upload-row');
  await expect(rows).toHaveCount(3);
  await expect(
    rows.filter({ has: page.getByTestId('upload-state').getByText('Done', { exact: true }) }),
  ).toHaveCount(3, {
    timeout: 60_000,
  });
  expect(await keysUnder(`${top}/`)).toEqual([
    `${top}/day 1/a.jpg`,
    `${top}/day 2/raw/b.cr2`,
    `${top}/notes.txt`,
  ]);
  expect(await sha256Of(storeClient(), `${top}/day 1/a.jpg`)).toBe(a.sha256);
  expect(await sha256Of(storeClient(), `${top}/day 2/raw/b.cr2`)).toBe(b.sha256);
  // The listing shows the new folder without a reload.
  await expect(page.getByRole('link', { name: `${top}/`, exact: true })).toBeVisible();
});

test('an existing key asks first: keep both, replace, or skip', async ({ page, tmp }) => {
  const name = `report-${Date.now()}.pdf`;
  const first = await makeFile(tmp, name, 2000);
  await page.goto('/');
  const input = page.getByTestId('file-input');
  await input.setInputFiles(first.path);
  const rows = page.getByTestId('upload-row');
  await expect(rows.first().getByTestId('upload-state')).toHaveText('Done', { timeout: 30_000 });

  // Same name again: the row waits for a choice.
  await page.getByRole('button', { name: 'Clear finished' }).click();
  const second = await makeFile(join(tmp), `second-${name}`, 3000);
  await input.setInputFiles({
    name,
    mimeType: 'application/pdf',
    buffer: await import('node:fs/promises').then((fs) => fs.readFile(second.path)),
  });
  await expect(rows.first().getByTestId('upload-state')).toHaveText('Already exists');
  // With what one decides by: the object's size and date, and this file's size.
  await expect(rows.first()).toContainText(
    new RegExp(
      `“${name}” already exists \\(2\\.0 KB, last modified \\d+/\\d+/\\d{4}, .+; this file is 2\\.9 KB\\)\\.`,
    ),
  );
  await rows.first().getByRole('button', { name: 'Keep both' }).click();
  await expect(rows.first().getByTestId('upload-state')).toHaveText('Done', { timeout: 30_000 });
  const numbered = name.replace('.pdf', ' (1).pdf');
  // The row says the name it was saved under (the file's own name is taken).
  await expect(rows.first().getByTestId('upload-saved-as')).toHaveText(`Saved as “${numbered}”`);
  expect(await sha256Of(storeClient(), numbered)).toBe(second.sha256);
  expect(await sha256Of(storeClient(), name)).toBe(first.sha256);

  // Replace overwrites; Skip leaves the object as it is.
  await page.getByRole('button', { name: 'Clear finished' }).click();
  await input.setInputFiles({ name, mimeType: 'application/pdf', buffer: Buffer.from('replaced') });
  await rows.first().getByRole('button', { name: 'Replace' }).click();
  await expect(rows.first().getByTestId('upload-state')).toHaveText('Done', { timeout: 30_000 });
  await expect(rows.first().getByTestId('upload-saved-as')).toHaveCount(0);
  await page.getByRole('button', { name: 'Clear finished' }).click();
  await input.setInputFiles({ name, mimeType: 'application/pdf', buffer: Buffer.from('skipped') });
  await rows.first().getByRole('button', { name: 'Skip' }).click();
  await expect(rows.first().getByTestId('upload-state')).toHaveText('Skipped');
  const { createHash } = await import('node:crypto');
  expect(await sha256Of(storeClient(), name)).toBe(createHash('sha256').update('replaced').digest('hex'));
});

test('a file already in the bucket byte for byte is not sent or asked about again; a changed one asks', async ({
  page,
  tmp,
}) => {
  const dir = join(tmp, `again-${Date.now()}`);
  await mkdir(dir);
  await writeFile(join(dir, 'same.txt'), 'unchanged notes\n');
  await writeFile(join(dir, 'edited.txt'), 'first draft\n');
  await page.goto('/');
  const input = page.getByTestId('folder-input');
  await input.setInputFiles(dir);
  const rows = page.getByTestId('upload-row');
  await expect(page.getByTestId('upload-totals')).toContainText('2 of 2 done', { timeout: 30_000 });
  const stored = await storeClient().send(
    new HeadObjectCommand({ Bucket: BUCKET, Key: `${basename(dir)}/same.txt` }),
  );

  // The same folder again, one file edited (same size: only the bytes tell them apart).
  await page.getByRole('button', { name: 'Clear finished' }).click();
  await writeFile(join(dir, 'edited.txt'), 'final draft\n');
  const puts: string[] = [];
  page.on('request', (r) => {
    if (r.method() === 'PUT') puts.push(r.url());
  });
  await input.setInputFiles(dir);
  const same = rows.filter({ hasText: 'same.txt' });
  await expect(same.getByTestId('upload-state')).toHaveText('Done', { timeout: 30_000 });
  await expect(same).toContainText('Already in the bucket with the same bytes, so it was not sent again.');
  const edited = rows.filter({ hasText: 'edited.txt' });
  await expect(edited.getByTestId('upload-state')).toHaveText('Already exists');
  expect(puts).toEqual([]);
  const after = await storeClient().send(
    new HeadObjectCommand({ Bucket: BUCKET, Key: `${basename(dir)}/same.txt` }),
  );
  expect(after.LastModified).toEqual(stored.LastModified);
  await edited.getByRole('button', { name: 'Replace' }).click();
  await expect(edited.getByTestId('upload-state')).toHaveText('Done', { timeout: 30_000 });
  const { createHash } = await import('node:crypto');
  expect(await sha256Of(storeClient(), `${basename(dir)}/edited.txt`)).toBe(
    createHash('sha256').update('final draft\n').digest('hex'),
  );
});

test('a folder uploaded again sends only the big files that changed: one read whole and found the same is done, as aws s3 sync skips it', async ({
  page,
  tmp,
}) => {
  const dir = join(tmp, `again-big-${Date.now()}`);
  await mkdir(dir);
  await makeFile(dir, 'same.mov', 12 * 1024 * 1024 + 7);
  await makeFile(dir, 'edited.mov', 12 * 1024 * 1024 + 7);
  await page.goto('/');
  const input = page.getByTestId('folder-input');
  await input.setInputFiles(dir);
  await expect(page.getByTestId('upload-totals')).toContainText('2 of 2 done', { timeout: 60_000 });
  const key = `${basename(dir)}/same.mov`;
  const stored = await storeClient().send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }));
  expect(stored.ETag).toMatch(/-3"$/);

  // One byte of the other changed, in its last part: only reading it all tells them apart.
  await page.getByRole('button', { name: 'Clear finished' }).click();
  const file = await open(join(dir, 'edited.mov'), 'r+');
  await file.write(Buffer.from([0x42]), 0, 1, 12 * 1024 * 1024);
  await file.close();
  const puts: string[] = [];
  page.on('request', (r) => {
    if (r.method() === 'PUT') puts.push(r.url());
  });
  await input.setInputFiles(dir);
  const rows = page.getByTestId('upload-row');
  const same = rows.filter({ hasText: 'same.mov' });
  await expect(same.getByTestId('upload-state')).toHaveText('Done', { timeout: 30_000 });
  await expect(same).toContainText('Already in the bucket with the same bytes, so it was not sent again.');
  await expect(rows.filter({ hasText: 'edited.mov' }).getByTestId('upload-state')).toHaveText(
    'Already exists',
  );
  expect(puts).toEqual([]);
  const after = await storeClient().send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }));
  expect(after.LastModified).toEqual(stored.LastModified);
  for (const name of ['same.mov', 'edited.mov'])
    expect(await uploadsFor(storeClient(), `${basename(dir)}/${name}`)).toEqual([]);
});

test("right after the page opens (the store's checksum algorithm not known yet), a file already in the bucket byte for byte is still not sent or asked about", async ({
  page,
  tmp,
}) => {
  const stamp = Date.now();
  const same = join(tmp, `opened-same-${stamp}.txt`);
  const edited = join(tmp, `opened-edited-${stamp}.txt`);
  await writeFile(same, 'unchanged notes\n');
  await writeFile(edited, 'final draft\n');
  for (const [path, body] of [
    [same, 'unchanged notes\n'],
    [edited, 'first draft\n'],
  ] as const)
    await storeClient().send(new PutObjectCommand({ Bucket: BUCKET, Key: basename(path), Body: body }));
  // /api/health (which names the algorithm) answers late, as Ceph RGW's did ~670 ms after navigation.
  let answerHealth!: () => void;
  const healthHeld = new Promise<void>((resolve) => (answerHealth = resolve));
  await page.route('**/api/health', async (route) => {
    await healthHeld;
    await route.continue();
  });
  const puts: string[] = [];
  page.on('request', (r) => {
    if (r.method() === 'PUT') puts.push(r.url());
  });
  await page.goto('/');
  await page.getByTestId('file-input').setInputFiles([same, edited]);
  const rows = page.getByTestId('upload-row');
  const sameRow = rows.filter({ hasText: basename(same) });
  await expect(sameRow.getByTestId('upload-state')).toHaveText('Done', { timeout: 30_000 });
  await expect(sameRow).toContainText('Already in the bucket with the same bytes, so it was not sent again.');
  await expect(rows.filter({ hasText: basename(edited) }).getByTestId('upload-state')).toHaveText(
    'Already exists',
  );
  expect(puts).toEqual([]);
  answerHealth();
});

test('a queue of 1,000 small files completes, one presigned PUT each and no Complete call; only the rows in view are in the page', async ({
  page,
  tmp,
}) => {
  const dir = join(tmp, `many-${Date.now()}`);
  await mkdir(dir);
  const paths: string[] = [];
  for (let i = 0; i < 1000; i++) {
    const path = join(dir, `f${String(i).padStart(4, '0')}.txt`);
    await writeFile(path, `file ${i}\n`);
    paths.push(path);
  }
  const prefix = dir.split('/').pop()!;
  await page.goto('/');
  let puts = 0;
  let completes = 0;
  page.on('request', (r) => {
    if (r.method() === 'PUT' && r.url().includes(`/${prefix}/`)) puts++;
    if (r.url().endsWith('/api/uploads/complete')) completes++;
  });
  await page.getByTestId('folder-input').setInputFiles(dir);
  await expect(page.getByTestId('upload-totals')).toContainText('1,000 of 1,000 done', { timeout: 170_000 });
  expect(await keysUnder(`${prefix}/`)).toHaveLength(1000);
  expect(puts).toBe(1000);
  // Two requests a file: create (which signs the PUT) and the PUT, whose 200 is the proof.
  expect(completes).toBe(0);
  expect(paths).toHaveLength(1000);

  // A windowed list: well under 100 rows in the page (a scroll box of 28rem shows a dozen), and
  // scrolling to the end shows the last files, done, while the first rows leave the page.
  const rows = page.getByTestId('upload-row');
  expect(await rows.count()).toBeLessThan(100);
  const first = (await rows.first().getAttribute('aria-label'))!;
  const list = page.getByRole('list', { name: 'Uploads' });
  await list.scrollIntoViewIfNeeded();
  await list.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
  await expect(page.getByRole('listitem', { name: first, exact: true })).toHaveCount(0);
  await expect(rows.last()).toBeInViewport();
  await expect(rows.last().getByTestId('upload-state')).toHaveText('Done');
  expect(await rows.count()).toBeLessThan(100);
});

/**
 * Picks two multipart files (their Complete is conditional) and two one-PUT files (signed
 * If-None-Match: *), each pair under one name; waits for two to be done and the other two to ask,
 * answers "Keep both for all", and checks both of each pair are stored byte for byte.
 */
async function pickSameNamedPairsAndKeepBoth(page: Page, base: string): Promise<void> {
  const { randomBytes, createHash } = await import('node:crypto');
  const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
  const files = [
    { name: `${base}.bin`, buffer: randomBytes(7 * 1024 * 1024) },
    { name: `${base}.bin`, buffer: randomBytes(6 * 1024 * 1024) },
    { name: `${base}.txt`, buffer: randomBytes(100) },
    { name: `${base}.txt`, buffer: randomBytes(200) },
  ];
  await page.goto('/');
  await page
    .getByTestId('file-input')
    .setInputFiles(files.map((f) => ({ ...f, mimeType: 'application/octet-stream' })));
  const rows = page.getByTestId('upload-row');
  const done = rows.filter({ has: page.getByTestId('upload-state').getByText('Done', { exact: true }) });
  const taken = page.getByRole('group', { name: 'Uploads whose name is taken' });
  await expect(taken).toContainText('2 files have a name that is already taken', { timeout: 60_000 });
  await expect(done).toHaveCount(2);
  await taken.getByRole('button', { name: 'Keep both for all' }).click();
  await expect(done).toHaveCount(4, { timeout: 60_000 });
  for (const ext of ['bin', 'txt']) {
    const stored = [
      await sha256Of(storeClient(), `${base}.${ext}`),
      await sha256Of(storeClient(), `${base} (1).${ext}`),
    ].sort();
    const picked = files.filter((f) => f.name.endsWith(ext)).map((f) => sha(f.buffer));
    expect(stored).toEqual(picked.sort());
  }
}

test('two files with the same name picked together: neither overwrites the other unasked', async ({
  page,
}) => {
  await pickSameNamedPairsAndKeepBoth(page, `same-${Date.now()}`);
});

test('against an older Hoist server with no POST /api/uploads/many (mid-deploy), files are created one a call and upload, names taken included', async ({
  page,
}) => {
  // What a server from before the route answers (its API's not-found handler).
  let manyCalls = 0;
  await page.route('**/api/uploads/many', (route) => {
    manyCalls++;
    return route.fulfill({
      status: 404,
      json: { error: { code: 'not-found', message: 'No API route POST /api/uploads/many.' } },
    });
  });
  let singleCreates = 0;
  page.on('request', (r) => {
    if (r.method() === 'POST' && new URL(r.url()).pathname === '/api/uploads') singleCreates++;
  });
  await pickSameNamedPairsAndKeepBoth(page, `older-${Date.now()}`);
  // Asked once, then one file a call: the four, and the two asked again with "Keep both" (more when
  // the two same-named files raced for one name).
  expect(manyCalls).toBe(1);
  expect(singleCreates).toBeGreaterThanOrEqual(6);
});

test('the same file picked again while it uploads is not added twice; the page says so', async ({
  page,
  tmp,
}) => {
  const file = await makeFile(tmp, `again-${Date.now()}.bin`, 30 * 1024 * 1024 + 1);
  const name = file.path.split('/').pop()!;
  await page.goto('/');
  const unthrottle = await throttle(page, { up: 5 * 1024 * 1024 });
  await page.getByTestId('file-input').setInputFiles(file.path);
  const rows = page.getByTestId('upload-row').filter({ hasText: name });
  await expect(rows.getByTestId('upload-state')).toHaveText(/Hashing|Uploading/, { timeout: 30_000 });
  await page.getByTestId('file-input').setInputFiles(file.path);
  await expect(page.getByTestId('upload-notice')).toHaveText(
    `“${name}” is already in the list, so it was not added again.`,
  );
  await expect(rows).toHaveCount(1);
  await unthrottle();
  await expect(rows.getByTestId('upload-state')).toHaveText('Done', { timeout: 60_000 });
  expect(await sha256Of(storeClient(), name)).toBe(file.sha256);
  expect(await keysUnder(name.replace(/\.bin$/, ''))).toEqual([name]);
});

test('"Cancel all" cancels every upload: none is left on the store, and the totals say only "3 cancelled"', async ({
  page,
  tmp,
}) => {
  const MiB = 1024 * 1024;
  const files = await Promise.all(
    [1, 2, 3].map((i) => makeFile(tmp, `cancel-all-${i}-${Date.now()}.bin`, 12 * MiB + i)),
  );
  const names = files.map((f) => basename(f.path));
  await page.goto('/');
  await throttle(page, { up: 2 * MiB });
  await page.getByTestId('file-input').setInputFiles(files.map((f) => f.path));
  const rows = page.getByTestId('upload-row');
  await expect(rows.getByTestId('upload-state').filter({ hasText: 'Uploading' }).first()).toBeVisible();
  await page.getByRole('button', { name: 'Cancel all' }).click();
  for (const name of names) {
    await expect(rows.filter({ hasText: name }).getByTestId('upload-state')).toHaveText('Cancelled');
  }
  await expect(page.getByTestId('upload-totals')).toHaveText(/^3 cancelled/);
  for (const name of names) {
    await expect.poll(() => uploadsFor(storeClient(), name), { timeout: 10_000 }).toEqual([]);
    await expect(storeClient().send(new HeadObjectCommand({ Bucket: BUCKET, Key: name }))).rejects.toThrow();
  }
});
