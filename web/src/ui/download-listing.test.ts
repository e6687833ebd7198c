import { describe, expect, it } from 'vitest';
import { downloadListing } from './download-listing.ts';

describe('downloadListing', () => {
  it('counts what each list call found until the listing ends', () => {
    const run = downloadListing.begin('“photos/”');
    expect(downloadListing.get()).toEqual({ what: '“photos/”', found: 0 });
    run.found(1000);
    run.found(250);
    expect(downloadListing.get()).toEqual({ what: '“photos/”', found: 1250 });
    run.end();
    expect(downloadListing.get()).toBeNull();
    expect(run.signal.aborted).toBe(false);
  });

  it('Stop aborts the listing; its late pages change nothing', () => {
    const run = downloadListing.begin('the selection');
    downloadListing.stop();
    expect(run.signal.aborted).toBe(true);
    run.found(1000);
    expect(downloadListing.get()).toEqual({ what: 'the selection', found: 0 });
    run.end();
    expect(downloadListing.get()).toBeNull();
  });

  it('a listing that was replaced neither counts nor ends the one after it', () => {
    const first = downloadListing.begin('“a/”');
    const second = downloadListing.begin('“b/”');
    expect(first.signal.aborted).toBe(true);
    first.found(5);
    first.end();
    expect(downloadListing.get()).toEqual({ what: '“b/”', found: 0 });
    second.end();
  });
});
