import type { Store } from './store.ts';

/** What every handler gets besides the request. */
export interface HandlerContext {
  store: Store;
  region: string;
  log: (line: string) => void;
}
