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

  it('leaves right-to-left writing itself, and every other name, as it is', () => {
    for (const name of ['report.pdf', 'תמונה.jpg', 'صورة.png', 'café/naïve.txt', 'a b  c']) {
      expect(visibleName(name)).toBe(name);
    }
  });
});
