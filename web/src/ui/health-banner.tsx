import { ApiError } from '../transfer/upload/upload-api.ts';
import { useBlockedStore } from './store-blocked.ts';
import { useHealth } from './use-health.ts';

/** A store the browser keeps this tab from (see store-blocked.ts), beside what the health report says. */
export function HealthBanner() {
  const { blocked, dismiss } = useBlockedStore();
  return (
    <>
      {blocked && (
        <div role="alert" className="banner banner-error" data-testid="store-blocked">
          <strong>Reload this page:</strong> the storage is at another address than when it was loaded, and
          the browser keeps it from reaching {blocked}. Uploads started here go on from the parts already sent
          once the files are picked again after the reload.{' '}
          <button type="button" onClick={dismiss}>
            Dismiss
          </button>
        </div>
      )}
      <HealthReportBanner />
    </>
  );
}

function HealthReportBanner() {
  const health = useHealth();
  const error = health.error;
  if (error && !(error instanceof ApiError && error.status === 401)) {
    // One sentence: the client's own "cannot be reached" message is not repeated after a prefix.
    const unreachable = error instanceof ApiError && error.code === 'network';
    return (
      <div role="alert" className="banner banner-error">
        {unreachable
          ? 'The Hoist server cannot be reached; retrying every few seconds…'
          : `The Hoist server's health check failed (${error.message.replace(/\.$/, '')}); retrying every few seconds…`}
      </div>
    );
  }
  const report = health.data;
  if (!report || report.ok) return null;
  const failing = report.checks.filter((c) => !c.ok);
  return (
    <div role="alert" className="banner banner-error">
      <strong>The object store is not ready.</strong>
      <ul>
        {failing.map((c) => (
          <li key={c.name}>{c.message}</li>
        ))}
      </ul>
      <span>Hoist re-checks every few seconds.</span>
    </div>
  );
}
