import { describe, expect, it } from 'vitest';
import { isPlainClick } from './plain-click.ts';

const click = { button: 0, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false };

describe('isPlainClick', () => {
  it('takes a left click with no modifier key (also Enter on a link, which clicks with button 0)', () => {
    expect(isPlainClick(click)).toBe(true);
  });

  it('leaves Ctrl/Cmd (new tab), Shift (new window), Alt (download) and other buttons to the browser', () => {
    for (const modifier of ['ctrlKey', 'metaKey', 'shiftKey', 'altKey'] as const) {
      expect(isPlainClick({ ...click, [modifier]: true })).toBe(false);
    }
    expect(isPlainClick({ ...click, button: 1 })).toBe(false);
    expect(isPlainClick({ ...click, button: 2 })).toBe(false);
  });
});
