import type { Readable } from 'node:stream';

/**
 * A request body that stops arriving without a FIN or RST (a laptop asleep, a dropped Wi-Fi, a NAT that forgot the
 * flow) would hold its temp file (up to 5 GiB), file handle and body slot until a restart: the server sets no
 * request timeout, as big bodies on slow links take hours. What is timed is the wait for the next bytes only: none
 * for `bodyIdle.ms` drops the request. Generous, so a slow link that still moves is never cut.
 */
export const bodyIdle = {
  /** a seam for tests, which shorten it */
  ms: 3 * 60_000,
};

/** The body stopped arriving: the server drops the request (server.ts), its temp file is removed on the way. */
export class BodyIdleError extends Error {
  constructor(ms: number) {
    super(`no request body bytes for ${ms / 1000} s`);
    this.name = 'BodyIdleError';
  }
}

/** The chunks of `source`, destroying it with a BodyIdleError when one is waited for longer than `ms`. */
export async function* idleLimited(source: Readable, ms: number = bodyIdle.ms): AsyncGenerator<Buffer> {
  // One timer per body, not one per chunk: it looks at how long the current wait has lasted and sleeps again.
  let waitingSince: number | undefined;
  const check = () => {
    const waited = waitingSince === undefined ? 0 : Date.now() - waitingSince;
    if (waited >= ms) source.destroy(new BodyIdleError(ms));
    else timer = setTimeout(check, ms - waited).unref();
  };
  let timer = setTimeout(check, ms).unref();
  const chunks = source[Symbol.asyncIterator]();
  try {
    for (;;) {
      waitingSince = Date.now();
      const next = (await chunks.next()) as IteratorResult<Buffer>;
      waitingSince = undefined;
      if (next.done) return;
      yield next.value;
    }
  } finally {
    clearTimeout(timer);
    await chunks.return?.();
  }
}
