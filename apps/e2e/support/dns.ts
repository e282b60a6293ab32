import { startDnsStub, type DnsStub } from '@slipway/testing';
import { E2E } from './env';

/**
 * The DNS server the platform under test verifies custom domains against (DOMAIN_DNS_SERVERS
 * points at this port): a stub whose TXT records the test sets. One at a time (e2e files run
 * one after another); close it in the test that started it.
 */
export const startTestDns = (): Promise<DnsStub> => startDnsStub({ port: E2E.dnsStubPort });

/** Publishes a domain's verification record, as its owner would at their DNS provider. */
export function publishChallenge(dns: DnsStub, domain: { verification: { name: string; value: string } }): void {
  dns.setTxt(domain.verification.name, [domain.verification.value]);
}
