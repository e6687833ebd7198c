import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { directorySync } from './durable-fs.ts';
import { Store } from './store.ts';

// Versioning turned on while a write to a key is under way: the versions index it builds follows that write.
const fsyncForReal = directorySync.fsync;
let dir: string;
let store: Store;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'store-versioning-race-'));
  store = await Store.open(dir);
  await store.createBucket('bucket');
});
afterEach(async () => {
  directorySync.fsync = fsyncForReal;
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

describe('a tag change under way when versioning is turned on', () => {
  it('is what the key reads as afterwards, and what its version keeps once displaced', async () => {
    await putText('k', 'bytes');
    // The tag write's directory fsync waits until versioning is set: the window #commitLocked covers and
    // updateObject's unversioned branch does not.
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let reached!: () => void;
    const atGate = new Promise<void>((r) => (reached = r));
    const objectsDir = store.layout.objectsDir('bucket');
    directorySync.fsync = async (d) => {
      if (d === objectsDir) {
        reached();
        await gate;
      }
      return fsyncForReal(d);
    };
    const tagged = store.updateObject('bucket', 'k', (r) => ({
      ...r,
      tags: [{ key: 'team', value: 'blue' }],
    }));
    await atGate;
    directorySync.fsync = fsyncForReal;
    await store.setVersioning('bucket', 'Enabled');
    release();
    await tagged;

    expect(store.getVersion('bucket', 'k', undefined).tags).toEqual([{ key: 'team', value: 'blue' }]);
    await putText('k', 'newer');
    expect(store.getVersion('bucket', 'k', 'null').tags).toEqual([{ key: 'team', value: 'blue' }]);
  });
});
