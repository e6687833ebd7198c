/**
 * A page opened over plain http from another machine is no "secure context": the browser then turns
 * off what needs one (writing into a picked folder, WebCrypto, Web Locks). Hoist still uploads and
 * downloads (with fallbacks: the browser's downloads, tabs asking each other over a BroadcastChannel),
 * but says what the user loses and what fixes it.
 */
export function InsecureNotice({ secure = window.isSecureContext }: { secure?: boolean }) {
  if (secure) return null;
  return (
    <div role="note" className="banner banner-warning" data-testid="insecure-notice">
      This page is served over plain http from another address, so the browser turns off folder downloads
      (files go to its download manager). Serve Hoist over https (see “Serving it to others” in the README).
    </div>
  );
}
