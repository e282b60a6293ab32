import { z } from 'zod';
import { FAILURE_CATEGORIES, RETRYABLE_CATEGORIES, modelInfoSchema } from './gateway';

/**
 * The `gateway:` section of slipway.yaml (and the organization defaults, same shape):
 * model aliases → ordered routes, budgets and rate limits. Frozen into each release.
 *
 *   gateway:
 *     models:
 *       chat:
 *         routes:
 *           - { provider: anthropic, model: claude-sonnet-4-5 }
 *           - { provider: mock, model: mock-smart }
 *     budgets:
 *       - { scope: project, period: day, limitUsd: 5, action: block }
 *     limits:
 *       key: { requestsPerMinute: 600 }
 */

const slug = (what: string) =>
  z
    .string({ error: `Give ${what} as text.` })
    .regex(/^[a-z0-9][a-z0-9._-]{0,62}$/i, `Name ${what} with letters, digits, ".", "_" or "-" (at most 63 characters).`);

const wholeNumber = (min: number, max: number, unit = '') =>
  z
    .number({ error: `Use a whole number from ${min} to ${max}${unit}.` })
    .int(`Use a whole number from ${min} to ${max}${unit}.`)
    .min(min, `Use a whole number from ${min} to ${max}${unit}.`)
    .max(max, `Use a whole number from ${min} to ${max}${unit}.`);

export const failureCategorySchema = z.enum(FAILURE_CATEGORIES, {
  error: `Use one of: ${FAILURE_CATEGORIES.join(', ')}.`,
});

export const routeTimeoutsSchema = z.strictObject({
  /** TCP + TLS connect. */
  connectMs: wholeNumber(100, 60_000, ' ms').optional(),
  /** From the request sent to the response head (non-streamed: to the whole answer). */
  firstByteMs: wholeNumber(100, 600_000, ' ms').optional(),
  /** Longest silence inside a stream. */
  idleMs: wholeNumber(100, 600_000, ' ms').optional(),
});
export type RouteTimeouts = z.infer<typeof routeTimeoutsSchema>;

export const DEFAULT_TIMEOUTS: Required<RouteTimeouts> = { connectMs: 5_000, firstByteMs: 60_000, idleMs: 60_000 };

export const gatewayRouteSchema = z.strictObject({
  /** `mock`, or the name of one of the organization's providers. */
  provider: slug('the provider'),
  /** The model id the provider knows. */
  model: z.string({ error: 'Give the provider’s model id.' }).min(1).max(200),
  /** Share of first attempts when several routes carry a weight (the others stay fallbacks). */
  weight: wholeNumber(0, 1000).optional(),
  timeouts: routeTimeoutsSchema.optional(),
  /** Attempts on this route before moving on (1 = no retry). */
  maxAttempts: wholeNumber(1, 5).optional(),
});
export type GatewayRoute = z.infer<typeof gatewayRouteSchema>;

export const modelAliasSchema = z.strictObject({
  routes: z.array(gatewayRouteSchema, { error: 'List the routes, e.g. routes: [{ provider: mock, model: mock-smart }].' }).min(1, 'Give at least one route.').max(10),
  /** Which failures move on to the next route; default every retryable category. */
  fallbackOn: z.array(failureCategorySchema).optional(),
});
export type ModelAlias = z.infer<typeof modelAliasSchema>;

export const BUDGET_SCOPES = ['project', 'key', 'alias', 'feature', 'customer'] as const;
export const BUDGET_ACTIONS = ['block', 'downgrade', 'queue'] as const;

export const budgetSchema = z
  .strictObject({
    /** Shown in errors and in the console. */
    name: slug('the budget').optional(),
    scope: z.enum(BUDGET_SCOPES, { error: `Use one of: ${BUDGET_SCOPES.join(', ')}.` }),
    /** Only this alias / feature / customer; without it, each one has its own budget of this size. */
    match: z.string().min(1).max(200).optional(),
    period: z.enum(['day', 'month'], { error: 'Use day or month.' }),
    limitUsd: z.number({ error: 'Give the limit in USD, e.g. 5 or 0.5.' }).positive('Use an amount above 0.').max(1_000_000),
    action: z.enum(BUDGET_ACTIONS, { error: `Use one of: ${BUDGET_ACTIONS.join(', ')}.` }).default('block'),
    /** The cheaper alias served once the budget is spent (action: downgrade). */
    downgradeTo: slug('the alias').optional(),
    /** How long a request may wait for the next period… or for spend to settle (action: queue). */
    queueSeconds: wholeNumber(1, 300, ' seconds').optional(),
  })
  .superRefine((b, ctx) => {
    if (b.action === 'downgrade' && !b.downgradeTo) ctx.addIssue({ code: 'custom', path: ['downgradeTo'], message: 'Name the alias to downgrade to (downgradeTo: <alias>).' });
    if (b.action === 'queue' && !b.queueSeconds) ctx.addIssue({ code: 'custom', path: ['queueSeconds'], message: 'Say how long a request may wait (queueSeconds: 30).' });
  });
export type GatewayBudget = z.output<typeof budgetSchema>;

export const rateLimitSchema = z.strictObject({
  requestsPerMinute: wholeNumber(1, 1_000_000).optional(),
  tokensPerMinute: wholeNumber(1, 1_000_000_000).optional(),
});
export type RateLimit = z.infer<typeof rateLimitSchema>;

export const gatewayConfigSchema = z
  .strictObject({
    models: z.record(slug('the alias'), modelAliasSchema).optional(),
    budgets: z.array(budgetSchema).max(50).optional(),
    limits: z
      .strictObject({
        key: rateLimitSchema.optional(),
        customer: rateLimitSchema.optional(),
      })
      .optional(),
    /** Extra catalog entries for models the built-in catalog lacks, keyed `<provider>/<model>`. */
    catalog: z.record(z.string().regex(/^[^/\s]+\/\S+$/, 'Key catalog entries as <provider>/<model>.'), modelInfoSchema).optional(),
    /** Retries allowed as a share of requests (0.2 = at most one retry per five requests). */
    retryBudget: z.number().min(0).max(1).optional(),
  })
  .superRefine((config, ctx) => {
    const aliases = new Set(Object.keys(config.models ?? {}));
    config.budgets?.forEach((b, i) => {
      if (b.downgradeTo && !aliases.has(b.downgradeTo)) {
        ctx.addIssue({ code: 'custom', path: ['budgets', i, 'downgradeTo'], message: `No alias "${b.downgradeTo}" under gateway.models.` });
      }
    });
  });
export type GatewayConfig = z.output<typeof gatewayConfigSchema>;

export const DEFAULT_FALLBACK_ON: readonly string[] = RETRYABLE_CATEGORIES;
export const DEFAULT_RETRY_BUDGET = 0.2;
