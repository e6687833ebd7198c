/**
 * A scripted UploadApi backed by an in-memory "S3": it plans uploads, signs URLs that the scripted
 * transport understands, remembers accepted parts, and lets a test fail or hold any call.
 */
import type {
  AbortResult,
  CompletedUpload,
  CreateUploadRequest,
  KeyExists,
  ListedParts,
  SignedPart,
  SignedParts,
  UploadedPart,
  UploadPlan,
} from '../../../../../server/shared/api-types.ts';
import type { Clock } from '../../shared/clock.ts';
import type { StoreAnswer, StoreProblem } from '../../shared/store-probe.ts';
import { abortable } from '../../shared/signals.ts';
import { ApiError, type UploadApi } from '../upload-api.ts';

type Method = keyof UploadApi;

export interface FakeUpload {
  plan: UploadPlan;
  parts: Map<number, UploadedPart>;
  state: 'open' | 'completed' | 'aborted';
}

interface Hold {
  release: () => void;
  reached: Promise<void>;
  /** When the caller aborts a held call, still apply it on the server (a lost response). */
  applyOnAbort: boolean;
}

export interface FakeS3ApiOptions {
  clock: Clock;
  partSize?: number;
  urlTtlMs?: number;
  /** How long a token lasts from create or from its last sign/listParts (as HOIST_STALE_UPLOAD_TTL). */
  tokenTtlMs?: number;
  checksumAlgorithm?: 'CRC32' | 'MD5';
}

export class FakeS3Api implements UploadApi {
  readonly uploads = new Map<string, FakeUpload>();
  readonly existingKeys = new Set<string>();
  /** What create and complete report for an existing key (default: 1 byte, nothing known). */
  readonly existingInfo = new Map<string, KeyExists['existing']>();
  readonly calls: { method: Method; args: unknown[] }[] = [];
  partSize: number;
  urlTtlMs: number;
  tokenTtlMs: number;
  /**
   * Set: part URLs are signed as SigV4 ones (X-Amz-Date, X-Amz-Expires) by a server whose clock is
   * this far from the browser's (`clock`), and their `expiresAt` is by that server clock.
   */
  serverClockOffsetMs: number | null = null;
  /** Every token handed out (refreshed ones too): the upload it stands for and when it runs out. */
  readonly tokens = new Map<string, { upload: string; expiresAt: number }>();
  readonly #clock: Clock;
  readonly #algorithm: 'CRC32' | 'MD5';
  readonly #failures = new Map<Method, unknown[]>();
  readonly #holds = new Map<Method, { reachedResolve: () => void; hold: Hold; gate: Promise<void> }[]>();
  readonly #storeNeeded = new Set<Method>();
  #next = 0;

  constructor(options: FakeS3ApiOptions) {
    this.#clock = options.clock;
    this.partSize = options.partSize ?? 5 * 1024 * 1024;
    this.urlTtlMs = options.urlTtlMs ?? 15 * 60_000;
    this.tokenTtlMs = options.tokenTtlMs ?? 24 * 3600_000;
    this.#algorithm = options.checksumAlgorithm ?? 'CRC32';
  }

  count(method: Method): number {
    return this.calls.filter((c) => c.method === method).length;
  }

  /** The next `times` calls of `method` throw `error` (after being logged). */
  fail(method: Method, error: unknown, times = 1): void {
    const queue = this.#failures.get(method) ?? [];
    for (let i = 0; i < times; i++) queue.push(error);
    this.#failures.set(method, queue);
  }

  /**
   * While `storeUp` is false, calls of `method` are answered as the server does when it cannot reach
   * the store: 503 store-unreachable (server/errors.ts).
   */
  failWhileStoreDown(...methods: Method[]): void {
    for (const method of methods) this.#storeNeeded.add(method);
  }

