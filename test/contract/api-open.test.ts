import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { PutObjectCommand, type PutObjectCommandInput } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiOver } from './api/harness.ts';
import { getTarget, targetKind, type S3Target } from './support/target.ts';

/**
 * "Open", as in the S3 console: the page's address for an object redirects to a presigned GET the
 * browser shows in a tab (`inline`), as the object's stored type, or as its extension says where the
 * stored type says nothing (the CLI's binary/octet-stream). Against the store itself: each answer is
 * the one a browser would get.
 */
let target: S3Target;
let h: Awaited<ReturnType<typeof apiOver>>;
let prefix: string;

beforeAll(async () => {
  target = await getTarget();
  prefix = `open-${randomUUID().slice(0, 8)}/`;
  h = await apiOver(target, { HOIST_KEY_PREFIX: prefix });
});
afterAll(async () => {
  await target?.close();
});

async function put(
  name: string,
  body: string | Buffer,
  o: Omit<PutObjectCommandInput, 'Bucket' | 'Key'> = {},
) {
  const key = `${prefix}${name}`;
  await target.client.send(new PutObjectCommand({ Bucket: target.bucket, Key: key, Body: body, ...o }));
  return key;
}

/** Where the address sends the browser. */
async function open(key: string): Promise<{ url: string }> {
  const res = await h.api.objects.open.$get({ query: { key } });
  expect(res.status).toBe(302);
  // Each visit signs a fresh GET: no cache keeps one that has run out.
  expect(res.headers.get('cache-control')).toBe('no-store');
  return { url: res.headers.get('location')! };
}

describe('GET /api/objects/open', () => {
  it('links the object to be shown in the tab, as its stored type (text as UTF-8), under its name', async () => {
    const key = await put('notes.txt', 'hello, tab', { ContentType: 'text/plain' });
    const res = await fetch((await open(key)).url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe(
      `inline; filename="notes.txt"; filename*=UTF-8''notes.txt`,
    );
    // Stored with no charset, as a browser's upload of a .txt is: read as UTF-8.
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await res.text()).toBe('hello, tab');
  });

  it('names the type by the extension where the stored one says nothing, and never guesses HTML', async () => {
    const png = await put('photo.PNG', Buffer.from([0x89, 0x50, 0x4e, 0x47]), {
      ContentType: 'binary/octet-stream',
    });
    expect((await fetch((await open(png)).url)).headers.get('content-type')).toBe('image/png');
    const html = await put('page.html', '<p>hi</p>', { ContentType: 'binary/octet-stream' });
    expect((await fetch((await open(html)).url)).headers.get('content-type')).toBe('binary/octet-stream');
    // An owner's type stands, HTML included (as the S3 console opens it).
    const typed = await put('typed.txt', '<p>hi</p>', { ContentType: 'text/html; charset=utf-8' });
    expect((await fetch((await open(typed)).url)).headers.get('content-type')).toBe(
      'text/html; charset=utf-8',
    );
  });

  // The embedded store's origin is Hoist's host on another port: same-site, sharing its cookies.
  it.runIf(targetKind() === 'embedded')(
    'has the embedded store show markup sandboxed (no script, no origin) and sniff nothing',
    async () => {
      for (const [name, type] of [
        ['page.html', 'text/html'],
        ['logo.svg', 'image/svg+xml'],
      ]) {
        const key = await put(name!, '<script>alert(1)</script>', { ContentType: type });
        const res = await fetch((await open(key)).url);
        expect(res.headers.get('content-security-policy')).toBe('sandbox');
        expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      }
      const text = await put('notes2.txt', 'words', { ContentType: 'text/plain' });
      const res = await fetch((await open(text)).url);
      expect(res.headers.get('content-security-policy')).toBeNull();
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    },
  );

  it('shows markup as its text where the store cannot sandbox it (any store but the embedded one)', async () => {
    const other = await apiOver(target, { HOIST_KEY_PREFIX: prefix, S3_ENDPOINT: target.endpoint });
    const key = await put('elsewhere.html', '<script>document.title = "ran"</script>', {
      ContentType: 'text/html',
    });
    const res = await other.api.objects.open.$get({ query: { key } });
    expect(res.status).toBe(302);
    const shown = await fetch(res.headers.get('location')!);
    expect(shown.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await shown.text()).toBe('<script>document.title = "ran"</script>');
  });

  it('shows the name the stored Content-Disposition gives, inline, and leaves gzip for the browser', async () => {
    const key = await put('stored-name', gzipSync('zipped words'), {
      ContentType: 'text/plain',
      ContentEncoding: 'gzip',
      ContentDisposition: `attachment; filename*=UTF-8''R%C3%A9sum%C3%A9.txt`,
    });
    const res = await fetch((await open(key)).url);
    expect(res.headers.get('content-disposition')).toBe(
      `inline; filename="Resume.txt"; filename*=UTF-8''R%C3%A9sum%C3%A9.txt`,
    );
    // As a browser gets it: encoded, and decoded on the way in (fetch does as a tab does).
    expect(res.headers.get('content-encoding')).toBe('gzip');
    expect(await res.text()).toBe('zipped words');
  });

  it('answers 404 for a key that is not there (a page saying so, to a tab), 400 outside the prefix', async () => {
    const gone = await h.api.objects.open.$get({ query: { key: `${prefix}nope.txt` } });
    expect(gone.status).toBe(404);
    expect(await gone.json()).toMatchObject({ error: { code: 'not-found' } });
    // As a tab asks for it (a link followed, or the address pasted): words, not JSON.
    const query = new URLSearchParams({ key: `${prefix}<i>nope</i>.txt` });
    const page = await h.app.request(`/objects/open?${query}`, {
      headers: {
        'sec-fetch-mode': 'navigate',
        'sec-fetch-site': 'same-origin',
        'sec-fetch-dest': 'document',
      },
    });
    expect(page.status).toBe(404);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await page.text()).toContain(
      `<p role="alert">&quot;${prefix}&lt;i&gt;nope&lt;/i&gt;.txt&quot; is not in the bucket (any more).</p>`,
    );
    expect((await h.api.objects.open.$get({ query: { key: 'elsewhere/x.txt' } })).status).toBe(400);

    // Not signed in (HOIST_ACCESS_TOKEN set), or followed from another site: what to do next.
    const locked = await apiOver(target, {
      HOIST_KEY_PREFIX: prefix,
      HOIST_ACCESS_TOKEN: 'open-sesame-open-sesame',
    });
    const navigate = { 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'document' };
    const signIn = await locked.app.request(`/objects/open?${query}`, {
      headers: { ...navigate, 'sec-fetch-site': 'none' },
    });
    expect(signIn.status).toBe(401);
    expect(await signIn.text()).toContain('<p>Sign in to Hoist, then open this address again.</p>');
    const fromChat = await h.app.request(`/objects/open?${query}`, {
      headers: { ...navigate, 'sec-fetch-site': 'cross-site' },
    });
    expect(fromChat.status).toBe(403);
    expect(await fromChat.text()).toContain('paste this one there, or open the file from Hoist.');
  });
});
