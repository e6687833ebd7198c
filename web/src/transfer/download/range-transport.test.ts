import { describe, expect, it } from 'vitest';
import { FakeOnline } from '../shared/testing/fake-online.ts';
import { DownloadError } from './errors.ts';
import { openObject, openRange, withCorsHint, type FetchLike } from './range-transport.ts';

const unreachable: FetchLike = () => Promise.reject(new TypeError('Failed to fetch'));
const req = { url: 'https://s3.test/a', key: 'a', etag: 'e', size: 10 };

async function messageOf(promise: Promise<unknown>): Promise<DownloadError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof DownloadError)) throw new Error(`expected a DownloadError, got ${String(error)}`);
  return error;
}

describe('range transport: a request that gets no answer', () => {
  it('says the connection dropped, not CORS, when the browser is offline', async () => {
    const online = new FakeOnline();
    online.online = false;
    for (const call of [
      openObject(unreachable, req, { online }),
      openRange(unreachable, { ...req, range: { index: 0, start: 0, end: 9 } }, { online }),
    ]) {
      const error = await messageOf(call);
      expect(error.code).toBe('network');
      expect(error.message).toContain('connection dropped');
      expect(error.message).not.toMatch(/CORS/);
    }
  });

  it('blames nothing by itself when online: the CORS rules are named only once the server says it reaches the store', async () => {
    const error = await messageOf(openObject(unreachable, req, { online: new FakeOnline() }));
    expect(error.code).toBe('network');
    expect(error.message).toBe(`Couldn't reach the storage for "a".`);
    const hinted = withCorsHint(error);
    expect(hinted).toMatchObject({ code: 'network', status: 0 });
    expect(hinted.message).toMatch(/the bucket's CORS rules don't allow this page/);
    // Not a request the storage never answered (a body cut off, the offline drop): left as it is.
    const broken = new DownloadError('network', 'The connection broke while receiving "a".');
    expect(withCorsHint(broken)).toBe(broken);
  });
});

describe('range transport: what an S3 error answer means', () => {
  it('says an archived object must be restored first, not that the clock or permissions are wrong', async () => {
    const archived: FetchLike = () =>
      Promise.resolve(
        new Response(
          "<Error><Code>InvalidObjectState</Code><Message>The operation is not valid for the object's storage class</Message></Error>",
          { status: 403 },
        ),
      );
    const error = await messageOf(openObject(archived, req, { online: new FakeOnline() }));
    expect(error.code).toBe('http-4xx'); // not 'http-403': signing the link again cannot help
    expect(error.message).toMatch(/archived.*restore it first/);
  });
});
