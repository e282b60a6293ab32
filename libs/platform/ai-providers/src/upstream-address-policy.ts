import type { LookupAddress, LookupOptions } from 'node:dns';
import { isIP } from 'node:net';
import { classifyAddress, type AddressClass } from './address-class';
import { systemResolver, type ResolveHost, type ResolvedAddress } from './host-resolver';
import { UpstreamAllowList } from './upstream-allow-list';
import { UpstreamError } from './upstream-error';

/** A base URL the policy accepts, or why not (`address` only for a literal: a resolved one is not the tenant's to learn). */
export type AddressVerdict = { ok: true; unresolved?: true } | { ok: false; addressClass: AddressClass; address?: string };

/** What node's `net.connect` calls to resolve a host (the `lookup` option of an agent). */
export type LookupFunction = (
  hostname: string,
  options: LookupOptions,
  callback: (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void,
) => void;

export interface UpstreamAddressPolicyOptions {
  /** GATEWAY_UPSTREAM_ALLOW entries. */
  allow?: readonly string[];
  /** How host names resolve (the system resolver by default). */
  resolve?: ResolveHost;
  /** Longest wait for a save-time resolution; past it the URL is accepted and judged when connecting. */
  vetTimeoutMs?: number;
}

/** localhost and *.localhost are loopback whatever DNS says (RFC 6761), and never leave the machine. */
const LOCALHOST: readonly ResolvedAddress[] = [
  { address: '127.0.0.1', family: 4 },
  { address: '::1', family: 6 },
];

/**
 * Where providers may be called: public internet addresses only, unless the operator's allow-list
 * says otherwise. Checked twice — when a base URL is saved (`vet`, a clear 400 for the tenant)
 * and on every new connection (`lookupFor`, the agent's DNS lookup), so a name that resolved to a
 * public address when saved and to 127.0.0.1 later (DNS rebinding) is still refused. Literal IPs
 * skip DNS in node:net, so the client checks them once per target with `refusalOf`.
 */
export class UpstreamAddressPolicy {
  private readonly allow: UpstreamAllowList;
  private readonly resolve: ResolveHost;
  private readonly vetTimeoutMs: number;

  constructor(options: UpstreamAddressPolicyOptions = {}) {
    this.allow = new UpstreamAllowList(options.allow ?? []);
    this.resolve = options.resolve ?? systemResolver;
    this.vetTimeoutMs = options.vetTimeoutMs ?? 3_000;
  }

  /** Null when this address may be called on this port, else the class that forbids it. */
  refusalOf(address: string, port: number): AddressClass | null {
    if (this.allow.allowsAddress(address, port)) return null;
    return classifyAddress(address);
  }

  /** Save time: resolves the URL's host and judges every address it has. */
  async vet(baseUrl: string): Promise<AddressVerdict> {
    const { host, port } = endpointOf(new URL(baseUrl));
    if (this.allow.allowsName(host, port)) return { ok: true };
    if (isIP(host)) {
      const refused = this.refusalOf(host, port);
      return refused ? { ok: false, addressClass: refused, address: host } : { ok: true };
    }
    let found: readonly ResolvedAddress[];
    try {
      found = await withTimeout(this.addressesOf(host), this.vetTimeoutMs);
    } catch {
      // Not resolvable now (offline, a DNS outage, a name that will exist later): the check on connect decides.
      return { ok: true, unresolved: true };
    }
    const refused = this.firstRefusal(found, port);
    return refused ? { ok: false, addressClass: refused } : { ok: true };
  }

  /** Connect time: the `lookup` of the agent serving `port`; it never hands node:net a forbidden address. */
  lookupFor(port: number): LookupFunction {
    return (hostname, options, callback) => {
      const host = hostname.replace(/^\[|\]$/g, '');
      this.addressesOf(host).then(
        (found) => {
          const refused = this.allow.allowsName(host, port) ? null : this.firstRefusal(found, port);
          if (refused) return callback(refusedError(refused), '');
          const family = options.family === 4 || options.family === 6 ? options.family : 0;
          const usable = family ? found.filter((a) => a.family === family) : found;
          const first = usable[0];
          if (!first) return callback(Object.assign(new Error(`${hostname} has no IPv${family} address`), { code: 'ENOTFOUND' }), '');
          if (options.all)
            callback(
              null,
              usable.map((a) => ({ address: a.address, family: a.family })),
            );
          else callback(null, first.address, first.family);
        },
        (err: NodeJS.ErrnoException) => callback(err, ''),
      );
    };
  }

  private addressesOf(host: string): Promise<readonly ResolvedAddress[]> {
    const name = host.toLowerCase().replace(/\.$/, '');
    if (name === 'localhost' || name.endsWith('.localhost')) return Promise.resolve(LOCALHOST);
    return this.resolve(name);
  }

  /** One forbidden address is enough: a name mixing public and internal answers is a rebinding set-up. */
  private firstRefusal(found: readonly ResolvedAddress[], port: number): AddressClass | null {
    for (const { address } of found) {
      const refused = this.refusalOf(address, port);
      if (refused) return refused;
    }
    return null;
  }
}

/** The error a refused connection fails with: its class and nothing about what is there. */
export function refusedError(addressClass: AddressClass): UpstreamError {
  return new UpstreamError('refused', `refused: ${addressClass} address`);
}

/** Host (IPv6 without brackets) and port (the scheme's default when absent) of a URL. */
export function endpointOf(url: URL): { host: string; port: number } {
  return { host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port) || (url.protocol === 'https:' ? 443 : 80) };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
