import type { KeyedLock } from './keyed-lock.ts';
import type { Store } from './store.ts';

/** What every handler gets besides the request. */
export interface HandlerContext {
  store: Store;
  region: string;
  log: (line: string) => void;
  /** Completes of one upload, one at a time (multipart-handlers.ts completeMultipartUpload). */
  completes: KeyedLock;
}
