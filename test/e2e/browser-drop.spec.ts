import type { JSHandle, Page } from '@playwright/test';
import { expect, storeClient, test } from './support/fixtures.ts';
import { exists, sha256Of } from './support/s3-checks.ts';
import { seedMany } from './support/seed.ts';
import { createHash } from 'node:crypto';

/** Dispatches a drag event as the browser would, and says whether the page cancelled it (took it). */
async function drag(page: Page, selector: string, type: string, data: JSHandle<DataTransfer>) {
  return page.evaluate(
    ([selector, type, data]) => {
      const event = new DragEvent(type, { dataTransfer: data, bubbles: true, cancelable: true });
      document.querySelector(selector)!.dispatchEvent(event);
      return event.defaultPrevented;
    },
    [selector, type, data] as const,
  );
}

test('files dropped on the object table upload into the folder being browsed, and the page stays; dragged text is left alone', async ({
  page,
}) => {
  const folder = `drop-${Date.now()}`;
  await seedMany(storeClient(), [{ key: `${folder}/here.txt`, size: 3 }]);
  await page.goto(`/?prefix=${encodeURIComponent(`${folder}/`)}`);
  await expect(page.getByRole('button', { name: 'Download here.txt' })).toBeVisible();
  const url = page.url();

  // Dragged text is left to the browser: no overlay, nothing cancelled, nothing uploaded.
  const words = await page.evaluateHandle(() => {
    const data = new DataTransfer();
    data.setData('text/plain', 'just words');
    return data;
  });
  expect(await drag(page, 'table.objects', 'dragenter', words)).toBe(false);
  expect(await drag(page, 'table.objects', 'dragover', words)).toBe(false);
  expect(await drag(page, 'table.objects', 'drop', words)).toBe(false);
  await expect(page.getByTestId('page-drop')).toHaveCount(0);

  const text = 'dropped anywhere\n'.repeat(100);
  const files = await page.evaluateHandle((text) => {
    const data = new DataTransfer();
    data.items.add(new File([text], 'dropped.txt', { type: 'text/plain' }));
    return data;
  }, text);
  const table = 'table.objects';
  expect(await drag(page, table, 'dragenter', files)).toBe(false);
  // Without this the browser opens the file in the tab, in place of the app.
  expect(await drag(page, table, 'dragover', files)).toBe(true);
  const overlay = page.getByTestId('page-drop');
  await expect(overlay).toHaveText(`Drop to upload to Bucket / ${folder}`);
  expect(await drag(page, table, 'drop', files)).toBe(true);
  await expect(overlay).toHaveCount(0);

  const row = page.getByTestId('upload-row');
  await expect(row).toHaveCount(1);
  // Named below the folder it goes to (the key is checked in the store below).
  await expect(row).toHaveAttribute('aria-label', 'dropped.txt');
  await expect(row.getByTestId('upload-state')).toHaveText('Done');
  expect(await sha256Of(storeClient(), `${folder}/dropped.txt`)).toBe(
    createHash('sha256').update(text).digest('hex'),
  );
  await expect(page.getByRole('button', { name: 'Download dropped.txt' })).toBeVisible();
  expect(page.url()).toBe(url);

  // A drop on the upload panel's own box is its alone: the file is added once.
  const again = await page.evaluateHandle(() => {
    const data = new DataTransfer();
    data.items.add(new File(['box'], 'boxed.txt', { type: 'text/plain' }));
    return data;
  });
  expect(await drag(page, '.dropzone', 'dragover', again)).toBe(true);
  expect(await drag(page, '.dropzone', 'drop', again)).toBe(true);
  await expect(page.getByTestId('upload-row').filter({ hasText: 'boxed.txt' })).toHaveCount(1);
  await expect(row.filter({ hasText: 'boxed.txt' }).getByTestId('upload-state')).toHaveText('Done');
  await expect(page.getByTestId('upload-row')).toHaveCount(2);
  expect(await exists(storeClient(), `${folder}/boxed.txt`)).toBe(true);
});

/** Dispatches a paste of `data` as the browser would on `selector`; says whether the page took it. */
async function paste(page: Page, selector: string, data: JSHandle<DataTransfer>) {
  return page.evaluate(
    ([selector, data]) => {
      const event = new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true });
      document.querySelector(selector)!.dispatchEvent(event);
      return event.defaultPrevented;
    },
    [selector, data] as const,
  );
}

test('files pasted on the page upload into the folder being browsed; a paste into the filter field is text', async ({
  page,
}) => {
  const folder = `paste-${Date.now()}`;
  await seedMany(storeClient(), [{ key: `${folder}/here.txt`, size: 3 }]);
  await page.goto(`/?prefix=${encodeURIComponent(`${folder}/`)}`);
  await expect(page.getByRole('button', { name: 'Download here.txt' })).toBeVisible();
  await expect(page.getByText('Drop files or folders here, paste files, or')).toBeVisible();

  const screenshot = 'a pasted screenshot\n'.repeat(50);
  const files = await page.evaluateHandle((text) => {
    const data = new DataTransfer();
    data.items.add(new File([text], 'image.png', { type: 'image/png' }));
    return data;
  }, screenshot);
  // Into the filter field it is the field's: nothing uploaded.
  expect(await paste(page, 'input[placeholder="Name starts with…"]', files)).toBe(false);
  // Text alone is left to the browser, wherever it goes.
  const words = await page.evaluateHandle(() => {
    const data = new DataTransfer();
    data.setData('text/plain', 'just words');
    return data;
  });
  expect(await paste(page, 'body', words)).toBe(false);
  await expect(page.getByTestId('upload-row')).toHaveCount(0);

  expect(await paste(page, 'body', files)).toBe(true);
  const row = page.getByTestId('upload-row');
  await expect(row).toHaveCount(1);
  await expect(row).toHaveAttribute('aria-label', 'image.png');
  await expect(row.getByTestId('upload-state')).toHaveText('Done');
  expect(await sha256Of(storeClient(), `${folder}/image.png`)).toBe(
    createHash('sha256').update(screenshot).digest('hex'),
  );
  await expect(page.getByRole('button', { name: 'Download image.png' })).toBeVisible();
});

test('files dropped far down the object list bring the Upload card, where their rows are, into view', async ({
  page,
}) => {
  const folder = `drop-far-${Date.now()}`;
  await seedMany(
    storeClient(),
    Array.from({ length: 60 }, (_, i) => ({ key: `${folder}/f${String(i).padStart(2, '0')}.txt`, size: 3 })),
  );
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(`/?prefix=${encodeURIComponent(`${folder}/`)}`);
  await page.getByRole('button', { name: 'Download f59.txt' }).scrollIntoViewIfNeeded();
  const heading = page.getByRole('heading', { name: 'Upload', exact: true });
  await expect(heading).not.toBeInViewport();
  const files = await page.evaluateHandle(() => {
    const data = new DataTransfer();
    data.items.add(new File(['far down\n'], 'far.txt', { type: 'text/plain' }));
    return data;
  });
  expect(await drag(page, 'table.objects', 'dragover', files)).toBe(true);
  expect(await drag(page, 'table.objects', 'drop', files)).toBe(true);
  await expect(page.getByTestId('upload-row').getByTestId('upload-state')).toHaveText('Done');
  await expect(heading).toBeInViewport();
  expect(await exists(storeClient(), `${folder}/far.txt`)).toBe(true);
});
