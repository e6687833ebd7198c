import { randomUUID } from 'node:crypto';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UploadPlan } from '../../server/shared/api-types.ts';
import { SESSION_COOKIE, sessionValue } from '../../server/security.ts';
import { signUploadToken } from '../../server/uploads/upload-token.ts';
import { MAX_BODY } from '../../server/app.ts';
import { apiOver, SECRET } from './api/harness.ts';
import { getTarget, type S3Target } from './support/target.ts';

let target: S3Target;
let h: Awaited<ReturnType<typeof apiOver>>;
const file = { name: 'f.bin', size: 20 * 1024 ** 2, type: 'application/octet-stream', lastModified: 0 };

beforeAll(async () => {
  target = await getTarget();
  h = await apiOver(target, {
    HOIST_KEY_PREFIX: `rej-${randomUUID().slice(0, 8)}/`,
    HOIST_MAX_OBJECT_SIZE: '1GiB',
  });
});
afterAll(async () => {
  await target?.close();
});

async function plan(): Promise<UploadPlan> {
  const res = await h.api.uploads.$post({ json: file });
  return (await res.json()) as UploadPlan;
}

async function expectError(res: Response, status: number, code: string) {
  expect(res.status).toBe(status);
  const body = (await res.json()) as { error: { code: string; message: string } };
  expect(body.error.code).toBe(code);
  expect(body.error.message.length).toBeGreaterThan(10);
  expect(JSON.stringify(body)).not.toMatch(/at .*\.ts:\d+/); // no stack traces
}

