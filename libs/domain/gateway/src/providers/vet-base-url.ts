import type { AddressClass, UpstreamAddressPolicy } from '@slipway/ai-providers';
import { AppError } from '@slipway/errors';

// "a unique-local", "an unspecified", "this host's own".
const article = (addressClass: AddressClass) => (addressClass === "this host's own" ? '' : addressClass === 'unspecified' ? 'an ' : 'a ');

/**
 * Refuses a base URL that points inside the operator's network (the api itself, other tenants'
 * containers, databases, cloud metadata), naming the address class. A resolved address is not
 * named: it may be an internal one the tenant has no business learning. The same policy judges
 * every connection later, so a name that is re-pointed after this check gains nothing.
 */
export async function assertPublicBaseUrl(policy: UpstreamAddressPolicy, baseUrl: string): Promise<void> {
  const verdict = await policy.vet(baseUrl);
  if (verdict.ok) return;
  const where = verdict.address ? `${verdict.address} is` : `${new URL(baseUrl).hostname} resolves to`;
  const message = `${where} ${article(verdict.addressClass)}${verdict.addressClass} address. Providers must be reachable on the public internet; an operator can allow an internal upstream with GATEWAY_UPSTREAM_ALLOW.`;
  throw new AppError('PROVIDER_ADDRESS_FORBIDDEN', `baseUrl: ${message}`, [{ path: 'baseUrl', message }]);
}
