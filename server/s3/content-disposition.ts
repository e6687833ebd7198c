/**
 * Content-Disposition (RFC 6266) both ways: the `attachment` (or `inline`) a presigned GET asks the store to answer
 * with, and the file name an object's stored Content-Disposition gives (what a browser saves it as when
 * it opens the object's URL, as from the S3 console). Pure.
 */
import { truncateUtf8 } from '../shared/utf8.ts';

/**
 * RFC 6266 attachment (or `inline`: shown in the tab, saved under that name from there) with an ASCII
 * fallback and an RFC 5987 `filename*` for any name. The fallback (what `curl -OJ` and other clients
 * without `filename*` save as) keeps letters without their accents ("Résumé" → "Resume") and puts one
 * "_" for each other character, an emoji included.
 */
export function contentDisposition(filename: string, type: 'attachment' | 'inline' = 'attachment'): string {
  const ascii = filename
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[^\x20-\x7e]|["\\%;]/gu, '_');
  const encoded = encodeURIComponent(filename).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${type}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/**
 * The file name a stored Content-Disposition gives, as browsers read it: `filename*` (RFC 5987, UTF-8
 * or ISO-8859-1) before `filename` (quoted or a token); only its last path segment, as browsers keep
 * no folders from it. Null when it names none (plain `inline` / `attachment`), or only an empty, "."
 * or ".." name.
 */
export function dispositionFilename(value: string | undefined): string | null {
  if (!value) return null;
  const params = new Map<string, string>();
  // Parameters after the type: name=token or name="quoted string" (with \-escapes). An unquoted value
  // runs to the next ";", spaces and all, as browsers read `filename=plain name.txt` (no valid token,
  // but what scripts write).
  const param = /;\s*([!#$%&'*+.^_`|~0-9A-Za-z-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]*))/g;
  for (const m of value.matchAll(param)) {
    const name = m[1]!.toLowerCase();
    if (!params.has(name)) params.set(name, m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3]!.trim());
  }
  const extended = params.get('filename*');
  const name = (extended !== undefined ? decodeExtended(extended) : null) ?? params.get('filename') ?? null;
  if (name === null) return null;
  // At most a name's 255 bytes: the presigned URL carries it twice, and no disk takes a longer one.
  const last = truncateUtf8(name.split(/[/\\]/).pop()!.trim(), 255).trim();
  return last === '' || last === '.' || last === '..' ? null : last;
}

/**
 * A name to save a download as, with each control character and bidirectional control as "_" (as
 * Chrome saves them; a folder download does too: key-to-relative-path.ts): a bidirectional one
 * reorders what follows it, so "invoice" + U+202E + "fdp.exe", stored as the file name of an object
 * listed as "report.pdf", would save as what reads "invoiceexe.pdf" where a browser kept it. Other
 * format characters stay (the zero-width joiner of an emoji such as 👩‍💻).
 */
export function withoutControls(name: string): string {
  return name.replace(/[\p{Cc}\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/gu, '_');
}

/** An RFC 5987 ext-value (charset'language'percent-encoded); null when it cannot be read. */
function decodeExtended(value: string): string | null {
  const m = /^([^']*)'[^']*'(.*)$/.exec(value);
  if (!m) return null;
  const charset = m[1]!.toLowerCase();
  try {
    if (charset === 'utf-8') return decodeURIComponent(m[2]!);
    if (charset === 'iso-8859-1') {
      return m[2]!.replace(/%([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    }
  } catch {
    return null; // not UTF-8 once decoded
  }
  return null;
}
