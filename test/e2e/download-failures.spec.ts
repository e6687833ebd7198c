/**
 * What a download does when things go wrong around it: the connection drops, the tab is left, a file
 * is already (half) there, a button is clicked twice, some files fail, keys are no file names.
 */
import type { Dialog } from '@playwright/test';
import { BUCKET, expect, storeClient, test, STORE_ORIGIN } from './support/fixtures.ts';
import { startCuttingProxy } from './support/cutting-proxy.ts';
import { throttle } from './support/network.ts';
import { readFolder, stubFolderPicker } from './support/opfs.ts';
import { externalStoreEnv, launchHoist, launchStore } from './support/processes.ts';
import { seedBigObject, seedMany, seedObject } from './support/seed.ts';
import { untilPercent } from './support/progress.ts';

const MiB = 1024 * 1024;

test('a download waits while the browser is offline and goes on by itself from the ranges it saved', async ({
  page,
  context,
  tmp,
}) => {
  const prefix = `dloffline-${Date.now()}/`;
  const seed = await seedBigObject(storeClient(), tmp, `${prefix}big.bin`, 120 * MiB);
  const ranges: string[] = [];
  page.on('request', (r) => {
    if (r.url().startsWith(STORE_ORIGIN) && r.method() === 'GET' && r.headers()['range'])
      ranges.push(r.headers()['range']!);
  });
  await stubFolderPicker(page, 'offline');
  await page.goto('/');
  await throttle(page, { up: -1, down: 15 * MiB });
  await page.getByRole('button', { name: `Download folder ${prefix}` }).click();
  const row = page.getByTestId('download-row').filter({ hasText: 'big.bin' });
  const state = row.getByTestId('download-state');
  await untilPercent(row, 40);

  await context.setOffline(true);
  await expect(state).toHaveText('Waiting for the connection…');
  // Hold the outage well past the retries' backoff: the row keeps waiting, it does not fail.
  await page.waitForTimeout(6_000);
  await expect(state).toHaveText('Waiting for the connection…');
  await expect(page.getByTestId('download-failure')).toHaveCount(0);

  await context.setOffline(false);
  await expect(state).toHaveText('Done', { timeout: 120_000 });
  // Went on from what it had saved: the first range was fetched once, before the outage.
  expect(ranges.filter((r) => r === `bytes=0-${8 * MiB - 1}`)).toHaveLength(1);
  expect(await readFolder(page, 'offline')).toEqual({ [seed.key]: { size: seed.size, sha256: seed.sha256 } });
});

