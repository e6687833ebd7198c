import { describe, expect, it } from 'vitest';
import { failurePage } from './failure-page.ts';

describe('failurePage', () => {
  it('says the failure in words, escaped, with the way back to the page', () => {
    const page = failurePage('"<b>a&b</b>.txt" is not in the bucket (any more).');
    expect(page).toContain(
      '<p role="alert">&quot;&lt;b&gt;a&amp;b&lt;/b&gt;.txt&quot; is not in the bucket (any more).</p>',
    );
    expect(page).toContain(
      '<title>&quot;&lt;b&gt;a&amp;b&lt;/b&gt;.txt&quot; is not in the bucket (any more). · Hoist</title>',
    );
    expect(page).not.toContain('<b>');
    expect(page).toContain('<a href="/">Back to Hoist</a>');
  });

  it('says what to do next where the message leaves it open: sign in, or open it from Hoist', () => {
    expect(failurePage('Sign in with the access token to use this server.', 'unauthorized')).toContain(
      '<p>Sign in to Hoist, then open this address again.</p>',
    );
    expect(failurePage('Requests from another site are refused.', 'cross-site')).toContain(
      'paste this one there, or open the file from Hoist.',
    );
    expect(failurePage('"a.txt" is not in the bucket (any more).', 'not-found')).not.toContain(
      'open this address again',
    );
  });
});
