import { test as base, expect, type Page } from '@playwright/test';
import { S3Client } from '@aws-sdk/client-s3';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOCAL_S3_DEFAULT_CREDENTIALS } from '../../../server/local-s3/index.ts';

export const BUCKET = 'hoist';
/** The data dir of the app under test (playwright.config.ts makes a fresh one per run). */
export const DATA_DIR = process.env.E2E_DATA_DIR!;
const port = Number(process.env.E2E_PORT);

/** The embedded store the app under test runs on (see playwright.config.ts). */
export function storeClient(endpoint = `http://127.0.0.1:${port + 1000}`): S3Client {
  return new S3Client({
    endpoint,
    region: 'us-east-1',
    credentials: { ...LOCAL_S3_DEFAULT_CREDENTIALS },
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

/** Console errors and page errors, collected for the whole test. */
export function watchConsole(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

export const test = base.extend<{ tmp: string; consoleErrors: string[] }>({
  // eslint-disable-next-line no-empty-pattern
  tmp: async ({}, use) => {
    const dir = await mkdtemp(join(tmpdir(), 'hoist-e2e-files-'));
    await use(dir);
    await rm(dir, { recursive: true, force: true });
  },
  consoleErrors: async ({ page }, use) => {
    await use(watchConsole(page));
  },
});

export { expect };
export { makeFile, type TempFile } from './make-file.ts';