test('a connection that breaks twice mid-object goes on from the last byte saved, not from byte 0', async ({
  browser,
}) => {
  // The browser reaches the store through a proxy that breaks the connection midway (S3_PUBLIC_ENDPOINT).
  const store = await launchStore();
  const proxy = await startCuttingProxy(store.endpoint);
  const app = await launchHoist({ ...externalStoreEnv(store.endpoint), S3_PUBLIC_ENDPOINT: proxy.endpoint });
  try {
    const key = `dlbreak-${Date.now()}/big.bin`;
    const size = 24 * MiB; // under the ranged threshold: one plain GET
    const seed = await seedObject(storeClient(store.endpoint), key, size);
    const path = `/${BUCKET}/${key}`;
    proxy.cut(path, 7 * MiB, 2);
    const page = await browser.newPage({ baseURL: app.baseURL });
    const gets: string[] = [];
    page.on('request', (r) => {
      if (r.url().startsWith(proxy.endpoint) && r.method() === 'GET')
        gets.push(r.headers()['range'] ?? 'whole');
    });
    await stubFolderPicker(page, 'break');
    await page.goto('/');
    // A fast link, not loopback speed: unthrottled, Chromium reads megabytes ahead of the page, and
    // what it held but had not handed over when the connection broke is lost (sent again, once).
    await throttle(page, { up: -1, down: 16 * MiB });
    await page.getByRole('button', { name: `Download folder ${key.split('/')[0]}/` }).click();
    const row = page.getByTestId('download-row').filter({ hasText: 'big.bin' });
    await expect(row.getByTestId('download-state')).toHaveText('Done', { timeout: 60_000 });
    // The stored CRC32 went on over the bytes saved before each break: the file is proved whole.
    await expect(row).toContainText('Checksum verified');
    expect(await readFolder(page, 'break')).toEqual({ [key]: { size, sha256: seed.sha256 } });
    // Each retry asked for the rest only (pinned to the version), from further on each time...
    expect(gets).toHaveLength(3);
    const starts = gets.slice(1).map((range) => Number(/^bytes=(\d+)-(\d+)$/.exec(range)?.[1]));
    expect(starts[0]).toBeGreaterThan(0);
    expect(starts[1]).toBeGreaterThan(starts[0]!);
    for (const range of gets.slice(1)) expect(range).toMatch(new RegExp(`-${size - 1}$`));
    // ...so the object crossed the wire about once: only what was in flight at each break is sent again
    // (socket buffers and the page's batch of chunks not yet written: 2.5 MiB each once, on a CI run
    // beside other work), where restarts from byte 0 would send 7 + 7 + 24 = 38 MiB.
    expect(proxy.bytesServed(path)).toBeLessThan(size + 8 * MiB);
    await page.close();
  } finally {
    await app.dispose();
    await proxy.close();
    await store.dispose();
  }
});

test('leaving the page while a download runs or is paused asks first; once it is over, it does not', async ({
  page,
  tmp,
}) => {
  const prefix = `dlleave-${Date.now()}/`;
  await seedBigObject(storeClient(), tmp, `${prefix}big.bin`, 100 * MiB);
  await stubFolderPicker(page, 'leave');
  await page.goto('/');
  const restore = await throttle(page, { up: -1, down: 5 * MiB });
  await page.getByRole('button', { name: `Download folder ${prefix}` }).click();
  const row = page.getByTestId('download-row').filter({ hasText: 'big.bin' });
  await expect(row.getByTestId('download-state')).toHaveText('Downloading');

  const dialog = page.waitForEvent('dialog');
  await page.close({ runBeforeUnload: true });
  const asked = await dialog;
  expect(asked.type()).toBe('beforeunload');
  await asked.dismiss(); // stay
  await expect(row.getByTestId('download-state')).toHaveText('Downloading');

  // A single download handed to the browser meanwhile leaves nothing: the page does not ask.
  await page.getByRole('link', { name: prefix, exact: true }).click();
  const unasked: string[] = [];
  const onDialog = (d: Dialog) => {
    unasked.push(d.type());
    void d.dismiss();
  };
  page.on('dialog', onDialog);
  const handed = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download big.bin' }).click();
  await (await handed).cancel();
  page.off('dialog', onDialog);
  expect(unasked).toEqual([]);
  await expect(row.getByTestId('download-state')).toHaveText('Downloading');

  // Paused is not over: leaving would lose what it saved, so the page asks too.
  await row.getByRole('button', { name: /^Pause download of / }).click();
  await expect(row.getByTestId('download-state')).toHaveText('Paused');
  const again = page.waitForEvent('dialog');
  await page.close({ runBeforeUnload: true });
  const askedAgain = await again;
  expect(askedAgain.type()).toBe('beforeunload');
  await askedAgain.dismiss();
  await expect(row.getByTestId('download-state')).toHaveText('Paused');

  await restore();
  await row.getByRole('button', { name: /Cancel download/ }).click();
  await expect(row.getByTestId('download-state')).toHaveText('Cancelled');
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.type());
    void d.dismiss();
  });
  const closed = page.waitForEvent('close');
  await page.close({ runBeforeUnload: true });
  await closed;
  expect(dialogs).toEqual([]);
});

