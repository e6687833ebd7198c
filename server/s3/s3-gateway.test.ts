import { S3Client } from '@aws-sdk/client-s3';
import { createServer, type Server } from 'node:http';
import {
  createServer as createNetServer,
  type AddressInfo,
  type Server as NetServer,
  type Socket,
} from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { describeFailure } from '../errors.ts';
import { createS3Gateway } from './s3-gateway.ts';
import { withRecordingS3 } from './testing/recording-s3.ts';

/** A store that answers every HEAD with the whole object: `partsCount` set or not (Ceph RGW 16). */
async function headStore(
  partsCount?: number,
): Promise<{ endpoint: string; heads: () => number; server: Server }> {
  let heads = 0;
  const server = createServer((req, res) => {
    if (req.method === 'HEAD') heads++;
    res.writeHead(200, {
      'content-length': String(partsCount ? 8 : 20),
      etag: '"0123456789abcdef0123456789abcdef-3"',
      ...(partsCount && { 'x-amz-mp-parts-count': String(partsCount) }),
    });
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { endpoint: `http://127.0.0.1:${port}`, heads: () => heads, server };
}

function gatewayOn(endpoint: string, options: Parameters<typeof createS3Gateway>[2] = {}) {
  const client = new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'k', secretAccessKey: 's' },
  });
  return createS3Gateway({ api: client, presign: client }, 'b', options);
}

describe('firstPart', () => {
  let server: Server | undefined;
  afterEach(() => server?.close());
  const version = { etag: '"0123456789abcdef0123456789abcdef-3"', size: 20 };

  it('asks a store that ignores part numbers (the whole object, no parts count) once, not for every object', async () => {
    const store = await headStore();
    server = store.server;
    const gateway = gatewayOn(store.endpoint);
    expect(await gateway.firstPart('a.bin', version)).toBeNull();
    expect(await gateway.firstPart('b.bin', version)).toBeNull();
    expect(store.heads()).toBe(1);
  });

  it("gives part 1's size and the count from a store that answers part numbers, every time", async () => {
    const store = await headStore(3);
    server = store.server;
    const gateway = gatewayOn(store.endpoint);
    expect(await gateway.firstPart('a.bin', version)).toEqual({ size: 8, count: 3 });
    expect(await gateway.firstPart('b.bin', version)).toEqual({ size: 8, count: 3 });
    expect(store.heads()).toBe(2);
  });
});

