import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, makeFile, storeClient, test } from './support/fixtures.ts';
import { throttle } from './support/network.ts';
import { sha256Of } from './support/s3-checks.ts';
import { seedMany } from './support/seed.ts';

const MiB = 1024 * 1024;

test('one "Skip all" skips every taken name of a picked folder, also those checked later; none asks again', async ({
  page,
  tmp,
}) => {
  const top = `taken-${Date.now()}`;
  const dir = join(tmp, top);
  await mkdir(dir);
  // 100 rows at most: a longer list renders only the rows in view, and this test watches every row.
  const taken = Array.from({ length: 90 }, (_, i) => `t${String(i).padStart(3, '0')}.txt`);
  const fresh = Array.from({ length: 10 }, (_, i) => `new${i}.txt`);
  for (const name of [...taken, ...fresh]) await writeFile(join(dir, name), `picked ${name}\n`);
  const seeded = await seedMany(
    storeClient(),
    taken.map((name) => ({ key: `${top}/${name}`, size: 10 })),
  );
  await page.goto('/');
  await page.getByTestId('folder-input').setInputFiles(dir);

  const group = page.getByRole('group', { name: 'Uploads whose name is taken' });
  await expect(group).toBeVisible({ timeout: 60_000 });
  // Soft: the wording and the announcement; what follows checks the behaviour.
  await expect.soft(group).toContainText('A choice for all also applies to the files still to come');
  const announcement = page.getByRole('status', { name: 'Upload queue' });
  await expect
    .soft(announcement)
    .toHaveText('A name is already taken: uploads wait for Replace, Keep both or Skip.');
  // Click and, from that moment, watch for any row that asks again.
  const unchecked = await group.getByRole('button', { name: 'Skip all' }).evaluate((button) => {
    const w = window as unknown as { askedAgain: number };
    w.askedAgain = 0;
    new MutationObserver((records) => {
      for (const r of records) {
        const nodes = r.type === 'attributes' ? [r.target] : [...r.addedNodes];
        for (const n of nodes)
          if (n instanceof Element && n.matches('[data-status="conflict"]')) w.askedAgain++;
      }
    }).observe(document.body, {
      subtree: true,
      childList: true,
      attributes: true,
      attributeFilter: ['data-status'],
    });
    (button as HTMLButtonElement).click();
    return document.querySelectorAll('[data-testid="upload-row"][data-status="queued"]').length;
  });
  expect(unchecked, 'files not checked yet when "Skip all" was clicked').toBeGreaterThan(20);

  const working = ['queued', 'hashing', 'uploading', 'completing'].map(
    (s) => `[data-testid="upload-row"][data-status="${s}"]`,
  );
  await expect(page.locator(working.join(', '))).toHaveCount(0, { timeout: 120_000 });
  const askedAgain = await page.evaluate(() => (window as unknown as { askedAgain: number }).askedAgain);
  expect(askedAgain, 'rows that asked again after "Skip all"').toBe(0);
  await expect(group).toHaveCount(0);
  await expect(page.getByTestId('upload-totals')).toContainText('10 of 10 done · 90 skipped');
  await expect(announcement).toHaveText('All 10 uploads done, 90 skipped');
  await expect(page.locator('[data-testid="upload-row"][data-status="skipped"]')).toHaveCount(90);
  // The objects at the taken names are the seeded ones; the new files are there.
  for (const s of seeded.slice(0, 5)) expect(await sha256Of(storeClient(), s.key)).toBe(s.sha256);
  expect(await sha256Of(storeClient(), `${top}/new0.txt`)).toMatch(/^[0-9a-f]{64}$/);
});

