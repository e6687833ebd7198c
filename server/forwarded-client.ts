import { BlockList, isIP } from 'node:net';
import { unmapIPv4 } from './client-key.ts';

/**
 * Who sent a request that came through proxies the operator trusts (HOIST_TRUSTED_PROXIES): each
 * proxy appends the address it was connected from to X-Forwarded-For, so reading the header from the
 * right, the first address that is not a trusted proxy is the client. Entries left of it are whatever
 * the client wrote, and are never believed. A request whose peer is not a trusted proxy is from that
 * peer, whatever its header says. (Express's `trust proxy` with a list of addresses works the same.)
 */

/**
 * The trusted proxies, from addresses and CIDR ranges ("10.0.0.0/8", "fd00::/8", "127.0.0.1").
 * Throws a TypeError naming the first entry that is neither.
 */
export function trustedProxies(entries: readonly string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries) {
    const [address = '', bits, extra] = entry.split('/');
    const family = isIP(address);
    const prefix = Number(bits);
    const max = family === 4 ? 32 : 128;
    if (
      family === 0 ||
      extra !== undefined ||
      (bits !== undefined && !(/^\d+$/.test(bits) && prefix <= max))
    ) {
      throw new TypeError(`"${entry}" is not an IP address or CIDR range`);
    }
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (bits === undefined) list.addAddress(address, type);
    else list.addSubnet(address, prefix, type);
  }
  return list;
}

function isTrusted(list: BlockList, address: string): boolean {
  const family = isIP(address);
  return family !== 0 && list.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** The client's address: `peer` unless it is a trusted proxy, then as above. */
export function forwardedClient(peer: string, forwardedFor: string | undefined, trusted: BlockList): string {
  let client = unmapIPv4(peer);
  if (!isTrusted(trusted, client) || !forwardedFor) return client;
  const hops = forwardedFor.split(',').map((hop) => unmapIPv4(hop.trim()));
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i]!;
    // Not an address: no proxy wrote that, so the request did not come through one there.
    if (isIP(hop) === 0) return client;
    client = hop;
    if (!isTrusted(trusted, hop)) return client;
  }
  return client; // every hop a trusted proxy: the first of them is as far back as is known
}
