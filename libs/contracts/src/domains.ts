import { z } from 'zod';
import { isoDateSchema } from './common';

/** A DNS host name: lower-case labels of letters, digits and inner hyphens, at least one dot, not an IP address. */
export const hostnameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(253, 'Use at most 253 characters.')
  .regex(/^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, 'Enter a host name such as www.example.com.')
  // The edge would otherwise take requests addressed to an IP (its own, for one) for this name.
  .refine((h) => !/^\d+$/.test(h.slice(h.lastIndexOf('.') + 1)), 'Enter a host name such as www.example.com, not an IP address.');

export const addDomainInputSchema = z.object({ hostname: hostnameSchema });
export type AddDomainInput = z.infer<typeof addDomainInputSchema>;

/** The label under which the owner of a domain publishes its verification token. */
export const DOMAIN_CHALLENGE_LABEL = '_slipway-challenge';
export const domainChallengeName = (hostname: string): string => `${DOMAIN_CHALLENGE_LABEL}.${hostname}`;

/**
 * pending: added, not routed until its TXT record is found; verified: routed; expired: not verified in
 * time, removed soon (add it again for a new token).
 */
export const domainStatusSchema = z.enum(['pending', 'verified', 'expired']);
export type DomainStatus = z.infer<typeof domainStatusSchema>;

export const domainSchema = z.object({
  id: z.string(),
  hostname: z.string(),
  url: z.string(),
  status: domainStatusSchema,
  /** The DNS record that proves control of the name: create it, then verify. */
  verification: z.object({ type: z.literal('TXT'), name: z.string(), value: z.string() }),
  verifiedAt: isoDateSchema.nullable(),
  /** When a pending domain is removed unless verified by then; null once verified. */
  expiresAt: isoDateSchema.nullable(),
  lastCheckedAt: isoDateSchema.nullable(),
  /** What the last check found wrong (no record, another value, verified by another organization first); null when nothing is. */
  problem: z.string().nullable(),
  createdAt: isoDateSchema,
});
export type DomainDto = z.infer<typeof domainSchema>;
