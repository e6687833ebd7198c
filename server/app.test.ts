import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from './app.ts';
import { parseConfig } from './config.ts';
import type { AppDeps } from './context.ts';
import { staticSite } from './static-site.ts';

describe('createApp', () => {
  let root = '';
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'hoist-site-'));
    await writeFile(join(root, 'index.html'), '<!doctype html><title>Hoist</title>');
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  // No route here reaches the store: what the API needs of it is its bucket's name, for errors.
  const deps = () =>
    ({
      config: parseConfig({}),
      store: { bucket: 'hoist' },
      secret: 'x'.repeat(40),
      log: () => {},
    }) as unknown as AppDeps;

  it("answers an /api path no route takes with the API's JSON 404, not the page", async () => {
    const app = createApp(deps(), { static: staticSite(root) });
    for (const [method, path] of [
      ['GET', '/api/nonexistent'],
      ['POST', '/api/objects/nonexistent'],
      ['GET', '/api/'],
    ] as const) {
      const res = await app.request(`http://127.0.0.1:8080${path}`, {
        method,
        headers: { origin: 'http://127.0.0.1:8080', 'content-type': 'application/json' },
        ...(method === 'POST' && { body: '{}' }),
      });
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(await res.json()).toEqual({
        error: { code: 'not-found', message: `No API route ${method} ${path}.` },
      });
    }
    // Any other unknown path is the single-page app's.
    const page = await app.request('http://127.0.0.1:8080/some/folder');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>Hoist</title>');
  });
});
