/**
 * Downloads proved by the ETag where the store keeps no usable checksum (Ceph RGW, older MinIO): a
 * single-part ETag is the MD5 of the bytes, a multipart one the MD5 of the parts' MD5s ("-N").
 */
import { createHash } from 'node:crypto';
import { crc32 } from 'hash-wasm';
import { describe, expect, it, vi } from 'vitest';
import type { DownloadLink } from '../../../../server/shared/api-types.ts';
import { multipartEtag } from '../../../../server/uploads/multipart-etag.ts';
import type { Destination } from './destination.ts';
import { DownloadManager, type DownloadManagerOptions } from './download-manager.ts';
import { crcToBase64 } from './integrity.ts';
import { MemoryDestination } from './memory-destination.ts';
import { FakeApi, bytes, instantClock } from './testing/fake-api.ts';
import { ScriptedFetch } from './testing/scripted-fetch.ts';

const MiB = 1024 * 1024;
/** Lets every pending promise chain run (no timer is waited for). */
const settle = async () => {
  for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve));
};
/** Network chunks of the scripted store: big objects arrive in a few dozen. */
const CHUNK = 256 * 1024;

function setup(options: Partial<DownloadManagerOptions> = {}) {
  const api = new FakeApi();
  const net = new ScriptedFetch();
  net.autoRespond = api.server(CHUNK);
  const dest = new MemoryDestination();
  const manager = new DownloadManager(api, {
    fetch: net.fetch,
    clock: instantClock().clock,
    random: () => 0.5,
    rangeThreshold: 64 * MiB,
    rangeSize: 4 * MiB,
    rangeConcurrency: 4,
    ...options,
  });
  const item = (id: string | undefined) => {
    const found = manager.getSnapshot().items.find((i) => i.id === id);
    if (!found) throw new Error(`no item ${id}`);
    return found;
  };
  return { api, net, dest, manager, item };
}

/** Whole-object GETs below 32 bytes' threshold, or every object as 10-byte ranges (the file read back). */
const WHOLE = { rangeThreshold: 64 * MiB };
const RANGED = { rangeThreshold: 32, rangeSize: 10 };
const BIG_RANGED = { rangeThreshold: 8 * MiB, rangeSize: 4 * MiB };

const md5 = (data: Uint8Array) => createHash('md5').update(data).digest('hex');
/** The ETag S3 gives an object uploaded in parts of `partSize`: MD5 of the parts' MD5s, "-N". */
function partsEtag(data: Uint8Array, partSize: number): string {
  const parts: string[] = [];
  for (let at = 0; at < data.length; at += partSize) parts.push(md5(data.subarray(at, at + partSize)));
  return multipartEtag(parts).replaceAll('"', '');
}
/** A composite SHA-256 as S3 lists it, with the part layout GetObjectAttributes gave the server. */
const shaComposite = (partSize: number, count: number): DownloadLink['checksum'] => ({
  algorithm: 'SHA256',
  value: `${'A'.repeat(43)}=-${count}`,
  composite: true,
  parts: { partSize, count },
});
/** The saved file is `data` (compared by digest: a deep equality of megabytes takes minutes). */
const sameBytes = (file: Uint8Array | undefined, data: Uint8Array) =>
  expect(file && md5(file)).toBe(md5(data));
const altered = (data: Uint8Array, at: number) => {
  const copy = data.slice();
  copy[at] = (copy[at]! + 1) & 255;
  return copy;
};

