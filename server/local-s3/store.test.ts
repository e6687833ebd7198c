import { renameSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { directorySync, UnsyncedRenameError } from './durable-fs.ts';
import { Store, damaged } from './store.ts';

/** Makes the fsync of `failing` fail (an EIO from the disk); other directories are fsynced for real. */
const fsyncForReal = directorySync.fsync;
function failFsyncOf(failing: string): void {
  directorySync.fsync = (d) =>
    d === failing
      ? Promise.reject(Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' }))
      : fsyncForReal(d);
}

let dir: string;
let store: Store;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'store-'));
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

describe('Store.completeUpload', () => {
  async function partFrom(text: string) {
    const tmp = store.layout.tmpFile();
    await writeFile(tmp, text);
    return tmp;
  }
  const dataText = async () =>
    (
      await Promise.all(
        (await dataFiles()).map((f) => readFile(join(store.layout.dataDirOf('bucket'), f), 'utf8')),
      )
    ).sort();

  async function uploadWithPart() {
    const { uploadId } = await store.createUpload('bucket', { key: 'k', headers: {} });
    const part = { partNumber: 1, etag: '"first"', size: 11 };
    await store.commitPart('bucket', uploadId, await partFrom('first bytes'), Promise.resolve(), part);
    return { uploadId, part, upload: store.upload('bucket', uploadId) };
  }

  it('a part sent again while the object is being written keeps the bytes Complete chose', async () => {
    const { uploadId, part, upload } = await uploadWithPart();
    upload.state = 'completing'; // as completeUpload holds it while it writes the object
    await store.commitPart('bucket', uploadId, await partFrom('other bytes'), Promise.resolve(), {
      ...part,
      etag: '"other"',
    });
    upload.state = 'open';
    await new Promise((r) => setTimeout(r, 20)); // what the reaper would remove, it has removed
    expect(await dataText()).toEqual(['first bytes', 'other bytes']);
  });

  it('a Complete that fails lets go of the chosen parts replaced meanwhile, keeping their replacements', async () => {
    const { uploadId, upload } = await uploadWithPart();
    const replacement = await partFrom('other bytes');
    const failed = store.completeUpload(
      'bucket',
      uploadId,
      [{ partNumber: 1, etag: '"first"', checksums: {} }],
      {
        check: () => {
          // Part 1 sent again while the object was being written (see commitPart), then the write fails.
          const file = 'replacement';
          renameSync(replacement, join(store.layout.dataDirOf('bucket'), file));
          upload.parts.set(1, { ...upload.parts.get(1)!, etag: '"other"', file });
          throw new Error('disk full');
        },
      },
    );
    await expect(failed).rejects.toThrow('disk full');
    await new Promise((r) => setTimeout(r, 20));
    expect(upload.state).toBe('open');
    expect(await dataText()).toEqual(['other bytes']);
  });
});

