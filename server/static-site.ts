import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Hono } from 'hono';
import { serveStatic } from '@hono/node-server/serve-static';

/**
 * How long the browser may keep what it was sent: built assets (named by their content's hash) for
 * good; the page itself not without asking the server again on every load (no-cache). Its
 * Content-Security-Policy names the store's address, which a restart can change (STORE_PORT=0, another
 * S3_PUBLIC_ENDPOINT), and a copy the browser kept (for days, going by Last-Modified alone) blocked the
 * store: an outside tester's new tab failed every part. Set once the file is served (serveStatic's
 * `onFound` runs after it has made its answer, too late for a header).
 */
function cachePolicy(path: string): string {
  return path.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
}

/** Serves the built page from `root`; unknown non-API paths get index.html (a single-page app). */
export function staticSite(root: string) {
  const site = new Hono();
  if (!existsSync(join(root, 'index.html'))) {
    site.get('*', (c) =>
      c.text('The web app is not built yet: run `npm run build` (npm start does this).', 503),
    );
    return site;
  }
  site.use('*', async (c, next) => {
    await next();
    if (c.res.ok) c.header('Cache-Control', cachePolicy(c.req.path));
  });
  site.use('/assets/*', serveStatic({ root }));
  // A chunk of another build (a tab open across an upgrade) is not there: not the page in its place.
  site.get('/assets/*', (c) => c.text('Not found: this page is from another build; reload it.', 404));
  site.use('*', serveStatic({ root }));
  site.get('*', serveStatic({ root, path: 'index.html' }));
  return site;
}
