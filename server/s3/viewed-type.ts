/**
 * The content type an object opened in a browser tab ("Open", as in the S3 console) is shown as. Its
 * own, as stored; but a stored type that says nothing of the bytes (`binary/octet-stream`, which the AWS
 * CLI and SDKs write when they know no better, `application/octet-stream`, or none) would make the
 * browser save the object instead of showing it. Then the name's extension decides, among the types a
 * browser shows without running anything of the object's: images, PDF, plain text, audio and video.
 * HTML, SVG and XML are never guessed (they can run scripts): an object stored as one of them is
 * shown as stored, as the S3 console opens it, where the store sandboxes it, else as its text. Pure.
 */

import { runsScript, typeEssence } from '../shared/markup-types.ts';

/** Stored types that say "some bytes": what a client writes when it knows nothing of them. */
const SAYS_NOTHING = new Set([
  '',
  'binary/octet-stream',
  'application/octet-stream',
  'application/unknown',
  'unknown/unknown',
  '*/*',
]);

const TEXT = 'text/plain; charset=utf-8';

/** By lower-case extension: what a browser shows in a tab, and nothing that runs. */
const SHOWN: Readonly<Record<string, string>> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  avif: 'image/avif',
  bmp: 'image/bmp',
  ico: 'image/x-icon',
  pdf: 'application/pdf',
  txt: TEXT,
  text: TEXT,
  log: TEXT,
  md: TEXT,
  csv: TEXT,
  tsv: TEXT,
  ini: TEXT,
  conf: TEXT,
  yaml: TEXT,
  yml: TEXT,
  toml: TEXT,
  json: 'application/json',
  mp4: 'video/mp4',
  m4v: 'video/mp4',
  webm: 'video/webm',
  mp3: 'audio/mpeg',
  m4a: 'audio/mp4',
  wav: 'audio/wav',
  ogg: 'audio/ogg',
  oga: 'audio/ogg',
  opus: 'audio/ogg',
  flac: 'audio/flac',
  aac: 'audio/aac',
};

/**
 * The type to answer with instead of the stored one (a presigned GET's `response-content-type`), or
 * undefined to answer with the stored one. `sandboxed`: the store answers markup with
 * `Content-Security-Policy: sandbox` (the embedded store does), so HTML or SVG stored as such may be
 * shown as it is. Any other store's markup is shown as its text: a presigned GET cannot sandbox it, and
 * its scripts would run as the store's origin, which may be Hoist's own host (MinIO beside it on another
 * port: cookies are shared across ports) and is every other object's (a service worker registered there
 * reads each one opened after it).
 */
export function viewedContentType(
  name: string,
  stored: string | null | undefined,
  o: { sandboxed: boolean },
): string | undefined {
  const essence = typeEssence(stored);
  if (!SAYS_NOTHING.has(essence)) {
    if (runsScript(essence)) return o.sandboxed ? undefined : TEXT;
    // Text stored without a charset (a browser's upload of a .txt, `aws s3 cp`): read as UTF-8, as
    // text written today is, not as windows-1252, which Chromium takes it for ("Ã¼" for "ü").
    if (essence.startsWith('text/') && !/;\s*charset\s*=/i.test(stored!)) return `${essence}; charset=utf-8`;
    return undefined;
  }
  const dot = name.lastIndexOf('.');
  // No extension, or a name that is only one (".env"): nothing to go by.
  const shown = dot > 0 ? SHOWN[name.slice(dot + 1).toLowerCase()] : undefined;
  // A type a browser sniffs (none, or application/unknown, an HTML page shown as one is run as HTML):
  // one it saves instead.
  return shown ?? (SNIFFED.has(essence) ? 'application/octet-stream' : undefined);
}

/** Stored types a browser reads the bytes to guess a type for (the MIME Sniffing standard's "unknown"). */
const SNIFFED = new Set(['', 'application/unknown', 'unknown/unknown', '*/*']);
