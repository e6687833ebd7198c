import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { InsecureNotice } from './insecure-notice.tsx';

describe('InsecureNotice', () => {
  it('says what plain http from another address turns off, and what fixes it', () => {
    const html = renderToStaticMarkup(createElement(InsecureNotice, { secure: false }));
    expect(html).toContain('plain http');
    expect(html).toContain('https');
    // Tabs still tell each other which uploads they own (over a BroadcastChannel): nothing to say of it.
    expect(html).not.toContain('tab');
    expect(renderToStaticMarkup(createElement(InsecureNotice, { secure: true }))).toBe('');
  });
});
