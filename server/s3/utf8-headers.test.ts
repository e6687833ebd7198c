import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CopyObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { utf8HeaderBytes, withUtf8Headers } from './utf8-headers.ts';

describe('utf8HeaderBytes', () => {
  it('gives text outside ASCII as its UTF-8 bytes, one Latin-1 character each; ASCII as it is', () => {
    expect(utf8HeaderBytes('max-age=60')).toBe('max-age=60');
    expect(Buffer.from(utf8HeaderBytes('résumé'), 'latin1')).toEqual(Buffer.from('résumé', 'utf8'));
    expect(Buffer.from(utf8HeaderBytes('東京 😀'), 'latin1')).toEqual(Buffer.from('東京 😀', 'utf8'));
  });
});

it('sends a header value outside ASCII as its UTF-8 bytes, still signed', async () => {
  const seen: Buffer[] = [];
  let authorization = '';
  const server = createServer((req, res) => {
    // rawHeaders: as Node read them off the wire, one Latin-1 character a byte.
    const at = req.rawHeaders.findIndex((name) => name.toLowerCase() === 'content-disposition');
    seen.push(Buffer.from(req.rawHeaders[at + 1] ?? '', 'latin1'));
    authorization = req.headers.authorization ?? '';
    req.resume();
    req.on('end', () => {
      res.setHeader('content-type', 'application/xml');
      res.end('<?xml version="1.0"?><CopyObjectResult><ETag>"e"</ETag></CopyObjectResult>');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const client = new S3Client({
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    region: 'us-east-1',
    credentials: { accessKeyId: 'k', secretAccessKey: 's' },
    forcePathStyle: true,
  });
  const disposition = 'attachment; filename="東京 résumé.pdf"';
  try {
    await client.send(
      withUtf8Headers(
        new CopyObjectCommand({
          Bucket: 'b',
          Key: 'k',
          CopySource: 'b/k',
          MetadataDirective: 'REPLACE',
          ContentDisposition: disposition,
        }),
      ),
    );
    expect(seen).toEqual([Buffer.from(disposition, 'utf8')]);
    expect(authorization).toMatch(/SignedHeaders=[^,]*content-disposition/);
  } finally {
    client.destroy();
    server.close();
  }
});
