import { describe, expect, it } from 'vitest';
import { probeLink } from './probe-link.ts';
import type { FetchLike } from './range-transport.ts';

const link = { url: 'https://s3.test/cold/a.tar?sig=1', key: 'cold/a.tar', size: 10 };

/** A fetch that answers `res` (or throws it) and records what it was asked. */
function answering(res: Response | Error) {
  const asked: { url: string; range: string | undefined }[] = [];
  const fetch: FetchLike = async (url, init) => {
    asked.push({ url, range: (init?.headers as Record<string, string> | undefined)?.Range });
    if (res instanceof Error) throw res;
    return res;
  };
  return { fetch, asked };
}

describe('probeLink', () => {
  it('asks for the first byte, and lets a link the storage serves through', async () => {
    const { fetch, asked } = answering(new Response('x', { status: 206 }));
    await expect(probeLink(fetch, link)).resolves.toBeUndefined();
    expect(asked).toEqual([{ url: link.url, range: 'bytes=0-0' }]);
  });

  it("says why the storage refuses it, in S3's words", async () => {
    const archived = answering(
      new Response(
        "<Error><Code>InvalidObjectState</Code><Message>The operation is not valid for the object's storage class</Message></Error>",
        { status: 403 },
      ),
    );
    await expect(probeLink(archived.fetch, link)).rejects.toThrow(
      /"cold\/a.tar" is archived \(Glacier or Deep Archive\): restore it first/,
    );
    const denied = answering(new Response('<Error><Code>AccessDenied</Code></Error>', { status: 403 }));
    await expect(probeLink(denied.fetch, link)).rejects.toMatchObject({ code: 'http-403' });
    const gone = answering(new Response('<Error><Code>NoSuchKey</Code></Error>', { status: 404 }));
    await expect(probeLink(gone.fetch, link)).rejects.toMatchObject({ code: 'http-404' });
  });

  it('lets a passing refusal through (throttled, a 5xx): the download itself may get through', async () => {
    const slow = answering(new Response('<Error><Code>SlowDown</Code></Error>', { status: 503 }));
    await expect(probeLink(slow.fetch, link)).resolves.toBeUndefined();
    const failed = answering(new Response('<Error><Code>InternalError</Code></Error>', { status: 500 }));
    await expect(probeLink(failed.fetch, link)).resolves.toBeUndefined();
  });

  it('lets a request with no readable answer through when the storage answers without CORS (CORS may not name the page; the download needs none)', async () => {
    const modes: (RequestMode | undefined)[] = [];
    const fetch: FetchLike = async (_url, init) => {
      modes.push(init.mode);
      if (init.mode !== 'no-cors') throw new TypeError('Failed to fetch');
      return new Response(null, { status: 200 });
    };
    await expect(probeLink(fetch, link)).resolves.toBeUndefined();
    expect(modes).toEqual([undefined, 'no-cors']);
  });

  it('says so when the storage cannot be reached from this browser at all (a VPN or proxy in the way)', async () => {
    const { fetch, asked } = answering(new TypeError('Failed to fetch'));
    await expect(probeLink(fetch, link)).rejects.toMatchObject({
      code: 'network',
      message: expect.stringContaining('The storage (s3.test) could not be reached from this browser'),
    });
    expect(asked).toHaveLength(2);
  });

  it('asks nothing for an empty object, and stops when aborted', async () => {
    const { fetch, asked } = answering(new Response('', { status: 200 }));
    await probeLink(fetch, { ...link, size: 0 });
    expect(asked).toEqual([]);
    const controller = new AbortController();
    controller.abort(new DOMException('Stopped', 'AbortError'));
    const aborted = answering(new DOMException('Stopped', 'AbortError') as unknown as Error);
    await expect(probeLink(aborted.fetch, link, { signal: controller.signal })).rejects.toThrow('Stopped');
  });
});
