import { useEffect, useState } from 'react';

/**
 * The store's address the browser refuses this page to reach, or null. The page's
 * Content-Security-Policy lets it reach only the store the server named when the page was loaded: once
 * a restart moves the store (STORE_PORT=0, another S3_PUBLIC_ENDPOINT), every part and download of
 * this tab is blocked, and only a reload brings the new address. Told by the browser's
 * `securitypolicyviolation` event for the page's own requests (connect-src) and download frames
 * (frame-src), enforced, made by the page's own scripts: a browser extension's script in the page
 * (`sourceFile` chrome-extension://…) is blocked the same way and is no store.
 */
export function blockedStore(
  event: Pick<
    SecurityPolicyViolationEvent,
    'effectiveDirective' | 'blockedURI' | 'disposition' | 'sourceFile'
  >,
  pageOrigin: string,
): string | null {
  if (event.effectiveDirective !== 'connect-src' && event.effectiveDirective !== 'frame-src') return null;
  if (event.disposition !== 'enforce' || originOf(event.sourceFile) !== pageOrigin) return null;
  const origin = originOf(event.blockedURI); // null for "inline", "eval" and the like
  return origin === null || origin === 'null' || origin === pageOrigin ? null : origin;
}

function originOf(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

/** The store address blocked (see blockedStore), until dismissed. */
export function useBlockedStore(): { blocked: string | null; dismiss: () => void } {
  const [blocked, setBlocked] = useState<string | null>(null);
  useEffect(() => {
    const onViolation = (event: SecurityPolicyViolationEvent) => {
      const origin = blockedStore(event, window.location.origin);
      if (origin) setBlocked(origin);
    };
    document.addEventListener('securitypolicyviolation', onViolation);
    return () => document.removeEventListener('securitypolicyviolation', onViolation);
  }, []);
  return { blocked, dismiss: () => setBlocked(null) };
}
