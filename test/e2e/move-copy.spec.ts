import { DeleteObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { BUCKET, expect, storeClient, test } from './support/fixtures.ts';
import { exists, sha256Of } from './support/s3-checks.ts';
import { seedMany, seedObject } from './support/seed.ts';

test('moves a ticked folder and an object into another folder; a name taken there is left until "Replace"', async ({
  page,
}) => {
  const f = `mv-${Date.now()}`;
  const s3 = storeClient();
  const a = await seedObject(s3, `${f}/photos/a.jpg`, 3000);
  const b = await seedObject(s3, `${f}/photos/2024/b.jpg`, 6 * 1024 * 1024 + 1);
  const notes = await seedObject(s3, `${f}/notes.txt`, 500);
  const theirs = await seedObject(s3, `${f}/archive/notes.txt`, 10);
  await page.goto('/');
  await page.getByRole('link', { name: `${f}/`, exact: true }).click();

  await page.getByRole('checkbox', { name: 'Select folder photos/' }).check();
  await page.getByRole('checkbox', { name: 'Select notes.txt' }).check();
  await page.getByRole('button', { name: 'Move or copy' }).click();
  const dialog = page.getByRole('dialog', { name: 'Move or copy 1 folder and 1 object' });
  // Counted first: the folder stands for everything under it.
  await expect(dialog).toContainText('Move or copy 1 folder and 1 object: 3 objects (6.0 MB)');
  await dialog.getByLabel('Destination folder').fill('archive');
  await expect(dialog).toContainText(`To “${f}/archive/”.`);
  await dialog.getByRole('button', { name: 'Move', exact: true }).click();
  await expect(dialog.getByRole('alert')).toHaveText(
    `Moved 2 of 3 objects to “${f}/archive/”. 1 object was left: its name is taken there.`,
  );
  // Which one: the name taken there, and what is there beside what would replace it.
  await expect(dialog.getByRole('list', { name: 'Names taken at the destination' })).toHaveText(
    `${f}/archive/notes.txt (10 B there, 500 B yours)`,
  );
  expect(await sha256Of(s3, `${f}/archive/photos/a.jpg`)).toBe(a.sha256);
  expect(await sha256Of(s3, `${f}/archive/photos/2024/b.jpg`)).toBe(b.sha256);
  expect(await exists(s3, `${f}/photos/a.jpg`)).toBe(false);
  expect(await sha256Of(s3, `${f}/archive/notes.txt`)).toBe(theirs.sha256);
  expect(await exists(s3, `${f}/notes.txt`)).toBe(true);

  // Written again after it was shown: "Replace" leaves that one, and shows it.
  const newer = await seedObject(s3, `${f}/archive/notes.txt`, 20);
  await dialog.getByRole('button', { name: 'Replace it' }).click();
  await expect(dialog.getByRole('list', { name: 'Names taken at the destination' })).toHaveText(
    `${f}/archive/notes.txt (20 B there, 500 B yours)`,
  );
  expect(await sha256Of(s3, `${f}/archive/notes.txt`)).toBe(newer.sha256);
  await dialog.getByRole('button', { name: 'Replace it' }).click();
  // The result is the whole move's: the Replace adds to what the first run did.
  await expect(dialog.getByRole('status')).toHaveText(`Moved 3 objects to “${f}/archive/”.`);
  expect(await sha256Of(s3, `${f}/archive/notes.txt`)).toBe(notes.sha256);
  expect(await exists(s3, `${f}/notes.txt`)).toBe(false);
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toHaveCount(0);
  // The list follows: the moved rows are gone, the destination is there, nothing stays ticked.
  await expect(page.getByRole('link', { name: 'archive/', exact: true })).toBeVisible();
  await expect(page.getByRole('link', { name: 'photos/', exact: true })).toHaveCount(0);
  await expect(page.getByTestId('selection-count')).toHaveText('0 selected');
});

test('a move waits out a Hoist server restart of a few seconds and finishes by itself', async ({ page }) => {
  const f = `mv-restart-${Date.now()}`;
  const s3 = storeClient();
  const seeded = await seedMany(
    s3,
    Array.from({ length: 3 }, (_, i) => ({ key: `${f}/src/f${i}.txt`, size: 100 + i })),
  );
  await page.goto(`/?prefix=${encodeURIComponent(`${f}/`)}`);
  // The copy call finds no server, as while it restarts: twice (about 1.5 s), then it is back.
  let refused = 0;
  await page.route('**/api/objects/copy', (route) =>
    refused++ < 2 ? route.abort('connectionrefused') : route.continue(),
  );
  await page.getByRole('checkbox', { name: 'Select folder src/' }).check();
  await page.getByRole('button', { name: 'Move or copy' }).click();
  const dialog = page.getByRole('dialog', { name: 'Move or copy 1 folder' });
  await dialog.getByLabel('Destination folder').fill('dst');
  await dialog.getByRole('button', { name: 'Move', exact: true }).click();
  await expect(dialog.getByRole('status')).toHaveText(`Moved 3 objects to “${f}/dst/”.`);
  for (const s of seeded) {
    expect(await sha256Of(s3, s.key.replace('/src/', '/dst/src/'))).toBe(s.sha256);
    expect(await exists(s3, s.key)).toBe(false);
  }
});

test('renames a folder from its row, refuses a folder inside itself, and copies a folder keeping the original', async ({
  page,
}) => {
  const f = `ren-folder-${Date.now()}`;
  const s3 = storeClient();
  const x = await seedObject(s3, `${f}/old/x.txt`, 100);
  const y = await seedObject(s3, `${f}/old/sub/y.txt`, 200);
  await seedObject(s3, `${f}/taken/z.txt`, 10);
  await page.goto('/');
  await page.getByRole('link', { name: `${f}/`, exact: true }).click();

  await page.getByRole('button', { name: 'Rename folder old/' }).click();
  const dialog = page.getByRole('dialog', { name: 'Rename folder old/' });
  const input = dialog.getByLabel('New name or path');
  await expect(input).toHaveValue('old');
  await expect(dialog.getByRole('button', { name: 'Rename', exact: true })).toBeDisabled();
  await input.fill('old/inner');
  await expect(dialog.getByRole('status')).toHaveText(
    `“${f}/old/” cannot go into itself (“${f}/old/inner/” is inside it).`,
  );
  await expect(dialog.getByRole('button', { name: 'Rename', exact: true })).toBeDisabled();
  // Onto a folder that holds objects: said first (the two would merge).
  await input.fill('taken');
  await expect(dialog.getByRole('status')).toHaveText(
    `“${f}/taken/” already holds objects: what moves in goes beside them, and a name taken there is left until you choose to replace it.`,
  );
  await input.fill('new');
  await expect(dialog.getByRole('status')).toHaveText('');
  await input.press('Enter');
  await expect(dialog.getByRole('status')).toHaveText(`Renamed “${f}/old/” to “${f}/new/” (2 objects).`);
  expect(await sha256Of(s3, `${f}/new/x.txt`)).toBe(x.sha256);
  expect(await sha256Of(s3, `${f}/new/sub/y.txt`)).toBe(y.sha256);
  expect(await exists(s3, `${f}/old/x.txt`)).toBe(false);
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(page.getByRole('link', { name: 'old/', exact: true })).toHaveCount(0);

  // Copy, from the top: the folder goes into the destination under its own name, and stays here.
  await page.getByRole('checkbox', { name: 'Select folder new/' }).check();
  await page.getByRole('button', { name: 'Move or copy' }).click();
  const copy = page.getByRole('dialog', { name: 'Move or copy 1 folder' });
  await copy.getByRole('radio', { name: 'Copy' }).check();
  await copy.getByLabel('Destination folder').fill(`/${f}-copies`);
  await copy.getByRole('button', { name: 'Copy', exact: true }).click();
  await expect(copy.getByRole('status')).toHaveText(`Copied 2 objects to “${f}-copies/”.`);
  expect(await sha256Of(s3, `${f}-copies/new/sub/y.txt`)).toBe(y.sha256);
  expect(await sha256Of(s3, `${f}/new/sub/y.txt`)).toBe(y.sha256);
});

test('a folder rename onto a folder that holds objects asks before merging, even when Enter comes at once; a move into a folder not there yet says it will be made', async ({
  page,
}) => {
  const f = `merge-${Date.now()}`;
  const s3 = storeClient();
  const a = await seedObject(s3, `${f}/alpha/a.txt`, 100);
  const b = await seedObject(s3, `${f}/beta/b.txt`, 200);
  await seedObject(s3, `${f}/made/`, 0);
  await page.goto('/');
  await page.getByRole('link', { name: `${f}/`, exact: true }).click();

  // The folder's objects are counted only once Enter is pressed: an Enter that comes before the count
  // (a big folder, a busy machine: a fresh-clone CI run lost it) waits for it, as for the destination.
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  await page.route('**/api/objects?*', async (route) => {
    const prefix = new URL(route.request().url()).searchParams.get('prefix');
    if (prefix === `${f}/alpha/`) await released;
    await route.continue();
  });
  await page.getByRole('button', { name: 'Rename folder alpha/' }).click();
  const dialog = page.getByRole('dialog', { name: 'Rename folder alpha/' });
  const input = dialog.getByLabel('New name or path');
  // Typed and sent at once, before anything could say the two would merge.
  await input.fill('beta');
  await input.press('Enter');
  release();
  const question = dialog.getByRole('alertdialog');
  await expect(question).toContainText(`“${f}/beta/” already holds objects. Merge “${f}/alpha/” into it?`);
  await expect(question.getByRole('button', { name: 'Choose another name' })).toBeFocused();
  // The question says it once: the note under the field that says the same is gone meanwhile.
  await expect(dialog.getByRole('status')).toHaveText('');
  expect(await exists(s3, `${f}/alpha/a.txt`)).toBe(true);
  // Escape (or "Choose another name") goes back to the name, and nothing moved.
  await page.keyboard.press('Escape');
  await expect(question).toHaveCount(0);
  await expect(input).toBeFocused();
  expect(await exists(s3, `${f}/beta/a.txt`)).toBe(false);
  await input.press('Enter');
  await question.getByRole('button', { name: `Merge into “${f}/beta/”` }).click();
  await expect(dialog.getByRole('status')).toHaveText(`Renamed “${f}/alpha/” to “${f}/beta/” (1 object).`);
  expect(await sha256Of(s3, `${f}/beta/a.txt`)).toBe(a.sha256);
  expect(await sha256Of(s3, `${f}/beta/b.txt`)).toBe(b.sha256);
  await dialog.getByRole('button', { name: 'Close' }).click();

  // A move into a mistyped folder: said to be new before anything moves.
  await page.getByRole('checkbox', { name: 'Select folder beta/' }).check();
  await page.getByRole('button', { name: 'Move or copy' }).click();
  const move = page.getByRole('dialog', { name: 'Move or copy 1 folder' });
  const destination = move.getByLabel('Destination folder');
  await destination.fill('/betta');
  await expect(move.getByRole('status')).toHaveText(
    '“betta/” does not exist yet: it is made as the objects go in.',
  );
  await destination.fill(`/${f}`);
  await expect(move.getByRole('status')).toHaveText('');
  // A folder made with "Create folder" (its marker alone) is there: nothing said.
  await destination.fill(`/${f}/made`);
  await expect(move.getByRole('status')).toHaveText('');
  await destination.fill('..');
  await expect(destination).toHaveAttribute('aria-invalid', 'true');
});

test('Enter pressed twice while the destination is being looked at renames the folder once', async ({
  page,
}) => {
  const f = `twice-${Date.now()}`;
  const s3 = storeClient();
  const a = await seedObject(s3, `${f}/alpha/a.txt`, 100);
  await page.goto('/');
  await page.getByRole('link', { name: `${f}/`, exact: true }).click();
  // The look at the destination (a listing of a few keys there) is held until both Enters are in.
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route(
    (url) => url.pathname === '/api/objects' && url.searchParams.get('prefix') === `${f}/gamma/`,
    async (route) => {
      await held;
      await route.continue();
    },
  );
  let copies = 0;
  page.on('request', (r) => {
    if (new URL(r.url()).pathname === '/api/objects/copy') copies++;
  });
  await page.getByRole('button', { name: 'Rename folder alpha/' }).click();
  const dialog = page.getByRole('dialog', { name: 'Rename folder alpha/' });
  const input = dialog.getByLabel('New name or path');
  await input.fill('gamma');
  await input.press('Enter');
  await expect(dialog.getByRole('status')).toHaveText(`Looking at “${f}/gamma/”…`);
  await input.press('Enter');
  release();
  await expect(dialog.getByRole('status')).toHaveText(`Renamed “${f}/alpha/” to “${f}/gamma/” (1 object).`);
  expect(copies).toBe(1);
  expect(await sha256Of(s3, `${f}/gamma/a.txt`)).toBe(a.sha256);
});

test('a folder rename says what was deleted since the count and what was written there since, and offers no retry for them', async ({
  page,
}) => {
  const f = `ren-since-${Date.now()}`;
  const s3 = storeClient();
  const kept = await seedObject(s3, `${f}/old/a.txt`, 100);
  await seedObject(s3, `${f}/old/b.txt`, 200);
  await page.goto('/');
  await page.getByRole('link', { name: `${f}/`, exact: true }).click();
  await page.getByRole('button', { name: 'Rename folder old/' }).click();
  const dialog = page.getByRole('dialog', { name: 'Rename folder old/' });
  await expect(dialog).toContainText('Rename folder old/: 2 objects (300 B)');
  // Between the count and the rename, another tool deletes one and writes a new one.
  await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: `${f}/old/b.txt` }));
  await seedObject(s3, `${f}/old/late.txt`, 10);
  await dialog.getByLabel('New name or path').fill('new');
  await dialog.getByRole('button', { name: 'Rename', exact: true }).click();
  await expect(dialog.getByRole('status')).toHaveText(
    `Renamed “${f}/old/” to “${f}/new/” (1 object). 1 object was deleted since the count: not moved. 1 object written since the count is still in “old/”.`,
  );
  // Neither is a failure: nothing to try again.
  await expect(dialog.getByRole('alert')).toHaveCount(0);
  await expect(dialog.getByRole('button', { name: /Try/ })).toHaveCount(0);
  expect(await sha256Of(s3, `${f}/new/a.txt`)).toBe(kept.sha256);
  expect(await exists(s3, `${f}/old/late.txt`)).toBe(true);
  expect(await exists(s3, `${f}/new/b.txt`)).toBe(false);
});

