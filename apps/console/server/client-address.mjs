// Which address the console forwards to the api as the client's (X-Forwarded-For): the api
// counts login and sign-up attempts per client address, so this must be the address that really
// connected, never one a client wrote into a header. Used by ../server.mjs; proxy.ts forwards it.
import { BlockList, isIP } from 'node:net';

/** The request header server.mjs sets (after dropping any copy a client sent) and proxy.ts reads. */
export const CLIENT_ADDRESS_HEADER = 'x-slipway-client-address';

const MAPPED_IPV4 = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i;
/** `::ffff:192.0.2.1` (an IPv4 client of a dual-stack socket) is 192.0.2.1. */
const plain = (address) => MAPPED_IPV4.exec(address)?.[1] ?? address;

/**
 * Parses a comma-separated list of IP addresses and CIDR blocks (CONSOLE_TRUSTED_PROXIES).
 * @param {string | undefined} text
 * @returns {BlockList}
 */
export function trustedProxies(text) {
  const list = new BlockList();
  for (const entry of (text ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
    const [address = '', prefix, ...rest] = entry.split('/');
    const family = isIP(address);
    const bits = Number(prefix);
    if (!family || rest.length || (prefix !== undefined && !(/^\d{1,3}$/.test(prefix) && bits <= (family === 4 ? 32 : 128)))) {
      throw new Error(`CONSOLE_TRUSTED_PROXIES: "${entry}" is neither an IP address nor a CIDR block (e.g. 127.0.0.1,10.0.0.0/8).`);
    }
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (prefix === undefined) list.addAddress(address, type);
    else list.addSubnet(address, bits, type);
  }
  return list;
}

/**
 * The client's address: the socket's, unless the socket is a trusted proxy, in which case the
 * X-Forwarded-For hops are read from the right (the hop the proxy itself appended) to the first
 * address that is not a trusted proxy. A hop that is not an IP address ends the walk.
 * @param {string | undefined} socketAddress
 * @param {string | string[] | undefined} forwardedFor
 * @param {BlockList} trusted
 * @returns {string}
 */
export function clientAddress(socketAddress, forwardedFor, trusted) {
  const isTrusted = (address) => {
    const family = isIP(address);
    return family !== 0 && trusted.check(address, family === 4 ? 'ipv4' : 'ipv6');
  };
  let client = plain(socketAddress ?? '');
  if (!isTrusted(client)) return client;
  const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : (forwardedFor ?? ''))
    .split(',')
    .map((s) => plain(s.trim()))
    .filter(Boolean);
  for (const hop of hops.reverse()) {
    if (!isIP(hop)) return client;
    client = hop;
    if (!isTrusted(hop)) return client;
  }
  return client;
}
