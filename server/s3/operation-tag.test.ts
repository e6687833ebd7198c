import { HeadObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operationOf, storeErrorLine, tagOperations } from './operation-tag.ts';

let server: Server;
let client: S3Client;

beforeAll(async () => {
  // A store that refuses everything: HEAD with no body (as S3 answers it), a listing with S3's XML.
  server = createServer((req, res) => {
    res.writeHead(403, { 'content-type': 'application/xml', 'x-amz-request-id': 'R123' });
    res.end(
      req.method === 'HEAD'
        ? undefined
        : '<?xml version="1.0"?><Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>',
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  client = new S3Client({
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
    maxAttempts: 1,
  });
  tagOperations(client);
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (error: unknown) => error as Error,
  );

describe('store errors in the log name the operation, the key, the status and the request id', () => {
  it('a HEAD refused with no body: the operation and key say what was denied', async () => {
    const error = await failure(client.send(new HeadObjectCommand({ Bucket: 'b', Key: 'g21m.bin' })));
    expect(operationOf(error)).toEqual({ operation: 'HeadObject', key: 'g21m.bin' });
    expect(storeErrorLine('POST /api/uploads/many', error as never, operationOf(error))).toBe(
      'store error on POST /api/uploads/many: HeadObject "g21m.bin" → HTTP 403 (request id R123)',
    );
  });

  it('a listing refused with S3’s error: its code and message', async () => {
    const error = await failure(client.send(new ListObjectsV2Command({ Bucket: 'b' })));
    expect(storeErrorLine('GET /api/objects', error as never, operationOf(error))).toBe(
      'store error on GET /api/objects: ListObjectsV2 → AccessDenied: Access Denied (HTTP 403, request id R123)',
    );
  });

  it('an error of no known operation is logged as before, with what it has', () => {
    expect(storeErrorLine('GET /x', { name: 'Unknown', message: 'UnknownError' }, undefined)).toBe(
      'store error on GET /x: Unknown',
    );
  });
});
