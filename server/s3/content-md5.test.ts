import { createHash } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DeleteObjectsCommand, S3Client } from '@aws-sdk/client-s3';
import { expect, it } from 'vitest';
import { withContentMd5 } from './content-md5.ts';

it('sends DeleteObjects with the Content-MD5 of its body and no CRC32, signed (MinIO before 2025 needs it)', async () => {
  const seen: { headers: IncomingHttpHeaders; body: string }[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      seen.push({ headers: req.headers, body });
      res.setHeader('content-type', 'application/xml');
      res.end('<?xml version="1.0"?><DeleteResult><Deleted><Key>a.txt</Key></Deleted></DeleteResult>');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const client = new S3Client({
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    region: 'us-east-1',
    credentials: { accessKeyId: 'k', secretAccessKey: 's' },
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
  });
  try {
    const command = new DeleteObjectsCommand({ Bucket: 'b', Delete: { Objects: [{ Key: 'a.txt' }] } });
    const answer = await client.send(withContentMd5(command));
    expect(answer.Deleted).toEqual([{ Key: 'a.txt' }]);
    const [{ headers, body }] = seen as [(typeof seen)[0]];
    expect(body).toContain('<Key>a.txt</Key>');
    expect(headers['content-md5']).toBe(createHash('md5').update(body).digest('base64'));
    expect(Object.keys(headers).filter((h) => h.includes('checksum'))).toEqual([]);
    expect(headers.authorization).toMatch(/SignedHeaders=[^,]*content-md5/);
  } finally {
    client.destroy();
    server.close();
  }
});