test('what the dialog moves is what is ticked: changing the ticks closes it; a bad destination is said before sending', async ({
  page,
}) => {
  const f = `mv-ticks-${Date.now()}`;
  const s3 = storeClient();
  await seedObject(s3, `${f}/a.txt`, 10);
  await seedObject(s3, `${f}/b.txt`, 10);
  await page.goto('/');
  await page.getByRole('link', { name: `${f}/`, exact: true }).click();
  await page.getByRole('checkbox', { name: 'Select a.txt' }).check();
  await page.getByRole('checkbox', { name: 'Select b.txt' }).check();
  await page.getByRole('button', { name: 'Move or copy' }).click();
  const two = page.getByRole('dialog', { name: 'Move or copy 2 objects' });
  await expect(two).toBeVisible();
  await page.getByRole('checkbox', { name: 'Select b.txt' }).uncheck();
  await expect(two).toHaveCount(0);

  await page.getByRole('button', { name: 'Move or copy' }).click();
  const one = page.getByRole('dialog', { name: 'Move or copy 1 object' });
  // The count is the title's: said once, with the size.
  await expect(one.locator('.panel-subject')).toHaveText(/^Move or copy 1 object \(\d+ B\)$/);
  // Opened afresh: focus is in its destination box.
  await expect(one.getByLabel('Destination folder')).toBeFocused();
  await one.getByLabel('Destination folder').fill('../up');
  // Said as it is typed, politely (a status, not an alert at every key).
  await expect(one.getByRole('status')).toContainText('start the path with "/"');
  await expect(one.getByRole('button', { name: 'Move', exact: true })).toBeDisabled();
  await one.getByLabel('Destination folder').fill('a//b');
  await expect(one.getByRole('status')).toContainText('empty folder name');
  await one.getByLabel('Destination folder').fill('kept');
  await one.getByLabel('Destination folder').press('Enter');
  await expect(one.getByRole('status')).toHaveText(`Moved 1 object to “${f}/kept/”.`);
  expect(await exists(s3, `${f}/kept/a.txt`)).toBe(true);
  expect(await exists(s3, `${f}/b.txt`)).toBe(true);
});

