import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Store } from './store.ts';

let dir: string;
let store: Store;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'store-'));
  store = await Store.open(dir);
  await store.createBucket('bucket');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function putText(key: string, text: string) {
  const tmp = store.layout.tmpFile();
  await writeFile(tmp, text);
  return store.putObject('bucket', tmp, {
    key,
    size: text.length,
    etag: '"x"',
    lastModified: '',
    headers: {},
  });
}

const dataFiles = () => readdir(store.layout.dataDirOf('bucket'));

describe('Store.readObject', () => {
  it('keeps the data of the version it reads until the stream is done, then lets a delete remove it', async () => {
    const record = await putText('k', 'old bytes');
    const stream = store.readObject('bucket', record);
    await store.deleteObject('bucket', 'k');
    expect(await dataFiles()).toHaveLength(1);
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).toString()).toBe('old bytes');
    await new Promise((r) => setTimeout(r, 20));
    expect(await dataFiles()).toEqual([]);
  });

  it('lets the data go when a stream is destroyed before its first read (a copy that failed early)', async () => {
    const record = await putText('k', 'never read');
    const stream = store.readObject('bucket', record);
    stream.destroy();
    await once(stream, 'close');
    await store.deleteObject('bucket', 'k');
    expect(await dataFiles()).toEqual([]);
  });
});