describe('the API refuses what it must, with a stable code', () => {
  it('a tampered token', async () => {
    const p = await plan();
    const [payload, sig] = p.token.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as unknown[];
    claims[3] = 1; // shrink the size
    const forged = `${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${sig}`;
    await expectError(
      await h.api.uploads.sign.$post({ json: { token: forged, parts: [{ partNumber: 1 }] } }),
      403,
      'token-bad-signature',
    );
    await expectError(
      await h.api.uploads.complete.$post({
        json: { token: forged, parts: [{ partNumber: 1, etag: '"x"' }] },
      }),
      403,
      'token-bad-signature',
    );
    await expectError(
      await h.api.uploads.abort.$post({ json: { token: forged } }),
      403,
      'token-bad-signature',
    );
  });

  it('an expired token', async () => {
    const p = await plan();
    const expired = signUploadToken(
      {
        key: p.key,
        uploadId: p.uploadId,
        size: p.size,
        partSize: p.partSize,
        checksumAlgorithm: 'MD5',
        contentType: 'x/y',
        expiresAt: Date.now() - 1,
      },
      SECRET,
    );
    await expectError(
      await h.api.uploads.sign.$post({ json: { token: expired, parts: [{ partNumber: 1 }] } }),
      410,
      'token-expired',
    );
  });

  it("another upload's token acts only on that other upload", async () => {
    const a = await plan();
    const b = await plan();
    const res = await h.api.uploads.sign.$post({ json: { token: b.token, parts: [{ partNumber: 1 }] } });
    const { parts } = (await res.json()) as { parts: { url: string }[] };
    expect(parts[0]!.url).toContain(encodeURIComponent(b.uploadId!));
    expect(parts[0]!.url).not.toContain(encodeURIComponent(a.uploadId!));
  });

  it.each([0, 10_001, 1.5, -1])('part number %s', async (partNumber) => {
    const p = await plan();
    await expectError(
      await h.api.uploads.sign.$post({ json: { token: p.token, parts: [{ partNumber }] } }),
      400,
      'invalid-request',
    );
  });

  it('a part number beyond the plan', async () => {
    const p = await plan();
    await expectError(
      await h.api.uploads.sign.$post({ json: { token: p.token, parts: [{ partNumber: 5 }] } }),
      400,
      'invalid-part-number',
    );
  });

  it('a checksum of the wrong length', async () => {
    const p = await plan();
    await expectError(
      await h.api.uploads.sign.$post({
        json: { token: p.token, parts: [{ partNumber: 1, checksum: 'AAAA' }] },
      }),
      400,
      'invalid-checksum',
    );
  });

  it('a declared size over the limit', async () => {
    await expectError(
      await h.api.uploads.$post({ json: { ...file, size: 2 * 1024 ** 3 } }),
      413,
      'too-large',
    );
  });

  it.each([
    ['a dot-dot segment', '../etc/passwd'],
    ['a traversal', 'a/../../b'],
    ['a NUL byte', 'nul\u0000byte'],
    ['a control character', 'ctrl\u0007'],
    ['2 KB', 'x'.repeat(2048)],
    ['a leading slash', '/abs'],
    ['an empty segment', 'a//b'],
    ['half a surrogate pair (no UTF-8 for it)', 'a\ud800b'],
  ])('a key with %s', async (_label, relativePath) => {
    const res = await h.api.uploads.$post({ json: { ...file, relativePath } });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toMatch(
      /invalid-key|invalid-request/,
    );
  });

  it('a folder (as listed) with a "." or ".." folder name or a control character, to upload, rename or copy into', async () => {
    const prefix = h.config.keyPrefix;
    for (const folder of ['../', 'a/./', 'ctrl\u0001/']) {
      const upload = await h.api.uploads.$post({
        json: { ...file, folder, relativePath: `${folder}x.txt` },
      });
      await expectError(upload, 400, 'invalid-key');
      const rename = await h.api.objects.rename.$post({
        json: { key: `${prefix}anything.txt`, newPath: 'x.txt', folder },
      });
      await expectError(rename, 400, 'invalid-key');
      const copy = await h.api.objects.copy.$post({
        json: { keys: [`${prefix}anything.txt`], from: '', base: folder, to: 'sub/', move: false },
      });
      expect(copy.status).toBe(400);
    }
  });

  it('a folder moved or copied into itself, as the page refuses it', async () => {
    const prefix = h.config.keyPrefix;
    // "photos/" ticked at the top (its keys sent) into "photos/sub/": it would land in what is copied.
    const res = await h.api.objects.copy.$post({
      json: {
        keys: [`${prefix}photos/a.jpg`, `${prefix}photos/sub/b.jpg`],
        from: '',
        base: '',
        to: 'photos/sub',
        move: true,
      },
    });
    await expectError(res, 400, 'into-itself');
  });

  it('an oversized body', async () => {
    const res = await h.app.request('/uploads', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...file, name: 'x'.repeat(MAX_BODY + 1) }),
    });
    await expectError(res, 413, 'body-too-large');
  });

  it('a body whose declared length is over the limit, before reading it', async () => {
    const res = await h.app.request('/uploads', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': String(MAX_BODY + 1) },
      body: JSON.stringify(file),
    });
    await expectError(res, 413, 'body-too-large');
  });

  it('malformed JSON and the wrong content type', async () => {
    await expectError(
      await h.app.request('/uploads', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"name":',
      }),
      400,
      'invalid-request',
    );
    await expectError(
      await h.app.request('/uploads', {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body: JSON.stringify(file),
      }),
      415,
      'unsupported-media-type',
    );
  });

  it('a cross-site request', async () => {
    const res = await h.app.request('/uploads', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        origin: 'https://evil.example',
        'sec-fetch-site': 'cross-site',
      },
      body: JSON.stringify(file),
    });
    await expectError(res, 403, 'cross-site');
  });

  it("a read another site's page sends (no-cors, so it needs no CORS answer): refused, as it can cost writes", async () => {
    // GET /health?refresh=1 runs the self-test: a multipart upload created and aborted, objects put.
    for (const site of ['cross-site', 'same-site'])
      await expectError(
        await h.app.request('/health?refresh=1', { headers: { 'sec-fetch-site': site } }),
        403,
        'cross-site',
      );
    // The page's own reads, one typed in the address bar, and tools that send no Sec-Fetch-Site.
    const reads: Record<string, string>[] = [
      { 'sec-fetch-site': 'same-origin' },
      { 'sec-fetch-site': 'none' },
      {},
    ];
    for (const headers of reads) expect((await h.app.request('/health', { headers })).status).toBe(200);
  });

  it('deleting or downloading keys outside the prefix', async () => {
    await expectError(await h.api.objects.delete.$post({ json: { keys: ['other/x'] } }), 400, 'invalid-key');
    await expectError(await h.api.objects.download.$post({ json: { key: 'other/x' } }), 400, 'invalid-key');
    await expectError(
      await h.api.objects.download.$post({ json: { key: `${h.config.keyPrefix}../x` } }),
      400,
      'dot-segment',
    );
    // A lone surrogate would reach S3 as U+FFFD, another key's name; the prefix itself is its marker.
    const prefix = h.config.keyPrefix;
    await expectError(
      await h.api.objects.delete.$post({ json: { keys: [`${prefix}caf\ud800.txt`] } }),
      400,
      'invalid-key',
    );
    await expectError(await h.api.objects.delete.$post({ json: { keys: [prefix] } }), 400, 'invalid-key');
    // Not a key S3 could have (no UTF-8 for it): refused, not a 500 from encoding its URL.
    await expectError(
      await h.api.objects.download.$post({ json: { key: `${h.config.keyPrefix}a\ud800` } }),
      400,
      'invalid-key',
    );
  });

  it("a page token the listing did not give, or a version id the store does not know: the caller's mistake, not a store error", async () => {
    const prefix = h.config.keyPrefix;
    await target.client.send(
      new PutObjectCommand({ Bucket: target.bucket, Key: `${prefix}versioned.txt`, Body: 'v' }),
    );
    const listed = await h.api.objects.$get({ query: { prefix, cursor: 'garbage' } });
    // RGW 16 quirk: takes any token as a marker, so the listing just goes on from there.
    if (target.kind === 'rgw') expect(listed.status).toBe(200);
    else await expectError(listed, 400, 'invalid-cursor');
    await expectError(
      await h.api.objects.download.$post({ json: { key: `${prefix}versioned.txt`, versionId: 'zzz' } }),
      404,
      'not-found',
    );
    await expectError(
      await h.api.objects.download.$post({ json: { key: `${prefix}nothing-here.txt`, versionId: 'zzz' } }),
      404,
      'not-found',
    );
  });
});

