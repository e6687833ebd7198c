import type { Page } from '@playwright/test';
import type { BucketVersioning } from '../../../server/shared/api-types.ts';

/** The health report as a store of that versioning would give it (the embedded store has none). */
export async function reportVersioning(page: Page, versioning: BucketVersioning) {
  await page.route(
    (url) => url.pathname === '/api/health',
    async (route) => {
      const response = await route.fetch();
      await route.fulfill({ response, json: { ...(await response.json()), versioning } });
    },
  );
}
