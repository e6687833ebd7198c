/**
 * RFC 2047 "encoded words" for metadata values in other letters than ASCII. Headers carry ASCII only
 * (a browser refuses to send others), so S3 takes such a value as `=?UTF-8?B?Sm9zw6k=?=` and answers
 * it the same way (its docs: decoded per RFC 2047 before storing, encoded to be mail-safe when
 * returned); boto3 and the AWS CLI show it as that, and tools that read it decode it. Pure.
 */
import { utf8Length } from './utf8.ts';

/** Printable ASCII: what a browser sends in a header as it is. */
export const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
/** Control characters (tabs, line breaks): no header may carry them, encoded or not. */
// eslint-disable-next-line no-control-regex -- control characters are what it looks for
export const CONTROL = /[\x00-\x1f\x7f-\x9f]/;
/** One encoded word: charset, B or Q, text. */
const WORD = /=\?([^?\s]+)\?([bBqQ])\?([^?\s]*)\?=/g;
/** At most 75 characters a word (RFC 2047 §2): "=?UTF-8?B?" + 60 base64 characters + "?=". */
const WORD_BYTES = 45;

/**
 * The value as a header carries it: as it is when it is printable ASCII, else UTF-8 in base64 encoded
 * words of at most 75 characters, separated by spaces (which a decoder drops between words). A value
 * with control characters is returned as it is, for the check to refuse it.
 */
export function encodeHeaderText(value: string): string {
  if (PRINTABLE_ASCII.test(value) || CONTROL.test(value)) return value;
  const words: string[] = [];
  let chunk = '';
  for (const char of value) {
    if (utf8Length(chunk + char) > WORD_BYTES) {
      words.push(word(chunk));
      chunk = '';
    }
    chunk += char;
  }
  if (chunk !== '') words.push(word(chunk));
  return words.join(' ');
}

function word(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return `=?UTF-8?B?${btoa(binary)}?=`;
}

/**
 * The value as a person reads it: each encoded word (B or Q, any charset the browser decodes) in its
 * letters, the white space between two words dropped (RFC 2047 §6.2). A word that does not decode is
 * left as it is.
 */
export function decodeHeaderText(value: string): string {
  if (!value.includes('=?')) return value;
  let out = '';
  let last = 0;
  let afterWord = false;
  for (const match of value.matchAll(WORD)) {
    const between = value.slice(last, match.index);
    const decoded = decodeWord(match[1]!, match[2]!, match[3]!);
    if (!(afterWord && decoded !== null && /^\s*$/.test(between))) out += between;
    out += decoded ?? match[0];
    afterWord = decoded !== null;
    last = match.index + match[0].length;
  }
  return out + value.slice(last);
}

function decodeWord(charset: string, encoding: string, text: string): string | null {
  try {
    const bytes =
      encoding.toUpperCase() === 'B' ? Uint8Array.from(atob(text), (c) => c.charCodeAt(0)) : qBytes(text);
    if (bytes === null) return null;
    // RFC 2231 allows a language after "*" ("UTF-8*en").
    return new TextDecoder(charset.split('*')[0]!, { fatal: true }).decode(bytes);
  } catch {
    return null; // not base64, an unknown charset, or bytes that are not in it
  }
}

/** "Q": "_" is a space, "=XX" a byte in hex, the rest printable ASCII as it is. */
function qBytes(text: string): Uint8Array | null {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '_') bytes.push(0x20);
    else if (c === '=') {
      const hex = text.slice(i + 1, i + 3);
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) return null;
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else bytes.push(c.charCodeAt(0));
  }
  return Uint8Array.from(bytes);
}
