import { z } from 'zod';
import { isoDateSchema } from './common';

/** A DNS host name: lower-case labels of letters, digits and inner hyphens, at least one dot. */
export const hostnameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(253, 'Use at most 253 characters.')
  .regex(/^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, 'Enter a host name such as www.example.com.');

export const addDomainInputSchema = z.object({ hostname: hostnameSchema });
export type AddDomainInput = z.infer<typeof addDomainInputSchema>;

export const domainSchema = z.object({ id: z.string(), hostname: z.string(), url: z.string(), createdAt: isoDateSchema });
export type DomainDto = z.infer<typeof domainSchema>;
