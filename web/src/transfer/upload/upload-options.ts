/** The upload engine's options, their defaults, and the config the engine runs with. */
import type { ChecksumAlgorithm } from '../../../../server/shared/api-types.ts';
import { DEFAULT_BACKOFF, type BackoffOptions } from '../shared/backoff.ts';
import { systemClock, type Clock } from '../shared/clock.ts';
import { inThreadHasher, type Hasher } from '../shared/hasher.ts';
import { webLocks, type Locks } from '../shared/locks.ts';
import { browserOnline, type OnlineSource } from '../shared/online.ts';
import { DEFAULT_MAX_RETRIES } from '../shared/retry-policy.ts';
import { DEFAULT_SERVER_WAIT_MS } from '../shared/server-wait.ts';
import { PageSession, type SessionSource } from '../shared/session.ts';
import { createFetchPartTransport } from './fetch-part-transport.ts';
import type { UploadJournal } from './journal.ts';
import type { PartTransport } from './part-transport.ts';
import type { UploadApi } from './upload-api.ts';
import type { UploadFileInput } from './upload-entry.ts';
import { fileSampleHash } from './fingerprint.ts';

export interface UploadManagerOptions {
  api: UploadApi;
  /** Default: fetch to the presigned URLs. */
  transport?: PartTransport;
  /** Default: in-thread hash-wasm. Pass `createWorkerHasher()` in the browser. */
  hasher?: Hasher;
  /** The sampled hash that tells a file picked again is the same one (fingerprint.ts). */
  sampleHash?: (file: UploadFileInput['file']) => Promise<string>;
  /** Default: none (no resume after reload). Pass `createIndexedDbJournal()` in the browser. */
  journal?: UploadJournal | null;
  /** Default: Web Locks when available. */
  locks?: Locks;
  /** Default: window online/offline events when available. */
  online?: OnlineSource;
  /**
   * The page's session with the Hoist server: a call refused 401 says it is lost, and the upload
   * waits ("Waiting for you to sign in…", no retry spent, parts kept) until it is back. Default: one
   * of the manager's own.
   */
  session?: SessionSource;
  clock?: Clock;
  /** Jitter source for backoff. */
  random?: () => number;
  /** Part requests in flight across all files. */
  concurrency?: number;
  /** Files being worked on at once (create/sign/PUT/complete). Default: `concurrency`. */
  maxActiveFiles?: number;
  /**
   * Files being worked on at once while the next in the queue is a small one (at most one part, sent
   * in a single PUT), counting all of them. Such a file spends most of its time waiting on calls (its
   * share of a create call, the PUT's CORS preflight), not on a part slot, so more of them than
   * `maxActiveFiles` keep the slots busy; a big file waits until fewer than `maxActiveFiles` run, as
   * its multipart upload is made when it starts. Default: `maxActiveFiles`.
   */
  maxActiveSmallFiles?: number;
  /** Part URLs asked for per signParts call. */
  signBatchSize?: number;
  /** Retries per part (and per API call) before the file fails. */
  maxRetries?: number;
  /**
   * While the Hoist server cannot be reached (restarting), calls are tried again for this long without
   * spending retries, "Waiting for the Hoist server…" shown, then the upload goes on by itself.
   */
  serverWaitMs?: number;
  backoff?: BackoffOptions;
  /** A URL this close to its expiry is signed again before use. */
  resignBeforeExpiryMs?: number;
  /** A part request gets this long plus its size at `minBytesPerSecond` before it counts as stalled. */
  stallTimeoutMs?: number;
  minBytesPerSecond?: number;
  /** Subscribers hear at most one notification per this interval. */
  notifyIntervalMs?: number;
  /**
   * The store's checksum algorithm when known before create (the health report says it): part 1 is
   * then hashed while create is in flight, and used if the plan agrees on its bytes and algorithm.
   */
  checksumHint?: () => ChecksumAlgorithm | undefined;
}

const DEFAULTS = {
  concurrency: 6,
  signBatchSize: 8,
  maxRetries: DEFAULT_MAX_RETRIES,
  serverWaitMs: DEFAULT_SERVER_WAIT_MS,
  backoff: DEFAULT_BACKOFF,
  resignBeforeExpiryMs: 60_000,
  stallTimeoutMs: 60_000,
  minBytesPerSecond: 32 * 1024,
  notifyIntervalMs: 50,
  checksumHint: () => undefined,
  sampleHash: fileSampleHash,
} satisfies Partial<UploadManagerOptions>;

/** The options with every default filled in. */
export type UploadConfig = Required<Omit<UploadManagerOptions, 'journal'>> & {
  journal: UploadJournal | null;
};

/** Defaults merged under the options given (an option set to `undefined` takes its default). */
export function resolveOptions(options: UploadManagerOptions): UploadConfig {
  const concurrency = options.concurrency ?? DEFAULTS.concurrency;
  const clock = options.clock ?? systemClock;
  return {
    ...DEFAULTS,
    transport: options.transport ?? createFetchPartTransport({ clock }),
    hasher: inThreadHasher,
    journal: null,
    locks: options.locks ?? webLocks(),
    online: options.online ?? browserOnline(),
    session: options.session ?? new PageSession(),
    clock,
    random: Math.random,
    maxActiveFiles: options.maxActiveFiles ?? concurrency,
    ...stripUndefined(options),
    maxActiveSmallFiles: options.maxActiveSmallFiles ?? options.maxActiveFiles ?? concurrency,
  } satisfies UploadConfig;
}

function stripUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
