import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { ProgressBar } from './progress-bar.tsx';

const valueOf = (props: Parameters<typeof ProgressBar>[0]) =>
  /aria-valuenow="(\d+)"/.exec(renderToStaticMarkup(createElement(ProgressBar, props)))?.[1];

describe('ProgressBar', () => {
  it('shows an empty file that is waiting at 0%, and full once it is done', () => {
    expect(valueOf({ done: 0, total: 0, label: 'x' })).toBe('0');
    expect(valueOf({ done: 0, total: 0, label: 'x', complete: true })).toBe('100');
    expect(valueOf({ done: 5, total: 10, label: 'x' })).toBe('50');
  });
});
