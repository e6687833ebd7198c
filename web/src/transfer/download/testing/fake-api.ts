/** A DownloadApi over an in-memory bucket, with scripted failures. */
import type { DownloadLink, DownloadLinks } from '../../../../../server/shared/api-types.ts';
import { ApiError } from '../../shared/api-error.ts';
import type { DownloadApi } from '../download-api.ts';
import type { ScriptedRequest } from './scripted-fetch.ts';

/** What HeadObject says of the object's encryption (under SSE-KMS or SSE-C its ETag is no MD5). */
export type FakeEncryption = Pick<DownloadLink, 'serverSideEncryption' | 'sseCustomerAlgorithm'>;

export interface FakeObject {
  bytes: Uint8Array;
  etag: string;
  checksum?: DownloadLink['checksum'];
  encryption?: FakeEncryption;
}

export class FakeApi implements DownloadApi {
  readonly objects = new Map<string, FakeObject>();
  readonly calls: string[] = [];
  /** Errors thrown by the next calls, in order. */
  readonly failures: unknown[] = [];
  /** The next this many `storeReachable` questions answer "down" (the store is down for the server too). */
  storeDownFor = 0;
  /**
   * The next this many `storeReachable` questions get no answer: the Hoist server is away (restarting),
   * and with it, for the scripted requests, the store it embeds.
   */
  serverDownFor = 0;
  storeAsks = 0;
  #signed = 0;

  async storeReachable(o: { signal?: AbortSignal } = {}): Promise<boolean> {
    o.signal?.throwIfAborted();
    this.storeAsks++;
    if (this.serverDownFor > 0) {
      this.serverDownFor--;
      throw new ApiError('network', 0, 'The Hoist server cannot be reached. Check your connection.');
    }
    if (this.storeDownFor === 0) return true;
    this.storeDownFor--;
    return false;
  }

  put(
    key: string,
    data: Uint8Array | string,
    etag = `etag-${key}`,
    checksum?: DownloadLink['checksum'],
    encryption?: FakeEncryption,
  ): FakeObject {
    const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
    const object = { bytes, etag, checksum, encryption };
    this.objects.set(key, object);
    return object;
  }

  entry(key: string): { key: string; size: number; etag: string } {
    const object = this.objects.get(key);
    if (!object) throw new Error(`no ${key}`);
    return { key, size: object.bytes.byteLength, etag: object.etag };
  }

  async link(key: string, o: { signal?: AbortSignal } = {}): Promise<DownloadLink> {
    o.signal?.throwIfAborted();
    this.calls.push(key);
    const failure = this.failures.shift();
    if (failure !== undefined) throw failure;
    const link = this.signed(key);
    if (!link) throw Object.assign(new Error('Not found'), { code: 'not-found', status: 404 });
    return link;
  }

  protected signed(key: string): DownloadLink | null {
    const object = this.objects.get(key);
    if (!object) return null;
    return {
      key,
      url: `https://s3.test/${encodeURIComponent(key)}?sig=${++this.#signed}`,
      size: object.bytes.byteLength,
      etag: object.etag,
      checksum: object.checksum,
      ...object.encryption,
      expiresAt: Date.now() + 3_600_000,
    };
  }

  /** Serves every request from the bucket (S3 semantics, If-Match honoured). */
  server(chunkSize = 4) {
    return (req: ScriptedRequest) => {
      const object = this.objects.get(req.key);
      if (!object) req.respond(404, '<Error><Code>NoSuchKey</Code></Error>');
      else req.serve(object.bytes, object.etag, chunkSize);
    };
  }
}

/** The same bucket, also answering batch link calls. */
export class FakeBatchApi extends FakeApi {
  readonly batches: string[][] = [];
  /** Errors thrown by the next batch calls, in order. */
  readonly batchFailures: unknown[] = [];

  async links(keys: string[], o: { signal?: AbortSignal } = {}): Promise<DownloadLinks> {
    o.signal?.throwIfAborted();
    this.batches.push([...keys]);
    const failure = this.batchFailures.shift();
    if (failure !== undefined) throw failure;
    const links: DownloadLink[] = [];
    const missing: string[] = [];
    for (const key of keys) {
      const link = this.signed(key);
      if (link) links.push(link);
      else missing.push(key);
    }
    return { links, missing };
  }
}

export function bytes(n: number, seed = 1): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

/** A Clock whose sleeps resolve at once and are recorded. */
export function instantClock(start = 0) {
  let now = start;
  const sleeps: number[] = [];
  return {
    sleeps,
    advance: (ms: number) => {
      now += ms;
    },
    clock: {
      now: () => now,
      sleep: async (ms: number, o: { signal?: AbortSignal } = {}) => {
        o.signal?.throwIfAborted();
        sleeps.push(ms);
        now += ms;
      },
    },
  };
}
