/** Builds a manager wired to fakes: scripted transport, fake S3 API, fake clock, no jitter. */
import { createHash } from 'node:crypto';
import { multipartEtag } from '../../../../../server/uploads/multipart-etag.ts';
import { inThreadHasher, type Hasher } from '../../shared/hasher.ts';
import { noLocks, type Locks } from '../../shared/locks.ts';
import { FakeClock, settle } from '../../shared/testing/fake-clock.ts';
import { FakeOnline } from '../../shared/testing/fake-online.ts';
import { fileSampleHash } from '../fingerprint.ts';
import type { UploadJournal } from '../journal.ts';
import { UploadManager, type UploadManagerOptions } from '../upload-manager.ts';
import { FakeS3Api } from './fake-s3-api.ts';
import { ScriptedTransport } from './scripted-transport.ts';

export interface Harness {
  clock: FakeClock;
  api: FakeS3Api;
  transport: ScriptedTransport;
  online: FakeOnline;
  manager: UploadManager;
  /** Hashes running now (real work, in real time: `drive` lets no fake time pass meanwhile). */
  hashing: () => number;
}

export function setup(
  options: Partial<UploadManagerOptions> & {
    partSize?: number;
    journal?: UploadJournal;
    locks?: Locks;
    /** Share the clock and fake S3 of an earlier harness (a reload). */
    after?: Harness;
  } = {},
): Harness {
  const { partSize = 1000, after, ...rest } = options;
  const clock = after?.clock ?? new FakeClock();
  const api = after?.api ?? new FakeS3Api({ clock, partSize });
  const transport = new ScriptedTransport(api);
  const online = new FakeOnline();
  let hashing = 0;
  const hasher: Hasher = {
    async hash(blob, algorithm, o) {
      hashing++;
      try {
        return await inThreadHasher.hash(blob, algorithm, o);
      } finally {
        hashing--;
      }
    },
  };
  // The sampled hash takes real time too: counted, so drive() lets it finish before fake time moves.
  const sampleHash = async (file: Parameters<typeof fileSampleHash>[0]) => {
    hashing++;
    try {
      return await fileSampleHash(file);
    } finally {
      hashing--;
    }
  };
  const manager = new UploadManager({
    api,
    transport,
    hasher,
    sampleHash,
    locks: noLocks,
    online,
    clock,
    random: () => 0,
    ...rest,
  });
  return { clock, api, transport, online, manager, hashing: () => hashing };
}

let fileSeq = 0;

export function makeFile(name: string, size: number, seed = ++fileSeq, lastModified = 1_000): File {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + seed * 7) & 0xff;
  return new File([bytes], name, { type: 'application/octet-stream', lastModified });
}

/**
 * Answers requests oldest first until `done()`; lets `stepMs` of time pass when nothing is waiting
 * (0: none ever, for a run that must not outlive a token).
 */
export async function drive(h: Harness, done: () => boolean, limit = 5_000, stepMs = 100): Promise<void> {
  for (let i = 0; i < limit; i++) {
    await settle();
    if (done()) return;
    const request = h.transport.claim();
    if (request) request.respond();
    // A hash takes real time (more on a busy machine): fake time waits for it, or a short token or URL
    // lifetime would run out while nothing but the test's machine was slow.
    else if (h.hashing() > 0) await new Promise((resolve) => setTimeout(resolve, 1));
    else await h.clock.advance(stepMs);
  }
  throw new Error('drive(): the uploads did not finish');
}

/** Lets promises run until `condition()` holds (no time passes). */
export async function until(condition: () => boolean, turns = 5_000): Promise<void> {
  for (let i = 0; i < turns; i++) {
    if (condition()) return;
    await settle(1);
  }
  throw new Error('until(): condition never held');
}

export function statuses(h: Harness): string[] {
  return h.manager.getSnapshot().items.map((i) => i.status);
}

export { settle };

/** The ETag S3 gives `file` completed from parts of `partSize` bytes (quoted). */
export async function multipartEtagOf(file: Blob, partSize: number): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const parts: string[] = [];
  for (let at = 0; at < bytes.length; at += partSize)
    parts.push(
      createHash('md5')
        .update(bytes.subarray(at, at + partSize))
        .digest('hex'),
    );
  return multipartEtag(parts);
}
