/**
 * Bidirectional controls (U+202A–U+202E, U+2066–U+2069, the LRM/RLM/ALM marks) reorder what follows
 * them: a key "invoice\u202Efdp.exe" shows as "invoiceexe.pdf". S3 takes them in keys (another tool
 * may have written one), so a name is shown with each such character spelt out, "invoice[U+202E]fdp.exe",
 * as Chrome's download bar and GitHub do, never reordering the rest. (A folder download saves them as
 * "_": key-to-relative-path.ts.)
 */
const BIDI_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

export function visibleName(name: string): string {
  return name.replace(
    BIDI_CONTROLS,
    (c) => `[U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}]`,
  );
}
