import { describe, expect, it } from 'vitest';
import { FakeOnline } from '../shared/testing/fake-online.ts';
import { DownloadError } from './errors.ts';
import { openObject, openRange, type FetchLike } from './range-transport.ts';

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

  it('mentions the CORS rules when online (a CORS refusal looks like a network failure)', async () => {
    const error = await messageOf(openObject(unreachable, req, { online: new FakeOnline() }));
    expect(error.code).toBe('network');
    expect(error.message).toMatch(/CORS/);
  });
});
