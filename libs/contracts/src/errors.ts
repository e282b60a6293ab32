import { z } from 'zod';

/**
 * Stable error codes. Clients branch on `code`, never on `title` or `detail`; a code is never
 * renamed once shipped. The status is the single source for the HTTP mapping.
 */
export const ERROR_CODES = {
  VALIDATION_FAILED: { status: 400, title: 'The request is not valid.' },
  MALFORMED_JSON: { status: 400, title: 'The request body is not valid JSON.' },
  INVALID_TIME_RANGE: { status: 400, title: 'The time range is not valid.' },
  UNAUTHENTICATED: { status: 401, title: 'Sign in to continue.' },
  SESSION_EXPIRED: { status: 401, title: 'Your session has expired. Sign in again.' },
  INVALID_CREDENTIALS: { status: 401, title: 'Email or password is incorrect.' },
  TOKEN_INVALID: { status: 401, title: 'The API token is not valid.' },
  TOKEN_REVOKED: { status: 401, title: 'The API token has been revoked.' },
  TOKEN_EXPIRED: { status: 401, title: 'The API token has expired.' },
  CSRF_FAILED: { status: 403, title: 'The CSRF token is missing or wrong. Reload the page and retry.' },
  FORBIDDEN: { status: 403, title: 'Your role does not allow this.' },
  TOKEN_SCOPE_MISSING: { status: 403, title: 'The API token lacks the scope this needs.' },
  ROLE_NOT_GRANTABLE: { status: 403, title: 'Your role cannot grant that role.' },
  INVITATION_FOR_ANOTHER_EMAIL: { status: 403, title: 'This invitation is addressed to another email. Sign in with that account to accept it.' },
  NOT_FOUND: { status: 404, title: 'Not found.' },
  ROUTE_NOT_FOUND: { status: 404, title: 'No such endpoint.' },
  INVITATION_INVALID: { status: 404, title: 'This invitation link is invalid, used or expired.' },
  EMAIL_TAKEN: { status: 409, title: 'An account with this email already exists.' },
  SLUG_TAKEN: { status: 409, title: 'That slug is already used in this organization.' },
  ALREADY_MEMBER: { status: 409, title: 'You are already a member of this organization.' },
  LAST_OWNER: { status: 409, title: 'An organization needs at least one owner.' },
  ENVIRONMENT_PROTECTED: { status: 409, title: 'The production environment cannot be deleted.' },
  DOMAIN_TAKEN: { status: 409, title: 'That host name is already routed by Slipway.' },
  DOMAIN_RESERVED: { status: 409, title: "That host name is one of Slipway's own." },
  DOMAIN_NOT_VERIFIED: { status: 409, title: 'The DNS record that proves control of this domain was not found.' },
  DOMAIN_EXPIRED: { status: 409, title: 'This domain was not verified in time. Remove it and add it again.' },
  RELEASE_IMAGE_REMOVED: { status: 409, title: "This release's image was removed by image retention (RELEASE_IMAGES_KEEP): it can no longer be rolled back to." },
  ENVIRONMENT_NAME_TAKEN: { status: 409, title: 'This project already has an environment with that name.' },
  PROVIDER_NAME_TAKEN: { status: 409, title: 'This organization already has a provider with that name.' },
  PROVIDER_NAME_RESERVED: { status: 409, title: 'That provider name is reserved for the built-in mock provider.' },
  PROVIDER_ADDRESS_FORBIDDEN: { status: 400, title: 'Providers must be on the public internet: this base URL points at an internal address.' },
  PAYLOAD_TOO_LARGE: { status: 413, title: 'The request body is too large.' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'Send the body as application/json.' },
  TOO_MANY_ATTEMPTS: { status: 429, title: 'Too many attempts. Wait and retry.' },
  TOO_MANY_SIGNUPS: { status: 429, title: 'Too many sign-ups from this address. Wait and retry.' },
  TOO_MANY_STREAMS: { status: 429, title: 'Too many live log streams are open for your account. Close one and retry.' },
  QUOTA_EXCEEDED: { status: 409, title: "This would take the organization past one of its quotas." },
  NETWORK_POOL_EXHAUSTED: { status: 503, title: 'Every subnet of the project network pool is in use: widen PROJECT_NETWORK_POOL (or raise PROJECT_NETWORK_PREFIX) or delete unused projects.' },
  MACHINE_FULL: { status: 409, title: 'This machine has no room left for it (memory or disk); free some or add a machine.' },
  INTERNAL: { status: 500, title: 'Something went wrong on our side.' },
  SERVICE_UNAVAILABLE: { status: 503, title: 'A required service is unavailable.' },
  NOT_FAILED: { status: 409, title: 'Only a failed build or deployment can be explained.' },
  EXPLAIN_UNAVAILABLE: { status: 502, title: 'The model gateway could not explain this failure.' },
  DRILL_RUNNING: { status: 409, title: 'A failover drill is already running in this environment.' },
  INVOICE_NOT_PAYABLE: { status: 409, title: 'Only a finalized invoice can be paid: a draft is still recomputed from usage, and a void one is owed by no one.' },
  INVOICE_ALREADY_PAID: { status: 409, title: 'This invoice is already paid.' },
  PAYOUT_ALREADY_PAID: { status: 409, title: 'This payout statement is already paid.' },
  PAYOUT_NOT_PAYABLE: { status: 409, title: 'This payout statement has nothing to pay (its net is zero or negative).' },
  PAYOUT_TRANSFERS_DISABLED: { status: 409, title: 'Payouts cannot be transferred here: the operator has not enabled Stripe Connect (STRIPE_SECRET_KEY, STRIPE_CONNECT_ENABLED). Pay the statement by hand and mark it paid.' },
  PAYOUT_ACCOUNT_MISSING: { status: 409, title: 'Set the Stripe Connect account payouts go to first (PUT /orgs/:org/billing/payout-account).' },
  PAYMENT_PROVIDER_FAILED: { status: 502, title: 'The payment provider refused or did not answer; nothing was recorded as paid. Retry later.' },
  WEBHOOK_SIGNATURE_INVALID: { status: 400, title: 'The webhook signature does not verify.' },
  PAYMENT_EVENT_REFUSED: { status: 422, title: 'The payment event does not match an invoice of Slipway (unknown invoice or different amount); it was refused and logged.' },
  INVOICE_NOT_FINALIZED: { status: 409, title: 'Only a finalized or paid invoice can be credited; a draft is still recomputed from usage.' },
  CREDIT_EXCEEDS_INVOICE: { status: 409, title: 'The credit is larger than what is left uncredited on this invoice.' },
  API_SLUG_TAKEN: { status: 409, title: 'That API slug is already used by another listing: pick another (it becomes <slug>.<API_DOMAIN>).' },
  API_SLUG_RESERVED: { status: 409, title: "That API slug is reserved: its host name is one of Slipway's own." },
  API_NOT_DEPLOYED: { status: 409, title: 'This environment has no live release: deploy it, then publish the API.' },
  API_NOT_PUBLISHED: { status: 409, title: 'This API is not published: it takes no new subscriptions.' },
  INVALID_OPENAPI: { status: 400, title: 'This is not an OpenAPI 3.x document with paths.' },
  PLAN_SLUG_TAKEN: { status: 409, title: 'This API already has a plan with that slug.' },
  PLAN_ARCHIVED: { status: 409, title: 'This plan is archived: it takes no new subscriptions.' },
  PLAN_HAS_SUBSCRIPTIONS: { status: 409, title: 'This plan has active subscriptions: archive it instead, or wait until they end.' },
  ALREADY_SUBSCRIBED: { status: 409, title: 'Your organization already has an active subscription to this API: change its plan instead.' },
  SUBSCRIPTION_CANCELED: { status: 409, title: 'This subscription is canceled.' },
  SAME_PLAN: { status: 409, title: 'The subscription is already on that plan.' },
  KEY_REVOKED: { status: 409, title: 'This key is revoked or already replaced.' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;
export const errorCodeSchema = z.enum(Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]]);

