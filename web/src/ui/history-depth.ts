/**
 * Where a history entry stands among the page's own: the page opened at 0, each folder it opened since
 * one further (kept in the entry's state, so a reload keeps it). Back or Forward that must not happen,
 * because what is typed in a form would be thrown away, is undone by going the same distance back.
 */
export interface DepthState {
  hoistDepth: number;
}

/** The entry's depth, or null for one with none (the first, or a new `#fragment` entry the browser made). */
export function entryDepth(state: unknown): number | null {
  if (typeof state !== 'object' || state === null || !('hoistDepth' in state)) return null;
  const depth = (state as { hoistDepth: unknown }).hoistDepth;
  return typeof depth === 'number' && Number.isSafeInteger(depth) && depth >= 0 ? depth : null;
}

export function depthState(depth: number): DepthState {
  return { hoistDepth: depth };
}
