import { describe, expect, it } from 'vitest';
import { contentDisposition, dispositionFilename, withoutControls } from './content-disposition.ts';

describe('contentDisposition', () => {
  it('gives an ASCII fallback and an RFC 5987 filename* for unicode names', () => {
    expect(contentDisposition('Résumé "final".pdf')).toBe(
      `attachment; filename="Resume _final_.pdf"; filename*=UTF-8''R%C3%A9sum%C3%A9%20%22final%22.pdf`,
    );
    // One "_" for each emoji (not one per UTF-16 half), and for what has no ASCII letter in it.
    expect(contentDisposition('emoji 😀🎉 中文.txt')).toMatch(/^attachment; filename="emoji __ __\.txt"; /);
    expect(contentDisposition("it's (1).txt")).toBe(
      `attachment; filename="it's (1).txt"; filename*=UTF-8''it%27s%20%281%29.txt`,
    );
    // Shown in the tab ("Open"), saved under the same name from there.
    expect(contentDisposition('Résumé.pdf', 'inline')).toBe(
      `inline; filename="Resume.pdf"; filename*=UTF-8''R%C3%A9sum%C3%A9.pdf`,
    );
  });
});

describe('dispositionFilename', () => {
  it('reads the name a browser saves the object as: filename* first, then filename', () => {
    expect(dispositionFilename('attachment; filename="report 2024.pdf"')).toBe('report 2024.pdf');
    expect(dispositionFilename('inline; filename=plain.txt')).toBe('plain.txt');
    // Unquoted with spaces (no valid token, but what scripts write): to the next ";", as Chromium saves it.
    expect(dispositionFilename('attachment; filename=plain name.txt')).toBe('plain name.txt');
    expect(dispositionFilename('attachment; filename= two  spaces.txt ; size=3')).toBe('two  spaces.txt');
    expect(
      dispositionFilename(`attachment; filename="Resume.pdf"; filename*=UTF-8''R%C3%A9sum%C3%A9.pdf`),
    ).toBe('Résumé.pdf');
    expect(dispositionFilename(`attachment; FILENAME*=iso-8859-1'en'%E9t%E9.txt`)).toBe('été.txt');
    expect(dispositionFilename('attachment; filename="say \\"hi\\".txt"')).toBe('say "hi".txt');
    // What Hoist's own presigned GETs ask for reads back as the name it was given.
    expect(dispositionFilename(contentDisposition('emoji 😀 中文 (1).txt'))).toBe('emoji 😀 中文 (1).txt');
  });

  it('keeps at most 255 bytes of a name, whole characters', () => {
    const long = dispositionFilename(
      `attachment; filename*=UTF-8''${encodeURIComponent('東'.repeat(200))}.pdf`,
    );
    expect(long).toBe('東'.repeat(85));
  });

  it('keeps only the last path segment, as browsers do', () => {
    expect(dispositionFilename('attachment; filename="../../etc/passwd"')).toBe('passwd');
    expect(dispositionFilename('attachment; filename="C:\\\\Users\\\\x.txt"')).toBe('x.txt');
  });

  it('is null when no usable name is given', () => {
    expect(dispositionFilename(undefined)).toBeNull();
    expect(dispositionFilename('')).toBeNull();
    expect(dispositionFilename('inline')).toBeNull();
    expect(dispositionFilename('attachment')).toBeNull();
    expect(dispositionFilename('attachment; filename=""')).toBeNull();
    expect(dispositionFilename('attachment; filename=".."')).toBeNull();
    // A filename* that cannot be decoded falls back to filename.
    expect(dispositionFilename(`attachment; filename*=UTF-8''%FF%FE; filename="fallback.txt"`)).toBe(
      'fallback.txt',
    );
  });
});

describe('withoutControls', () => {
  it('puts "_" for bidirectional controls and control characters, keeping the rest', () => {
    expect(withoutControls('invoice\u202Efdp.exe')).toBe('invoice_fdp.exe');
    expect(withoutControls('a\u2066b\u200Fc\u0007d\u0000e')).toBe('a_b_c_d_e');
    expect(withoutControls('Résumé 2026 ✓ 👩\u200D💻.pdf')).toBe('Résumé 2026 ✓ 👩\u200D💻.pdf');
  });
});
