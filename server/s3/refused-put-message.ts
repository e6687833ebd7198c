import { s3ErrorOf } from '../shared/s3-error-body.ts';
import { describeClockOffset } from './store-clock.ts';

/**
 * What to say of a presigned test PUT the store refused (not with the 400 of a wrong checksum, which
 * the self-test looks for): its status, S3 error code and message, and, when the store's clock (its
 * `Date` header) is more than a minute from this server's, by how much. Presigned links are dated by
 * this server's clock: ahead, the store answers "Request is not valid yet"; behind, the links expire
 * early, or at once, and the page's parts with them.
 */
export function refusedPutMessage(
  status: number,
  body: string,
  storeDate: string | null,
  now: number,
  /** S3_PUBLIC_ENDPOINT, when links go through it and not to the address this server uses. */
  through?: string,
): string {
  const { code, message } = s3ErrorOf(body);
  const said = [code, message].filter((part) => part.trim()).join(': ');
  const proxy =
    through && code === 'SignatureDoesNotMatch'
      ? ` The link went through ${through} (S3_PUBLIC_ENDPOINT): a proxy there must pass the Host header on as browsers sent it (nginx: proxy_set_header Host $http_host;), and every x-amz-* header (nginx: underscores_in_headers on;).`
      : '';
  const base = `The store refused a test upload with a presigned link (HTTP ${status}${said ? `, ${said}` : ''}), as it would the page's parts.${proxy}`;
  const at = storeDate === null ? Number.NaN : Date.parse(storeDate);
  const skewMs = now - at;
  if (!Number.isFinite(skewMs) || Math.abs(skewMs) < SKEW_TOLD_MS) return base;
  return `${base} This server's clock is ${describeClockOffset(skewMs)} the store's (its Date header), and links are dated by it: set both clocks right (NTP).`;
}

/** A store's Date is to the second, and a request takes a while: a minute apart is no accident. */
const SKEW_TOLD_MS = 60_000;
