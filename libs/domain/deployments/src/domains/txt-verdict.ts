import { domainChallengeName } from '@slipway/contracts';
import type { TxtLookup } from './dns-txt-lookup';

/** Whether a TXT lookup proves control of a domain, and if not, what to tell its owner. */
export type TxtVerdict = { proven: true } | { proven: false; unavailable: boolean; problem: string };

const shown = (v: string) => JSON.stringify(v.length > 80 ? `${v.slice(0, 80)}…` : v);

/** Proven when one of the TXT values at `_slipway-challenge.<hostname>` is exactly the domain's token. */
export function judgeTxt(lookup: TxtLookup, hostname: string, token: string): TxtVerdict {
  const name = domainChallengeName(hostname);
  if (lookup.kind === 'unavailable') return { proven: false, unavailable: true, problem: `The DNS servers did not answer for ${name} (${lookup.reason}). It is checked again automatically; you can also retry.` };
  if (lookup.kind === 'none') return { proven: false, unavailable: false, problem: `No TXT record found at ${name}. Create it with the value ${token}; DNS changes can take a few minutes to show.` };
  if (lookup.values.some((v) => v.trim() === token)) return { proven: true };
  const found = lookup.values.slice(0, 3).map(shown).join(', ');
  return { proven: false, unavailable: false, problem: `The TXT record at ${name} holds ${found}, not ${token}. Set it to ${token}.` };
}
