import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalS3, type LocalS3 } from '../../server/local-s3/index.ts';
import { rawRequest, signedHeaders } from './support/raw-http.ts';

// The embedded store only: these requests are aimed at its data dir on this machine.
let root: string;
let dataDir: string;
let store: LocalS3;
const secretText = `outside-${randomBytes(8).toString('hex')}`;
const credentials = { accessKeyId: 'TRAVERSALKEY00000001', secretAccessKey: randomBytes(20).toString('hex') };
const bucket = 'hoist';

/** Every file under `dir`, relative to it. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

beforeAll(async () => {
  // root/outside.txt and root/bucket-next-door/outside.txt sit next to root/data, the store's data dir.
  root = await mkdtemp(join(tmpdir(), 'hoist-traversal-'));
  dataDir = join(root, 'data');
  await mkdir(join(root, 'bucket-next-door'));
  await writeFile(join(root, 'outside.txt'), secretText);
  await writeFile(join(root, 'bucket-next-door', 'outside.txt'), secretText);
  store = await startLocalS3({ dataDir, port: 0, credentials, buckets: [bucket] });
});
afterAll(async () => {
  await store?.close();
  await rm(root, { recursive: true, force: true });
});

const traversals = [
  '/../outside.txt',
  '/../../outside.txt',
  '/hoist/../outside.txt',
  '/hoist/../../outside.txt',
  '/hoist/../../../outside.txt',
  '/hoist/%2e%2e/%2e%2e/outside.txt',
  '/hoist/%2E%2E%2F%2E%2E%2Foutside.txt',
  '/hoist/..%2f..%2f..%2foutside.txt',
  '/%2e%2e/outside.txt',
  '/%2e%2e%2f%2e%2e%2fbucket-next-door/outside.txt',
  '/..%2fbucket-next-door/outside.txt',
  '/bucket-next-door/outside.txt',
  '/hoist/..\\..\\..\\outside.txt',
  '/hoist/....//....//outside.txt',
  '/hoist/%252e%252e/%252e%252e/outside.txt',
  '/hoist/%c0%ae%c0%ae/outside.txt',
  '/hoist/x%00/../../outside.txt',
  `/hoist/${'../'.repeat(40)}etc/passwd`,
  '/hoist/a?uploadId=../../../outside.txt&partNumber=1',
  '/hoist/a?uploadId=%2e%2e%2f%2e%2e%2foutside&partNumber=1',
  '/hoist/a?uploadId=..%2f..%2f..%2fbucket-next-door',
  '/hoist?prefix=../../&delimiter=/',
  '/hoist?uploads&prefix=../',
];

describe('the embedded store keeps every request inside its data dir', () => {
  it('answers unsigned traversal attempts with an error and reads or writes nothing outside', async () => {
    const before = await filesUnder(root);
    for (const path of traversals) {
      for (const method of ['GET', 'HEAD', 'PUT', 'POST', 'DELETE']) {
        const body = method === 'PUT' || method === 'POST' ? Buffer.from('overwrite?') : undefined;
        const answer = await rawRequest(store.endpoint, method, path, {}, body);
        expect(answer.status, `${method} ${path}`).toBeGreaterThanOrEqual(400);
        expect(answer.body.toString('latin1')).not.toContain(secretText);
      }
    }
    expect(await filesUnder(root)).toEqual(before);
    expect(await readFile(join(root, 'outside.txt'), 'utf8')).toBe(secretText);
  });

  it('signed with valid credentials, dot-dot keys are only names: never paths on disk', async () => {
    const outsideBefore = (await filesUnder(root)).filter((f) => !f.startsWith('data/'));
    for (const path of traversals) {
      for (const method of ['GET', 'HEAD', 'PUT', 'POST', 'DELETE']) {
        const body = method === 'PUT' ? Buffer.from('overwrite?') : new Uint8Array(0);
        const headers = await signedHeaders(store.endpoint, credentials, method, path, body);
        const answer = await rawRequest(store.endpoint, method, path, headers, body);
        expect(answer.status, `${method} ${path}`).toBeGreaterThan(0);
        expect(answer.body.toString('latin1'), `${method} ${path}`).not.toContain(secretText);
      }
    }
    // Whatever was accepted (S3 allows "../x" as a key) stayed inside the data dir.
    expect((await filesUnder(root)).filter((f) => !f.startsWith('data/'))).toEqual(outsideBefore);
    expect(await readFile(join(root, 'outside.txt'), 'utf8')).toBe(secretText);
    expect(await readFile(join(root, 'bucket-next-door', 'outside.txt'), 'utf8')).toBe(secretText);
  });

  it('a key with dot-dot segments round-trips as a key, and an upload id that is a path is NoSuchUpload', async () => {
    const path = '/hoist/../../outside.txt';
    const body = Buffer.from('inside after all');
    const put = await rawRequest(
      store.endpoint,
      'PUT',
      path,
      await signedHeaders(store.endpoint, credentials, 'PUT', path, body),
      body,
    );
    expect(put.status).toBe(200);
    const get = await rawRequest(
      store.endpoint,
      'GET',
      path,
      await signedHeaders(store.endpoint, credentials, 'GET', path),
    );
    expect(get.status).toBe(200);
    expect(get.body.toString()).toBe('inside after all');
    expect(await readFile(join(root, 'outside.txt'), 'utf8')).toBe(secretText);

    const part = '/hoist/k?partNumber=1&uploadId=..%2F..%2F..%2Foutside';
    const partBody = Buffer.from('x');
    const answer = await rawRequest(
      store.endpoint,
      'PUT',
      part,
      await signedHeaders(store.endpoint, credentials, 'PUT', part, partBody),
      partBody,
    );
    expect(answer.status).toBe(404);
    expect(answer.body.toString()).toContain('NoSuchUpload');
  });
});