test('a folder Rename with the name untouched does nothing, even where trimming or Unicode forms would change it', async ({
  page,
}) => {
  const f = `ren-same-${Date.now()}`;
  const s3 = storeClient();
  const decomposed = 'cafe\u0301'; // "café" as macOS writes it (NFD)
  await seedObject(s3, `${f}/ lead/x.txt`, 10);
  await seedObject(s3, `${f}/${decomposed}/y.txt`, 10);
  await page.goto('/');
  await page.getByRole('link', { name: `${f}/`, exact: true }).click();
  for (const name of [' lead', decomposed]) {
    await page.getByRole('button', { name: `Rename folder ${name}/`, exact: true }).click();
    const dialog = page.getByRole('dialog', { name: `Rename folder ${name}/` });
    await expect(dialog.getByLabel('New name or path')).toHaveValue(name);
    await expect(dialog.getByRole('button', { name: 'Rename', exact: true })).toBeDisabled();
    await dialog.getByLabel('New name or path').press('Enter');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  }
  expect(await exists(s3, `${f}/ lead/x.txt`)).toBe(true);
  expect(await exists(s3, `${f}/${decomposed}/y.txt`)).toBe(true);
});

test('opening another folder mid-move stops it after the calls in flight, which finish: no object is left in both places', async ({
  page,
}) => {
  const f = `mv-leave-${Date.now()}`;
  const s3 = storeClient();
  const names = Array.from({ length: 400 }, (_, i) => `n${String(i).padStart(3, '0')}.txt`);
  await seedMany(
    s3,
    names.map((n) => ({ key: `${f}/src/${n}`, size: 10 })),
  );
  await page.goto('/');
  await page.getByRole('link', { name: `${f}/`, exact: true }).click();
  await page.getByRole('checkbox', { name: 'Select folder src/' }).check();
  await page.getByRole('button', { name: 'Move or copy' }).click();
  const dialog = page.getByRole('dialog', { name: 'Move or copy 1 folder' });
  await expect(dialog).toContainText('400 objects');
  await dialog.getByLabel('Destination folder').fill('dst');
  await dialog.getByRole('button', { name: 'Move', exact: true }).click();
  // Under way (the first batch can take a while on a busy machine: this waits for it, it times nothing).
  await expect(dialog.getByText(/Moving… [1-9]\d* of 400/)).toBeVisible({ timeout: 30_000 });
  // Away to the top of the bucket while it runs.
  await page.getByRole('link', { name: 'Bucket', exact: true }).click();
  await expect(dialog).toHaveCount(0);
  // The calls already sent finish on the server; then nothing more moves.
  const keysUnder = async (folder: string) => {
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: `${f}/${folder}/` }));
    return (listed.Contents ?? []).map((o) => o.Key!.slice(`${f}/${folder}/`.length));
  };
  let last = '';
  await expect
    .poll(
      async () => {
        const now = JSON.stringify([(await keysUnder('src')).length, (await keysUnder('dst/src')).length]);
        const settled = now === last;
        last = now;
        return settled;
      },
      { intervals: [1000], timeout: 30_000 },
    )
    .toBe(true);
  // The folder went into dst/ under its own name.
  const [src, dst] = [await keysUnder('src'), await keysUnder('dst/src')];
  expect(src.filter((n) => dst.includes(n))).toEqual([]);
  expect([...src, ...dst].sort()).toEqual(names);
  // It did stop: not everything was moved.
  expect(src.length).toBeGreaterThan(0);
});

