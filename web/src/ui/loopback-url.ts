/**
 * Whether a URL points at this machine only (localhost, 127.0.0.0/8, ::1): a link to it works for
 * nobody else. The embedded store's presigned links are such links unless S3_PUBLIC_ENDPOINT is set.
 */
export function isLoopbackUrl(url: string): boolean {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return false;
  }
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (host === '[::1]' || host === '[0:0:0:0:0:0:0:1]') return true;
  // IPv4-mapped IPv6 loopback: the URL parser writes [::ffff:127.0.0.1] as [::ffff:7f00:1].
  if (/^\[::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}\]$/.test(host)) return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}
