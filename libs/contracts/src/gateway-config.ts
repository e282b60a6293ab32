import { z } from 'zod';
import { wholeNumberSchema } from './common';
import { FAILURE_CATEGORIES, MODEL_ID_PATTERN, RETRYABLE_CATEGORIES, modelInfoSchema, modelPricesSchema } from './gateway';

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

const wholeNumber = wholeNumberSchema;

export const failureCategorySchema = z.enum(FAILURE_CATEGORIES, {
  error: `Use one of: ${FAILURE_CATEGORIES.join(', ')}.`,
});

export const routeTimeoutsSchema = z.strictObject({
  /** TCP + TLS connect. */
  connectMs: wholeNumber(100, 60_000, ' ms').optional(),
  /** Streams: from the request sent to the response head. */
  firstByteMs: wholeNumber(100, 600_000, ' ms').optional(),
  /** Longest silence inside a stream. */
  idleMs: wholeNumber(100, 600_000, ' ms').optional(),
  /** Non-streamed calls: the whole answer (providers send nothing until it is generated). */
  totalMs: wholeNumber(1_000, 3_600_000, ' ms').optional(),
});
export type RouteTimeouts = z.infer<typeof routeTimeoutsSchema>;

export const DEFAULT_TIMEOUTS: Required<RouteTimeouts> = { connectMs: 5_000, firstByteMs: 60_000, idleMs: 60_000, totalMs: 600_000 };

export const gatewayRouteSchema = z.strictObject({
  /** `mock`, or the name of one of the organization's providers. */
  provider: slug('the provider'),
  /** The model id the provider knows. */
  model: z.string({ error: 'Give the provider’s model id.' }).regex(MODEL_ID_PATTERN, 'Give the model id in printable ASCII without spaces, at most 256 characters.'),
  /** Share of first attempts when several routes carry a weight (the others stay fallbacks). */
  weight: wholeNumber(0, 1000).optional(),
  timeouts: routeTimeoutsSchema.optional(),
  /** Attempts on this route before moving on (1 = no retry). */
  maxAttempts: wholeNumber(1, 5).optional(),
});
export type GatewayRoute = z.infer<typeof gatewayRouteSchema>;

export const modelAliasSchema = z.strictObject({
  routes: z
    .array(gatewayRouteSchema, { error: 'List the routes, e.g. routes: [{ provider: mock, model: mock-smart }].' })
    .min(1, 'Give at least one route.')
    .max(10),
  /** Which failures move on to the next route; default every retryable category. */
  fallbackOn: z.array(failureCategorySchema).optional(),
});
export type ModelAlias = z.infer<typeof modelAliasSchema>;

/** A mapping keyed by names: a bad key gets the key schema's own message, not "Invalid key in record". */
const namedRecord = <V extends z.ZodType>(key: z.ZodType<string>, value: V, what: string) =>
  z.record(key, value, {
    error: (issue) =>
      issue.code === 'invalid_key' ? (issue.issues[0]?.message ?? `Rename this key of ${what}.`) : `Give ${what} as a mapping.`,
  });

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
  .superRefine(
    (b, ctx) => {
      if (b.action === 'downgrade' && !b.downgradeTo)
        ctx.addIssue({ code: 'custom', path: ['downgradeTo'], message: 'Name the alias to downgrade to (downgradeTo: <alias>).' });
      if (b.action === 'queue' && !b.queueSeconds)
        ctx.addIssue({ code: 'custom', path: ['queueSeconds'], message: 'Say how long a request may wait (queueSeconds: 30).' });
    },
    // Also when another field of the budget is wrong, so both problems show at once.
    { when: (payload) => typeof payload.value === 'object' && payload.value !== null },
  );
export type GatewayBudget = z.output<typeof budgetSchema>;

export const rateLimitSchema = z.strictObject({
  requestsPerMinute: wholeNumber(1, 1_000_000).optional(),
  tokensPerMinute: wholeNumber(1, 1_000_000_000).optional(),
});
export type RateLimit = z.infer<typeof rateLimitSchema>;

const noAlias = (name: string, aliases: ReadonlySet<string>) =>
  `No alias "${name}" under gateway.models${aliases.size > 0 ? ` (aliases: ${[...aliases].join(', ')})` : ''}.`;