test('a folder rename cut off by the Hoist server (a call that gets no answer) keeps what it did and offers the rest again', async ({
  page,
}) => {
  const f = `ren-cut-${Date.now()}`;
  const s3 = storeClient();
  const seeded = await seedMany(
    s3,
    Array.from({ length: 6 }, (_, i) => ({ key: `${f}/old/f${i}.txt`, size: 100 + i })),
  );
  // The first copy call dies on the way (an instance restarting behind a load balancer), and so does
  // each time it is sent again, for longer than the page waits out a restart; the rest go through.
  let dying: string | null | undefined;
  let down = true;
  await page.route('**/api/objects/copy', (route) => {
    const body = route.request().postData();
    if (dying === undefined) dying = body;
    return down && body === dying ? route.abort('connectionreset') : route.continue();
  });
  await page.goto(`/?prefix=${encodeURIComponent(`${f}/`)}`);
  await page.getByRole('button', { name: 'Rename folder old/' }).click();
  const dialog = page.getByRole('dialog', { name: 'Rename folder old/' });
  await dialog.getByLabel('New name or path').fill('new');
  await dialog.getByLabel('New name or path').press('Enter');
  await expect(dialog.getByRole('alert')).toContainText('The folder rename stopped: ');
  down = false;
  const rest = dialog.getByRole('button', { name: /^Try the rest again \(\d+ objects?\)$/ });
  await expect(rest).toBeVisible();
  await rest.click();
  await expect(dialog.getByRole('status')).toHaveText(`Renamed “${f}/old/” to “${f}/new/” (6 objects).`);
  await expect(dialog.getByRole('alert')).toHaveCount(0);
  for (const s of seeded) {
    const moved = s.key.replace(`${f}/old/`, `${f}/new/`);
    expect(await sha256Of(s3, moved), moved).toBe(s.sha256);
    expect(await exists(s3, s.key), s.key).toBe(false);
  }
  expect(
    (await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: `${f}/` }))).Contents?.length,
  ).toBe(6);
});