describe('a directory fsync that fails after a rename', () => {
  const text = async (s: Store, key: string) => {
    const chunks: Buffer[] = [];
    for await (const chunk of s.readObject('bucket', s.getObject('bucket', key)))
      chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString();
  };

  it('PutObject: keeps the data the new manifest names, and the index follows it (now and after a restart)', async () => {
    await putText('k', 'old');
    failFsyncOf(store.layout.objectsDir('bucket'));
    await expect(putText('k', 'new')).rejects.toBeInstanceOf(UnsyncedRenameError);
    directorySync.fsync = fsyncForReal;
    expect(await text(store, 'k')).toBe('new');
    expect(await text(await Store.open(dir), 'k')).toBe('new');
  });

  it('UploadPart: keeps the part the record names, and the upload lists it (now and after a restart)', async () => {
    const { uploadId } = await store.createUpload('bucket', { key: 'k', headers: {} });
    const tmp = store.layout.tmpFile();
    await writeFile(tmp, 'part bytes');
    failFsyncOf(store.layout.uploadDir('bucket', uploadId));
    await expect(
      store.commitPart('bucket', uploadId, tmp, Promise.resolve(), { partNumber: 1, etag: '"p"', size: 10 }),
    ).rejects.toBeInstanceOf(UnsyncedRenameError);
    directorySync.fsync = fsyncForReal;
    for (const s of [store, await Store.open(dir)]) {
      const part = s.upload('bucket', uploadId).parts.get(1)!;
      expect(await readFile(s.layout.dataFile('bucket', part.file), 'utf8')).toBe('part bytes');
    }
  });

  it('CompleteMultipartUpload: the object is published with its parts and the upload is finished', async () => {
    const { uploadId } = await store.createUpload('bucket', { key: 'k', headers: {} });
    const tmp = store.layout.tmpFile();
    await writeFile(tmp, 'part bytes');
    await store.commitPart('bucket', uploadId, tmp, Promise.resolve(), {
      partNumber: 1,
      etag: '"p"',
      size: 10,
    });
    failFsyncOf(store.layout.objectsDir('bucket'));
    await expect(
      store.completeUpload('bucket', uploadId, [{ partNumber: 1, etag: '"p"', checksums: {} }]),
    ).rejects.toBeInstanceOf(UnsyncedRenameError);
    directorySync.fsync = fsyncForReal;
    expect(() => store.upload('bucket', uploadId)).toThrow(expect.objectContaining({ code: 'NoSuchUpload' }));
    expect(await text(store, 'k')).toBe('part bytes');
    expect(await text(await Store.open(dir), 'k')).toBe('part bytes');
  });
});