test("a file already in the folder shows its size beside the object's; a smaller one looks incomplete, a larger one is another file", async ({
  page,
}) => {
  const prefix = `dlpartial-${Date.now()}/`;
  const seeded = await seedMany(storeClient(), [
    { key: `${prefix}left-empty.bin`, size: 3 * MiB },
    { key: `${prefix}same-size.bin`, size: 4000 },
    { key: `${prefix}larger-here.bin`, size: 2000 },
  ]);
  const left = seeded.find((s) => s.key.endsWith('left-empty.bin'))!;
  const same = seeded.find((s) => s.key.endsWith('same-size.bin'))!;
  const larger = seeded.find((s) => s.key.endsWith('larger-here.bin'))!;
  await stubFolderPicker(page, 'partial');
  await page.goto('/');
  // What a tab closed mid-download leaves behind: the real name, 0 bytes. And a file of the same size.
  await page.evaluate(
    async ({ folder, empty, sized, bigger }) => {
      let dir = await (await navigator.storage.getDirectory()).getDirectoryHandle(folder, { create: true });
      dir = await dir.getDirectoryHandle(empty.split('/')[0]!, { create: true });
      await (
        await dir.getFileHandle(empty.split('/')[1]!, { create: true })
      )
        .createWritable()
        .then((w) => w.close());
      const w = await (await dir.getFileHandle(sized.split('/')[1]!, { create: true })).createWritable();
      await w.write(new Uint8Array(4000));
      await w.close();
      const b = await (await dir.getFileHandle(bigger.split('/')[1]!, { create: true })).createWritable();
      await b.write(new Uint8Array(5000));
      await b.close();
    },
    { folder: 'partial', empty: left.key, sized: same.key, bigger: larger.key },
  );
  await page.getByRole('button', { name: `Download folder ${prefix}` }).click();
  const conflicts = page.getByRole('group', { name: 'Files already in the folder' });
  await expect(conflicts).toContainText(
    '3 files are already in the folder. 1 looks incomplete (smaller than in the bucket)',
  );
  const rows = page.getByTestId('download-row');
  const leftRow = rows.filter({ hasText: 'left-empty.bin' });
  await expect(leftRow.getByTestId('download-existing')).toHaveText(
    '0 B here, 3.0 MB in the bucket: the file here looks incomplete.',
  );
  const sameRow = rows.filter({ hasText: 'same-size.bin' });
  await expect(sameRow.getByTestId('download-existing')).toHaveText(
    '3.9 KB here, 3.9 KB in the bucket (same size; contents not compared).',
  );
  // Larger than the object: no short download, so not "incomplete" nor an error.
  const largerRow = rows.filter({ hasText: 'larger-here.bin' });
  await expect(largerRow.getByTestId('download-existing')).toHaveText(
    '4.9 KB here, 2.0 KB in the bucket: another file (larger than the object).',
  );
  await expect(largerRow.locator('.error')).toHaveCount(0);
  await largerRow.getByRole('button', { name: /^Skip / }).click();

  await leftRow.getByRole('button', { name: /^Replace / }).click();
  await sameRow.getByRole('button', { name: /^Skip / }).click();
  await expect(leftRow.getByTestId('download-state')).toHaveText('Done');
  const files = await readFolder(page, 'partial');
  expect(files[left.key]).toEqual({ size: left.size, sha256: left.sha256 });
  expect(files[same.key]?.size).toBe(4000);
  expect(files[larger.key]?.size).toBe(5000);
});