test('on a slow link the bar moves between part answers, and the queue announces the start and when all are done', async ({
  page,
  tmp,
}) => {
  const file = await makeFile(tmp, `smooth-${Date.now()}.bin`, 16 * MiB + 1); // parts of 5, 5, 5, 1 MiB
  const name = file.path.split('/').pop()!;
  await page.goto('/');
  const unthrottle = await throttle(page, { up: 1 * MiB });
  await page.getByTestId('file-input').setInputFiles(file.path);
  const row = page.getByTestId('upload-row').filter({ hasText: name });
  const labels = [`Upload of ${name}`, 'All uploads'];
  await expect(row.getByRole('progressbar')).toBeVisible();
  // The pick is said to have worked, once (then nothing until it is done: no progress is read out).
  await expect(page.getByRole('status', { name: 'Upload queue' })).toHaveText('Uploading 1 file…');
  // Every value both bars take, recorded in the page as it is rendered (polling from here would see
  // fewer of them when the machine is busy).
  await page.evaluate((labels) => {
    const seen: number[][] = labels.map(() => []);
    (window as unknown as { barValues: number[][] }).barValues = seen;
    const record = () =>
      labels.forEach((label, i) => {
        const bar = document.querySelector(`[role="progressbar"][aria-label="${CSS.escape(label)}"]`);
        const value = bar && Number(bar.getAttribute('aria-valuenow'));
        if (value !== null && value !== seen[i]!.at(-1)) seen[i]!.push(value);
      });
    record();
    new MutationObserver(record).observe(document.body, {
      subtree: true,
      childList: true,
      attributes: true,
      attributeFilter: ['aria-valuenow'],
    });
  }, labels);
  await expect(row).toHaveAttribute('data-status', 'done', { timeout: 90_000 });
  await unthrottle();
  await expect(row.getByTestId('upload-state')).toHaveText('Done');
  const recorded = await page.evaluate(() => (window as unknown as { barValues: number[][] }).barValues);
  for (const values of recorded) {
    for (let i = 1; i < values.length; i++) expect(values[i]).toBeGreaterThanOrEqual(values[i - 1]!);
    // Nothing is shown before part 1 (31 %) is confirmed: there is no measured rate before.
    expect(values.find((v) => v > 0)).toBeGreaterThanOrEqual(31);
    // Part answers alone would give at most 5 values (0, and one per part).
    expect(values.length, `bar values: ${values.join(' ')}`).toBeGreaterThanOrEqual(12);
  }
  await expect(page.getByRole('status', { name: 'Upload queue' })).toHaveText('1 upload done');
  expect(await sha256Of(storeClient(), name)).toBe(file.sha256);
});

test('at 400 px a deep path keeps its row short, its file name and state and buttons in view, and the whole key as title', async ({
  page,
  tmp,
}) => {
  await page.setViewportSize({ width: 400, height: 800 });
  const segment = (n: number) => `folder-${n}-${'x'.repeat(50)}`;
  const parts = [`deep-${Date.now()}`, ...Array.from({ length: 10 }, (_, i) => segment(i))];
  const dir = join(tmp, ...parts);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'leaf.txt'), Buffer.alloc(200_000, 'leaf')); // uploading for a while at 1 kB/s
  const unthrottle = await throttle(page, { up: 1000 });
  await page.goto('/');
  await page.getByTestId('folder-input').setInputFiles(join(tmp, parts[0]!));
  const row = page.getByTestId('upload-row');
  const key = `${parts.join('/')}/leaf.txt`;
  await expect(row).toHaveAttribute('aria-label', key);
  await expect(row.locator('.name')).toHaveAttribute('title', key);
  await expect(row.getByTestId('upload-state')).toHaveText(/Hashing|Uploading/);
  expect((await row.boundingBox())!.height).toBeLessThan(200);
  // The folders are cut, never the file's name (a touch screen shows no title).
  await expect(row.locator('.name-file')).toHaveText('leaf.txt');
  await expect(row.locator('.name-file')).toBeInViewport({ ratio: 1 });
  const folders = row.locator('.name-dir');
  expect(await folders.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);
  // …at their start: the last folder, which tells apart two files of one name, is in view (a11y
  // review, session 44), the first is not.
  const shown = await folders.evaluate((el) => {
    const text = el.querySelector('bdi')!.firstChild!;
    const box = el.getBoundingClientRect();
    const at = (from: number, to: number) => {
      const range = document.createRange();
      range.setStart(text, from);
      range.setEnd(text, to);
      const r = range.getBoundingClientRect();
      return r.left >= box.left - 1 && r.right <= box.right + 1;
    };
    const length = text.textContent!.length;
    return { first: at(0, 5), last: at(length - 12, length) };
  });
  expect(shown).toEqual({ first: false, last: true });
  await expect(row.getByRole('button', { name: `Cancel ${key}` })).toBeInViewport();
  await unthrottle();
  await expect(row.getByTestId('upload-state')).toHaveText('Done', { timeout: 60_000 });
});