describe('a directory fsync that fails after a bucket, CORS, upload or delete is written', () => {
  it('CreateBucket: the bucket is there (now and after a restart), and the failure is reported', async () => {
    failFsyncOf(store.layout.bucketsDir);
    await expect(store.createBucket('other')).rejects.toBeInstanceOf(UnsyncedRenameError);
    directorySync.fsync = fsyncForReal;
    expect(store.hasBucket('other')).toBe(true);
    expect((await Store.open(dir)).hasBucket('other')).toBe(true);
  });

  it('PutBucketCors: the rules the file holds are the ones in force', async () => {
    const rules = [{ allowedOrigins: ['https://a.example'], allowedMethods: ['GET'] }];
    failFsyncOf(store.layout.bucketDir('bucket'));
    await expect(store.setCors('bucket', rules as never)).rejects.toBeInstanceOf(UnsyncedRenameError);
    directorySync.fsync = fsyncForReal;
    expect(store.bucket('bucket').record.cors).toEqual(rules);
    expect((await Store.open(dir)).bucket('bucket').record.cors).toEqual(rules);
  });

  it('CreateMultipartUpload: the upload is listed (now and after a restart), so it can be found and aborted', async () => {
    failFsyncOf(store.layout.uploadsDir('bucket'));
    await expect(store.createUpload('bucket', { key: 'k', headers: {} })).rejects.toBeInstanceOf(
      UnsyncedRenameError,
    );
    directorySync.fsync = fsyncForReal;
    for (const s of [store, await Store.open(dir)])
      expect([...s.bucket('bucket').uploads.values()].map((u) => u.record.key)).toEqual(['k']);
  });

  it('DeleteObject: the object is gone from the index as from the disk; its data stays until a restart finds no manifest', async () => {
    const record = await putText('k', 'bytes');
    const data = store.layout.dataFile('bucket', record.segments[0]!.file);
    failFsyncOf(store.layout.objectsDir('bucket'));
    await expect(store.deleteObject('bucket', 'k')).rejects.toBeInstanceOf(UnsyncedRenameError);
    directorySync.fsync = fsyncForReal;
    expect(() => store.getObject('bucket', 'k')).toThrow(expect.objectContaining({ code: 'NoSuchKey' }));
    // A power cut could bring the manifest back: what it names is still there.
    expect(await readFile(data, 'utf8')).toBe('bytes');
    await Store.open(dir); // no manifest after all: the restart reaps the data
    await expect(readFile(data, 'utf8')).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('a CreateMultipartUpload whose record cannot be written (a full disk)', () => {
  it('leaves no upload, and no folder of one', async () => {
    // The record's temp file cannot be made, as on a full disk (ENOSPC): its folder stayed behind, one
    // for each create the self-test sent every few seconds (an outside tester counted 42).
    await rm(store.layout.tmpDir, { recursive: true, force: true });
    await writeFile(store.layout.tmpDir, '');
    await expect(store.createUpload('bucket', { key: 'k', headers: {} })).rejects.toThrow();
    expect(await readdir(store.layout.uploadsDir('bucket')).catch(() => [])).toEqual([]);
    expect(store.bucket('bucket').uploads.size).toBe(0);
  });
});

describe('Store.deleteBucket', () => {
  it('refuses while an object is being written (BucketNotEmpty), and the object then stays', async () => {
    let deleting: Promise<string> | undefined;
    const tmp = store.layout.tmpFile();
    await writeFile(tmp, 'bytes');
    await store.putObject(
      'bucket',
      tmp,
      { key: 'k', size: 5, etag: '"x"', lastModified: '', headers: {} },
      {
        // just before the manifest is written
        check: () => {
          deleting = store.deleteBucket('bucket').then(
            () => 'deleted',
            (error: { code: string }) => error.code,
          );
        },
      },
    );
    expect(await deleting).toBe('BucketNotEmpty');
    expect(store.getObject('bucket', 'k').size).toBe(5);
    expect((await Store.open(dir)).getObject('bucket', 'k').size).toBe(5);
  });
});

describe('start-up and a metadata file it cannot read', () => {
  const damage = async (file: string) => writeFile(file, (await readFile(file, 'utf8')).slice(0, -1));

  it('refuses to start on a damaged bucket.json, naming it, and deletes none of the bucket', async () => {
    await putText('k', 'precious');
    await damage(store.layout.bucketFile('bucket'));
    await expect(Store.open(dir)).rejects.toThrow(store.layout.bucketFile('bucket'));
    expect(await dataFiles()).toHaveLength(1);
    expect(await readdir(store.layout.objectsDir('bucket'))).toHaveLength(1);
  });

  it('refuses to start on a damaged object manifest, naming it, and keeps its bytes', async () => {
    await putText('k', 'precious');
    const manifest = store.layout.objectMeta('bucket', 'k');
    await damage(manifest);
    await expect(Store.open(dir)).rejects.toThrow(manifest);
    expect(await dataFiles()).toHaveLength(1);
  });

  it('refuses to start on a damaged upload or part record, and keeps the parts', async () => {
    const upload = await store.createUpload('bucket', { key: 'k', headers: {} });
    const tmp = store.layout.tmpFile();
    await writeFile(tmp, 'part');
    await store.commitPart('bucket', upload.uploadId, tmp, Promise.resolve(), {
      partNumber: 1,
      etag: '"e"',
      size: 4,
    });
    for (const file of [
      store.layout.partFile('bucket', upload.uploadId, 1),
      store.layout.uploadFile('bucket', upload.uploadId),
    ]) {
      const good = await readFile(file, 'utf8');
      await damage(file);
      await expect(Store.open(dir)).rejects.toThrow(file);
      expect(await dataFiles()).toHaveLength(1);
      await writeFile(file, good);
    }
    expect([...(await Store.open(dir)).bucket('bucket').uploads.keys()]).toEqual([upload.uploadId]);
  });

  it('says what to fix: permissions for a file it may not read, the file for one it cannot parse', () => {
    const denied = Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
    expect(damaged('/d/bucket.json', denied).message).toContain(
      'Give the user the store runs as read access',
    );
    expect(damaged('/d/bucket.json', new SyntaxError('Unexpected end of JSON input')).message).toContain(
      'Restore the file from a backup or repair it',
    );
  });

  it('refuses to start on a bucket without bucket.json that holds objects; one without objects is removed', async () => {
    await putText('k', 'precious');
    await rm(store.layout.bucketFile('bucket'));
    await expect(Store.open(dir)).rejects.toThrow(/bucket\.json is missing but the bucket holds objects/);
    expect(await dataFiles()).toHaveLength(1);
    await store.deleteObject('bucket', 'k');
    expect((await Store.open(dir)).hasBucket('bucket')).toBe(false);
    await expect(readdir(store.layout.bucketDir('bucket'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('a kill -9 while Complete removes the finished upload', () => {
  it('does not bring the upload back from what is left of it (upload.json, an unused part), and removes that', async () => {
    const upload = await store.createUpload('bucket', { key: 'k', headers: {} });
    for (const [n, text] of ['whole file', 'unused'].entries()) {
      const tmp = store.layout.tmpFile();
      await writeFile(tmp, text);
      await store.commitPart('bucket', upload.uploadId, tmp, Promise.resolve(), {
        partNumber: n + 1,
        etag: `"e${n + 1}"`,
        size: text.length,
      });
    }
    const uploadDir = store.layout.uploadDir('bucket', upload.uploadId);
    const left = await Promise.all(
      ['upload.json', 'part-2.json'].map(
        async (f) => [f, await readFile(join(uploadDir, f), 'utf8')] as const,
      ),
    );
    const unused = store.bucket('bucket').uploads.get(upload.uploadId)!.parts.get(2)!.file;
    await store.completeUpload('bucket', upload.uploadId, [{ partNumber: 1, etag: '"e1"', checksums: {} }]);
    // What a removal in place leaves when the process dies after unlinking part-1.json (the one the object uses):
    await mkdir(uploadDir);
    for (const [f, text] of left) await writeFile(join(uploadDir, f), text);
    await writeFile(store.layout.dataFile('bucket', unused), 'unused');

    const restarted = await Store.open(store.layout.dataDir);
    expect(restarted.getObject('bucket', 'k').completedBy?.uploadId).toBe(upload.uploadId);
    expect([...restarted.bucket('bucket').uploads.keys()]).toEqual([]);
    expect(() => restarted.upload('bucket', upload.uploadId)).toThrow(
      expect.objectContaining({ code: 'NoSuchUpload' }),
    );
    await expect(readdir(uploadDir)).rejects.toMatchObject({ code: 'ENOENT' });
    const data = await dataFiles();
    expect(data).toHaveLength(1);
    expect(await readFile(join(store.layout.dataDirOf('bucket'), data[0]!), 'utf8')).toBe('whole file');
  });
});

describe('Store.deleteObject', () => {
  it('fails, keeping the object in the index and its data, when its manifest cannot be removed', async () => {
    const record = await putText('k', 'bytes');
    const meta = store.layout.objectMeta('bucket', 'k');
    // A manifest unlink refuses (as EROFS or EIO would): a directory in its place (root can write anywhere).
    await rm(meta);
    await mkdir(join(meta, 'x'), { recursive: true });
    await expect(store.deleteObject('bucket', 'k')).rejects.toMatchObject({ code: 'EISDIR' });
    expect(store.getObject('bucket', 'k')).toBe(record);
    expect(await dataFiles()).toEqual([record.segments[0]!.file]);
  });
});

describe('bucket calls at once', () => {
  it('CreateBucket while DeleteBucket removes the bucket: made again whole, once the removal is done', async () => {
    // A removal that takes a while: an upload dir of many files.
    const upload = join(store.layout.uploadsDir('bucket'), 'f'.repeat(32));
    await mkdir(upload, { recursive: true });
    await Promise.all(
      Array.from({ length: 2000 }, (_, i) => writeFile(join(upload, `part-${i}.json`), '{}')),
    );
    const deleting = store.deleteBucket('bucket');
    await new Promise((r) => setImmediate(r)); // the removal is under way
    const creating = store.createBucket('bucket');
    await deleting;
    await creating;
    expect(store.hasBucket('bucket')).toBe(true);
    expect(JSON.parse(await readFile(store.layout.bucketFile('bucket'), 'utf8'))).toMatchObject({
      name: 'bucket',
    });
    await putText('k', 'bytes');
    expect((await Store.open(dir)).getObject('bucket', 'k').size).toBe(5);
  }, 30_000);

  it('PutBucketCors twice at once: the rules in force are the ones bucket.json holds', async () => {
    const rules = (origin: string) => [{ allowedOrigins: [origin], allowedMethods: ['GET'] }] as never;
    // The first call's directory fsync is slow, so the second one's rename comes after its own.
    let calls = 0;
    directorySync.fsync = async (d) => {
      if (d === store.layout.bucketDir('bucket') && calls++ === 0)
        await new Promise((r) => setTimeout(r, 100));
      return fsyncForReal(d);
    };
    await Promise.all([
      store.setCors('bucket', rules('https://a.example')),
      store.setCors('bucket', rules('https://b.example')),
    ]);
    const onDisk = JSON.parse(await readFile(store.layout.bucketFile('bucket'), 'utf8')) as { cors: unknown };
    expect(store.bucket('bucket').record.cors).toEqual(onDisk.cors);
  });
});

describe('Store versioning', () => {
  const text = async (record: Parameters<Store['readObject']>[1]) => {
    const chunks: Buffer[] = [];
    for await (const chunk of store.readObject('bucket', record)) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString();
  };
  const ids = (key: string) =>
    (store.bucket('bucket').versions?.get(key) ?? []).map((v) => v.versionId ?? 'null');

  it('leaves a bucket never versioned as it was: no versions dir, no version ids, no cost', async () => {
    const record = await putText('k', 'plain');
    expect(record.versionId).toBeUndefined();
    expect(store.isVersioned('bucket')).toBe(false);
    expect(store.bucket('bucket').versions).toBeUndefined();
    await expect(readdir(store.layout.versionsDir('bucket'))).rejects.toThrow(/ENOENT/);
  });

  it('loads a data dir from before versioning unchanged, and makes its objects "null" versions once enabled', async () => {
    await putText('old', 'from before');
    store = await Store.open(dir);
    await store.setVersioning('bucket', 'Enabled');
    const fresh = await putText('old', 'new');
    expect(ids('old')).toEqual([fresh.versionId, 'null']);
    expect(await text(store.getVersion('bucket', 'old', 'null'))).toBe('from before');
    expect(await dataFiles()).toHaveLength(2);
  });

  it('resolves what a crash mid-write left twice: one copy kept, the extra removed, data kept', async () => {
    await store.setVersioning('bucket', 'Enabled');
    const first = await putText('k', 'one');
    // As a write cut short after copying the current version to versions/ but before replacing it.
    const copy = store.layout.versionFile('bucket', 'k', first.versionId!);
    await writeFile(copy, JSON.stringify(first));
    store = await Store.open(dir);
    expect(ids('k')).toEqual([first.versionId]);
    await expect(readFile(copy)).rejects.toThrow(/ENOENT/);
    expect(await text(store.getVersion('bucket', 'k', undefined))).toBe('one');
  });

  it('keeps every version readable and ordered across a restart, delete markers included', async () => {
    await store.setVersioning('bucket', 'Enabled');
    const a = await putText('k', 'a');
    const b = await putText('k', 'b');
    const marker = await store.deleteObject('bucket', 'k');
    expect(marker.deleteMarker).toBe(true);
    store = await Store.open(dir);
    expect(store.bucket('bucket').record.versioning).toBe('Enabled');
    expect(ids('k')).toEqual([marker.versionId, b.versionId, a.versionId]);
    expect(() => store.getVersion('bucket', 'k', undefined)).toThrow(
      expect.objectContaining({
        code: 'NoSuchKey',
        headers: expect.objectContaining({ 'x-amz-delete-marker': 'true' }),
      }),
    );
    await store.deleteObject('bucket', 'k', { versionId: marker.versionId! });
    expect(await text(store.getVersion('bucket', 'k', undefined))).toBe('b');
    await store.deleteObject('bucket', 'k', { versionId: b.versionId! });
    await store.deleteObject('bucket', 'k', { versionId: a.versionId! });
    await new Promise((r) => setTimeout(r, 20));
    expect(await dataFiles()).toEqual([]);
    expect(await readdir(store.layout.versionsDir('bucket'))).toEqual([]);
    await store.deleteBucket('bucket');
  });

  it('refuses to delete a bucket that still holds versions or delete markers', async () => {
    await store.setVersioning('bucket', 'Enabled');
    await store.deleteObject('bucket', 'gone');
    await expect(store.deleteBucket('bucket')).rejects.toMatchObject({ code: 'BucketNotEmpty' });
  });
});

// Versioning turned on while a write to a key is under way: the versions index it builds follows that write.
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
