import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SignedPart } from '../../../../server/shared/api-types.ts';
import { GONE_RECHECK_MS } from '../shared/file-gone.ts';
import { isAbortError } from '../shared/signals.ts';
import { FakeClock, settle } from '../shared/testing/fake-clock.ts';
import { createFetchPartTransport, errorFromResponse } from './fetch-part-transport.ts';
import { shouldRetry } from '../shared/retry-policy.ts';
import { UploadError } from './upload-error.ts';

const s3Error = (code: string, message: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`;

let server: Server;
let base: string;
const received: { path: string; headers: IncomingMessage['headers']; bytes: number }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    if (path === '/reset') {
      req.socket.destroy();
      return;
    }
    let bytes = 0;
    req.on('data', (chunk: Buffer) => (bytes += chunk.length));
    req.on('end', () => {
      received.push({ path, headers: req.headers, bytes });
      const xml = (status: number, code: string, message: string) => {
        res.writeHead(status, { 'content-type': 'application/xml' });
        res.end(s3Error(code, message));
      };
      switch (path) {
        case '/ok':
          res.writeHead(200, { etag: '"0123abcd"' });
          return res.end();
        case '/no-etag':
          res.writeHead(200);
          return res.end();
        case '/expired':
          return xml(403, 'AccessDenied', 'Request has expired');
        case '/refused':
          return xml(403, 'AccessDenied', 'Access Denied');
        case '/denied':
          return xml(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match');
        case '/500':
          return xml(500, 'InternalError', 'We encountered an internal error');
        case '/slowdown':
          return xml(503, 'SlowDown', 'Please reduce your request rate.');
        case '/bad-digest':
          return xml(400, 'BadDigest', 'The Content-MD5 you specified did not match what we received.');
        case '/no-such-upload':
          return xml(404, 'NoSuchUpload', 'The specified upload does not exist.');
        case '/hang':
          return; // never answers
        default:
          return xml(400, 'EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed size');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const part = (path: string): SignedPart => ({
  partNumber: 3,
  url: `${base}${path}`,
  method: 'PUT',
  headers: { 'x-amz-checksum-crc32': 'y/Q5Jg==' },
  size: 9,
  expiresAt: Date.now() + 60_000,
});
const body = new Blob(['123456789']);
const transport = createFetchPartTransport();

async function failure(path: string): Promise<UploadError> {
  const error = await transport.put(part(path), body, { signal: new AbortController().signal }).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UploadError);
  return error as UploadError;
}

describe('fetch part transport (against a local HTTP server)', () => {
  it('PUTs the slice with the signed headers and returns the ETag', async () => {
    const answer = await transport.put(part('/ok'), body, { signal: new AbortController().signal });
    expect(answer).toEqual({ etag: '"0123abcd"' });
    const request = received.find((r) => r.path === '/ok')!;
    expect(request.bytes).toBe(9);
    expect(request.headers['x-amz-checksum-crc32']).toBe('y/Q5Jg==');
  });

  it("reads a stored part's answer to its end rather than cancelling it (DevTools showed each as canceled)", async () => {
    let cancelled = false;
    let read = false;
    let pulls = 0;
    const answer = new ReadableStream<Uint8Array>({
      // A chunk is there at once (a body still arriving); its end only when read on.
      pull(controller) {
        if (pulls++ === 0) return controller.enqueue(new Uint8Array([10]));
        read = true;
        controller.close();
      },
      cancel() {
        cancelled = true;
      },
    });
    const stored = createFetchPartTransport({
      fetch: async () => new Response(answer, { status: 200, headers: { etag: '"e"' } }),
    });
    expect(await stored.put(part('/any'), body, { signal: new AbortController().signal })).toEqual({
      etag: '"e"',
    });
    expect({ read, cancelled }).toEqual({ read: true, cancelled: false });
  });

  it('names the part refused, or the file when it is sent in one PUT (its URL names no part), and what to check', async () => {
    expect((await failure('/refused?partNumber=3&uploadId=u1')).message).toBe(
      "The storage refused part 3 (AccessDenied: Access Denied). Check the server's clock and the bucket's permissions.",
    );
    expect((await failure('/refused')).message).toBe(
      "The storage refused the file (AccessDenied: Access Denied). Check the server's clock and the bucket's permissions.",
    );
  });

  it('says how to fix CORS when the ETag is not readable', async () => {
    const error = await failure('/no-etag');
    expect(error.code).toBe('missing-etag');
    expect(error.message).toMatch(/ExposeHeaders/);
  });

  it.each([
    ['/expired', 'expired-url', 403],
    ['/denied', 'forbidden', 403],
    ['/500', 'http-5xx', 500],
    ['/slowdown', 'throttled', 503],
    ['/bad-digest', 'bad-digest', 400],
    ['/no-such-upload', 'no-such-upload', 404],
    ['/too-small', 'client-4xx', 400],
  ])('maps %s to %s', async (path, code, status) => {
    const error = await failure(path);
    expect(error.code).toBe(code);
    expect(error.status).toBe(status);
  });

  it('maps a connection reset to a network error', async () => {
    const error = await failure('/reset');
    expect(error).toMatchObject({ code: 'network', status: 0 });
  });

  it('rejects with the abort reason, not an UploadError, when aborted', async () => {
    const controller = new AbortController();
    const pending = transport.put(part('/hang'), body, { signal: controller.signal });
    setTimeout(() => controller.abort(new DOMException('stop', 'AbortError')), 20);
    const error = await pending.catch((e: unknown) => e);
    expect(isAbortError(error)).toBe(true);
  });

  it('says the file changed on disk, not "network", when the failed body can no longer be read', async () => {
    const refused = createFetchPartTransport({
      fetch: () => Promise.reject(new TypeError('Failed to fetch')),
      goneRecheckMs: [0, 0],
    });
    const changed = {
      slice: () => ({ arrayBuffer: () => Promise.reject(new DOMException('changed', 'NotReadableError')) }),
    } as unknown as Blob;
    const signal = new AbortController().signal;
    const error = (await refused
      .put(part('/x'), changed, { signal })
      .catch((e: unknown) => e)) as UploadError;
    expect(error.code).toBe('file-unreadable');
    expect(error.message).toMatch(/changed on disk.*Pick it again/);
    expect(shouldRetry(error, 1)).toEqual({ retry: false });
    const offline = (await refused.put(part('/x'), body, { signal }).catch((e: unknown) => e)) as UploadError;
    expect(offline.code).toBe('network');
  });

  // Chromium, for a picked file deleted on disk: NotFoundError once it was read before; else a read
  // that "succeeds" with no bytes.
  it.each([
    ['refused with NotFoundError', () => Promise.reject(new DOMException('gone', 'NotFoundError'))],
    ['read back empty', () => Promise.resolve(new ArrayBuffer(0))],
  ])('says the file is gone, not "network", when the deleted file is %s', async (_, read) => {
    const refused = createFetchPartTransport({
      fetch: () => Promise.reject(new TypeError('Failed to fetch')),
      goneRecheckMs: [0, 0],
    });
    const deleted = { slice: () => ({ size: 1, arrayBuffer: read }) } as unknown as Blob;
    const error = (await refused
      .put(part('/x'), deleted, { signal: new AbortController().signal })
      .catch((e: unknown) => e)) as UploadError;
    expect(error.code).toBe('file-unreadable');
    expect(error.message).toMatch(/moved or deleted.*Pick it again/);
  });

  it('takes a file refused only once (as right after a dropped upload) as fine: a network error', async () => {
    const refused = createFetchPartTransport({
      fetch: () => Promise.reject(new TypeError('Failed to fetch')),
      goneRecheckMs: [0, 0],
    });
    let reads = 0;
    const fine = {
      slice: () => ({
        size: 1,
        arrayBuffer: () =>
          ++reads === 1
            ? Promise.reject(new DOMException('gone', 'NotFoundError'))
            : Promise.resolve(new ArrayBuffer(1)),
      }),
    } as unknown as Blob;
    const error = (await refused
      .put(part('/x'), fine, { signal: new AbortController().signal })
      .catch((e: unknown) => e)) as UploadError;
    expect(error.code).toBe('network');
    expect(reads).toBe(2);
  });

  it("waits between its asks whether the file is gone on the engine's clock, and stops them when aborted", async () => {
    const clock = new FakeClock();
    const refused = createFetchPartTransport({
      fetch: () => Promise.reject(new TypeError('Failed to fetch')),
      clock,
    });
    const deleted = {
      slice: () => ({
        size: 1,
        arrayBuffer: () => Promise.reject(new DOMException('gone', 'NotFoundError')),
      }),
    } as unknown as Blob;
    let outcome: unknown = null;
    void refused
      .put(part('/x'), deleted, { signal: new AbortController().signal })
      .catch((e: unknown) => (outcome = e));
    await settle();
    expect(clock.pending).toEqual(GONE_RECHECK_MS.slice(0, 1));
    await clock.advance(GONE_RECHECK_MS.reduce((a, b) => a + b) - 1);
    expect(outcome).toBeNull(); // refused twice: not yet taken as gone
    await clock.advance(1);
    expect(outcome).toMatchObject({ code: 'file-unreadable' });

    const controller = new AbortController();
    const pending = refused.put(part('/x'), deleted, { signal: controller.signal }).catch((e: unknown) => e);
    await settle();
    controller.abort(new DOMException('stop', 'AbortError'));
    expect(isAbortError(await pending)).toBe(true);
    expect(clock.pending).toEqual([]);
  });

  it('reads 412, and 404 NoSuchKey (If-Match an object since removed), as a key to ask about again', () => {
    expect(errorFromResponse(1, 412, s3Error('PreconditionFailed', 'm')).code).toBe('key-exists');
    expect(errorFromResponse(1, 404, s3Error('NoSuchKey', 'm')).code).toBe('key-exists');
    expect(errorFromResponse(2, 404, s3Error('NoSuchUpload', 'm')).code).toBe('no-such-upload');
  });

  it('reads 429 as throttled', () => {
    expect(errorFromResponse(1, 429, '').code).toBe('throttled');
  });

  it.each([
    [400, 'ExpiredToken', 'expired-url', true],
    [403, 'ExpiredToken', 'expired-url', true],
    [400, 'TokenRefreshRequired', 'expired-url', true],
    [400, 'RequestTimeout', 'network', true],
    [400, 'IncompleteBody', 'network', true],
    [400, 'InvalidArgument', 'client-4xx', false],
  ])(
    'reads %i %s as %s: re-signed and sent again (%s), as the AWS SDKs do',
    (status, s3Code, code, retried) => {
      const error = errorFromResponse(2, status, `<Error><Code>${s3Code}</Code><Message>m</Message></Error>`);
      expect(error.code).toBe(code);
      expect(shouldRetry(error, 1).retry).toBe(retried);
    },
  );

  it.each([
    [507, 'InsufficientStorage'],
    [507, 'XMinioStorageFull'],
    [507, ''],
    [403, 'QuotaExceeded'],
  ])('reads %i %s as a full storage, which is not retried', (status, s3Code) => {
    const xml = s3Code ? `<Error><Code>${s3Code}</Code><Message>full</Message></Error>` : '';
    const error = errorFromResponse(3, status, xml);
    expect(error.code).toBe('store-full');
    expect(error.message).toMatch(/no space left.*Free some space.*Retry/);
    expect(shouldRetry(error, 1)).toEqual({ retry: false });
  });

  it('words a full storage as the server words a Complete refused for it: one event, one wording', () => {
    const xml = '<Error><Code>InsufficientStorage</Code><Message>full</Message></Error>';
    // The same text as server/errors.test.ts expects of an API call answered 507.
    expect(errorFromResponse(3, 507, xml).message).toBe(
      'The storage has no space left (InsufficientStorage). Free some space on it, then Retry.',
    );
  });
});
