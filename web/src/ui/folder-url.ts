/**
 * The folder being browsed lives in the page's URL, `?prefix=docs/2024/` as in the S3 console, so a
 * reload, Back/Forward and bookmarks keep it. The prefix is relative to the server's key prefix
 * (the S3 key prefix itself when there is none).
 */
const PARAM = 'prefix';

/** The folder a URL's query names: '' for the top, else ending in '/' (kept as is otherwise: S3 keys may hold "//"). */
export function folderFromSearch(search: string): string {
  const value = new URLSearchParams(search).get(PARAM) ?? '';
  return value === '' || value.endsWith('/') ? value : `${value}/`;
}

/** The query for `folder`, keeping any other parameters; no `prefix` at the top. */
export function searchWithFolder(search: string, folder: string): string {
  const params = new URLSearchParams(search);
  if (folder === '') params.delete(PARAM);
  else params.set(PARAM, folder);
  const query = params.toString();
  return query ? `?${query}` : '';
}

/**
 * The address of the page showing `folder` (a link's href): the same page, with the folder's query,
 * or the bare path for the top when no other parameter is left.
 */
export function folderHref(location: { pathname: string; search: string }, folder: string): string {
  return searchWithFolder(location.search, folder) || location.pathname;
}