test('a tab closed mid-download leaves no file under the real name, only an empty ".hoist-partial" one, which the next download of the file takes over: nothing is left but the file', async ({
  page,
  context,
  tmp,
}) => {
  const prefix = `dlclosed-${Date.now()}/`;
  const seed = await seedBigObject(storeClient(), tmp, `${prefix}big.bin`, 100 * MiB);
  await stubFolderPicker(page, 'closed');
  await page.goto('/');
  await throttle(page, { up: -1, down: 10 * MiB });
  await page.getByRole('button', { name: `Download folder ${prefix}` }).click();
  const row = page.getByTestId('download-row').filter({ hasText: 'big.bin' });
  await untilPercent(row, 20);
  await page.close({ runBeforeUnload: false });

  const next = await context.newPage();
  await stubFolderPicker(next, 'closed');
  await next.goto('/');
  const left = await readFolder(next, 'closed');
  expect(left[seed.key]).toBeUndefined();
  expect(Object.keys(left)).toEqual([`${seed.key}.hoist-partial`]);
  // Chromium commits a file's bytes only when it is closed: what a closed tab leaves is empty.
  expect(left[`${seed.key}.hoist-partial`]?.size).toBe(0);

  // Nothing under the real name, so nothing to ask about: the download runs. The empty partial file no
  // tab holds (Web Locks) is the closed tab's, so it writes there, rather than beside it under
  // "big.bin (1).hoist-partial" and leave it in the folder for good.
  await next.getByRole('button', { name: `Download folder ${prefix}` }).click();
  await expect(
    next.getByTestId('download-row').filter({ hasText: 'big.bin' }).getByTestId('download-state'),
  ).toHaveText('Done', { timeout: 120_000 });
  await expect(next.getByRole('group', { name: 'Files already in the folder' })).toHaveCount(0);
  const after = await readFolder(next, 'closed');
  expect(after[seed.key]).toEqual({ size: seed.size, sha256: seed.sha256 });
  expect(Object.keys(after)).toEqual([seed.key]);
});

test('a double click on Download, or the same folder picked again while it runs, queues each file once', async ({
  page,
}) => {
  const prefix = `dldouble-${Date.now()}/`;
  const seeded = await seedMany(
    storeClient(),
    Array.from({ length: 12 }, (_, i) => ({
      key: `${prefix}f${String(i).padStart(2, '0')}.bin`,
      size: 100_000 + i,
    })),
  );
  await stubFolderPicker(page, 'double');
  await page.goto('/');
  const restore = await throttle(page, { up: -1, down: 100_000 });
  const button = page.getByRole('button', { name: `Download folder ${prefix}` });
  await button.dblclick();
  const rows = page.getByTestId('download-row');
  await expect(rows).toHaveCount(12);
  await expect(button).toBeEnabled();
  await expect(rows).toHaveCount(12);

  // The same folder again while those are still on their way: nothing is added, nothing asks.
  await expect(
    rows.filter({ has: page.getByTestId('download-state').getByText('Done', { exact: true }) }),
  ).not.toHaveCount(12);
  await button.click();
  await expect(button).toBeEnabled();
  await expect(rows).toHaveCount(12);
  await expect(page.getByRole('group', { name: 'Files already in the folder' })).toHaveCount(0);

  await restore();
  const done = rows.filter({ has: page.getByTestId('download-state').getByText('Done', { exact: true }) });
  await expect(done).toHaveCount(12, { timeout: 60_000 });
  await expect(rows).toHaveCount(12);
  const files = await readFolder(page, 'double');
  for (const s of seeded) expect(files[s.key], s.key).toEqual({ size: s.size, sha256: s.sha256 });
});

