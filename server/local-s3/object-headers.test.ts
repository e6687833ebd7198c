import { describe, expect, it } from 'vitest';
import { checkOverride } from './object-headers.ts';

describe('checkOverride', () => {
  it('takes printable US-ASCII, tabs and an RFC 5987 file name', () => {
    for (const value of [
      'text/csv',
      'attachment; filename="r 1.csv"',
      "attachment; filename*=UTF-8''caf%C3%A9",
      'a\tb',
      '',
    ])
      expect(() => checkOverride('response-content-disposition', value)).not.toThrow();
  });

  it('refuses CR/LF, other control characters and anything past ASCII with 400 InvalidArgument naming the parameter', () => {
    for (const value of ['a\r\nX-Injected: 1', 'a\nb', 'a\u0000b', 'a\u007fb', 'café', '文件', 'x\u{1F600}'])
      expect(() => checkOverride('response-content-type', value)).toThrow(
        expect.objectContaining({
          code: 'InvalidArgument',
          status: 400,
          details: { ArgumentName: 'response-content-type' },
        }),
      );
  });
});
