import { useEffect, useState } from 'react';

/**
 * The store's address the browser refuses this page to reach, or null. The page's
 * Content-Security-Policy lets it reach only the store the server named when the page was loaded: once
 * a restart moves the store (STORE_PORT=0, another S3_PUBLIC_ENDPOINT), every part and download of
 * this tab is blocked, and only a reload brings the new address. Told by the browser's
 * `securitypolicyviolation` event for the page's requests (connect-src) and its download frames
 * (frame-src); what the page itself is blocked from loading otherwise is not the store's.
 */
export function blockedStore(
  event: Pick<SecurityPolicyViolationEvent, 'effectiveDirective' | 'blockedURI'>,
  pageOrigin: string,
): string | null {
  if (event.effectiveDirective !== 'connect-src' && event.effectiveDirective !== 'frame-src') return null;
  let origin: string;
  try {
    origin = new URL(event.blockedURI).origin;
  } catch {
    return null; // "inline", "eval" and the like
  }
  return origin === 'null' || origin === pageOrigin ? null : origin;
}

export function useBlockedStore(): string | null {
  const [blocked, setBlocked] = useState<string | null>(null);
  useEffect(() => {
    const onViolation = (event: SecurityPolicyViolationEvent) => {
      const origin = blockedStore(event, window.location.origin);
      if (origin) setBlocked(origin);
    };
    document.addEventListener('securitypolicyviolation', onViolation);
    return () => document.removeEventListener('securitypolicyviolation', onViolation);
  }, []);
  return blocked;
}
