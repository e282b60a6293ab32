import { z } from 'zod';
import { isoDateSchema, nameSchema } from './common';

export const TOKEN_SCOPES = ['projects:read', 'projects:write', 'secrets:read', 'secrets:write', 'deploy'] as const;
export const tokenScopeSchema = z.enum(TOKEN_SCOPES);
export type TokenScope = z.infer<typeof tokenScopeSchema>;

/** Prefix of every personal API token: recognisable in leaks and secret scanners. */
export const API_TOKEN_PREFIX = 'slp_';

export const createTokenInputSchema = z.object({
  name: nameSchema,
  scopes: z.array(tokenScopeSchema).min(1, 'Pick at least one scope.'),
  expiresInDays: z.number().int().min(1).max(365).nullable().default(30),
});
export type CreateTokenInput = z.input<typeof createTokenInputSchema>;

export const tokenSchema = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  scopes: z.array(tokenScopeSchema),
  expiresAt: isoDateSchema.nullable(),
  lastUsedAt: isoDateSchema.nullable(),
  revokedAt: isoDateSchema.nullable(),
  createdAt: isoDateSchema,
});
export type TokenDto = z.infer<typeof tokenSchema>;

/** The only response that ever carries the secret. */
export const createdTokenSchema = tokenSchema.extend({ token: z.string() });
export type CreatedTokenDto = z.infer<typeof createdTokenSchema>;
