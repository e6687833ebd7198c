import { join } from 'node:path';

/**
 * Where the Hoist server of Playwright worker `index` (its parallelIndex) listens and keeps its data:
 * playwright.config.ts starts one per worker from these, and the fixtures point each test at its own.
 * E2E_PORT is the first app port; stores listen 1000 above their app.
 */
export function appPortOf(index: number): number {
  return Number(process.env.E2E_PORT) + index;
}

export function storePortOf(index: number): number {
  return appPortOf(index) + 1000;
}

export function dataDirOf(index: number): string {
  return join(process.env.E2E_DATA_DIR!, `worker-${index}`);
}

/** The parallelIndex of the Playwright worker this code runs in (0 outside a worker). */
export function workerIndex(): number {
  return Number(process.env.TEST_PARALLEL_INDEX ?? 0);
}
