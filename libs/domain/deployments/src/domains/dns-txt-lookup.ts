import { Resolver } from 'node:dns/promises';
import { Inject, Injectable } from '@nestjs/common';
import { CONFIG, type Config } from '@slipway/config';

/** What a TXT lookup found: the values (each record's strings joined), no record at all, or no answer. */
export type TxtLookup = { kind: 'found'; values: string[] } | { kind: 'none' } | { kind: 'unavailable'; reason: string };

/** Answers that mean "this name has no TXT record" rather than "DNS could not tell". */
const NO_RECORD = new Set(['ENOTFOUND', 'ENODATA']);

/**
 * TXT lookups through the DNS servers of DOMAIN_DNS_SERVERS (the system's when empty). A
 * timeout or a server failure is "unavailable", never "no record": a pending domain is then
 * checked again later rather than told its record is missing.
 */
@Injectable()
export class DnsTxtLookup {
  private readonly resolver = new Resolver({ timeout: 2_000, tries: 2 });

  constructor(@Inject(CONFIG) config: Pick<Config, 'DOMAIN_DNS_SERVERS'>) {
    if (config.DOMAIN_DNS_SERVERS.length) this.resolver.setServers(config.DOMAIN_DNS_SERVERS);
  }

  async lookup(name: string): Promise<TxtLookup> {
    try {
      const records = await this.resolver.resolveTxt(name);
      return { kind: 'found', values: records.map((strings) => strings.join('')) };
    } catch (err) {
      const code = (err as { code?: string }).code ?? 'ERROR';
      return NO_RECORD.has(code) ? { kind: 'none' } : { kind: 'unavailable', reason: code };
    }
  }
}
