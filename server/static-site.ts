import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Hono } from 'hono';
import { serveStatic } from '@hono/node-server/serve-static';

/** Serves the built page from `root`; unknown non-API paths get index.html (a single-page app). */
export function staticSite(root: string) {
  const site = new Hono();
  if (!existsSync(join(root, 'index.html'))) {
    site.get('*', (c) =>
      c.text('The web app is not built yet: run `npm run build` (npm start does this).', 503),
    );
    return site;
  }
  site.use(
    '/assets/*',
    serveStatic({
      root,
      onFound: (_path, c) => {
        c.header('Cache-Control', 'public, max-age=31536000, immutable');
      },
    }),
  );
  site.use('*', serveStatic({ root }));
  site.get('*', serveStatic({ root, path: 'index.html' }));
  return site;
}
