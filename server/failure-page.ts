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

export function failurePage(message: string): string {
  const text = escapeHtml(message);
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${text} · Hoist</title>`,
    '<main>',
    `<p role="alert">${text}</p>`,
    '<p><a href="/">Back to Hoist</a></p>',
    '</main>',
    '</html>',
  ].join('\n');
}
