import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

type Cidr = [ipaddr.IPv4 | ipaddr.IPv6, number];

/**
 * The operator's exceptions to the address policy (GATEWAY_UPSTREAM_ALLOW): upstreams on
 * internal addresses that providers may use anyway, e.g. a vLLM server on the LAN or the test
 * and benchmark upstreams on loopback. Entries:
 * - `10.1.0.0/16`, `fd00::/8`: any port of any address in the range;
 * - `10.1.2.3`, `::1`: any port of that address;
 * - `127.0.0.1:8000`, `[::1]:8000`: that address and port only;
 * - `llm.internal:8000`: that host name (as written in a base URL) and port only, whatever it resolves to.
 */
export class UpstreamAllowList {
  private readonly ranges: Cidr[] = [];
  /** `address|port` (normalized) and `name|port` (lower case). */
  private readonly endpoints = new Set<string>();

  constructor(entries: readonly string[]) {
    for (const raw of entries) {
      const entry = raw.trim();
      if (!entry) continue;
      const endpoint = /^\[([0-9a-fA-F:.]+)\]:(\d{1,5})$/.exec(entry) ?? /^([^:/\s]+):(\d{1,5})$/.exec(entry);
      if (endpoint && validPort(endpoint[2]!)) {
        const host = endpoint[1]!;
        this.endpoints.add(isIP(host) ? `${normalize(host)}|${Number(endpoint[2])}` : `${hostKey(host)}|${Number(endpoint[2])}`);
      } else if (ipaddr.isValidCIDR(entry)) {
        this.ranges.push(ipaddr.parseCIDR(entry));
      } else if (isIP(entry)) {
        const address = ipaddr.parse(entry);
        this.ranges.push([address, address.kind() === 'ipv4' ? 32 : 128]);
      } else {
        throw new RangeError(`GATEWAY_UPSTREAM_ALLOW: "${entry}" is neither a CIDR range, an IP address nor host:port.`);
      }
    }
  }

  get empty(): boolean {
    return this.ranges.length === 0 && this.endpoints.size === 0;
  }

  /** A host name the operator allowed on this port (no resolution needed to decide). */
  allowsName(host: string, port: number): boolean {
    return this.endpoints.size > 0 && this.endpoints.has(`${hostKey(host)}|${port}`);
  }

  /** An address (literal or resolved) the operator allowed on this port. */
  allowsAddress(address: string, port: number): boolean {
    if (this.empty) return false;
    const parsed = unmapped(ipaddr.parse(address));
    if (this.endpoints.has(`${parsed.toNormalizedString()}|${port}`)) return true;
    for (const [range, bits] of this.ranges) {
      const candidate =
        range.kind() === 'ipv4' ? parsed : parsed.kind() === 'ipv4' ? (parsed as ipaddr.IPv4).toIPv4MappedAddress() : parsed;
      if (candidate.kind() === range.kind() && candidate.match(range, bits)) return true;
    }
    return false;
  }
}

const validPort = (text: string) => Number(text) >= 1 && Number(text) <= 65_535;
const hostKey = (host: string) => host.toLowerCase().replace(/\.$/, '');
const normalize = (address: string) => unmapped(ipaddr.parse(address)).toNormalizedString();

/** `::ffff:10.0.0.1` is 10.0.0.1: an entry for one matches the other. */
function unmapped(address: ipaddr.IPv4 | ipaddr.IPv6): ipaddr.IPv4 | ipaddr.IPv6 {
  return address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress() ? (address as ipaddr.IPv6).toIPv4Address() : address;
}
