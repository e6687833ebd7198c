import { rm } from 'node:fs/promises';

/** Removes the run's data directory when playwright.config.ts made it (not when E2E_DATA_DIR was given). */
export default async function globalTeardown(): Promise<void> {
  const dir = process.env.E2E_DATA_DIR;
  if (dir && process.env.E2E_DATA_DIR_OWNED === '1') await rm(dir, { recursive: true, force: true });
}
