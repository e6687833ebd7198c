/**
 * Settings that look like Hoist's but are not read: a misspelt one (S3_ENDPIONT) or the AWS CLI's own
 * endpoint variable would otherwise leave S3_ENDPOINT unset, and Hoist would start its embedded store
 * with every check passing while uploads went to local disk. Pure: says what to warn of.
 */

/** Names of Hoist's own that are not settings (tests and development read them). */
const NOT_SETTINGS = new Set([
  'S3_KIND',
  'HOIST_SHARED_PASS_DONE',
  'HOIST_TEST_LOW_PRIORITY',
  'HOIST_DEV_API',
]);

/** The AWS CLI's and SDKs' endpoint variables, which Hoist does not read. */
const AWS_ENDPOINTS = ['AWS_ENDPOINT_URL_S3', 'AWS_ENDPOINT_URL'];

export function settingWarnings(env: Record<string, string | undefined>, known: readonly string[]): string[] {
  const set = (name: string) => env[name] !== undefined && env[name] !== '';
  const warnings: string[] = [];
  for (const name of Object.keys(env).sort()) {
    if (!/^(S3|HOIST)_/.test(name) || known.includes(name) || NOT_SETTINGS.has(name) || !set(name)) continue;
    const like = closest(name, known);
    warnings.push(
      `${name} is not a Hoist setting${like ? ` (did you mean ${like}?)` : ''}: it is ignored. The settings are in the README's Configuration.`,
    );
  }
  const aws = AWS_ENDPOINTS.find(set);
  if (aws && !set('S3_ENDPOINT'))
    warnings.push(
      `${aws} is set, but Hoist reads S3_ENDPOINT, which is not: it uses its embedded store. To use the store at ${env[aws]}, set S3_ENDPOINT=${env[aws]}.`,
    );
  return warnings;
}

/** The known name closest to `name` in spelling (a typo: at most 3 edits, and fewer than half its length). */
function closest(name: string, known: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = Math.min(3, Math.floor(name.length / 2));
  for (const candidate of known) {
    const d = editDistance(name, candidate);
    if (d <= bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

/** Edits (insert, delete, replace, swap two neighbours) between two strings (Damerau–Levenshtein, optimal string alignment). */
export function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  return d[a.length]![b.length]!;
}
