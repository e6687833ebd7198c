import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
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

  it('sends HSTS only where the public URL is https, and for that name alone (no includeSubDomains)', async () => {
    const plain = createApp(deps(), { static: staticSite(root) });
    expect(
      (await plain.request('http://127.0.0.1:8080/')).headers.get('strict-transport-security'),
    ).toBeNull();
    const tls = createApp(
      {
        ...deps(),
        config: parseConfig({
          HOIST_PUBLIC_URL: 'https://files.example.com',
          HOIST_ACCESS_TOKEN: 't'.repeat(20),
          S3_ENDPOINT: 'https://s3.example.com',
        }),
      },
      { static: staticSite(root) },
    );
    for (const path of ['/', '/api/ready'])
      expect(
        (await tls.request(`http://127.0.0.1:8080${path}`)).headers.get('strict-transport-security'),
      ).toBe('max-age=15552000');
  });

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

  it('has the browser ask for the page again on every load; built assets are kept for good', async () => {
    // The page's Content-Security-Policy names the store's address: a kept copy blocked a store that
    // a restart had moved (an outside tester: a new tab from the disk cache failed every part).
    await mkdir(join(root, 'assets'), { recursive: true });
    await writeFile(join(root, 'assets', 'index-abc123.js'), 'export {};');
    const app = createApp(deps(), { connectSrc: ['http://127.0.0.1:9000'], static: staticSite(root) });
    for (const path of ['/', '/index.html', '/some/folder']) {
      const page = await app.request(`http://127.0.0.1:8080${path}`);
      expect(page.status, path).toBe(200);
      expect(page.headers.get('cache-control'), path).toBe('no-cache');
      expect(page.headers.get('content-security-policy'), path).toContain('http://127.0.0.1:9000');
    }
    const asset = await app.request('http://127.0.0.1:8080/assets/index-abc123.js');
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    // A chunk of another build is not answered with the page (which would be kept for good in its place).
    const gone = await app.request('http://127.0.0.1:8080/assets/index-old999.js');
    expect(gone.status).toBe(404);
    expect(gone.headers.get('cache-control')).toBeNull();
  });
});