  /** The next call of `method` waits until `release()`. */
  hold(method: Method, { applyOnAbort = false } = {}): Hold {
    let reachedResolve!: () => void;
    let release!: () => void;
    const reached = new Promise<void>((r) => (reachedResolve = r));
    const gate = new Promise<void>((r) => (release = r));
    const hold: Hold = { release, reached, applyOnAbort };
    const queue = this.#holds.get(method) ?? [];
    queue.push({ reachedResolve, hold, gate });
    this.#holds.set(method, queue);
    return hold;
  }

  upload(token: string): FakeUpload {
    const upload = this.uploads.get(this.tokens.get(token)?.upload ?? token);
    if (!upload) throw new ApiError('no-such-upload', 404, 'No such upload');
    return upload;
  }

  /**
   * As the server: a token past its expiry is refused with 410, unless its upload received a part
   * within `tokenTtlMs` (still going on, so the janitor keeps it too).
   */
  #valid(token: string): FakeUpload {
    const issued = this.tokens.get(token);
    const now = this.#clock.now();
    if (issued && issued.expiresAt <= now) {
      const upload = this.uploads.get(issued.upload);
      const newest = Math.max(
        0,
        ...[...(upload?.parts.values() ?? [])].map((p) => Date.parse(p.lastModified!)),
      );
      if (upload?.state !== 'open' || now - newest >= this.tokenTtlMs)
        throw new ApiError('token-expired', 410, 'This upload has expired; start it again.');
    }
    return this.upload(token);
  }

  /** The same upload's token, valid for another `tokenTtlMs`. */
  #refresh(token: string): { token: string; expiresAt: number } {
    const upload = this.tokens.get(token)?.upload ?? token;
    const fresh = { token: `${upload}~${this.#next++}`, expiresAt: this.#clock.now() + this.tokenTtlMs };
    this.tokens.set(fresh.token, { upload, expiresAt: fresh.expiresAt });
    return fresh;
  }

  /** The fake S3 side of a PUT (the scripted transport calls it when a test answers 200). */
  acceptPut(part: SignedPart, body: Blob): string {
    const url = new URL(part.url);
    const token = url.searchParams.get('token')!;
    const upload = this.uploads.get(token);
    if (!upload || upload.state !== 'open') throw new Error(`PUT to a ${upload?.state ?? 'missing'} upload`);
    if (body.size !== part.size)
      throw new Error(`part ${part.partNumber}: ${body.size} bytes, signed ${part.size}`);
    const etag = `"etag-${upload.plan.uploadId}-${part.partNumber}-${this.#next++}"`;
    const checksum = part.headers['x-amz-checksum-crc32'] ?? part.headers['content-md5'];
    upload.parts.set(part.partNumber, {
      partNumber: part.partNumber,
      size: body.size,
      etag,
      lastModified: new Date(this.#clock.now()).toISOString(),
      ...(checksum && { checksum }),
    });
    return etag;
  }

  async #call<T>(method: Method, args: unknown[], signal: AbortSignal | undefined, run: () => T): Promise<T> {
    this.calls.push({ method, args });
    await Promise.resolve();
    const held = this.#holds.get(method)?.shift();
    if (held) {
      held.reachedResolve();
      try {
        await (signal ? abortable(held.gate, signal) : held.gate);
      } catch (error) {
        if (held.hold.applyOnAbort) run();
        throw error;
      }
    }
    signal?.throwIfAborted();
    const failure = this.#failures.get(method)?.shift();
    if (failure !== undefined) throw failure;
    if (!this.storeUp && this.#storeNeeded.has(method))
      throw new ApiError(
        'store-unreachable',
        503,
        'The object store cannot be reached right now; try again shortly.',
      );
    return run();
  }

  create(req: CreateUploadRequest, o: { signal?: AbortSignal } = {}): Promise<UploadPlan | KeyExists> {
    return this.#call('create', [req], o.signal, () => {
      let key = req.relativePath ?? req.name;
      if (this.existingKeys.has(key)) {
        if (!req.onConflict) {
          return {
            error: { code: 'key-exists', message: `${key} exists` },
            key,
            existing: this.existingInfo.get(key) ?? { size: 1, lastModified: null, etag: null },
            suggestedKey: `${key} (1)`,
          } satisfies KeyExists;
        }
        if (req.onConflict === 'keep-both') key = `${key} (1)`;
      }
      const n = ++this.#next;
      const partCount = Math.max(1, Math.ceil(req.size / this.partSize));
      const plan: UploadPlan = {
        kind: partCount > 1 ? 'multipart' : 'single',
        key,
        uploadId: partCount > 1 ? `up${n}` : null,
        size: req.size,
        partSize: this.partSize,
        partCount,
        checksumAlgorithm: this.#algorithm,
        token: `tok${n}`,
        expiresAt: this.#clock.now() + this.tokenTtlMs,
      };
      this.tokens.set(plan.token, { upload: plan.token, expiresAt: plan.expiresAt });
      this.uploads.set(plan.token, { plan, parts: new Map(), state: 'open' });
      const first = req.firstPart;
      // As the server: part 1 signed in the answer when the client's guess matches the plan.
      if (
        first &&
        first.checksumAlgorithm === plan.checksumAlgorithm &&
        first.size === Math.min(plan.size, plan.partSize)
      )
        return { ...plan, firstPart: this.#sign(plan, 1, first.checksum) };
      return { ...plan }; // a copy, as JSON over the wire would be
    });
  }

  signParts(
    token: string,
    parts: { partNumber: number; checksum?: string }[],
    o: { signal?: AbortSignal } = {},
  ): Promise<SignedParts> {
    return this.#call('signParts', [token, parts], o.signal, () => {
      const { plan } = this.#valid(token);
      const signed = parts.map(({ partNumber, checksum }) => this.#sign(plan, partNumber, checksum));
      return { parts: signed, ...this.#refresh(token) };
    });
  }

  #sign(plan: UploadPlan, partNumber: number, checksum: string | undefined): SignedPart {
    const start = (partNumber - 1) * plan.partSize;
    const size = Math.min(plan.size, start + plan.partSize) - start;
    const header = this.#algorithm === 'MD5' ? 'content-md5' : 'x-amz-checksum-crc32';
    let url = `https://s3.test/${encodeURIComponent(plan.key)}?token=${plan.token}&partNumber=${partNumber}&n=${this.#next++}`;
    let now = this.#clock.now();
    if (this.serverClockOffsetMs !== null) {
      now += this.serverClockOffsetMs;
      const amzDate = new Date(now)
        .toISOString()
        .replace(/[-:]/g, '')
        .replace(/\.\d{3}/, '');
      url += `&X-Amz-Date=${amzDate}&X-Amz-Expires=${Math.round(this.urlTtlMs / 1000)}`;
    }
    return {
      partNumber,
      url,
      method: 'PUT' as const,
      headers: checksum ? { [header]: checksum } : {},
      size,
      expiresAt: now + this.urlTtlMs,
    };
  }

  listParts(token: string, o: { signal?: AbortSignal } = {}): Promise<ListedParts> {
    return this.#call('listParts', [token], o.signal, () => {
      const upload = this.#valid(token);
      // As the server: S3 forgets a multipart upload once it is completed.
      if (upload.state === 'completed')
        throw new ApiError('no-such-upload', 404, 'This upload no longer exists on the server.');
      const parts = [...upload.parts.values()].sort((a, b) => a.partNumber - b.partNumber);
      return { parts, ...this.#refresh(token) };
    });
  }

  complete(
    token: string,
    parts: { partNumber: number; etag: string; checksum?: string }[],
    o: { signal?: AbortSignal; replace?: boolean; replaceIf?: string; check?: boolean } = {},
  ): Promise<CompletedUpload | KeyExists> {
    const args = {
      replace: o.replace === true,
      ...(o.replaceIf !== undefined && { replaceIf: o.replaceIf }),
      ...(o.check && { check: true }),
    };
    return this.#call('complete', [token, parts, args], o.signal, () => {
      const upload = this.#valid(token);
      const { plan } = upload;
      if (o.check) {
        // As the server: yes only when the stored parts' checksums prove it; nothing is completed.
        const proven =
          upload.state === 'completed' &&
          parts.length === upload.parts.size &&
          parts.every((p) => {
            const stored = upload.parts.get(p.partNumber)?.checksum;
            return stored !== undefined && stored === p.checksum;
          });
        if (!proven) throw new ApiError('no-such-upload', 404, 'Not this upload, completed.');
        return { key: plan.key, etag: '"done"', size: plan.size, alreadyCompleted: true };
      }
      if (upload.state === 'completed') {
        return { key: plan.key, etag: '"done"', size: plan.size, alreadyCompleted: true };
      }
      // As the server: If-None-Match: * unless the client chose to replace, then If-Match what it was shown.
      const there = this.existingKeys.has(plan.key)
        ? (this.existingInfo.get(plan.key) ?? { size: 2, lastModified: null, etag: null })
        : null;
      if (there && (!o.replace || (o.replaceIf !== undefined && there.etag !== o.replaceIf))) {
        return {
          error: { code: 'key-exists', message: `${plan.key} exists` },
          key: plan.key,
          existing: there,
          suggestedKey: `${plan.key} (1)`,
        } satisfies KeyExists;
      }
      // As the server: the store's part list against the plan (409 parts-missing, naming them), then
      // the client's ETags against the store's (409 part-mismatch).
      const missing: number[] = [];
      for (let n = 1; n <= plan.partCount; n++) if (!upload.parts.has(n)) missing.push(n);
      if (missing.length > 0) {
        const error = { code: 'parts-missing', message: `The store is missing ${missing.length} part(s).` };
        throw new ApiError(error.code, 409, error.message, { cause: { error, missing, wrongSize: [] } });
      }
      const mismatched = parts
        .filter((p) => upload.parts.get(p.partNumber)?.etag !== p.etag)
        .map((p) => p.partNumber);
      if (mismatched.length > 0) {
        const error = {
          code: 'part-mismatch',
          message: `Parts ${mismatched.join(', ')} on the store are not this client's.`,
        };
        throw new ApiError(error.code, 409, error.message, { cause: { error, missing: mismatched } });
      }
      upload.state = 'completed';
      this.existingKeys.add(plan.key);
      this.existingInfo.set(plan.key, { size: plan.size, lastModified: null, etag: '"done"' });
      return { key: plan.key, etag: '"done"', size: plan.size };
    });
  }

  /** What storeReachable answers: false while the store is "down" for the server too. */
  storeUp = true;
  /** Set: the store answers the server's HeadBucket with this error (the bucket deleted…). */
  storeProblem: StoreProblem | null = null;

  storeReachable(o: { signal?: AbortSignal } = {}): Promise<StoreAnswer> {
    return this.#call('storeReachable', [], o.signal, () => ({
      reachable: this.storeUp,
      problem: this.storeUp ? this.storeProblem : null,
    }));
  }

  /**
   * Single PUTs that the store writes although the page aborted them (it had the whole body): they land while
   * the server looks for them when the abort says it `sent` one, or else only after it answered.
   */
  readonly landsAfterAbort = new Set<string>();

  abort(token: string, o: { signal?: AbortSignal; sent?: boolean } = {}): Promise<AbortResult> {
    return this.#call('abort', [token, { sent: o.sent ?? false }], o.signal, () => {
      const upload = this.#valid(token);
      if (this.landsAfterAbort.delete(upload.plan.key) && o.sent) upload.state = 'completed';
      if (upload.state === 'completed') {
        throw new ApiError('already-completed', 409, 'The upload was already completed');
      }
      const partsRemoved = upload.parts.size;
      upload.parts.clear();
      upload.state = 'aborted';
      return { key: upload.plan.key, partsRemoved, confirmed: true };
    });
  }
}
