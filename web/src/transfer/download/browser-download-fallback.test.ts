import { describe, expect, it } from 'vitest';
import {
  BrowserDownloadFallback,
  fallbackFilename,
  type FallbackResult,
} from './browser-download-fallback.ts';
import { errorFromResponse } from './range-transport.ts';
import { FakeApi, instantClock } from './testing/fake-api.ts';

describe('BrowserDownloadFallback', () => {
  it('hands each presigned URL to the browser in turn, spaced out', async () => {
    const api = new FakeApi();
    api.put('docs/a.pdf', 'a');
    api.put('docs/sub/b:c.txt', 'b');
    const handed: [string, string][] = [];
    const time = instantClock();
    const seen: FallbackResult[] = [];
    const fallback = new BrowserDownloadFallback(api, (link, o) => void handed.push([link.url, o.filename]), {
      intervalMs: 500,
      clock: time.clock,
      onResult: (r) => seen.push(r),
    });
    const results = await fallback.run([
      api.entry('docs/a.pdf'),
      { key: 'docs/sub/', size: 0, etag: '' },
      api.entry('docs/sub/b:c.txt'),
      { key: 'docs/missing', size: 1, etag: '' },
    ]);
    expect(handed).toEqual([
      ['https://s3.test/docs%2Fa.pdf?sig=1', 'a.pdf'],
      ['https://s3.test/docs%2Fsub%2Fb%3Ac.txt?sig=2', 'b_c.txt'],
    ]);
    expect(time.sleeps).toEqual([500, 500]);
    expect(results.map((r) => r.status)).toEqual(['handed-off', 'handed-off', 'failed']);
    expect(results[2]).toMatchObject({ error: { code: 'http-404' } });
    expect(seen).toEqual(results);
  });

  it('hands off an object whose key ends in "/" when it holds bytes; an empty one is a folder marker', async () => {
    const api = new FakeApi();
    api.put('keys/trailing/', 'content of an object named like a folder');
    const handed: string[] = [];
    const fallback = new BrowserDownloadFallback(api, (_link, o) => void handed.push(o.filename), {
      clock: instantClock().clock,
    });
    const results = await fallback.run([
      api.entry('keys/trailing/'),
      { key: 'keys/empty/', size: 0, etag: '' },
    ]);
    expect(handed).toEqual(['trailing']);
    expect(results).toEqual([{ key: 'keys/trailing/', status: 'handed-off', filename: 'trailing' }]);
  });

  it('stops handing off once aborted', async () => {
    const api = new FakeApi();
    for (const k of ['a', 'b', 'c']) api.put(k, k);
    const controller = new AbortController();
    const fallback = new BrowserDownloadFallback(api, () => controller.abort(), {
      clock: instantClock().clock,
    });
    const results = await fallback.run(
      ['a', 'b', 'c'].map((k) => api.entry(k)),
      { signal: controller.signal },
    );
    expect(results.map((r) => r.status)).toEqual(['handed-off', 'cancelled', 'cancelled']);
  });

  it('names files by the last key segment, made safe', () => {
    expect(fallbackFilename('a/b/report.pdf')).toBe('report.pdf');
    expect(fallbackFilename('a/..')).toBe('__');
    expect(fallbackFilename('/')).toBe('download');
  });
});

describe('BrowserDownloadFallback with a link the storage refuses', () => {
  it("counts the file failed with the storage's reason, and goes on with the next", async () => {
    const api = new FakeApi();
    api.put('cold/archived.tar', 'x');
    api.put('cold/fine.txt', 'y');
    const handed: string[] = [];
    const fallback = new BrowserDownloadFallback(
      api,
      async (link) => {
        if (link.key.endsWith('archived.tar')) {
          const body = '<Error><Code>InvalidObjectState</Code></Error>';
          throw await errorFromResponse(new Response(body, { status: 403 }), link.key);
        }
        handed.push(link.key);
      },
      { clock: instantClock().clock },
    );
    const results = await fallback.run([api.entry('cold/archived.tar'), api.entry('cold/fine.txt')]);
    expect(handed).toEqual(['cold/fine.txt']);
    expect(results[0]).toMatchObject({
      status: 'failed',
      error: { message: expect.stringMatching(/archived/) },
    });
    expect(results[1]).toMatchObject({ status: 'handed-off' });
  });
});
