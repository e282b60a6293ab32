import { z } from 'zod';
import { isoDateSchema, nameSchema, slugSchema } from './common';
import { environmentNameSchema, hostPartSlugSchema } from './projects';
import { billableOperationSchema } from './marketplace-edge';
import { planLimitsSchema, planPricingSchema } from './marketplace-pricing';

/**
 * HTTP shapes of the marketplace's publisher and consumer API (docs/marketplace.md): listings
 * of an environment, their OpenAPI documents, versioned plans, the public catalog,
 * subscriptions and consumer keys. Secrets leave only once: a listing's edge secret in the
 * answer that created (or rotated) it, a consumer key in the answer that created (or rerolled) it.
 * Money is integer micro-USD (1 USD = 1,000,000).
 */

/** Catalog categories (fixed, so the catalog filters by them). */
export const API_CATEGORIES = [
  'ai',
  'data',
  'developer-tools',
  'finance',
  'geo',
  'media',
  'messaging',
  'search',
  'security',
  'weather',
  'other',
] as const;
export const apiCategorySchema = z.enum(API_CATEGORIES, { error: `Use one of: ${API_CATEGORIES.join(', ')}.` });
export type ApiCategory = z.infer<typeof apiCategorySchema>;

export const API_VISIBILITIES = ['PUBLIC', 'UNLISTED', 'PRIVATE'] as const;
export const apiVisibilitySchema = z.enum(API_VISIBILITIES, { error: `Use one of: ${API_VISIBILITIES.join(', ')}.` });
export type ApiVisibility = z.infer<typeof apiVisibilitySchema>;

export const API_LISTING_STATUSES = ['DRAFT', 'PUBLISHED', 'ARCHIVED'] as const;
export type ApiListingStatus = (typeof API_LISTING_STATUSES)[number];

/** Largest OpenAPI document accepted (upload or fetched from the app), in bytes. */
export const OPENAPI_MAX_BYTES = 1_000_000;
/** Most billable operations a listing declares. */
export const API_OPERATIONS_MAX = 100;
/** Longest overlap a rerolled key keeps working (7 days). */
export const KEY_REROLL_MAX_OVERLAP_SECONDS = 7 * 24 * 3600;
export const KEY_REROLL_DEFAULT_OVERLAP_SECONDS = 24 * 3600;

/** A listing slug becomes the host `<slug>.<API_DOMAIN>`: a DNS label, single hyphens. */
export const apiSlugSchema = hostPartSlugSchema;

