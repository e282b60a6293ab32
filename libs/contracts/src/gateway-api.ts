import { z } from 'zod';
import { isoDateSchema, nameSchema } from './common';
import { GATEWAY_KEY_SCOPES, PROVIDER_KINDS, gatewayKeyScopeSchema } from './gateway';

/**
 * HTTP shapes of the gateway's management API: providers (organization), routing defaults
 * (organization), effective routing (environment) and gateway keys (project). Secrets never
 * leave in a DTO: a provider shows the last 4 characters of its key, a gateway key is shown
 * once, in the answer that created it.
 */

/** Default base URL of each provider kind that has one; OPENAI_COMPATIBLE must name its own. */
export const PROVIDER_DEFAULT_BASE_URLS: Readonly<Partial<Record<(typeof PROVIDER_KINDS)[number], string>>> = {
  ANTHROPIC: 'https://api.anthropic.com',
  OPENAI: 'https://api.openai.com',
};

/** How the console labels the built-in provider. */
export const MOCK_PROVIDER_LABEL = 'Mock provider — deterministic answers, no real model';
/** How the console labels an environment's key. */
export const ENVIRONMENT_KEY_LABEL = 'environment key (injected into deployments)';

/** Route `provider:` names: lower-case, so a route names the provider exactly as listed. */
export const providerNameSchema = z
  .string({ error: 'Give the provider a name.' })
  .regex(
    /^[a-z0-9][a-z0-9._-]{0,62}$/,
    'Use lower-case letters, digits, ".", "_" or "-" (at most 63 characters), starting with a letter or digit.',
  );

export const providerBaseUrlSchema = z
  .url({ protocol: /^https?$/, error: 'Use an http:// or https:// URL.' })
  .max(2_000)
  .refine((u) => !/^https?:\/\/[^/?#]*@/i.test(u), 'Put the API key in apiKey, not in the URL.')
  .transform((u) => u.replace(/\/+$/, ''));

const apiKeySchema = z
  .string({ error: 'Give the provider’s API key.' })
  .trim()
  .min(8, 'That is too short to be an API key.')
  .max(4_000)
  .regex(/^\S+$/, 'An API key has no spaces.');

export const providerKindSchema = z.enum(PROVIDER_KINDS, { error: `Use one of: ${PROVIDER_KINDS.join(', ')}.` });

export const createProviderInputSchema = z
  .strictObject({
    name: providerNameSchema,
    kind: providerKindSchema,
    /** Default https://api.anthropic.com or https://api.openai.com; required for OPENAI_COMPATIBLE. */
    baseUrl: providerBaseUrlSchema.optional(),
    apiKey: apiKeySchema,
  })
  .superRefine((p, ctx) => {
    if (p.kind === 'OPENAI_COMPATIBLE' && !p.baseUrl)
      ctx.addIssue({
        code: 'custom',
        path: ['baseUrl'],
        message: 'An OpenAI-compatible provider needs its base URL, e.g. https://llm.example.com.',
      });
  });
export type CreateProviderInput = z.input<typeof createProviderInputSchema>;

export const updateProviderInputSchema = z
  .strictObject({
    baseUrl: providerBaseUrlSchema.optional(),
    apiKey: apiKeySchema.optional(),
  })
  .refine((p) => p.baseUrl !== undefined || p.apiKey !== undefined, { message: 'Change the base URL, the API key or both.' });
export type UpdateProviderInput = z.input<typeof updateProviderInputSchema>;

export const providerSchema = z.object({
  /** Null for the built-in mock provider (it is not a row). */
  id: z.string().nullable(),
  name: z.string(),
  /** `MOCK` only for the built-in provider. */
  kind: z.enum([...PROVIDER_KINDS, 'MOCK']),
  baseUrl: z.string(),
  /** Last 4 characters of the API key; null for the mock. */
  credentialHint: z.string().nullable(),
  builtIn: z.boolean(),
  /** What the console shows next to the name (the mock's explanation), or null. */
  label: z.string().nullable(),
  createdAt: isoDateSchema.nullable(),
  updatedAt: isoDateSchema.nullable(),
});
export type ProviderDto = z.infer<typeof providerSchema>;

/** The organization's routing defaults: the slipway.yaml `gateway:` shape, checked by the server. */
export const setGatewayDefaultsInputSchema = z.strictObject({ config: z.unknown() });
export type SetGatewayDefaultsInput = z.input<typeof setGatewayDefaultsInputSchema>;

export const gatewayDefaultsSchema = z.object({
  /** `{}` when the organization has set none (the built-in routing applies). */
  config: z.record(z.string(), z.unknown()),
  /** Null while the organization has set none. */
  updatedAt: isoDateSchema.nullable(),
});
export type GatewayDefaultsDto = z.infer<typeof gatewayDefaultsSchema>;

/** Where an environment's routing came from. */
export const routingSourceSchema = z.discriminatedUnion('source', [
  z.object({ source: z.literal('release'), releaseId: z.string(), releaseNumber: z.number().int() }),
  z.object({ source: z.literal('organization') }),
  z.object({ source: z.literal('built-in') }),
]);
export type RoutingSourceDto = z.infer<typeof routingSourceSchema>;

export const effectiveRoutingSchema = z.object({
  config: z.record(z.string(), z.unknown()),
  from: routingSourceSchema,
  /** Providers the routes may name: the built-in mock and the organization's. */
  providers: z.array(providerSchema),
});
export type EffectiveRoutingDto = z.infer<typeof effectiveRoutingSchema>;

export const createGatewayKeyInputSchema = z.strictObject({
  name: nameSchema,
  /** Environment name; without it the key is project-wide (organization routing, no release). */
  environment: z.string().min(1).max(40).optional(),
  scopes: z
    .array(gatewayKeyScopeSchema, { error: `List scopes from: ${GATEWAY_KEY_SCOPES.join(', ')}.` })
    .min(1, 'Pick at least one scope.')
    .default([...GATEWAY_KEY_SCOPES]),
  /** Null or absent = never expires. */
  expiresInDays: z.number().int().min(1).max(3_650).nullable().optional(),
  /** Spend cap of this key per calendar month. */
  monthlyBudgetUsd: z.number().positive('Use an amount above 0.').max(1_000_000).nullable().optional(),
});
export type CreateGatewayKeyInput = z.input<typeof createGatewayKeyInputSchema>;

export const gatewayKeySchema = z.object({
  id: z.string(),
  kind: z.enum(['ENVIRONMENT', 'USER']),
  name: z.string(),
  /** `ENVIRONMENT_KEY_LABEL` for environment keys, null for user keys. */
  label: z.string().nullable(),
  /** `sk-slw-` and a few characters: tells keys apart without revealing them. */
  prefix: z.string(),
  /** Environment name; null for a project-wide key. */
  environment: z.string().nullable(),
  scopes: z.array(gatewayKeyScopeSchema),
  monthlyBudgetUsd: z.number().nullable(),
  expiresAt: isoDateSchema.nullable(),
  lastUsedAt: isoDateSchema.nullable(),
  revokedAt: isoDateSchema.nullable(),
  createdAt: isoDateSchema,
});
export type GatewayKeyDto = z.infer<typeof gatewayKeySchema>;

/** The only response that ever carries a gateway key. */
export const createdGatewayKeySchema = gatewayKeySchema.extend({ token: z.string() });
export type CreatedGatewayKeyDto = z.infer<typeof createdGatewayKeySchema>;
