import type { Config } from './config.ts';
import type { ObjectStore } from './s3/s3-gateway.ts';
import type { SelfTest } from './self-test.ts';

/** What every route module is built from: no globals, so tests build their own. */
export interface AppDeps {
  config: Readonly<Config>;
  store: ObjectStore;
  /** HMAC key for upload tokens and session cookies. */
  secret: string;
  selfTest: SelfTest;
  now?: () => number;
  log?: (line: string) => void;
  /** True once the process is stopping (SIGTERM with HOIST_SHUTDOWN_DELAY): not ready, connections closed after each answer. */
  stopping?: () => boolean;
  /** Counts signing calls, for the benchmark. */
  metrics?: { signCalls: number; signedParts: number };
}
