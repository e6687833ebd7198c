/**
 * The store's clock as this server's S3 client learned it. The AWS SDK corrects its own requests for
 * a clock that differs from the store's (it reads the `Date` of every answer into the client's
 * `systemClockOffset`, and retries a RequestTimeTooSkewed with it), but presigned URLs are dated by
 * whoever signs them: with this server's clock 20 minutes behind the store's, every link it signs for
 * 15 minutes has expired on arrival; 20 minutes ahead, the store answers "Request is not valid yet".
 * So links are dated by the store's clock, as the SDK dates its own requests.
 */

/**
 * Below this the offset is the `Date` header's rounding to whole seconds and an answer's time on the
 * way, not a clock that is off: links keep this server's time.
 */
export const CLOCK_OFFSET_USED_MS = 5_000;

/** The store's clock minus this server's, in ms, as the offset to sign with (0 when within the noise). */
export function usableClockOffset(systemClockOffset: unknown): number {
  if (typeof systemClockOffset !== 'number' || !Number.isFinite(systemClockOffset)) return 0;
  return Math.abs(systemClockOffset) >= CLOCK_OFFSET_USED_MS ? systemClockOffset : 0;
}

/**
 * A time of this server's clock (ms) in the store's, to compare with a time the store stamped
 * (LastModified, a part's or an upload's date). Exact to within `CLOCK_OFFSET_USED_MS`, the offset
 * left out as noise.
 */
export function inStoreTime(serverMs: number, store: { clockOffsetMs(): number }): number {
  return serverMs + store.clockOffsetMs();
}

/** "20 min ahead of" / "45 s behind": how the store's clock stands to this server's, for messages. */
export function describeClockOffset(offsetMs: number): string {
  const minutes = Math.round(Math.abs(offsetMs) / 60_000);
  const amount = minutes >= 1 ? `${minutes} min` : `${Math.round(Math.abs(offsetMs) / 1000)} s`;
  return `${amount} ${offsetMs > 0 ? 'ahead of' : 'behind'}`;
}