export const gatewayConfigSchema = z
  .strictObject(
    {
      models: namedRecord(slug('the alias'), modelAliasSchema, 'models (alias: { routes: [...] })').optional(),
      budgets: z
        .array(budgetSchema, { error: 'List the budgets, e.g. budgets: [{ scope: project, period: day, limitUsd: 5 }].' })
        .max(50)
        .optional(),
      limits: z
        .strictObject({
          key: rateLimitSchema.optional(),
          customer: rateLimitSchema.optional(),
        })
        .optional(),
      /** Extra catalog entries for models the built-in catalog lacks, keyed `<provider>/<model>` (the provider's name). */
      catalog: namedRecord(
        z.string().regex(/^[^/\s]+\/\S+$/, 'Key catalog entries as <provider>/<model>.'),
        modelInfoSchema,
        'catalog (<provider>/<model>: { contextWindow, tools, vision, streaming, prices })',
      ).optional(),
      /** Retries allowed as a share of requests (0.2 = at most one retry per five requests). */
      retryBudget: z
        .number({ error: 'Give retryBudget as a share from 0 to 1, e.g. 0.2.' })
        .min(0, 'Use a share from 0 to 1, e.g. 0.2.')
        .max(1, 'Use a share from 0 to 1, e.g. 0.2.')
        .optional(),
    },
    { error: (issue) => (issue.code === 'invalid_type' ? 'Give gateway as a mapping (models:, budgets:, limits:, …).' : undefined) },
  )
  // Cross-references are checked even when another part of the section is invalid (`when`), so
  // every problem is reported at once; the value may then be partly unparsed, hence the guards.
  .superRefine(
    (config, ctx) => {
      const models = config.models;
      const aliases = new Set(models && typeof models === 'object' && !Array.isArray(models) ? Object.keys(models) : []);
      const budgets: unknown[] = Array.isArray(config.budgets) ? config.budgets : [];
      budgets.forEach((b, i) => {
        const budget = (b ?? {}) as { downgradeTo?: unknown; scope?: unknown; match?: unknown };
        if (typeof budget.downgradeTo === 'string' && !aliases.has(budget.downgradeTo)) {
          ctx.addIssue({ code: 'custom', path: ['budgets', i, 'downgradeTo'], message: noAlias(budget.downgradeTo, aliases) });
        }
        if (models && budget.scope === 'alias' && typeof budget.match === 'string' && !aliases.has(budget.match)) {
          ctx.addIssue({ code: 'custom', path: ['budgets', i, 'match'], message: noAlias(budget.match, aliases) });
        }
      });
    },
    { when: (payload) => typeof payload.value === 'object' && payload.value !== null && !Array.isArray(payload.value) },
  );

export type GatewayConfig = z.output<typeof gatewayConfigSchema>;

export const DEFAULT_FALLBACK_ON: readonly string[] = RETRYABLE_CATEGORIES;
export const DEFAULT_RETRY_BUDGET = 0.2;

/**
 * The keys allowed at each level of the gateway section, for "did you mean" hints. `*` stands
 * for any alias name, list index or catalog key. Kept next to the schema so they cannot drift.
 */
export const GATEWAY_CONFIG_KEYS: Readonly<Record<string, readonly string[]>> = {
  '': Object.keys(gatewayConfigSchema.shape),
  'models.*': Object.keys(modelAliasSchema.shape),
  'models.*.routes.*': Object.keys(gatewayRouteSchema.shape),
  'models.*.routes.*.timeouts': Object.keys(routeTimeoutsSchema.shape),
  'budgets.*': Object.keys(budgetSchema.shape),
  limits: Object.keys(gatewayConfigSchema.shape.limits.unwrap().shape),
  'limits.*': Object.keys(rateLimitSchema.shape),
  'catalog.*': Object.keys(modelInfoSchema.shape),
  'catalog.*.prices': Object.keys(modelPricesSchema.shape),
};

/** The entry of a key table (`a.*.b` patterns, as GATEWAY_CONFIG_KEYS) that applies to `path`. */
export function allowedKeysAt(
  table: Readonly<Record<string, readonly string[]>>,
  path: readonly PropertyKey[],
): readonly string[] | undefined {
  const segments = path.map(String);
  const exact = table[segments.join('.')];
  if (exact) return exact;
  for (const [pattern, keys] of Object.entries(table)) {
    const parts = pattern === '' ? [] : pattern.split('.');
    if (parts.length === segments.length && parts.every((p, i) => p === '*' || p === segments[i])) return keys;
  }
  return undefined;
}

/** `Unknown key "fallback" under models.chat (did you mean fallbackOn?). Allowed: …` */
export function unknownKeyMessage(parent: string, key: string, allowed: readonly string[] | undefined): string {
  const where = parent ? `under ${parent}` : 'at the top level';
  if (!allowed) return `Unknown key "${key}" ${where}.`;
  const suggestion = closestKey(key, allowed);
  return `Unknown key "${key}" ${where}${suggestion ? ` (did you mean ${suggestion}?)` : ''}. Allowed: ${allowed.join(', ')}.`;
}

/** Same key but for case, "-" and "_"; else the one at most two edits away (a typo), if only one is. */
function closestKey(key: string, allowed: readonly string[]): string | undefined {
  const loose = (k: string) => k.toLowerCase().replaceAll(/[-_]/g, '');
  const same = allowed.find((k) => loose(k) === loose(key));
  if (same) return same;
  if (key.length < 4) return undefined;
  const near = allowed.filter((k) => editDistance(loose(k), loose(key)) <= 2);
  return near.length === 1 ? near[0] : undefined;
}

/** Levenshtein distance (keys are short). */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}