describe('without HOIST_ACCESS_TOKEN (loopback only)', () => {
  it('answers only requests addressed to this machine: a page that rebinds its own name to 127.0.0.1 gets nothing', async () => {
    const rebound = { host: 'evil.example:8080', origin: 'http://evil.example:8080' };
    await expectError(await h.app.request('/objects', { headers: rebound }), 403, 'host-not-allowed');
    const remove = await h.app.request('/objects/delete', {
      method: 'POST',
      headers: { ...rebound, 'content-type': 'application/json' },
      body: JSON.stringify({ keys: [`${h.config.keyPrefix}x`] }),
    });
    await expectError(remove, 403, 'host-not-allowed');
    for (const host of ['127.0.0.1:8080', 'localhost:8080', '[::1]:8080']) {
      const ok = await h.app.request('/objects', { headers: { host } });
      expect(ok.status).toBe(200);
    }
  });
});

describe('with HOIST_ACCESS_TOKEN', () => {
  it('needs the token as a bearer or a session cookie', async () => {
    const token = 'open-sesame-0123456789';
    const locked = await apiOver(target, { HOIST_ACCESS_TOKEN: token });
    await expectError(await locked.api.uploads.$post({ json: file }), 401, 'unauthorized');
    const ok = await locked.app.request('/objects', { headers: { authorization: `Bearer ${token}` } });
    expect(ok.status).toBe(200);
    const wrong = await locked.app.request('/session', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: 'nope' }),
    });
    await expectError(wrong, 401, 'unauthorized');
    const signIn = await locked.app.request('/session', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token }),
    });
    const cookie = signIn.headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).not.toContain(token);
    const withCookie = await locked.app.request('/objects', { headers: { cookie: cookie.split(';')[0]! } });
    expect(withCookie.status).toBe(200);
    // The cookie does not let another site drive the API.
    const csrf = await locked.app.request('/uploads', {
      method: 'POST',
      headers: {
        cookie: cookie.split(';')[0]!,
        'content-type': 'application/json',
        origin: 'https://evil.example',
      },
      body: JSON.stringify(file),
    });
    await expectError(csrf, 403, 'cross-site');
  });

  it('takes the scheme as case-insensitive, and ends a session after its time', async () => {
    const token = 'open-sesame-0123456789';
    const locked = await apiOver(target, { HOIST_ACCESS_TOKEN: token });
    const lower = await locked.app.request('/objects', { headers: { authorization: `bearer ${token}` } });
    expect(lower.status).toBe(200);
    const past = Math.floor(Date.now() / 1000) - 1;
    const expired = `${SESSION_COOKIE}=${sessionValue(token, SECRET, past)}`;
    await expectError(
      await locked.app.request('/objects', { headers: { cookie: expired } }),
      401,
      'unauthorized',
    );
    // A forged end date does not carry the old signature along: a session this server did not sign.
    const signed = sessionValue(token, SECRET, past).split('.')[1];
    const moved = `${SESSION_COOKIE}=${past + 10 ** 6}.${signed}`;
    await expectError(
      await locked.app.request('/objects', { headers: { cookie: moved } }),
      401,
      'session-not-signed-here',
    );
  });
});

