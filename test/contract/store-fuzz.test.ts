import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, ListBucketsCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../e2e/support/ports.ts';
import { PROCESS_START_TIMEOUT_MS } from '../e2e/support/child-env.ts';
import { rawExchange, rawRequest, signedHeaders } from './support/raw-http.ts';

// Random methods, paths, headers and bodies thrown at the embedded store running in its own process
// (`npm run store`), over raw sockets: it must answer or close every time, stay up, and write nowhere but
// its data dir. Signed requests (valid SigV4 over random paths and queries) get past auth into the handlers.

let root: string;
let child: ChildProcess;
let endpoint: string;
let output = '';
const credentials = { accessKeyId: 'FUZZKEY0000000000001', secretAccessKey: randomBytes(20).toString('hex') };
/** Longer than any generated path segment (≤ 12 characters), so no random request touches it. */
const ANCHOR = `fuzz-anchor/${randomBytes(12).toString('hex')}`;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'hoist-fuzz-'));
  const port = await freePort();
  endpoint = `http://127.0.0.1:${port}`;
  child = spawn(process.execPath, ['--import', 'tsx', 'server/local-s3/main.ts'], {
    env: {
      ...process.env,
      STORE_PORT: String(port),
      HOIST_DATA_DIR: join(root, 'hoist'),
      S3_ACCESS_KEY_ID: credentials.accessKeyId,
      S3_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const deadline = Date.now() + PROCESS_START_TIMEOUT_MS;
  while (!output.includes('endpoint')) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`store did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  // A signed DELETE /hoist is a valid DeleteBucket once the bucket is empty, and the generator can send
  // one: an object no generated request can name keeps the bucket (what the last test checks) in place.
  const s3 = new S3Client({ endpoint, region: 'us-east-1', credentials, forcePathStyle: true });
  await s3.send(new PutObjectCommand({ Bucket: 'hoist', Key: ANCHOR, Body: 'anchor' }));
  s3.destroy();
});
afterAll(async () => {
  if (child && child.exitCode === null) {
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
    });
  }
  await rm(root, { recursive: true, force: true });
});

const segment = fc.oneof(
  fc.constantFrom('hoist', 'other-bucket', '..', '.', '%2e%2e', '%2E%2e%2f', '%00', '%', '%zz', '%c0%ae', ''),
  fc.constantFrom('a', 'k.bin', 'x'.repeat(1100), 'é', '\u00ff', '%F0%9F%98%80', '..\\..', '~', '*'),
  fc.stringMatching(/^[A-Za-z0-9._~%-]{0,12}$/),
);
const path = fc.array(segment, { minLength: 0, maxLength: 5 }).map((segments) => `/${segments.join('/')}`);
const queryPair = fc.oneof(
  fc.constantFrom(
    'uploads',
    'cors',
    'delete',
    'location',
    'acl',
    'list-type=2',
    'max-keys=-1',
    'max-keys=99999999999',
    'continuation-token=%%%',
    'partNumber=0',
    'partNumber=10001',
    'partNumber=1.5',
    'partNumber=1',
    'uploadId=..%2F..%2Fx',
    'uploadId=00000000000000000000000000000000',
    'X-Amz-Algorithm=AWS4-HMAC-SHA256',
    'X-Amz-Signature=zz',
    'X-Amz-Credential=a%2Fb',
    'X-Amz-Expires=-5',
    'X-Amz-Date=20991301T000000Z',
    'prefix=..%2F',
    'delimiter=',
    'encoding-type=url',
    'response-content-type=%0d%0aX: y',
  ),
  fc
    .tuple(fc.stringMatching(/^[a-zA-Z-]{1,10}$/), fc.stringMatching(/^[A-Za-z0-9%.-]{0,10}$/))
    .map(([k, v]) => `${k}=${v}`),
);
const query = fc.array(queryPair, { maxLength: 4 }).map((q) => (q.length ? `?${q.join('&')}` : ''));
const method = fc.constantFrom(
  'GET',
  'PUT',
  'POST',
  'DELETE',
  'HEAD',
  'OPTIONS',
  'PATCH',
  'PROPFIND',
  'GETT',
);
const headerPair = fc.oneof(
  fc.constantFrom(
    ['content-length', '-1'],
    ['content-length', '99999999999999999999'],
    ['content-length', 'abc'],
    ['transfer-encoding', 'chunked'],
    ['x-amz-content-sha256', 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD'],
    ['x-amz-content-sha256', 'STREAMING-UNSIGNED-PAYLOAD-TRAILER'],
    ['x-amz-content-sha256', 'UNSIGNED-PAYLOAD'],
    ['x-amz-decoded-content-length', '-3'],
    ['x-amz-trailer', 'x-amz-checksum-crc32'],
    ['x-amz-checksum-crc32', '!!!'],
    ['x-amz-sdk-checksum-algorithm', 'CRC64NVME'],
    ['content-md5', 'not-base64'],
    ['range', 'bytes=5-1'],
    ['range', 'bytes=-0,0-,999999999999999999-'],
    ['if-match', '*'],
    ['origin', 'http://evil.example'],
    ['access-control-request-method', 'PUT'],
    ['authorization', 'AWS4-HMAC-SHA256 Credential=/,SignedHeaders=,Signature='],
    ['authorization', 'AWS4-HMAC-SHA256 Credential=FUZZKEY0000000000001/20200101/us-east-1/s3/aws4_request'],
    ['authorization', 'AWS AKID:sig'],
    ['x-amz-date', 'yesterday'],
    ['x-amz-copy-source', '/hoist/../../etc/passwd'],
    ['expect', '100-continue'],
  ),
  fc.tuple(fc.stringMatching(/^[a-z-]{1,16}$/), fc.stringMatching(/^[ -~]{0,40}$/)),
);
const body = fc.oneof(
  fc.constant(new Uint8Array(0)),
  fc.uint8Array({ maxLength: 2048 }),
  fc
    .constantFrom(
      '<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>"x"</ETag></Part></CompleteMultipartUpload>',
      '<Delete><Object><Key>../../x</Key></Object></Delete>',
      '<?xml version="1.0"?><!DOCTYPE a [<!ENTITY e SYSTEM "file:///etc/passwd">]><Delete><Object><Key>&e;</Key></Object></Delete>',
      '<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin>',
      '5\r\nhello\r\nZZZ\r\n',
      '0;chunk-signature=00\r\n\r\n',
    )
    .map((s) => new TextEncoder().encode(s)),
);
const request = fc.record({
  method,
  target: fc.tuple(path, query).map(([p, q]) => p + q),
  headers: fc.array(headerPair, { maxLength: 5 }),
  body,
  sign: fc.boolean(),
});

/** A request line + headers + body, byte for byte as given (so it can be malformed on purpose). */
function wire(r: { method: string; target: string; headers: [string, string][]; body: Uint8Array }): Buffer {
  const head = [`${r.method} ${r.target} HTTP/1.1`, `host: ${new URL(endpoint).host}`, 'connection: close'];
  for (const [k, v] of r.headers) head.push(`${k}: ${v}`);
  if (!r.headers.some(([k]) => k === 'content-length' || k === 'transfer-encoding'))
    head.push(`content-length: ${r.body.length}`);
  return Buffer.concat([Buffer.from(`${head.join('\r\n')}\r\n\r\n`, 'latin1'), r.body]);
}

async function outsideDataDir(): Promise<string[]> {
  return [...(await readdir(root)), ...(await readdir(join(root, 'hoist')))].sort();
}

describe('the embedded store under random requests', () => {
  it('answers or closes every malformed request, signed or not, and stays up', async () => {
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        let headers: [string, string][] = r.headers as [string, string][];
        if (r.sign) {
          const signed = await signedHeaders(endpoint, credentials, r.method, r.target, r.body);
          headers = [...Object.entries(signed).filter(([k]) => k.toLowerCase() !== 'host'), ...headers];
        }
        const answer = await rawExchange(endpoint, wire({ ...r, headers }));
        expect(answer.answered || answer.closed, `${r.method} ${r.target}`).toBe(true);
        // 501 NotImplemented is a fine answer; a 500 means a handler threw something it did not expect.
        expect(answer.head, `${r.method} ${r.target}`).not.toMatch(/^HTTP\/1\.1 500/);
        expect(child.exitCode).toBeNull();
      }),
      { numRuns: 1000 },
    );
  });

  it('survives raw garbage on the socket', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 4096 }), async (bytes) => {
        const answer = await rawExchange(endpoint, bytes);
        expect(answer.answered || answer.closed).toBe(true);
        expect(child.exitCode).toBeNull();
      }),
      { numRuns: 300 },
    );
  });

  it('afterwards still serves a signed request and has written nothing outside its data dir', async () => {
    expect(child.exitCode).toBeNull();
    expect(await outsideDataDir()).toEqual(['hoist', 'store']);
    const s3 = new S3Client({ endpoint, region: 'us-east-1', credentials, forcePathStyle: true });
    const buckets = await s3.send(new ListBucketsCommand({}));
    expect(buckets.Buckets?.map((b) => b.Name)).toContain('hoist');
    const anchor = await s3.send(new GetObjectCommand({ Bucket: 'hoist', Key: ANCHOR }));
    expect(await anchor.Body!.transformToString()).toBe('anchor');
    s3.destroy();
    const anonymous = await rawRequest(endpoint, 'GET', '/hoist/x');
    expect(anonymous.status).toBe(403);
    expect(output).not.toMatch(/Uncaught|unhandled|TypeError|RangeError/i);
  });
});
