import { networkInterfaces } from 'node:os';
import ipaddr from 'ipaddr.js';

/**
 * Why an address is not a public internet address, as the refusal names it. Providers are
 * called from inside the operator's network, so anything but global unicast could be the
 * api itself, another tenant's published container, Redis, PostgreSQL or a cloud metadata
 * service (169.254.169.254).
 */
export type AddressClass =
  | 'loopback'
  | 'link-local'
  | 'private'
  | 'carrier-grade NAT'
  | 'unique-local'
  | 'unspecified'
  | 'multicast'
  | 'broadcast'
  | 'reserved'
  | "this host's own";

/** ipaddr.js range names → our classes; every range not listed here (and not `unicast`) is `reserved`. */
const CLASS_OF_RANGE: Readonly<Record<string, AddressClass>> = {
  loopback: 'loopback',
  linkLocal: 'link-local',
  private: 'private',
  carrierGradeNat: 'carrier-grade NAT',
  uniqueLocal: 'unique-local',
  // fec0::/10, deprecated site-local: a private range in practice.
  deprecatedSiteLocal: 'private',
  unspecified: 'unspecified',
  multicast: 'multicast',
  broadcast: 'broadcast',
};

/**
 * The class of an IP address that may not be called, or null for a public (global unicast)
 * one. IPv6 forms that carry an IPv4 address are judged by that address: IPv4-mapped
 * (`::ffff:127.0.0.1`) and NAT64 (`64:ff9b::/96`, which a NAT64 gateway turns into the IPv4
 * connection). The other tunnelling and translation ranges (6to4, Teredo, IPv4-compatible
 * `::a.b.c.d`) are refused as reserved: they are rare for a provider and hard to judge.
 * Addresses of this machine's own interfaces are refused too (a public IP of the api host
 * reaches every service bound to 0.0.0.0). Throws on a string that is not an IP address.
 */
export function classifyAddress(address: string): AddressClass | null {
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6') {
    const v6 = parsed as ipaddr.IPv6;
    if (v6.isIPv4MappedAddress()) parsed = v6.toIPv4Address();
    else if (v6.range() === 'rfc6052') parsed = ipaddr.fromByteArray(v6.toByteArray().slice(12));
  }
  const range = parsed.range();
  if (range !== 'unicast') return CLASS_OF_RANGE[range] ?? 'reserved';
  if (parsed.kind() === 'ipv6' && isIPv4Compatible(parsed as ipaddr.IPv6)) return 'reserved';
  return ownAddresses().has(parsed.toNormalizedString()) ? "this host's own" : null;
}

/** `::a.b.c.d` (deprecated; ipaddr.js calls ::/96 unicast, apart from :: and ::1). */
function isIPv4Compatible(v6: ipaddr.IPv6): boolean {
  const parts = v6.parts;
  return parts[0] === 0 && parts[1] === 0 && parts[2] === 0 && parts[3] === 0 && parts[4] === 0 && parts[5] === 0;
}

let own: Set<string> | null = null;

/** This machine's interface addresses, read once (normalized as ipaddr.js prints them). */
function ownAddresses(): Set<string> {
  if (own) return own;
  own = new Set();
  for (const list of Object.values(networkInterfaces())) {
    for (const info of list ?? []) {
      const address = info.address.split('%')[0]!; // fe80::1%eth0
      if (ipaddr.isValid(address)) own.add(ipaddr.parse(address).toNormalizedString());
    }
  }
  return own;
}