describe('DownloadManager: a single-part ETag is the MD5 of the bytes', () => {
  it.each([
    ['as they stream', WHOLE],
    ['read back after ranged GETs', RANGED],
  ])('verifies an object with no checksum by its MD5 ETag, %s', async (_, options) => {
    const { api, dest, manager, item } = setup(options);
    const data = bytes(45, 3);
    api.put('a.bin', data, md5(data));
    const [id] = manager.start([api.entry('a.bin')], dest);
    await manager.whenIdle();
    expect(dest.files.get('a.bin')).toEqual(data);
    expect(item(id)).toMatchObject({ status: 'done', verification: 'verified', verifiedAgainst: 'md5-etag' });
  });

  it.each([
    ['as they stream', WHOLE],
    ['read back after ranged GETs', RANGED],
  ])('fails as corrupt and removes the file when the bytes are not the ETag’s, %s', async (_, options) => {
    const { api, dest, manager, item } = setup(options);
    const data = bytes(45, 3);
    api.put('a.bin', data, md5(altered(data, 40)));
    const [id] = manager.start([api.entry('a.bin')], dest);
    await manager.whenIdle();
    expect(item(id)).toMatchObject({ status: 'failed', error: { code: 'corrupt' } });
    expect(item(id).error?.message).toContain('MD5 (ETag)');
    expect(dest.files.size + dest.open.size).toBe(0);
  });

  it('does not compare the ETag of an object encrypted with SSE-KMS or SSE-C: it is no MD5', async () => {
    const { api, dest, manager, item } = setup();
    const data = bytes(45, 3);
    const notTheMd5 = md5(altered(data, 0)); // as KMS ETags look: 32 hex digits, not the bytes' MD5
    api.put('kms.bin', data, notTheMd5, undefined, { serverSideEncryption: 'aws:kms' });
    api.put('dsse.bin', data, notTheMd5, undefined, { serverSideEncryption: 'aws:kms:dsse' });
    api.put('sse-c.bin', data, notTheMd5, undefined, { sseCustomerAlgorithm: 'AES256' });
    // The same ETag on an object that is not encrypted so is a corrupt download.
    api.put('plain.bin', data, notTheMd5, undefined, { serverSideEncryption: 'AES256' });
    const [kms, dsse, sseC, plain] = manager.start(
      ['kms.bin', 'dsse.bin', 'sse-c.bin', 'plain.bin'].map((key) => api.entry(key)),
      dest,
    );
    await manager.whenIdle();
    for (const id of [kms, dsse, sseC]) {
      expect(item(id)).toMatchObject({ status: 'done', verification: 'unverified', verifiedAgainst: null });
    }
    expect(dest.files.get('kms.bin')).toEqual(data);
    expect(item(plain)).toMatchObject({ status: 'failed', error: { code: 'corrupt' } });
  });

  it('compares the checksum, not the ETag, when the object has one it can recompute', async () => {
    const { api, dest, manager, item } = setup();
    const data = bytes(45, 3);
    const crc = crcToBase64(Number.parseInt(await crc32(data), 16));
    // An ETag that is no MD5 of these bytes: not looked at, so not called corrupt.
    api.put('crc.bin', data, md5(altered(data, 1)), { algorithm: 'CRC32', value: crc, composite: false });
    const [id] = manager.start([api.entry('crc.bin')], dest);
    await manager.whenIdle();
    expect(item(id)).toMatchObject({ status: 'done', verification: 'verified', verifiedAgainst: 'checksum' });
  });
});