test('keys that are no file names are saved under safe names inside the folder, and the row says so', async ({
  page,
}) => {
  // Keys other tools write; one with a "." or ".." folder gets no link at all (browsers resolve such
  // URLs away: api-odd-keys.test.ts), its mapping is unit-tested.
  const prefix = `dlnames-${Date.now()}/`;
  const saved = {
    [`${prefix}what:*?.txt`]: `${prefix}what___.txt`,
    [`${prefix}shortcut.lnk`]: `${prefix}shortcut.lnk_`,
    [`${prefix}plain.txt`]: `${prefix}plain.txt`,
    [`${prefix}a//b.txt`]: `${prefix}a/b.txt`,
    [`${prefix}/lead.txt`]: `${prefix}lead.txt`,
    [`${prefix}tab\there.txt`]: `${prefix}tab_here.txt`,
    // An object named like a folder, with bytes (a PUT of "dir/" with a body), beside that folder's files.
    [`${prefix}dir/`]: `${prefix}dir (file)`,
    [`${prefix}dir/in.txt`]: `${prefix}dir/in.txt`,
  };
  const seeded = await seedMany(storeClient(), [
    ...Object.keys(saved).map((key, i) => ({ key, size: 1000 + i })),
    // A folder marker (empty, "Create folder"): no file, no row.
    { key: `${prefix}marker/`, size: 0 },
  ]);
  await stubFolderPicker(page, 'names');
  await page.goto('/');
  await page.getByRole('button', { name: `Download folder ${prefix}` }).click();
  const rows = page.getByTestId('download-row');
  await expect(rows).toHaveCount(8);
  await expect(
    rows.filter({ has: page.getByTestId('download-state').getByText('Done', { exact: true }) }),
  ).toHaveCount(8);
  for (const [key, path] of Object.entries(saved)) {
    // As the row shows it: a tab, which would read as a space, spelt out.
    const shown = key.replace('\t', '[U+0009]');
    const row = rows.filter({ has: page.locator('.name').getByText(shown, { exact: true }) });
    if (key === path) await expect(row.getByTestId('download-saved-as')).toHaveCount(0);
    else await expect(row.getByTestId('download-saved-as')).toHaveText(`Saved as “${path}”`);
  }
  const files = await readFolder(page, 'names');
  expect(Object.keys(files).sort()).toEqual(Object.values(saved).sort());
  for (const s of seeded.filter((s) => s.size > 0)) {
    expect(files[saved[s.key]!], s.key).toEqual({ size: s.size, sha256: s.sha256 });
  }
  // Inside "dir/", the folder's own object has no name to list: the page says it is there.
  await page.getByRole('link', { name: prefix, exact: true }).click();
  await page.getByRole('link', { name: 'dir/', exact: true }).click();
  await expect(page.getByTestId('folder-own-object')).toContainText(
    `“${prefix}dir/” is also an object itself`,
  );
});

test('a folder that runs out of space holds the queue instead of failing every file, and Resume finishes them all', async ({
  page,
}) => {
  const prefix = `dlfull-${Date.now()}/`;
  const seeded = await seedMany(
    storeClient(),
    Array.from({ length: 20 }, (_, i) => ({ key: `${prefix}f${String(i).padStart(2, '0')}.bin`, size: MiB })),
  );
  await stubFolderPicker(page, 'full');
  await page.goto('/');
  // The browser's own storage quota, made small: its writes fail with QuotaExceededError, as they do
  // on a full disk.
  const cdp = await page.context().newCDPSession(page);
  const origin = new URL(page.url()).origin;
  await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: 8 * MiB });
  await page.getByRole('button', { name: `Download folder ${prefix}` }).click();

  const held = page.getByTestId('download-held');
  await expect(held).toContainText('Downloads paused: the download folder is out of space.');
  await expect(page.getByTestId('download-announcement')).toContainText('Downloads paused');
  // Only downloads already running when the disk filled can fail; the rest wait, and none says more.
  // Those running go on until they end (done or failed): then every file is one of the three.
  const failures = page.getByTestId('download-failure');
  const settled = async () => {
    const waiting = Number(/(\d+) downloads? waits?\./.exec((await held.textContent()) ?? '')?.[1] ?? 0);
    const done = Number(
      /(\d+) of 20 done/.exec((await page.getByTestId('download-totals').textContent()) ?? '')?.[1],
    );
    return { waiting, all: done + (await failures.count()) + waiting };
  };
  await expect.poll(async () => (await settled()).all, { timeout: 30_000 }).toBe(20);
  expect((await settled()).waiting).toBeGreaterThanOrEqual(1);
  const failed = await failures.count();
  expect(failed).toBeGreaterThanOrEqual(1);
  expect(failed).toBeLessThanOrEqual(6);
  for (const text of await failures.allTextContents()) {
    expect(text).toMatch(
      /The download folder is out of space: ".+" could not be saved\. Free some space, then "Resume downloads" \(or this row's Retry\)\./,
    );
  }
  await page.waitForTimeout(1_000); // held: nothing else starts or fails meanwhile
  await expect(failures).toHaveCount(failed);

  await cdp.send('Storage.overrideQuotaForOrigin', { origin }); // space freed
  await page.getByRole('button', { name: 'Resume downloads' }).click();
  await expect(page.getByTestId('download-totals')).toContainText('20 of 20 done', { timeout: 60_000 });
  await expect(held).toHaveCount(0);
  await expect(failures).toHaveCount(0);
  // What failed to save left nothing behind that a Retry would take for a file already there.
  await expect(page.getByRole('group', { name: 'Files already in the folder' })).toHaveCount(0);
  expect(await readFolder(page, 'full')).toEqual(
    Object.fromEntries(seeded.map((s) => [s.key, { size: s.size, sha256: s.sha256 }])),
  );
});

