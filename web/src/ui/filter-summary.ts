import { formatCount } from './format.ts';
/**
 * What a screen reader is told once a filter's listing is in: how much starts with what was typed
 * (a sighted user sees the rows change; the filter box alone says nothing). `more`: S3 lists a page at a
 * time, and this is the first of several.
 */
export function filterSummary(query: string, folders: number, objects: number, more: boolean): string {
  if (folders === 0 && objects === 0) return `Nothing here starts with “${query}”.`;
  const parts = [
    objects > 0 && (objects === 1 ? '1 object' : `${formatCount(objects)} objects`),
    folders > 0 && (folders === 1 ? '1 folder' : `${formatCount(folders)} folders`),
  ].filter((p) => p !== false);
  const verb = objects + folders === 1 ? 'starts' : 'start';
  return `${parts.join(' and ')} ${verb} with “${query}”${more ? ' on this page; there are more on the next' : ''}.`;
}
