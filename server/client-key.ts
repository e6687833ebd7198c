import { isIPv4, isIPv6 } from 'node:net';

/**
 * What the attempt limiter counts a client by: an IPv4 address as it is (an IPv4-mapped IPv6 address
 * too), an IPv6 address by its /64, since one host usually holds a whole /64 and could otherwise
 * take a fresh address for every guess. Anything else (no address known) as it is.
 */
export function clientKey(address: string): string {
  const plain = unmapIPv4(address);
  if (plain !== address || !isIPv6(address)) return plain;
  return `${expandIPv6(address).slice(0, 4).join(':')}::/64`;
}

/** An IPv4 address in IPv6 form (`::ffff:10.0.0.1`), as a dual-stack socket reports it, as IPv4. */
export function unmapIPv4(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  return mapped && isIPv4(mapped) ? mapped : address;
}

/** The eight 16-bit groups of an IPv6 address, `::` filled in, a trailing dotted quad converted. */
function expandIPv6(address: string): string[] {
  let text = address.split('%')[0]!.toLowerCase(); // a zone (fe80::1%eth0) is not part of the prefix
  const quad = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (quad) {
    const [a, b, c, d] = quad.slice(1).map(Number) as [number, number, number, number];
    text = text.slice(0, quad.index) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const fill = tail === undefined ? [] : Array<string>(8 - left.length - right.length).fill('0');
  return [...left, ...fill, ...right].map((group) => (parseInt(group, 16) || 0).toString(16));
}