test('a copy stopped midway offers to go on with the rest, and going on finishes it (not every copy listed as a name taken)', async ({
  page,
}) => {
  const f = `cp-goon-${Date.now()}`;
  const s3 = storeClient();
  const seeded = await seedMany(
    s3,
    Array.from({ length: 200 }, (_, i) => ({ key: `${f}/src/n${String(i).padStart(3, '0')}.txt`, size: 3 })),
  );
  // The copy calls wait until Stop is pressed, so it surely comes midway (this times nothing).
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  await page.route('**/api/objects/copy', async (route) => {
    await released;
    await route.continue();
  });
  await page.goto(`/?prefix=${encodeURIComponent(`${f}/`)}`);
  await page.getByRole('checkbox', { name: 'Select folder src/' }).check();
  await page.getByRole('button', { name: 'Move or copy' }).click();
  const dialog = page.getByRole('dialog', { name: 'Move or copy 1 folder' });
  await expect(dialog).toContainText('200 objects');
  await dialog.getByRole('radio', { name: 'Copy' }).check();
  await dialog.getByLabel('Destination folder').fill('dst');
  await dialog.getByRole('button', { name: 'Copy', exact: true }).click();
  await dialog.getByRole('button', { name: 'Stop' }).click();
  release();
  // The calls in flight finish first, then the rest goes on (on a busy machine that can take a while:
  // these wait for it, they time nothing).
  await expect(dialog.getByRole('status')).toHaveText(
    /^Copied \d+ of 200 objects to “.*dst\/” \(stopped\)\.$/,
    { timeout: 60_000 },
  );
  const goOn = dialog.getByRole('button', { name: /^Go on with the rest \(\d+ objects?\)$/ });
  await goOn.click();
  await expect(dialog.getByRole('status')).toHaveText(`Copied 200 objects to “${f}/dst/”.`, {
    timeout: 60_000,
  });
  await expect(dialog.getByRole('alert')).toHaveCount(0);
  for (const s of seeded.slice(0, 5).concat(seeded.slice(-5))) {
    const copied = s.key.replace(`${f}/src/`, `${f}/dst/src/`);
    expect(await sha256Of(s3, copied), copied).toBe(s.sha256);
  }
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: `${f}/dst/` }));
  expect(listed.Contents?.length).toBe(200);
});