const urlSchema = z.url({ protocol: /^https?$/, error: 'Use an http:// or https:// URL.' }).max(2_000);
export const openApiPathSchema = z
  .string()
  .max(200)
  .regex(/^\/[^\s?#]*$/, 'Start the path with / and use no spaces, query or fragment (e.g. /openapi.json).');
const summarySchema = z.string().trim().min(1, 'Write a one-line summary.').max(280, 'Use at most 280 characters.');
const operationsSchema = z
  .array(billableOperationSchema)
  .min(1, 'Declare at least one billable operation (method and path pattern, e.g. GET /forecast).')
  .max(API_OPERATIONS_MAX, `Declare at most ${API_OPERATIONS_MAX} operations.`);

export const createApiListingInputSchema = z.strictObject({
  /** Project slug of the environment to publish. */
  project: slugSchema,
  /** Environment name in that project. */
  environment: environmentNameSchema,
  name: nameSchema,
  slug: apiSlugSchema,
  summary: summarySchema,
  category: apiCategorySchema,
  visibility: apiVisibilitySchema.default('PUBLIC'),
  termsUrl: urlSchema.nullable().optional(),
  /** Path the OpenAPI document is fetched from after each deploy; null = uploaded only. */
  openApiPath: openApiPathSchema.nullable().optional(),
  operations: operationsSchema,
  /** Bill answers with status ≥ 500 too (default: 5xx are not billed). */
  billServerErrors: z.boolean().default(false),
});
export type CreateApiListingInput = z.input<typeof createApiListingInputSchema>;

export const updateApiListingInputSchema = z
  .strictObject({
    name: nameSchema.optional(),
    summary: summarySchema.optional(),
    category: apiCategorySchema.optional(),
    visibility: apiVisibilitySchema.optional(),
    termsUrl: urlSchema.nullable().optional(),
    openApiPath: openApiPathSchema.nullable().optional(),
    operations: operationsSchema.optional(),
    billServerErrors: z.boolean().optional(),
  })
  .refine((p) => Object.values(p).some((v) => v !== undefined), { message: 'Change at least one field.' });
export type UpdateApiListingInput = z.input<typeof updateApiListingInputSchema>;

export const apiListingSchema = z.object({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  summary: z.string(),
  category: apiCategorySchema,
  visibility: apiVisibilitySchema,
  status: z.enum(API_LISTING_STATUSES),
  termsUrl: z.string().nullable(),
  openApiPath: z.string().nullable(),
  operations: z.array(billableOperationSchema),
  billServerErrors: z.boolean(),
  /** Project slug and environment name it serves (null once the project was deleted). */
  project: z.string().nullable(),
  environment: z.string().nullable(),
  /** Where consumers call: `http://<slug>.<API_DOMAIN>:<port>`. */
  baseUrl: z.string(),
  createdAt: isoDateSchema,
  updatedAt: isoDateSchema,
  publishedAt: isoDateSchema.nullable(),
});
export type ApiListingDto = z.infer<typeof apiListingSchema>;

/** The only answers that carry the edge secret (`slipway-proxy-secret`): create and rotate. */
export const createdApiListingSchema = apiListingSchema.extend({ edgeSecret: z.string() });
export type CreatedApiListingDto = z.infer<typeof createdApiListingSchema>;
export const rotatedEdgeSecretSchema = z.object({ edgeSecret: z.string() });
export type RotatedEdgeSecretDto = z.infer<typeof rotatedEdgeSecretSchema>;

/** An OpenAPI 3.x document, as JSON text, YAML text, or a JSON object (at most OPENAPI_MAX_BYTES). */
export const uploadApiSpecInputSchema = z.strictObject({
  document: z.union([
    z
      .string()
      .min(1, 'Paste the OpenAPI document (JSON or YAML).')
      .max(OPENAPI_MAX_BYTES, `The document is larger than ${OPENAPI_MAX_BYTES} bytes.`),
    z.record(z.string(), z.unknown()),
  ]),
});
export type UploadApiSpecInput = z.input<typeof uploadApiSpecInputSchema>;

export const apiSpecQuerySchema = z.object({
  /** The document of this release (the newest at or before it); default: the newest. */
  release: z.string().min(1).max(64).optional(),
});
export type ApiSpecQuery = z.infer<typeof apiSpecQuerySchema>;

export const apiSpecSchema = z.object({
  id: z.string(),
  source: z.enum(['APP', 'UPLOAD']),
  releaseId: z.string().nullable(),
  sha256: z.string(),
  createdAt: isoDateSchema,
  document: z.record(z.string(), z.unknown()),
});
export type ApiSpecDto = z.infer<typeof apiSpecSchema>;

/** An allowed operation of a plan: method and path pattern (the listing's patterns, no weight). */
export const planOperationSchema = billableOperationSchema.omit({ weight: true });
export type PlanOperation = z.infer<typeof planOperationSchema>;

const planTermsShape = {
  pricing: planPricingSchema,
  limits: planLimitsSchema,
  /** Allowed operations; null or absent = every operation of the listing. */
  operations: z
    .array(planOperationSchema)
    .min(1, 'List at least one operation, or send null for all.')
    .max(API_OPERATIONS_MAX)
    .nullable()
    .optional(),
};

export const createApiPlanInputSchema = z.strictObject({
  slug: slugSchema,
  name: nameSchema,
  ...planTermsShape,
});
export type CreateApiPlanInput = z.input<typeof createApiPlanInputSchema>;

/** Replaces the plan's terms: a new version for new subscriptions now, existing ones from their next period. */
export const updateApiPlanInputSchema = z.strictObject({
  name: nameSchema.optional(),
  ...planTermsShape,
});
export type UpdateApiPlanInput = z.input<typeof updateApiPlanInputSchema>;

export const apiPlanSchema = z.object({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  /** The current version's number (1, 2, …) and id. */
  version: z.number().int(),
  versionId: z.string(),
  pricing: planPricingSchema,
  limits: planLimitsSchema,
  operations: z.array(planOperationSchema).nullable(),
  archivedAt: isoDateSchema.nullable(),
  createdAt: isoDateSchema,
});
export type ApiPlanDto = z.infer<typeof apiPlanSchema>;

/** Publisher's view adds how many subscriptions are active on the plan (any version). */
export const publisherApiPlanSchema = apiPlanSchema.extend({ activeSubscriptions: z.number().int() });
export type PublisherApiPlanDto = z.infer<typeof publisherApiPlanSchema>;

export const CATALOG_MAX_PAGE_SIZE = 100;
export const catalogQuerySchema = z.object({
  /** Words matched against name, summary and slug (case-insensitive). */
  q: z.string().trim().max(100).optional(),
  category: apiCategorySchema.optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(CATALOG_MAX_PAGE_SIZE, `Ask for at most ${CATALOG_MAX_PAGE_SIZE} per page.`).default(20),
});
export type CatalogQuery = z.infer<typeof catalogQuerySchema>;

const publisherSchema = z.object({ slug: z.string(), name: z.string() });

export const catalogEntrySchema = z.object({
  slug: z.string(),
  name: z.string(),
  summary: z.string(),
  category: apiCategorySchema,
  publisher: publisherSchema,
  baseUrl: z.string(),
  publishedAt: isoDateSchema.nullable(),
});
export type CatalogEntryDto = z.infer<typeof catalogEntrySchema>;

export const catalogPageSchema = z.object({
  items: z.array(catalogEntrySchema),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});
export type CatalogPageDto = z.infer<typeof catalogPageSchema>;

export const catalogListingSchema = catalogEntrySchema.extend({
  visibility: apiVisibilitySchema,
  termsUrl: z.string().nullable(),
  operations: z.array(billableOperationSchema),
  /** Plans open to new subscriptions, at their current version. */
  plans: z.array(apiPlanSchema),
  /** The newest OpenAPI document, or null when none was uploaded or fetched yet. */
  openApi: z.record(z.string(), z.unknown()).nullable(),
});
export type CatalogListingDto = z.infer<typeof catalogListingSchema>;

export const CONSUMER_KEY_MODES = ['live', 'test'] as const;
const spendCapSchema = z.number().int('Use whole micro-USD (1 USD = 1000000).').min(0).max(1e15).nullable();

export const subscribeInputSchema = z.strictObject({
  /** The listing's slug. */
  listing: apiSlugSchema,
  /** The plan's slug in that listing. */
  plan: slugSchema,
  /** Cap on one period's charges, micro-USD; null or absent = none. */
  spendCapMicros: spendCapSchema.optional(),
  /** Name of the first (live) key. */
  keyName: nameSchema.default('default'),
});
export type SubscribeInput = z.input<typeof subscribeInputSchema>;

export const changePlanInputSchema = z.strictObject({ plan: slugSchema });
export type ChangePlanInput = z.infer<typeof changePlanInputSchema>;

export const setSpendCapInputSchema = z.strictObject({ spendCapMicros: spendCapSchema });
export type SetSpendCapInput = z.infer<typeof setSpendCapInputSchema>;

export const createConsumerKeyInputSchema = z.strictObject({
  mode: z.enum(CONSUMER_KEY_MODES, { error: 'Use live or test.' }).default('live'),
  name: nameSchema,
});
export type CreateConsumerKeyInput = z.input<typeof createConsumerKeyInputSchema>;

export const rerollConsumerKeyInputSchema = z.strictObject({
  /** How long the old key keeps working; 0 = refused at once. */
  overlapSeconds: z
    .number()
    .int()
    .min(0)
    .max(KEY_REROLL_MAX_OVERLAP_SECONDS, `Use at most ${KEY_REROLL_MAX_OVERLAP_SECONDS} seconds (7 days).`)
    .default(KEY_REROLL_DEFAULT_OVERLAP_SECONDS),
});
export type RerollConsumerKeyInput = z.input<typeof rerollConsumerKeyInputSchema>;

export const consumerKeySchema = z.object({
  id: z.string(),
  name: z.string(),
  mode: z.enum(CONSUMER_KEY_MODES),
  /** `swk_live_` and a few characters: tells keys apart without revealing them. */
  prefix: z.string(),
  createdAt: isoDateSchema,
  expiresAt: isoDateSchema.nullable(),
  revokedAt: isoDateSchema.nullable(),
  /** Set on a rerolled key: the key that replaced it. */
  replacedById: z.string().nullable(),
});
export type ConsumerKeyDto = z.infer<typeof consumerKeySchema>;

/** The only answers that carry a consumer key: create, reroll and subscribe. */
export const createdConsumerKeySchema = consumerKeySchema.extend({ key: z.string() });
export type CreatedConsumerKeyDto = z.infer<typeof createdConsumerKeySchema>;

export const API_SUBSCRIPTION_STATUSES = ['ACTIVE', 'PAST_DUE', 'CANCELED'] as const;

export const subscriptionSchema = z.object({
  id: z.string(),
  status: z.enum(API_SUBSCRIPTION_STATUSES),
  listing: z.object({ slug: z.string(), name: z.string(), baseUrl: z.string(), publisher: publisherSchema }),
  /** The plan at the version this subscription is on (it moves to a newer one at its next period). */
  plan: apiPlanSchema,
  currentPeriodStart: isoDateSchema,
  currentPeriodEnd: isoDateSchema,
  spendCapMicros: z.number().int().nullable(),
  keys: z.array(consumerKeySchema),
  createdAt: isoDateSchema,
  canceledAt: isoDateSchema.nullable(),
});
export type SubscriptionDto = z.infer<typeof subscriptionSchema>;

/** Subscribe's answer: the subscription and its first live key, shown once. */
export const createdSubscriptionSchema = z.object({ subscription: subscriptionSchema, key: createdConsumerKeySchema });
export type CreatedSubscriptionDto = z.infer<typeof createdSubscriptionSchema>;
