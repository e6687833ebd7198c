import { MAX_KEY_BYTES } from '../shared/s3-limits.ts';

export type KeyProblem =
  'empty' | 'too-long' | 'control-character' | 'not-unicode' | 'dot-segment' | 'empty-segment' | 'absolute';

export class KeyError extends Error {
  override name = 'KeyError';
  constructor(
    readonly problem: KeyProblem,
    message: string,
  ) {
    super(message);
  }
}

// C0 controls, DEL and C1 controls: invisible in listings and unsafe in file names and headers.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
// Half of a surrogate pair alone: no UTF-8 for it, so no S3 key (the SDK throws encoding the URL).
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * The object key for an uploaded file: the configured prefix, the folder it goes into (one the page
 * lists, kept byte for byte: another tool may have named it "x//" or in NFD), then the path the
 * browser reported (or the bare name). That path's Unicode is normalised to NFC so the same name
 * typed on macOS (NFD) and elsewhere lands on one key. Throws KeyError with a message a user can act on.
 */
export function keyForUpload(prefix: string, name: string, relativePath?: string, folder = ''): string {
  validateListedFolder(folder);
  const path = (relativePath && relativePath.length > 0 ? relativePath : name).normalize('NFC');
  return keyUnder(prefix + folder, path);
}

/**
 * The other spellings an object for the same file may have been written under: the path as the browser
 * gave it and in NFD, where they differ from the NFC key Hoist writes. Other tools keep a name's bytes
 * (`aws s3 sync` from Linux, or from a Mac's HFS+ in NFD), so the file picked in the page may be there
 * already under one of them: that object is the one to ask about (or find the same), not a look-alike
 * to write beside it. None for a name that reads the same in every form (ASCII).
 */
export function otherKeySpellings(
  prefix: string,
  name: string,
  relativePath?: string,
  folder = '',
): string[] {
  const given = relativePath && relativePath.length > 0 ? relativePath : name;
  const nfc = given.normalize('NFC');
  const others = [...new Set([given, given.normalize('NFD')])].filter((path) => path !== nfc);
  return others.flatMap((path) => {
    try {
      return [keyUnder(prefix + folder, path)];
    } catch (error) {
      if (error instanceof KeyError) return []; // too long in NFD: no object can have that key
      throw error;
    }
  });
}

/** `under` (a prefix and folder that exist as they are) followed by `path`, which the key rules check. */
export function keyUnder(under: string, path: string): string {
  const key = under + path;
  // The whole key, as S3 counts it: a path over the limit on its own said "The path is 1044 bytes" of
  // a key of 1,052, while one a little shorter said "The object key is 1026 bytes".
  if (path.length > 0 && utf8Length(key) > MAX_KEY_BYTES) {
    throw new KeyError(
      'too-long',
      `The object key is ${utf8Length(key)} bytes; S3 allows at most ${MAX_KEY_BYTES}.`,
    );
  }
  validateRelativeKey(path);
  return key;
}

/**
 * The key of the empty object that keeps a new folder (`name`, typed) in `folder` (one the page lists),
 * as the S3 console's "Create folder" writes it: prefix + folder + name + "/". The name is one folder
 * (no "/"), NFC as an upload's path is, and judged by the key rules. Throws KeyError.
 */
export function keyForNewFolder(prefix: string, folder: string, name: string): string {
  const typed = name.normalize('NFC');
  if (typed.includes('/'))
    throw new KeyError('empty-segment', 'A folder name cannot contain "/". Create one folder at a time.');
  validateListedFolder(folder);
  const key = `${keyUnder(prefix + folder, typed)}/`;
  if (utf8Length(key) > MAX_KEY_BYTES) {
    throw new KeyError(
      'too-long',
      `The folder's key would be ${utf8Length(key)} bytes; S3 allows at most ${MAX_KEY_BYTES}.`,
    );
  }
  return key;
}

/**
 * A folder the page lists, that keys are written under as it is (another tool may have named it "x//"
 * or in NFD), but never one with a control character, or a "." or ".." folder name: browsers drop those
 * from every address, so parts sent there would go to another key (and be refused).
 */
export function validateListedFolder(folder: string): void {
  validateCharacters(folder, 'folder name');
  const segment = browserUnsafeSegment(folder);
  if (segment !== null) {
    throw new KeyError(
      'dot-segment',
      `Hoist cannot write into a folder named "${segment}": browsers drop it from every address. Use the AWS CLI for it.`,
    );
  }
}

function validateCharacters(text: string, what: string): void {
  if (CONTROL.test(text))
    throw new KeyError('control-character', `The ${what} contains a control character.`);
  if (LONE_SURROGATE.test(text))
    throw new KeyError('not-unicode', `The ${what} contains a character that is not valid Unicode.`);
}

/** Checks a key relative to the prefix: what users type or drop. */
export function validateRelativeKey(path: string): void {
  if (path.length === 0) throw new KeyError('empty', 'The file name is empty.');
  validateCharacters(path, 'file name');
  if (path.startsWith('/')) throw new KeyError('absolute', 'The path must not start with "/".');
  for (const segment of path.split('/')) {
    if (segment === '.' || segment === '..') {
      throw new KeyError('dot-segment', `The path must not contain "${segment}" as a folder name.`);
    }
    if (segment === '')
      throw new KeyError('empty-segment', 'The path must not contain an empty folder name ("//").');
  }
  if (utf8Length(path) > MAX_KEY_BYTES) {
    throw new KeyError(
      'too-long',
      `The path is ${utf8Length(path)} bytes; S3 allows at most ${MAX_KEY_BYTES}.`,
    );
  }
}

/**
 * A key under `prefix` that the API may read, rename or delete: any S3 key there, also ones Hoist
 * would not write itself ("a//b", "../x", "/lead" from other tools), as the S3 console lists them.
 */
export function isManagedKey(prefix: string, key: string): boolean {
  return (
    key.startsWith(prefix) &&
    key.length > prefix.length &&
    !LONE_SURROGATE.test(key) &&
    utf8Length(key) <= MAX_KEY_BYTES
  );
}

/**
 * The "." or ".." folder name that keeps a key from being fetched by a browser, or null. Browsers
 * resolve such segments in every URL (also written "%2E%2E"), so a presigned GET for "a/../b" asks
 * for "b": the object can be renamed or deleted from the page, but not downloaded or shared.
 */
export function browserUnsafeSegment(key: string): string | null {
  return key.split('/').find((segment) => segment === '.' || segment === '..') ?? null;
}

const utf8 = new TextEncoder();

/** Bytes of `text` in UTF-8, as S3 counts a key (here and in the page, which has no Buffer). */
export function utf8Length(text: string): number {
  return utf8.encode(text).length;
}
