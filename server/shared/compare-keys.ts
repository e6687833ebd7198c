/** Two keys (or names) in code-unit order, JavaScript's `<`: for sorting by name. Pure. */
export function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