test('a big download (in ranges) that ran out of space finishes on Resume once space is freed', async ({
  page,
  tmp,
}) => {
  const prefix = `dlfullbig-${Date.now()}/`;
  const seed = await seedBigObject(storeClient(), tmp, `${prefix}big.bin`, 80 * MiB);
  await stubFolderPicker(page, 'fullbig');
  await page.goto('/');
  const cdp = await page.context().newCDPSession(page);
  const origin = new URL(page.url()).origin;
  // Room for a few of its 8 MiB ranges: the write that fails errors the file's writable stream.
  await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: 40 * MiB });
  await page.getByRole('button', { name: `Download folder ${prefix}` }).click();
  const row = page.getByTestId('download-row').filter({ hasText: 'big.bin' });
  await expect(row.getByTestId('download-state')).toHaveText('Failed', { timeout: 60_000 });
  await expect(page.getByTestId('download-failure')).toContainText('The download folder is out of space');

  await cdp.send('Storage.overrideQuotaForOrigin', { origin }); // space freed
  await page.getByRole('button', { name: 'Resume downloads' }).click();
  await expect(row.getByTestId('download-state')).toHaveText('Done', { timeout: 60_000 });
  await expect(page.getByTestId('download-failure')).toHaveCount(0);
  expect(await readFolder(page, 'fullbig')).toEqual({ [seed.key]: { size: seed.size, sha256: seed.sha256 } });
});

test("a folder with no files to download (only the S3 console's folder marker) says so instead of doing nothing", async ({
  page,
  consoleErrors,
}) => {
  const { PutObjectCommand } = await import('@aws-sdk/client-s3');
  const folder = `dlempty-${Date.now()}/`;
  await storeClient().send(new PutObjectCommand({ Bucket: BUCKET, Key: folder, Body: '' }));
  await stubFolderPicker(page, 'empty');
  await page.goto('/');
  // Said from a live line in the page before the click (one that comes with its text is not read out).
  const said = page.getByRole('status').and(page.getByTestId('download-said'));
  await expect(said).toHaveText('');
  await expect(page.getByRole('region', { name: 'Downloads' })).toHaveCount(0);
  await page.getByRole('button', { name: `Download folder ${folder}` }).click();
  await expect(page.getByTestId('download-notice')).toHaveText(
    `Nothing to download: “${folder}” holds no files. Dismiss`,
  );
  await expect(said).toHaveText(`Nothing to download: “${folder}” holds no files.`);
  await expect(page.getByRole('status').filter({ hasText: 'Nothing to download' })).toHaveCount(1);
  await expect(page.getByTestId('download-row')).toHaveCount(0);
  expect(await readFolder(page, 'empty')).toEqual({});
  expect(consoleErrors).toEqual([]);
});
