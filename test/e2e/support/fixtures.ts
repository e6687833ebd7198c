import { test as base, expect, type Page } from '@playwright/test';
import { S3Client } from '@aws-sdk/client-s3';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOCAL_S3_TEST_CREDENTIALS } from '../../../server/local-s3/index.ts';
import { appPortOf, dataDirOf, storePortOf, workerIndex } from './worker-server.ts';

export const BUCKET = process.env.S3_BUCKET ?? 'hoist';
/** The data dir of this worker's app under test (playwright.config.ts makes a fresh one per run). */
export const DATA_DIR = dataDirOf(workerIndex());
const port = appPortOf(workerIndex());
/** This worker's embedded store, as the page sees it. */
export const STORE_ORIGIN = `http://127.0.0.1:${storePortOf(workerIndex())}`;

/**
 * The store the app under test runs on: its embedded store (see playwright.config.ts), or the
 * S3_ENDPOINT the run points it at (e.g. Ceph RGW, with S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY and
 * S3_CONFIGURE_BUCKET=true; the bucket must exist). Specs that need the embedded store itself (its data
 * dir, its port, its checksums, stopping it) do not pass so; those written for any store do.
 */
export function storeClient(endpoint?: string): S3Client {
  const external = endpoint === undefined ? process.env.S3_ENDPOINT : undefined;
  return new S3Client({
    endpoint: endpoint ?? external ?? STORE_ORIGIN,
    region: process.env.S3_REGION ?? 'us-east-1',
    credentials: external
      ? {
          accessKeyId: process.env.S3_ACCESS_KEY_ID ?? '',
          secretAccessKey: process.env.S3_SECRET_ACCESS_KEY ?? '',
        }
      : { ...LOCAL_S3_TEST_CREDENTIALS },
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
  // This worker's own server (playwright.config.ts starts one per worker).
  baseURL: `http://127.0.0.1:${port}`,
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