/** RFC 9457 problem details, with our stable `code`. */
export const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  code: errorCodeSchema,
  detail: z.string().optional(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  requestId: z.string().optional(),
});
export type Problem = z.infer<typeof problemSchema>;

export const problemType = (code: ErrorCode): string =>
  `https://slipway.dev/errors/${code.toLowerCase().replaceAll('_', '-')}`;

/**
 * Refusals of the edge on a published API's host (docs/marketplace.md). Like the gateway's
 * codes these answer third-party API consumers, not the console: lower-case codes, problem
 * `type` `https://slipway.dev/problems/<code>`, body `{type, title, status, detail, code, instance}`.
 * A code is never renamed once shipped.
 */
export const MARKETPLACE_EDGE_PROBLEMS = {
  /** Missing, malformed (prefix, length, alphabet, checksum), unknown, expired or revoked key. */
  invalid_api_key: { status: 401, title: 'The API key is missing or not valid.' },
  /** A valid key of another listing. */
  wrong_listing: { status: 403, title: 'This API key belongs to another API.' },
  subscription_inactive: { status: 403, title: 'The subscription of this key is canceled.' },
  payment_required: { status: 402, title: 'The subscription of this key is past due: settle the open invoice to call again.' },
  operation_not_in_plan: { status: 403, title: "This operation is not part of the subscription's plan." },
  rate_limited: { status: 429, title: 'Too many calls: the rate limit of the plan is reached.' },
  quota_exceeded: { status: 429, title: 'The quota of the plan is used up for this window.' },
  balance_exhausted: { status: 402, title: 'The prepaid balance of the subscription is used up.' },
  spend_cap_reached: { status: 402, title: 'The spend cap of the subscription is reached for this period.' },
  /** Redis (limits, metering) unreachable, or too many usage events not yet written: refused rather than served unmetered. */
  metering_unavailable: { status: 503, title: 'Calls cannot be metered right now. Retry in a moment.' },
} as const satisfies Record<string, { status: number; title: string }>;
export type MarketplaceEdgeProblemCode = keyof typeof MARKETPLACE_EDGE_PROBLEMS;
export const marketplaceProblemType = (code: MarketplaceEdgeProblemCode): string => `https://slipway.dev/problems/${code}`;
