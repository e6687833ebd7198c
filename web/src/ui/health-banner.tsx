import { ApiError } from '../transfer/upload/upload-api.ts';
import { useHealth } from './use-health.ts';

export function HealthBanner() {
  const health = useHealth();
  if (health.error && !(health.error instanceof ApiError && health.error.status === 401)) {
    return (
      <div role="alert" className="banner banner-error">
        The Hoist server cannot be reached: {health.error.message} Retrying…
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
