import { expect, type Locator } from '@playwright/test';

/** A transfer row's bar, 0–100 (its `aria-valuenow`). */
export async function percentOf(row: Locator): Promise<number> {
  return Number(await row.getByRole('progressbar').getAttribute('aria-valuenow'));
}

/** Waits until the row's bar is at `percent` or past it: up to a minute, a throttled transfer takes its time. */
export async function untilPercent(row: Locator, percent: number): Promise<void> {
  await expect.poll(() => percentOf(row), { timeout: 60_000 }).toBeGreaterThanOrEqual(percent);
}
