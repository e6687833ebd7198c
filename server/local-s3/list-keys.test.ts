import { describe, expect, it } from 'vitest';
import {
  commonPrefixOf,
  decodeContinuationToken,
  encodeContinuationToken,
  listKeys,
  urlEncodeKey,
} from './list-keys.ts';
import { SortedKeys } from './sorted-keys.ts';

function indexOf(keys: string[]): SortedKeys<number> {
  const index = new SortedKeys<number>();
  keys.forEach((k, i) => index.set(k, i));
  return index;
}

const keysOf = (out: { contents: { key: string }[] }) => out.contents.map((e) => e.key);

describe('SortedKeys', () => {
  it('orders by UTF-8 bytes, not UTF-16 code units', () => {
    const index = indexOf(['\u{ff61}', '\u{1f600}', 'b', 'a', 'a/b']);
    expect(Array.from({ length: index.size }, (_, i) => index.at(i)!.key)).toEqual([
      'a',
      'a/b',
      'b',
      '\u{ff61}',
      '\u{1f600}',
    ]);
  });

  it('loads in bulk, replaces and deletes', () => {
    const index = new SortedKeys<number>();
    index.load([
      ['c', 1],
      ['a', 2],
    ]);
    index.set('b', 3);
    index.set('a', 4);
    expect(index.get('a')).toBe(4);
    expect(index.delete('c')).toBe(true);
    expect(index.delete('c')).toBe(false);
    expect([index.at(0)!.key, index.at(1)!.key, index.size]).toEqual(['a', 'b', 2]);
  });
});

describe('listKeys', () => {
  const index = indexOf(['a', 'a/b', 'a/c/d', 'a/c/e', 'b/x', 'b/y', 'c']);

  it('lists everything in order', () => {
    expect(keysOf(listKeys(index, { prefix: '', delimiter: '', maxKeys: 1000 }))).toEqual([
      'a',
      'a/b',
      'a/c/d',
      'a/c/e',
      'b/x',
      'b/y',
      'c',
    ]);
  });

  it('rolls keys up into common prefixes with a delimiter', () => {
    const out = listKeys(index, { prefix: '', delimiter: '/', maxKeys: 1000 });
    expect(keysOf(out)).toEqual(['a', 'c']);
    expect(out.commonPrefixes).toEqual(['a/', 'b/']);
    const nested = listKeys(index, { prefix: 'a/', delimiter: '/', maxKeys: 1000 });
    expect(keysOf(nested)).toEqual(['a/b']);
    expect(nested.commonPrefixes).toEqual(['a/c/']);
  });

  it('cuts a common prefix at the first delimiter after the prefix (commonPrefixOf)', () => {
    expect(commonPrefixOf('a/c/d', '', '/')).toBe('a/');
    expect(commonPrefixOf('a/c/d', 'a/', '/')).toBe('a/c/');
    expect(commonPrefixOf('a/c/d', 'a/c/', '/')).toBeUndefined();
    expect(commonPrefixOf('a--b--c', '', '--')).toBe('a--');
    expect(commonPrefixOf('a/b', '', '')).toBeUndefined();
  });

  it('pages with max-keys counting keys and prefixes, resuming after the last item', () => {
    const pages: string[][] = [];
    let after: string | undefined;
    for (;;) {
      const out = listKeys(index, { prefix: '', delimiter: '/', maxKeys: 1, ...(after ? { after } : {}) });
      pages.push([...keysOf(out), ...out.commonPrefixes]);
      if (!out.isTruncated) break;
      after = out.last;
    }
    expect(pages).toEqual([['a'], ['a/'], ['b/'], ['c']]);
  });

  it('starts after a marker inside a common prefix without repeating it', () => {
    const out = listKeys(index, { prefix: '', delimiter: '/', maxKeys: 10, after: 'a/b' });
    expect(keysOf(out)).toEqual(['c']);
    expect(out.commonPrefixes).toEqual(['b/']);
  });

  it('applies prefix and start-after together', () => {
    expect(keysOf(listKeys(index, { prefix: 'a/', delimiter: '', maxKeys: 10, after: 'a/c/d' }))).toEqual([
      'a/c/e',
    ]);
    expect(keysOf(listKeys(index, { prefix: 'b', delimiter: '', maxKeys: 10, after: 'a' }))).toEqual([
      'b/x',
      'b/y',
    ]);
  });

  it('jumps over a common prefix of 100,000 keys instead of walking them', () => {
    const big = new SortedKeys<number>();
    big.load(Array.from({ length: 100_000 }, (_, i) => [`dir/${String(i).padStart(6, '0')}`, i] as const));
    big.set('z', 1);
    let read = 0;
    const at = big.at.bind(big);
    big.at = (i: number) => {
      read++;
      return at(i);
    };
    const out = listKeys(big, { prefix: '', delimiter: '/', maxKeys: 1000 });
    expect(out.commonPrefixes).toEqual(['dir/']);
    expect(keysOf(out)).toEqual(['z']);
    expect(read).toBeLessThan(10);
  });

  it('round-trips continuation tokens and url-encodes keys', () => {
    expect(decodeContinuationToken(encodeContinuationToken('a b/ü', 'a b/'), 'a b/')).toBe('a b/ü');
    expect(decodeContinuationToken(encodeContinuationToken('x', ''), '')).toBe('x');
    expect(urlEncodeKey("a b/c+d'ü*")).toBe('a+b%2Fc%2Bd%27%C3%BC*');
  });

  it('refuses a continuation token it did not issue, or issued for another prefix', () => {
    const token = encodeContinuationToken('docs/b', 'docs/');
    for (const [bogus, prefix] of [
      ['not a token!', ''],
      ['bogus', ''],
      [Buffer.from('docs/b').toString('base64url'), 'docs/'],
      [token, ''],
      [token, 'doc'],
      [`${token}A`, 'docs/'],
      [token.slice(0, -1), 'docs/'],
      [Buffer.from('\x01\x00\x05other/b').toString('base64url'), 'docs/'],
      [Buffer.from('\x01\x00\x04docs/b').toString('base64url'), 'docs/'],
      [Buffer.from('\x02\x00\x05docs/b').toString('base64url'), 'docs/'],
      [Buffer.from('\x01\x00').toString('base64url'), ''],
      [Buffer.concat([Buffer.from('\x01\x00\x05docs/'), Buffer.of(0xff)]).toString('base64url'), 'docs/'],
    ] as const)
      expect([bogus, prefix, decodeContinuationToken(bogus, prefix)]).toEqual([bogus, prefix, undefined]);
    expect(decodeContinuationToken(token, 'docs/')).toBe('docs/b');
  });
});

describe('listKeys with max-keys=0', () => {
  it('is an empty page that is not truncated, with or without a delimiter', () => {
    const index = indexOf(['a', 'b/c']);
    for (const delimiter of ['', '/'])
      expect(listKeys(index, { prefix: '', delimiter, maxKeys: 0 })).toEqual({
        contents: [],
        commonPrefixes: [],
        isTruncated: false,
      });
  });
});