describe('DownloadManager: a multipart ETag is the MD5 of the parts’ MD5s', () => {
  it.each([
    ['as they stream', WHOLE],
    ['read back after ranged GETs that do not line up with the parts', RANGED],
  ])('verifies it with the part layout the server gave, %s', async (_, options) => {
    const { api, dest, manager, item } = setup(options);
    const data = bytes(45, 5);
    // A composite SHA-256 (not recomputed) whose layout gives the ETag back: parts 0-11, …, 36-44.
    api.put('parts.bin', data, partsEtag(data, 12), shaComposite(12, 4));
    const [id] = manager.start([api.entry('parts.bin')], dest);
    await manager.whenIdle();
    expect(dest.files.get('parts.bin')).toEqual(data);
    expect(item(id)).toMatchObject({ status: 'done', verification: 'verified', verifiedAgainst: 'md5-etag' });
  });

  it.each([
    ['as they stream', WHOLE],
    ['read back after ranged GETs', RANGED],
  ])('fails as corrupt when the known layout does not give the ETag back, %s', async (_, options) => {
    const { api, dest, manager, item } = setup(options);
    const data = bytes(45, 5);
    api.put('parts.bin', data, partsEtag(altered(data, 30), 12), shaComposite(12, 4));
    const [id] = manager.start([api.entry('parts.bin')], dest);
    await manager.whenIdle();
    expect(item(id)).toMatchObject({ status: 'failed', error: { code: 'corrupt' } });
    expect(item(id).error?.message).toContain('multipart MD5 (ETag)');
    expect(dest.files.size + dest.open.size).toBe(0);
  });

  it.each([
    ['as it streams', WHOLE],
    ['read back after ranged GETs', BIG_RANGED],
  ])(
    'verifies an object Hoist uploaded in 5 MiB parts with Content-MD5 (no layout: its own part size fits), %s',
    async (_, options) => {
      const { api, dest, manager, item } = setup(options);
      const data = bytes(12 * MiB + 3, 7); // 3 parts: 5, 5 and 2 MiB + 3
      api.put('hoist.bin', data, partsEtag(data, 5 * MiB));
      const [id] = manager.start([api.entry('hoist.bin')], dest);
      await manager.whenIdle();
      sameBytes(dest.files.get('hoist.bin'), data);
      expect(item(id)).toMatchObject({
        status: 'done',
        verification: 'verified',
        verifiedAgainst: 'md5-etag',
      });
    },
  );

  it.each([
    ['as it streams', WHOLE],
    ['read back after ranged GETs', BIG_RANGED],
  ])(
    'keeps a download whose ETag its guessed part size does not give back: size checked, never failed, %s',
    async (_, options) => {
      const { api, dest, manager, item } = setup(options);
      // Another tool's 6 MiB parts: 2 parts, as Hoist's 5 MiB would make, but other ones.
      const data = bytes(9 * MiB, 8);
      api.put('other.bin', data, partsEtag(data, 6 * MiB));
      const [id] = manager.start([api.entry('other.bin')], dest);
      await manager.whenIdle();
      sameBytes(dest.files.get('other.bin'), data);
      expect(item(id)).toMatchObject({
        status: 'done',
        verification: 'unverifiable',
        verifiedAgainst: 'md5-etag',
        error: null,
      });
    },
  );

  it('leaves a multipart ETag unverifiable when no part size it knows gives as many parts', async () => {
    const { api, dest, manager, item } = setup();
    const data = bytes(30 * MiB, 9);
    // 5 parts of 6 MiB: Hoist's would be 6, the AWS CLI's 4, MinIO's and s3cmd's 2.
    api.put('six.bin', data, partsEtag(data, 6 * MiB));
    const [id] = manager.start([api.entry('six.bin')], dest);
    await manager.whenIdle();
    expect(item(id)).toMatchObject({
      status: 'done',
      verification: 'unverifiable',
      verifiedAgainst: 'md5-etag',
    });
  });

  it('starts over, never calling the right bytes corrupt, when a Resume learns the part layout the first try guessed', async () => {
    const { api, net, dest, manager, item } = setup(WHOLE);
    net.autoRespond = null;
    const data = bytes(9 * MiB, 7);
    // Uploaded by another tool in 8 MiB parts with a composite SHA-256: the ETag is the check. The
    // first link has no layout (GetObjectAttributes throttled): the ETag is tried with 5 MiB parts.
    const object = api.put('x.bin', data, partsEtag(data, 8 * MiB), {
      ...shaComposite(8 * MiB, 2)!,
      parts: undefined,
    });
    const [id] = manager.start([api.entry('x.bin')], dest);
    const body = (await net.nextRequest()).stream(200, { etag: `"${object.etag}"` });
    body.push(data.slice(0, 2 * MiB));
    await vi.waitFor(() => expect(dest.open.get('x.bin')).toBeDefined());
    await settle();
    manager.pause(id!);
    await settle();
    expect(item(id).kept).toBeGreaterThan(0);

    object.checksum = shaComposite(8 * MiB, 2); // the Resume's link has the layout
    net.autoRespond = api.server(CHUNK);
    manager.resume(id!);
    await settle();
    await manager.whenIdle();
    expect(net.requests.map((r) => r.range ?? 'whole')).toEqual(['whole', 'whole']); // from byte 0
    expect(Buffer.from(dest.files.get('x.bin')!).equals(data)).toBe(true);
    expect(item(id)).toMatchObject({ status: 'done', verification: 'verified', verifiedAgainst: 'md5-etag' });
  });

  it('leaves an MD5 ETag unverifiable after ranged GETs into a folder that cannot be read back', async () => {
    const { api, dest, manager, item } = setup(RANGED);
    const data = bytes(45, 3);
    api.put('a.bin', data, md5(data));
    const writeOnly: Destination = {
      stat: (path) => dest.stat(path),
      openFile: async (path, o) => ({ ...(await dest.openFile(path, o)), read: undefined }),
      remove: (path) => dest.remove(path),
    };
    const [id] = manager.start([api.entry('a.bin')], writeOnly);
    await manager.whenIdle();
    expect(dest.files.get('a.bin')).toEqual(data);
    expect(item(id)).toMatchObject({
      status: 'done',
      verification: 'unverifiable',
      verifiedAgainst: 'md5-etag',
    });
  });
});
