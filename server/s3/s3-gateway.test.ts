import { S3Client } from '@aws-sdk/client-s3';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createS3Gateway } from './s3-gateway.ts';

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

function gatewayOn(endpoint: string) {
  const client = new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'k', secretAccessKey: 's' },
  });
  return createS3Gateway({ api: client, presign: client }, 'b');
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
