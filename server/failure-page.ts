/**
 * An API failure as a page, for an address opened in a tab (a file's link to `GET /api/objects/open`,
 * copied or bookmarked) rather than asked by the page: what went wrong in words, and the way back.
 * Pure.
 */
const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

/** What to do next, by the failure's code, where the message alone leaves it open. */
const NEXT: Readonly<Record<string, string>> = {
  'cross-site':
    'Hoist opens its addresses only from its own page, or typed or pasted into the address bar: paste this one there, or open the file from Hoist.',
  unauthorized: 'Sign in to Hoist, then open this address again.',
  'session-not-signed-here': 'Sign in to Hoist, then open this address again.',
};

export function failurePage(message: string, code?: string): string {
  const text = escapeHtml(message);
  const next = code !== undefined ? NEXT[code] : undefined;
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${text} · Hoist</title>`,
    '<main>',
    `<p role="alert">${text}</p>`,
    ...(next ? [`<p>${escapeHtml(next)}</p>`] : []),
    '<p><a href="/">Back to Hoist</a></p>',
    '</main>',
    '</html>',
  ].join('\n');
}
