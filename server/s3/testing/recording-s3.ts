import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { S3Client } from '@aws-sdk/client-s3';

export interface SeenRequest {
  headers: IncomingHttpHeaders;
  /** As Node read them off the wire: name, value, … (a value one Latin-1 character a byte). */
  rawHeaders: string[];
  body: string;
}

/**
 * Runs `run` with an S3 client whose every request goes to a local HTTP server that records it and
 * answers `answer` (XML) — for tests of what the SDK sends, byte for byte. Stopped afterwards.
 */
export async function withRecordingS3(
  answer: string,
  run: (client: S3Client, seen: SeenRequest[]) => Promise<void>,
): Promise<void> {
  const seen: SeenRequest[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      seen.push({ headers: req.headers, rawHeaders: req.rawHeaders, body });
      res.setHeader('content-type', 'application/xml');
      res.end(answer);
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
    await run(client, seen);
  } finally {
    client.destroy();
    server.close();
  }
}
