/**
 * A `Retry-After` header's wait, in ms: seconds ("120") or an HTTP date; undefined when there is none
 * or it cannot be read. Never negative (a date in the past is "now").
 */
export function retryAfterMs(value: string | null, now = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
