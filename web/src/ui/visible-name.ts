/**
 * Bidirectional controls (U+202A–U+202E, U+2066–U+2069, the LRM/RLM/ALM marks) reorder what follows
 * them: a key "invoice\u202Efdp.exe" shows as "invoiceexe.pdf". S3 takes them in keys (another tool
 * may have written one), so a name is shown with each such character spelt out, "invoice[U+202E]fdp.exe",
 * as Chrome's download bar and GitHub do, never reordering the rest. (A folder download saves them as
 * "_": key-to-relative-path.ts.) So are characters that show as nothing, which make two keys read
 * the same ("zero\u200Bwidth.txt" beside "zerowidth.txt"): C0 and C1 controls and DEL, the soft
 * hyphen, the combining grapheme joiner, Hangul fillers, the Mongolian vowel separator, the zero-width
 * space, word joiner and invisible operators, the BOM and interlinear annotation marks. Not the
 * zero-width joiner and non-joiner, which join emoji ("👨‍👩‍👧") and Persian and Indic letters as
 * they should. (The combining grapheme joiner, U+034F, stands apart: a
 * combining mark inside a class reads as one character with the one before it.)
 */
const SPELT_OUT =
  // eslint-disable-next-line no-control-regex -- controls are what it finds
  /[\u0000-\u001F\u007F-\u009F\u00AD\u061C\u115F\u1160\u180E\u200B\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\u3164\uFEFF\uFFA0\uFFF9-\uFFFB]|\u034F/gu;

export function visibleName(name: string): string {
  return name.replace(
    SPELT_OUT,
    (c) => `[U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}]`,
  );
}