describe('behind a TLS-terminating proxy', () => {
  const post = (
    app: { request: (p: string, i: RequestInit) => Response | Promise<Response> },
    headers: Record<string, string>,
  ) =>
    app.request('/session', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ token: 'open-sesame-0123456789' }),
    });

  it('accepts the https origin the proxy says it serves, and sets a Secure cookie', async () => {
    const locked = await apiOver(target, { HOIST_ACCESS_TOKEN: 'open-sesame-0123456789' });
    const res = await post(locked.app, {
      host: 'files.example.com',
      origin: 'https://files.example.com',
      'x-forwarded-proto': 'https',
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).toMatch(/Secure/);
    // Without the proxy's word, an https origin is not this server.
    await expectError(
      await post(locked.app, { host: 'files.example.com', origin: 'https://files.example.com' }),
      403,
      'cross-site',
    );
  });

  it('says to set HOIST_PUBLIC_URL when the browser says the page is of this site but Hoist does not know its address, once in the log', async () => {
    const logged: string[] = [];
    const locked = await apiOver(
      target,
      { HOIST_ACCESS_TOKEN: 'open-sesame-0123456789' },
      {},
      { log: (line) => logged.push(line) },
    );
    // A TLS proxy that sends no X-Forwarded-Proto: the page's https origin is not one Hoist knows.
    const headers = {
      host: 'files.example.com',
      origin: 'https://files.example.com',
      'sec-fetch-site': 'same-origin',
    };
    const said =
      'This page is open at https://files.example.com, an address this Hoist server does not know as its own: set HOIST_PUBLIC_URL=https://files.example.com, or have the proxy in front of it send X-Forwarded-Proto and pass the Host header on.';
    for (let i = 0; i < 2; i++) {
      const res = await post(locked.app, headers);
      expect(res.status).toBe(403);
      expect(await res.json()).toEqual({ error: { code: 'unknown-address', message: said } });
    }
    expect(logged.filter((line) => line.includes('HOIST_PUBLIC_URL'))).toEqual([`warning: ${said}`]);
  });

  it('accepts the origin set in HOIST_PUBLIC_URL, and no other', async () => {
    const locked = await apiOver(target, {
      HOIST_ACCESS_TOKEN: 'open-sesame-0123456789',
      HOIST_PUBLIC_URL: 'https://hoist.example.com',
      // Served over https, the store is too (an embedded store's plain http is refused at start).
      S3_PUBLIC_ENDPOINT: 'https://store.example.com',
    });
    const res = await post(locked.app, { host: '10.0.0.5:8080', origin: 'https://hoist.example.com' });
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).toMatch(/Secure/);
    await expectError(
      await post(locked.app, { host: '10.0.0.5:8080', origin: 'https://evil.example' }),
      403,
      'cross-site',
    );
  });
});
