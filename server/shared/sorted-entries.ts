import { compareKeys } from './compare-keys.ts';

/**
 * A record's entries ordered by key (code-unit order, as S3 lists keys): two records with the same
 * entries compare equal however a store or a form listed them. Pure; the server and the page both use it.
 */
export function sortedEntries(record: Record<string, string> | undefined): [string, string][] {
  return Object.entries(record ?? {}).sort(([a], [b]) => compareKeys(a, b));
}
