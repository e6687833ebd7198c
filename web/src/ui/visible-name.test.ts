import { describe, expect, it } from 'vitest';
import { visibleName } from './visible-name.ts';

describe('visibleName', () => {
  it('spells out a right-to-left override, so "invoice\\u202Efdp.exe" cannot pass for a PDF', () => {
    expect(visibleName('invoice\u202Efdp.exe')).toBe('invoice[U+202E]fdp.exe');
  });

  it('spells out every bidirectional control and mark', () => {
    const controls = '\u061C\u200E\u200F\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069';
    expect(visibleName(controls)).toBe(
      '[U+061C][U+200E][U+200F][U+202A][U+202B][U+202C][U+202D][U+202E][U+2066][U+2067][U+2068][U+2069]',
    );
  });

  it('spells out characters that show as nothing, so two names that read the same do not look alike', () => {
    expect(visibleName('zero\u200Bwidth.txt')).toBe('zero[U+200B]width.txt');
    expect(visibleName('ctrl\u0001char.txt')).toBe('ctrl[U+0001]char.txt');
    expect(visibleName('tab\there\u007F\u0085\u00AD\u2060\uFEFF\u3164')).toBe(
      'tab[U+0009]here[U+007F][U+0085][U+00AD][U+2060][U+FEFF][U+3164]',
    );
  });

  it('leaves emoji and scripts joined by the zero-width joiner or non-joiner as they are', () => {
    for (const name of ['👨\u200D👩\u200D👧.jpg', 'می\u200Cخواهم.txt']) expect(visibleName(name)).toBe(name);
  });

  it('leaves right-to-left writing itself, and every other name, as it is', () => {
    for (const name of ['report.pdf', 'תמונה.jpg', 'صورة.png', 'café/naïve.txt', 'a b  c']) {
      expect(visibleName(name)).toBe(name);
    }
  });
});