/** A store whose HEAD ?partNumber=n answers part n of `sizes`, with `etagOf(n)` as the ETag. */
async function partsStore(
  sizes: number[],
  etagOf: (n: number) => string = () => '"0123456789abcdef0123456789abcdef-3"',
): Promise<{ endpoint: string; asked: number[]; server: Server }> {
  const asked: number[] = [];
  const server = createServer((req, res) => {
    const n = Number(new URL(req.url!, 'http://x').searchParams.get('partNumber'));
    asked.push(n);
    const size = sizes[n - 1];
    if (size === undefined) {
      res.writeHead(416);
      res.end();
      return;
    }
    res.writeHead(206, {
      'content-length': String(size),
      etag: etagOf(n),
      'x-amz-mp-parts-count': String(sizes.length),
    });
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { endpoint: `http://127.0.0.1:${port}`, asked, server };
}

describe('partSizes', () => {
  let server: Server | undefined;
  afterEach(() => server?.close());
  const version = { etag: '"0123456789abcdef0123456789abcdef-3"', size: 15 };

  it('asks HeadObject for parts 2…N and gives every size in order, part 1 as told', async () => {
    const store = await partsStore([6, 5, 4]);
    server = store.server;
    const gateway = gatewayOn(store.endpoint);
    expect(await gateway.partSizes('a.bin', version, { size: 6, count: 3 })).toEqual([6, 5, 4]);
    expect(store.asked.sort()).toEqual([2, 3]);
  });

  it('gives nothing when a part is not told, or belongs to another version of the key by then', async () => {
    const missing = await partsStore([6, 5]); // says 2 parts: part 3 is refused
    server = missing.server;
    expect(await gatewayOn(missing.endpoint).partSizes('a.bin', version, { size: 6, count: 3 })).toBeNull();
    server.close();
    const rewritten = await partsStore([6, 5, 4], (n) =>
      n === 3 ? '"fedcba9876543210fedcba9876543210-3"' : version.etag,
    );
    server = rewritten.server;
    expect(await gatewayOn(rewritten.endpoint).partSizes('a.bin', version, { size: 6, count: 3 })).toBeNull();
  });

  it('asks nothing of a store seen to ignore part numbers', async () => {
    const store = await headStore();
    server = store.server;
    const gateway = gatewayOn(store.endpoint);
    expect(await gateway.firstPart('a.bin', { ...version, size: 20 })).toBeNull();
    expect(await gateway.partSizes('a.bin', version, { size: 6, count: 3 })).toBeNull();
    expect(store.heads()).toBe(1);
  });
});

describe('calls to a store that takes the connection and never answers', () => {
  let server: NetServer | undefined;
  afterEach(() => server?.close());

  it('are given up after readTimeoutMs, answered as a store that cannot be reached', async () => {
    const sockets: Socket[] = [];
    server = createNetServer((socket) => sockets.push(socket)); // never a byte back
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const client = new S3Client({
      endpoint: `http://127.0.0.1:${port}`,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'k', secretAccessKey: 's' },
      maxAttempts: 1,
    });
    const gateway = createS3Gateway({ api: client, presign: client }, 'b', {
      readTimeoutMs: 300,
      completeTimeoutMs: 300,
      copyTimeoutMs: 300,
    });
    const source = { key: 'a.bin', size: 10, etag: '"0123456789abcdef0123456789abcdef"' };
    // Reads, the control calls behind sign, abort, delete and tags, Complete, and copies: each given up.
    const calls: (() => Promise<unknown>)[] = [
      () => gateway.listObjects('', { limit: 10 }),
      () => gateway.head('a.bin'),
      () => gateway.createMultipart('a.bin', 'text/plain', 'CRC32'),
      () => gateway.listParts('a.bin', 'u1'),
      () => gateway.abort('a.bin', 'u1'),
      () => gateway.listUploads(''),
      () => gateway.complete('a.bin', 'u1', 'CRC32', [{ partNumber: 1, etag: '"e"' }]),
      () => gateway.deleteObjects(['a.bin']),
      () => gateway.deleteIfUnchanged('a.bin', source.etag),
      () => gateway.putTags('a.bin', { a: '1' }),
      () => gateway.checkBucket(),
      () => gateway.versioning(),
      () => gateway.getCors(),
      () => gateway.putCors([]),
      () => gateway.copy(source, 'b.bin'),
    ];
    for (const [i, call] of calls.entries()) {
      const hung = new Promise((resolve) => setTimeout(() => resolve('still waiting after 5 s'), 5_000));
      const error = await Promise.race([
        call().then(
          () => null,
          (e: unknown) => e,
        ),
        hung,
      ]);
      expect(error, `call ${i}: ${String(calls[i])}`).toBeInstanceOf(Error);
      expect(
        describeFailure(error, 'GET /api/objects', () => {}),
        `call ${i}`,
      ).toMatchObject({
        status: 503,
        code: 'store-unreachable',
        message: expect.stringContaining('did not answer in time'),
      });
    }
    for (const socket of sockets) socket.destroy();
    client.destroy();
    // 15 calls of 300 ms each, one after another: 4.5 s at best, past vitest's default 5 s on a busy
    // box (a fresh-clone CI run beside a 10 GiB upload). Each call still has its own 5 s above.
  }, 30_000);
});

describe('listUploads', () => {
  let server: Server | undefined;
  afterEach(() => server?.close());

  /** ListMultipartUploads answers, page by page; each says "truncated" but names no next marker. */
  async function uploadsStore(pages: string[][]): Promise<{ endpoint: string; asked: string[] }> {
    const asked: string[] = [];
    server = createServer((req, res) => {
      const marker = new URL(req.url ?? '/', 'http://x').searchParams.get('key-marker') ?? '';
      asked.push(marker);
      const index = marker === '' ? 0 : pages.findIndex((page) => page.includes(marker)) + 1;
      const keys = pages[Math.min(index, pages.length - 1)]!;
      res.writeHead(200, { 'content-type': 'application/xml' });
      res.end(
        `<?xml version="1.0" encoding="UTF-8"?><ListMultipartUploadsResult><Bucket>b</Bucket>` +
          `<IsTruncated>${index < pages.length - 1 || pages.length === 1}</IsTruncated>` +
          keys.map((k) => `<Upload><Key>${k}</Key><UploadId>u-${k}</UploadId></Upload>`).join('') +
          `</ListMultipartUploadsResult>`,
      );
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return { endpoint: `http://127.0.0.1:${port}`, asked };
  }

  it('goes on from the last upload of a page that names no next marker', async () => {
    const { endpoint, asked } = await uploadsStore([['a', 'b'], ['c']]);
    const uploads = await gatewayOn(endpoint).listUploads('');
    expect(uploads.map((u) => [u.key, u.uploadId])).toEqual([
      ['a', 'u-a'],
      ['b', 'u-b'],
      ['c', 'u-c'],
    ]);
    expect(asked).toEqual(['', 'b']);
  });

  it('ends, rather than asking for the same page forever, when a truncated answer does not move on', async () => {
    // Every answer is the same page, "truncated", with no next marker.
    const { endpoint, asked } = await uploadsStore([['a', 'b']]);
    const listed = await Promise.race([
      gatewayOn(endpoint).listUploads(''),
      new Promise((resolve) => setTimeout(() => resolve('still listing after 5 s'), 5_000)),
    ]);
    expect(listed).not.toBe('still listing after 5 s');
    expect((listed as { key: string }[]).map((u) => u.key)).toEqual(['a', 'b']);
    expect(asked.length).toBeLessThanOrEqual(3);
  });
});

describe('listParts of a store whose part marker does not move', () => {
  const page =
    '<?xml version="1.0" encoding="UTF-8"?><ListPartsResult><Bucket>b</Bucket><Key>k</Key><UploadId>u</UploadId>' +
    '<PartNumberMarker>1</PartNumberMarker><NextPartNumberMarker>1</NextPartNumberMarker><MaxParts>1</MaxParts>' +
    '<IsTruncated>true</IsTruncated><Part><PartNumber>1</PartNumber><ETag>"abc"</ETag><Size>5</Size></Part></ListPartsResult>';

  it('ends with each part once, rather than asking for the same page forever (code review, session 44)', async () => {
    await withRecordingS3(page, async (client, seen) => {
      const store = createS3Gateway({ api: client, presign: client }, 'b');
      const parts = await store.listParts('k', 'u', { signal: AbortSignal.timeout(3_000) });
      expect(parts?.map((p) => p.partNumber)).toEqual([1]);
      expect(seen.length).toBeLessThanOrEqual(2);
    });
  });
});

describe('replaceProperties of an object over one CopyObject (part copies onto itself)', () => {
  let server: Server | undefined;
  afterEach(() => server?.close());

  /** A store whose key holds `etagNow` by the time the part copies are done. */
  async function copyStore(etagNow: string) {
    const calls: string[] = [];
    let ifMatch: string | undefined;
    server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const q = url.searchParams;
      const call =
        req.method === 'HEAD'
          ? 'head'
          : req.method === 'POST' && q.has('uploads')
            ? 'create'
            : req.method === 'PUT' && q.has('partNumber')
              ? 'copy-part'
              : req.method === 'POST' && q.has('uploadId')
                ? 'complete'
                : req.method === 'DELETE' && q.has('uploadId')
                  ? 'abort'
                  : `${req.method} ${url.search}`;
      calls.push(call);
      if (call === 'complete') ifMatch = req.headers['if-match'] as string | undefined;
      req.resume();
      const xml = (body: string) => {
        res.writeHead(200, { 'content-type': 'application/xml' });
        res.end(`<?xml version="1.0" encoding="UTF-8"?>${body}`);
      };
      if (call === 'head') {
        res.writeHead(200, { 'content-length': '12', etag: etagNow });
        res.end();
      } else if (call === 'create')
        xml(
          '<InitiateMultipartUploadResult><Bucket>b</Bucket><Key>k</Key><UploadId>u1</UploadId></InitiateMultipartUploadResult>',
        );
      else if (call === 'copy-part') xml('<CopyPartResult><ETag>"p"</ETag></CopyPartResult>');
      else if (call === 'complete')
        xml('<CompleteMultipartUploadResult><Key>k</Key><ETag>"n-3"</ETag></CompleteMultipartUploadResult>');
      else {
        res.writeHead(204);
        res.end();
      }
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const gateway = gatewayOn(`http://127.0.0.1:${port}`, { copy: { singleLimit: 10, partSize: 5 } });
    return { gateway, calls, ifMatch: () => ifMatch };
  }
  const source = { key: 'k', size: 12, etag: '"v1"' };
  const properties = { contentType: 'video/mp4' };

  it('completes with If-Match in the form the store takes it, while the key still holds the version seen', async () => {
    const { gateway, calls, ifMatch } = await copyStore('"v1"');
    expect(await gateway.replaceProperties(source, properties, { ifMatch: 'v1' })).toBe('replaced');
    expect(calls).toEqual(['create', 'copy-part', 'copy-part', 'copy-part', 'head', 'complete']);
    expect(ifMatch()).toBe('v1'); // unquoted, as Ceph RGW 16 compares it
  });

  it('written meanwhile (a store that ignores If-Match on Complete, as Ceph RGW 16): changed, and the upload aborted', async () => {
    const { gateway, calls } = await copyStore('"v2"');
    expect(await gateway.replaceProperties(source, properties, {})).toBe('changed');
    expect(calls).toEqual(['create', 'copy-part', 'copy-part', 'copy-part', 'head', 'abort']);
  });
});
