import { test as base, expect, type Page } from '@playwright/test';
import { S3Client } from '@aws-sdk/client-s3';
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
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

export interface TempFile {
  path: string;
  size: number;
  sha256: string;
}

/** Writes `size` random bytes to a file in a temp dir, 4 MiB at a time, and returns its SHA-256. */
export async function makeFile(dir: string, name: string, size: number): Promise<TempFile> {
  const path = join(dir, name);
  const hash = createHash('sha256');
  const out = createWriteStream(path);
  const chunk = 4 * 1024 * 1024;
  for (let written = 0; written < size; written += chunk) {
    const block = randomBytes(Math.min(chunk, size - written));
    hash.update(block);
    if (!out.write(block)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
  return { path, size, sha256: hash.digest('hex') };
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
