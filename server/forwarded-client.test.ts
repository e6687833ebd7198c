import { describe, expect, it } from 'vitest';
import { forwardedClient, trustedProxies } from './forwarded-client.ts';

describe('trustedProxies', () => {
  it('takes addresses and CIDR ranges of both families', () => {
    const list = trustedProxies(['127.0.0.1', '10.0.0.0/8', 'fd00::/8', '::1']);
    expect(list.check('10.20.30.40', 'ipv4')).toBe(true);
    expect(list.check('11.0.0.1', 'ipv4')).toBe(false);
    expect(list.check('fd12::5', 'ipv6')).toBe(true);
    expect(list.check('::1', 'ipv6')).toBe(true);
  });

  it('names the entry that is not an address or range', () => {
    for (const bad of [
      'proxy.lan',
      '10.0.0.0/33',
      '10.0.0.0/8/1',
      'fd00::/129',
      '10.0.0.0/',
      '10.0.0.0/x',
      '',
    ]) {
      expect(() => trustedProxies([bad])).toThrow(`"${bad}" is not an IP address or CIDR range`);
    }
  });
});

describe('forwardedClient', () => {
  const trusted = trustedProxies(['10.0.0.0/8', '::1']);

  it('is the peer when the peer is no trusted proxy, whatever its header says', () => {
    expect(forwardedClient('203.0.113.9', '198.51.100.1', trusted)).toBe('203.0.113.9');
    expect(forwardedClient('::ffff:203.0.113.9', '198.51.100.1', trusted)).toBe('203.0.113.9');
  });

  it('through a trusted proxy, is the address that proxy appended', () => {
    expect(forwardedClient('10.0.0.2', '198.51.100.1', trusted)).toBe('198.51.100.1');
    expect(forwardedClient('::ffff:10.0.0.2', '198.51.100.1', trusted)).toBe('198.51.100.1');
    expect(forwardedClient('::1', '2001:db8::7', trusted)).toBe('2001:db8::7');
  });

  it('never believes what the client wrote left of it: a forged header gains nothing', () => {
    // The client sent "X-Forwarded-For: 1.2.3.4"; the proxy appended the real address.
    expect(forwardedClient('10.0.0.2', '1.2.3.4, 198.51.100.1', trusted)).toBe('198.51.100.1');
    expect(forwardedClient('10.0.0.2', '1.2.3.4,198.51.100.1', trusted)).toBe('198.51.100.1');
  });

  it('walks back over a chain of trusted proxies', () => {
    expect(forwardedClient('10.0.0.2', '198.51.100.1, 10.1.1.1, 10.2.2.2', trusted)).toBe('198.51.100.1');
  });

  it('stops at an entry that is no address, and with every hop trusted takes the first', () => {
    expect(forwardedClient('10.0.0.2', 'unknown, 10.1.1.1', trusted)).toBe('10.1.1.1');
    expect(forwardedClient('10.0.0.2', '10.3.3.3, 10.1.1.1', trusted)).toBe('10.3.3.3');
  });

  it('is the proxy itself when it sent no header', () => {
    expect(forwardedClient('10.0.0.2', undefined, trusted)).toBe('10.0.0.2');
    expect(forwardedClient('10.0.0.2', '', trusted)).toBe('10.0.0.2');
  });
});
