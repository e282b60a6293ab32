import { z } from 'zod';
import { loginInputSchema, sessionSchema, signupInputSchema } from './auth';
import { auditEntrySchema, auditQuerySchema } from './audit';
import { machineCapacitySchema } from './capacity';
import {
  createInvitationInputSchema,
  createOrganizationInputSchema,
  orgQuotaSchema,
  createdInvitationSchema,
  invitationPreviewSchema,
  invitationSchema,
  memberSchema,
  organizationSchema,
  updateMemberInputSchema,
  type Role,
} from './orgs';
import {
  createEnvironmentInputSchema,
  createProjectInputSchema,
  environmentSchema,
  projectSchema,
  projectSummarySchema,
  updateEnvironmentInputSchema,
} from './projects';
import {
  bulkEnvVarsInputSchema,
  bulkResultSchema,
  envVarSchema,
  envVarVersionSchema,
  revealedEnvVarSchema,
  upsertEnvVarInputSchema,
} from './secrets';
import { createTokenInputSchema, createdTokenSchema, tokenSchema, type TokenScope } from './tokens';
import { deploymentDetailSchema, deploymentSchema, releaseSchema, rollbackInputSchema } from './releases';
import { addDomainInputSchema, domainSchema } from './domains';
import { buildSchema } from './builds';
import { explanationSchema } from './explain';
import {
  createGatewayKeyInputSchema,
  createProviderInputSchema,
  createdGatewayKeySchema,
  effectiveRoutingSchema,
  gatewayDefaultsSchema,
  gatewayKeySchema,
  providerSchema,
  setGatewayDefaultsInputSchema,
  updateProviderInputSchema,
} from './gateway-api';
import { environmentTrafficSchema, trafficQuerySchema } from './traffic';
import {
  environmentModelTrafficSchema,
  environmentResourcesSchema,
  logsPageSchema,
  logsQuerySchema,
  markersSchema,
  modelTrafficQuerySchema,
  organizationHealthSchema,
  rangeQuerySchema,
  releaseVerdictSchema,
  topPathsQuerySchema,
  topPathsSchema,
} from './observability';
import { gatewayRequestSchema, gatewayRequestsQuerySchema, gatewayUsageQuerySchema, gatewayUsageSchema } from './gateway-usage';
import { gatewayDrillSchema, gatewayDrillsQuerySchema, startGatewayDrillInputSchema } from './gateway-drills';
import { gatewayBudgetUsageSchema, gatewayBudgetsQuerySchema } from './gateway-budgets';
import {
  apiAnalyticsQuerySchema,
  apiAnalyticsSchema,
  environmentApiRevenueSchema,
  invoicePaymentSchema,
  markInvoicePaidInputSchema,
  markPayoutPaidInputSchema,
  organizationRevenueSchema,
  payoutAccountSchema,
  payoutSchema,
  revenueQuerySchema,
  setPayoutAccountInputSchema,
} from './billing-payments';
import {
  createCreditNoteInputSchema,
  creditNoteSchema,
  invoiceDetailSchema,
  invoiceLineUsageSchema,
  invoicesPageSchema,
  invoicesQuerySchema,
  publisherBillingSchema,
  setPublisherBillingInputSchema,
  subscriptionUsageSchema,
  usageEventsPageSchema,
  usageEventsQuerySchema,
} from './billing';
import {
  apiListingSchema,
  apiSpecQuerySchema,
  apiSpecSchema,
  catalogListingSchema,
  catalogPageSchema,
  catalogQuerySchema,
  changePlanInputSchema,
  consumerKeySchema,
  createApiListingInputSchema,
  createApiPlanInputSchema,
  createConsumerKeyInputSchema,
  createdApiListingSchema,
  createdConsumerKeySchema,
  createdSubscriptionSchema,
  publisherApiPlanSchema,
  rerollConsumerKeyInputSchema,
  rotatedEdgeSecretSchema,
  setSpendCapInputSchema,
  subscribeInputSchema,
  subscriptionSchema,
  updateApiListingInputSchema,
  updateApiPlanInputSchema,
  uploadApiSpecInputSchema,
} from './marketplace';

/**
 * Every HTTP endpoint, declared once. The api binds its handlers to these paths, the OpenAPI
 * document is generated from them, and the console's client is typed by them.
 */
export interface RouteContract {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Nest/Fastify style, relative to /api/v1: `/orgs/:org/projects`. */
  path: string;
  summary: string;
  tag: string;
  /** `public` routes need no session; every other route needs a session or an API token. */
  auth: 'public' | 'user';
  /** Minimum organization role, for routes under `/orgs/:org`. */
  role?: Role;
  /** API-token scope required when the caller uses a token instead of a session. */
  scope?: TokenScope;
  body?: z.ZodType;
  query?: z.ZodType;
  response?: z.ZodType;
  status?: number;
}

const ORG = '/orgs/:org';
const PROJECT = `${ORG}/projects/:project`;
const ENV = `${PROJECT}/environments/:env`;
const VAR = `${ENV}/variables/:key`;
const API = `${ORG}/apis/:api`;
const SUB = `${ORG}/subscriptions/:subscriptionId`;

export const routes = {
  signup: { method: 'POST', path: '/auth/signup', summary: 'Create an account and its first organization', tag: 'auth', auth: 'public', body: signupInputSchema, response: sessionSchema, status: 201 },
  login: { method: 'POST', path: '/auth/login', summary: 'Sign in with email and password', tag: 'auth', auth: 'public', body: loginInputSchema, response: sessionSchema },
  logout: { method: 'POST', path: '/auth/logout', summary: 'End the current session', tag: 'auth', auth: 'user', status: 204 },
  session: { method: 'GET', path: '/auth/session', summary: 'The signed-in user, their organizations and CSRF token', tag: 'auth', auth: 'user', response: sessionSchema },

  listOrganizations: { method: 'GET', path: '/orgs', summary: 'Organizations the caller belongs to', tag: 'organizations', auth: 'user', response: z.array(organizationSchema) },
  createOrganization: { method: 'POST', path: '/orgs', summary: 'Create an organization (caller becomes OWNER)', tag: 'organizations', auth: 'user', body: createOrganizationInputSchema, response: organizationSchema, status: 201 },
  getOrganization: { method: 'GET', path: ORG, summary: 'One organization', tag: 'organizations', auth: 'user', role: 'VIEWER', response: organizationSchema },
  listMembers: { method: 'GET', path: `${ORG}/members`, summary: 'Members and their roles', tag: 'organizations', auth: 'user', role: 'VIEWER', response: z.array(memberSchema) },
  updateMember: { method: 'PATCH', path: `${ORG}/members/:userId`, summary: "Change a member's role", tag: 'organizations', auth: 'user', role: 'ADMIN', body: updateMemberInputSchema, response: memberSchema },
  removeMember: { method: 'DELETE', path: `${ORG}/members/:userId`, summary: 'Remove a member', tag: 'organizations', auth: 'user', role: 'ADMIN', status: 204 },
  listInvitations: { method: 'GET', path: `${ORG}/invitations`, summary: 'Pending invitations', tag: 'organizations', auth: 'user', role: 'ADMIN', response: z.array(invitationSchema) },
  createInvitation: { method: 'POST', path: `${ORG}/invitations`, summary: 'Create an invitation link with a role', tag: 'organizations', auth: 'user', role: 'ADMIN', body: createInvitationInputSchema, response: createdInvitationSchema, status: 201 },
  revokeInvitation: { method: 'DELETE', path: `${ORG}/invitations/:invitationId`, summary: 'Revoke an invitation', tag: 'organizations', auth: 'user', role: 'ADMIN', status: 204 },
  previewInvitation: { method: 'GET', path: '/invitations/:token', summary: 'What an invitation link grants', tag: 'organizations', auth: 'public', response: invitationPreviewSchema },
  acceptInvitation: { method: 'POST', path: '/invitations/:token/accept', summary: 'Join the organization of an invitation', tag: 'organizations', auth: 'user', response: organizationSchema },
  getQuotas: { method: 'GET', path: `${ORG}/quotas`, summary: "The organization's quotas: projects, replicas and memory, used and allowed", tag: 'organizations', auth: 'user', role: 'VIEWER', scope: 'projects:read', response: z.array(orgQuotaSchema) },
  getMachineCapacity: { method: 'GET', path: `${ORG}/machine-capacity`, summary: "The machine's remaining room for deployments: memory (total, reserved by running replicas, headroom) and the Docker data root's free disk", tag: 'organizations', auth: 'user', role: 'ADMIN', response: machineCapacitySchema },
  auditLog: { method: 'GET', path: `${ORG}/audit-log`, summary: 'Security-relevant actions, newest first', tag: 'audit', auth: 'user', role: 'ADMIN', query: auditQuerySchema, response: z.array(auditEntrySchema) },

  listProjects: { method: 'GET', path: `${ORG}/projects`, summary: 'Projects of an organization', tag: 'projects', auth: 'user', role: 'VIEWER', scope: 'projects:read', response: z.array(projectSummarySchema) },
  createProject: { method: 'POST', path: `${ORG}/projects`, summary: 'Create a project with a production environment and a git repository', tag: 'projects', auth: 'user', role: 'MEMBER', scope: 'projects:write', body: createProjectInputSchema, response: projectSchema, status: 201 },
  getProject: { method: 'GET', path: PROJECT, summary: 'One project with its environments', tag: 'projects', auth: 'user', role: 'VIEWER', scope: 'projects:read', response: projectSchema },
  deleteProject: { method: 'DELETE', path: PROJECT, summary: 'Delete a project, its environments and variables', tag: 'projects', auth: 'user', role: 'ADMIN', scope: 'projects:write', status: 204 },
  createEnvironment: { method: 'POST', path: `${PROJECT}/environments`, summary: 'Add an environment that follows a branch', tag: 'projects', auth: 'user', role: 'MEMBER', scope: 'projects:write', body: createEnvironmentInputSchema, response: environmentSchema, status: 201 },
  updateEnvironment: { method: 'PATCH', path: ENV, summary: 'Change branch, resources or health check', tag: 'projects', auth: 'user', role: 'MEMBER', scope: 'projects:write', body: updateEnvironmentInputSchema, response: environmentSchema },
  deleteEnvironment: { method: 'DELETE', path: ENV, summary: 'Delete an environment (production cannot be deleted)', tag: 'projects', auth: 'user', role: 'ADMIN', scope: 'projects:write', status: 204 },

  listVariables: { method: 'GET', path: `${ENV}/variables`, summary: 'Variables of an environment; secret values masked', tag: 'variables', auth: 'user', role: 'VIEWER', scope: 'secrets:read', response: z.array(envVarSchema) },
  setVariable: { method: 'PUT', path: VAR, summary: 'Create or update a variable (a new version)', tag: 'variables', auth: 'user', role: 'MEMBER', scope: 'secrets:write', body: upsertEnvVarInputSchema, response: envVarSchema },
  deleteVariable: { method: 'DELETE', path: VAR, summary: 'Delete a variable (kept in its version history)', tag: 'variables', auth: 'user', role: 'MEMBER', scope: 'secrets:write', status: 204 },
  bulkVariables: { method: 'POST', path: `${ENV}/variables/bulk`, summary: 'Paste many variables in .env format', tag: 'variables', auth: 'user', role: 'MEMBER', scope: 'secrets:write', body: bulkEnvVarsInputSchema, response: bulkResultSchema },
  revealVariable: { method: 'POST', path: `${VAR}/reveal`, summary: "Reveal a secret's value (audited)", tag: 'variables', auth: 'user', role: 'MEMBER', scope: 'secrets:read', response: revealedEnvVarSchema },
  variableVersions: { method: 'GET', path: `${VAR}/versions`, summary: 'Version history of a variable (no values)', tag: 'variables', auth: 'user', role: 'VIEWER', scope: 'secrets:read', response: z.array(envVarVersionSchema) },

  listReleases: { method: 'GET', path: `${ENV}/releases`, summary: 'Releases of an environment, newest first', tag: 'deployments', auth: 'user', role: 'VIEWER', scope: 'projects:read', response: z.array(releaseSchema) },
  listDeployments: { method: 'GET', path: `${ENV}/deployments`, summary: 'Deployments of an environment, newest first', tag: 'deployments', auth: 'user', role: 'VIEWER', scope: 'projects:read', response: z.array(deploymentSchema) },
  rollback: { method: 'POST', path: `${ENV}/rollback`, summary: 'Put an earlier release live again (no rebuild, same health gate)', tag: 'deployments', auth: 'user', role: 'MEMBER', scope: 'deploy', body: rollbackInputSchema, response: deploymentSchema, status: 202 },

  environmentTraffic: { method: 'GET', path: `${ENV}/traffic`, summary: 'App traffic per release over a time range: requests/s, 4xx and 5xx rates, p50/p95/p99 latency (at most `points` slots)', tag: 'observability', auth: 'user', role: 'VIEWER', scope: 'projects:read', query: trafficQuerySchema, response: environmentTrafficSchema },
  environmentMarkers: { method: 'GET', path: `${ENV}/markers`, summary: 'Deploys, rollbacks, failed deployments, restarts and OOM kills in a time range, with release, commit, author and verdict', tag: 'observability', auth: 'user', role: 'VIEWER', scope: 'projects:read', query: rangeQuerySchema, response: markersSchema },
  releaseVerdict: { method: 'GET', path: `${ENV}/releases/:releaseId/verdict`, summary: 'This release against the one it replaced: error rates, p95, CPU/memory, model cost per request, and the verdict', tag: 'observability', auth: 'user', role: 'VIEWER', scope: 'projects:read', response: releaseVerdictSchema },
  environmentResources: { method: 'GET', path: `${ENV}/resources`, summary: 'CPU and memory per replica against its limits (at most `points` slots)', tag: 'observability', auth: 'user', role: 'VIEWER', scope: 'projects:read', query: rangeQuerySchema, response: environmentResourcesSchema },
  environmentLogs: { method: 'GET', path: `${ENV}/logs`, summary: 'Log lines of every replica: search by text and level, filter by release, page back with `cursor`, tail with `after`', tag: 'observability', auth: 'user', role: 'VIEWER', scope: 'projects:read', query: logsQuerySchema, response: logsPageSchema },
  environmentModelTraffic: { method: 'GET', path: `${ENV}/model-traffic`, summary: 'Model calls through the gateway: calls, tokens, TTFT, tokens/s, cost, errors, retries and fallbacks by alias, feature or release', tag: 'observability', auth: 'user', role: 'VIEWER', scope: 'projects:read', query: modelTrafficQuerySchema, response: environmentModelTrafficSchema },
  environmentTopPaths: { method: 'GET', path: `${ENV}/top-paths`, summary: 'Paths by requests, errors or p95 latency over a time range', tag: 'observability', auth: 'user', role: 'VIEWER', scope: 'projects:read', query: topPathsQuerySchema, response: topPathsSchema },
  organizationHealth: { method: 'GET', path: `${ORG}/health`, summary: "Every environment's health over a time range: requests, 5xx rate, p95, model cost, live release and its verdict", tag: 'observability', auth: 'user', role: 'VIEWER', scope: 'projects:read', query: rangeQuerySchema, response: organizationHealthSchema },

  listDomains: { method: 'GET', path: `${ENV}/domains`, summary: 'Custom domains of the environment, with their DNS verification record and status', tag: 'deployments', auth: 'user', role: 'VIEWER', scope: 'projects:read', response: z.array(domainSchema) },
  addDomain: { method: 'POST', path: `${ENV}/domains`, summary: 'Add a custom host name; it is routed once its DNS TXT record is verified', tag: 'deployments', auth: 'user', role: 'MEMBER', scope: 'projects:write', body: addDomainInputSchema, response: domainSchema, status: 201 },
  verifyDomain: { method: 'POST', path: `${ENV}/domains/:domainId/verify`, summary: 'Look up the TXT record of a pending domain and route the domain when it holds its token', tag: 'deployments', auth: 'user', role: 'MEMBER', scope: 'projects:write', response: domainSchema },
  removeDomain: { method: 'DELETE', path: `${ENV}/domains/:domainId`, summary: 'Stop routing a custom host name', tag: 'deployments', auth: 'user', role: 'MEMBER', scope: 'projects:write', status: 204 },

  listTokens: { method: 'GET', path: '/tokens', summary: "The caller's personal API tokens", tag: 'tokens', auth: 'user', response: z.array(tokenSchema) },
  createToken: { method: 'POST', path: '/tokens', summary: 'Create a personal API token (shown once)', tag: 'tokens', auth: 'user', body: createTokenInputSchema, response: createdTokenSchema, status: 201 },
  revokeToken: { method: 'DELETE', path: '/tokens/:tokenId', summary: 'Revoke a token at once', tag: 'tokens', auth: 'user', status: 204 },

  listBuilds: { method: 'GET', path: `${PROJECT}/builds`, summary: 'Builds of a project, newest first', tag: 'builds', auth: 'user', role: 'VIEWER', scope: 'projects:read', response: z.array(buildSchema) },
  getBuild: { method: 'GET', path: `${PROJECT}/builds/:buildId`, summary: 'One build', tag: 'builds', auth: 'user', role: 'VIEWER', scope: 'projects:read', response: buildSchema },
  // No JSON response: a text/event-stream (see builds.ts for its events).
  buildLog: { method: 'GET', path: `${PROJECT}/builds/:buildId/log`, summary: 'Live build log as Server-Sent Events (text/event-stream): `line` events (id = seq) then one `end`; resumes after `Last-Event-ID`', tag: 'builds', auth: 'user', role: 'VIEWER', scope: 'projects:read' },
  cancelBuild: { method: 'POST', path: `${PROJECT}/builds/:buildId/cancel`, summary: 'Cancel a queued build at once, or ask the worker to stop a running one', tag: 'builds', auth: 'user', role: 'MEMBER', scope: 'deploy', response: buildSchema, status: 202 },
  getDeployment: { method: 'GET', path: `${ENV}/deployments/:deploymentId`, summary: 'One deployment with its timeline and the failing container\'s last lines', tag: 'deployments', auth: 'user', role: 'VIEWER', scope: 'projects:read', response: deploymentDetailSchema },
  redeploy: { method: 'POST', path: `${ENV}/redeploy`, summary: 'Deploy the live release again (fresh replicas, same health gate)', tag: 'deployments', auth: 'user', role: 'MEMBER', scope: 'deploy', response: deploymentSchema, status: 202 },

  // Model gateway. Changes to keys, credentials and defaults need a session (no `scope`): an API token cannot mint gateway keys or change providers.
  listGatewayProviders: { method: 'GET', path: `${ORG}/gateway/providers`, summary: 'Model providers routes may name: the built-in mock and the organization’s (credentials never returned)', tag: 'gateway', auth: 'user', role: 'MEMBER', scope: 'projects:read', response: z.array(providerSchema) },
  createGatewayProvider: { method: 'POST', path: `${ORG}/gateway/providers`, summary: 'Add a provider with its API key (stored encrypted)', tag: 'gateway', auth: 'user', role: 'ADMIN', body: createProviderInputSchema, response: providerSchema, status: 201 },
  updateGatewayProvider: { method: 'PATCH', path: `${ORG}/gateway/providers/:provider`, summary: 'Change a provider’s base URL or API key', tag: 'gateway', auth: 'user', role: 'ADMIN', body: updateProviderInputSchema, response: providerSchema },
  deleteGatewayProvider: { method: 'DELETE', path: `${ORG}/gateway/providers/:provider`, summary: 'Remove a provider and its credentials', tag: 'gateway', auth: 'user', role: 'ADMIN', status: 204 },
  getGatewayDefaults: { method: 'GET', path: `${ORG}/gateway/routing`, summary: 'The organization’s routing defaults (used when a release has no gateway section)', tag: 'gateway', auth: 'user', role: 'MEMBER', scope: 'projects:read', response: gatewayDefaultsSchema },
  setGatewayDefaults: { method: 'PUT', path: `${ORG}/gateway/routing`, summary: 'Replace the organization’s routing defaults (slipway.yaml gateway: shape)', tag: 'gateway', auth: 'user', role: 'ADMIN', body: setGatewayDefaultsInputSchema, response: gatewayDefaultsSchema },
  effectiveGatewayRouting: { method: 'GET', path: `${ENV}/gateway/routing`, summary: 'The routing the environment’s apps get now, and which release (or default) it came from', tag: 'gateway', auth: 'user', role: 'VIEWER', scope: 'projects:read', response: effectiveRoutingSchema },
  listGatewayKeys: { method: 'GET', path: `${PROJECT}/gateway/keys`, summary: 'Gateway keys of a project (never the secret)', tag: 'gateway', auth: 'user', role: 'VIEWER', scope: 'projects:read', response: z.array(gatewayKeySchema) },
  createGatewayKey: { method: 'POST', path: `${PROJECT}/gateway/keys`, summary: 'Create a gateway key (shown once)', tag: 'gateway', auth: 'user', role: 'MEMBER', body: createGatewayKeyInputSchema, response: createdGatewayKeySchema, status: 201 },
  revokeGatewayKey: { method: 'DELETE', path: `${PROJECT}/gateway/keys/:keyId`, summary: 'Revoke a gateway key at once (an environment key is replaced on the next deploy)', tag: 'gateway', auth: 'user', role: 'MEMBER', status: 204 },
  listGatewayRequests: { method: 'GET', path: `${PROJECT}/gateway/requests`, summary: 'Recent model requests through the gateway, newest first (`before` = last id of the previous page)', tag: 'gateway', auth: 'user', role: 'MEMBER', scope: 'projects:read', query: gatewayRequestsQuerySchema, response: z.array(gatewayRequestSchema) },
  gatewayUsage: { method: 'GET', path: `${PROJECT}/gateway/usage`, summary: 'Requests, tokens and spend of the current UTC day or month, by key, model alias, feature and customer', tag: 'gateway', auth: 'user', role: 'MEMBER', scope: 'projects:read', query: gatewayUsageQuerySchema, response: gatewayUsageSchema },
  gatewayBudgets: { method: 'GET', path: `${PROJECT}/gateway/budgets`, summary: 'Spend of each budget of an environment’s effective routing in its current period (the console’s usage bars)', tag: 'gateway', auth: 'user', role: 'MEMBER', scope: 'projects:read', query: gatewayBudgetsQuerySchema, response: z.array(gatewayBudgetUsageSchema) },
  explainBuild: { method: 'POST', path: `${PROJECT}/builds/:buildId/explain`, summary: 'Ask a model, through Slipway’s own gateway, why a failed build failed (its log tail)', tag: 'builds', auth: 'user', role: 'MEMBER', scope: 'deploy', response: explanationSchema },
  explainDeployment: { method: 'POST', path: `${ENV}/deployments/:deploymentId/explain`, summary: 'Ask a model, through Slipway’s own gateway, why a failed deployment failed (timeline and container log)', tag: 'deployments', auth: 'user', role: 'MEMBER', scope: 'deploy', response: explanationSchema },
  // A drill faults the organization's own traffic: ADMINs only, and from a session — no token scope reaches it.
  startGatewayDrill: { method: 'POST', path: `${ENV}/gateway/drills`, summary: 'Start a failover drill: inject faults into one route for N seconds while a bounded synthetic load runs (one at a time per environment)', tag: 'gateway', auth: 'user', role: 'ADMIN', body: startGatewayDrillInputSchema, response: gatewayDrillSchema, status: 202 },
  listGatewayDrills: { method: 'GET', path: `${PROJECT}/gateway/drills`, summary: 'Failover drills of a project with their reports, newest first', tag: 'gateway', auth: 'user', role: 'VIEWER', scope: 'projects:read', query: gatewayDrillsQuerySchema, response: z.array(gatewayDrillSchema) },
  getGatewayDrill: { method: 'GET', path: `${PROJECT}/gateway/drills/:drillId`, summary: 'One failover drill and its report', tag: 'gateway', auth: 'user', role: 'VIEWER', scope: 'projects:read', response: gatewayDrillSchema },

  // Published APIs: payments, payouts, exports and revenue (docs/marketplace.md "Payments and payouts", "Analytics"). Money writes need a session (no token scope covers them).
  markInvoicePaid: { method: 'POST', path: `${ORG}/apis/:api/invoices/:invoice/mark-paid`, summary: 'Record that a finalized invoice was paid by bank transfer (manual payments), with its reference; a PAST_DUE subscription becomes ACTIVE', tag: 'billing', auth: 'user', role: 'ADMIN', body: markInvoicePaidInputSchema, response: invoicePaymentSchema },
  listingInvoicePayment: { method: 'GET', path: `${ORG}/apis/:api/invoices/:invoice/payment`, summary: "How a subscriber's invoice is paid: provider, reference, due date, paid date", tag: 'billing', auth: 'user', role: 'VIEWER', response: invoicePaymentSchema },
  consumerInvoicePayment: { method: 'GET', path: `${ORG}/invoices/:invoice/payment`, summary: 'How to pay an invoice: bank-transfer instructions (manual) or the Stripe payment, and when it is due', tag: 'billing', auth: 'user', role: 'VIEWER', response: invoicePaymentSchema },
  listPayouts: { method: 'GET', path: `${ORG}/payouts`, summary: "The organization's payout statements as a publisher, newest period first", tag: 'billing', auth: 'user', role: 'VIEWER', response: z.array(payoutSchema) },
  getPayout: { method: 'GET', path: `${ORG}/payouts/:payout`, summary: 'One payout statement', tag: 'billing', auth: 'user', role: 'VIEWER', response: payoutSchema },
  markPayoutPaid: { method: 'POST', path: `${ORG}/payouts/:payout/mark-paid`, summary: 'Record that a payout statement was paid by hand, with its reference', tag: 'billing', auth: 'user', role: 'ADMIN', body: markPayoutPaidInputSchema, response: payoutSchema },
  transferPayout: { method: 'POST', path: `${ORG}/payouts/:payout/transfer`, summary: "Pay a payout statement by a Stripe Connect transfer to the organization's connected account", tag: 'billing', auth: 'user', role: 'ADMIN', response: payoutSchema },
  getPayoutAccount: { method: 'GET', path: `${ORG}/billing/payout-account`, summary: 'Where payouts go: the provider, whether transfers are enabled, the Stripe Connect account', tag: 'billing', auth: 'user', role: 'VIEWER', response: payoutAccountSchema },
  setPayoutAccount: { method: 'PUT', path: `${ORG}/billing/payout-account`, summary: 'Set (or clear) the Stripe Connect account payouts are transferred to', tag: 'billing', auth: 'user', role: 'ADMIN', body: setPayoutAccountInputSchema, response: payoutAccountSchema },
  // No JSON response: application/pdf and text/csv attachments.
  listingInvoicePdf: { method: 'GET', path: `${ORG}/apis/:api/invoices/:invoice/pdf`, summary: "A subscriber's invoice as PDF (attachment <number>.pdf)", tag: 'billing', auth: 'user', role: 'VIEWER' },
  listingInvoiceCsv: { method: 'GET', path: `${ORG}/apis/:api/invoices/:invoice/csv`, summary: "A subscriber's invoice lines as CSV (attachment <number>.csv)", tag: 'billing', auth: 'user', role: 'VIEWER' },
  listingInvoiceLineEventsCsv: { method: 'GET', path: `${ORG}/apis/:api/invoices/:invoice/lines/:line/events.csv`, summary: 'The raw usage events behind one invoice line as CSV', tag: 'billing', auth: 'user', role: 'VIEWER' },
  consumerInvoicePdf: { method: 'GET', path: `${ORG}/invoices/:invoice/pdf`, summary: 'An invoice of a subscription as PDF (attachment <number>.pdf)', tag: 'billing', auth: 'user', role: 'VIEWER' },
  consumerInvoiceCsv: { method: 'GET', path: `${ORG}/invoices/:invoice/csv`, summary: 'The lines of an invoice of a subscription as CSV (attachment <number>.csv)', tag: 'billing', auth: 'user', role: 'VIEWER' },
  consumerInvoiceLineEventsCsv: { method: 'GET', path: `${ORG}/invoices/:invoice/lines/:line/events.csv`, summary: 'The raw usage events behind one invoice line as CSV', tag: 'billing', auth: 'user', role: 'VIEWER' },
  apiAnalytics: { method: 'GET', path: `${ORG}/apis/:api/analytics`, summary: 'A published API over a time range: calls, errors, p50/p95 latency per slot (usage events), revenue by plan and consumer (invoice lines), top consumers', tag: 'billing', auth: 'user', role: 'VIEWER', query: apiAnalyticsQuerySchema, response: apiAnalyticsSchema },
  organizationRevenue: { method: 'GET', path: `${ORG}/revenue`, summary: "Revenue of the organization's published APIs over a range: drafts, invoiced, paid, credit notes, platform fee and net per listing", tag: 'billing', auth: 'user', role: 'VIEWER', query: revenueQuerySchema, response: organizationRevenueSchema },
  environmentApiRevenue: { method: 'GET', path: `${ENV}/api-revenue`, summary: 'Calls and revenue by plan per slot of the APIs published from this environment (the observability page revenue panel)', tag: 'observability', auth: 'user', role: 'VIEWER', scope: 'projects:read', query: apiAnalyticsQuerySchema, response: environmentApiRevenueSchema },
  // Published APIs: invoices (docs/marketplace.md "Metering, rating and invoices"). Money reads and writes need a session (no token scope covers them).
  consumerInvoices: { method: 'GET', path: `${ORG}/invoices`, summary: 'Invoices of the APIs this organization subscribes to, newest period first (drafts are recomputed from usage events)', tag: 'billing', auth: 'user', role: 'VIEWER', query: invoicesQuerySchema, response: invoicesPageSchema },
  consumerInvoice: { method: 'GET', path: `${ORG}/invoices/:invoice`, summary: 'One invoice of a subscription with its lines and credit notes', tag: 'billing', auth: 'user', role: 'VIEWER', response: invoiceDetailSchema },
  invoiceLineUsage: { method: 'GET', path: `${ORG}/invoices/:invoice/lines/:line/usage`, summary: 'The usage behind an invoice line, per UTC day', tag: 'billing', auth: 'user', role: 'VIEWER', response: invoiceLineUsageSchema },
  invoiceUsageEvents: { method: 'GET', path: `${ORG}/invoices/:invoice/usage-events`, summary: "Raw usage events of an invoice's period, oldest first (`cursor` = `nextCursor` of the previous page)", tag: 'billing', auth: 'user', role: 'VIEWER', query: usageEventsQuerySchema, response: usageEventsPageSchema },
  subscriptionUsage: { method: 'GET', path: `${ORG}/subscriptions/:subscription/usage`, summary: "This period's calls by day and the charges so far of a subscription", tag: 'billing', auth: 'user', role: 'VIEWER', response: subscriptionUsageSchema },
  listingInvoices: { method: 'GET', path: `${ORG}/apis/:api/invoices`, summary: "Invoices of a published API's subscribers, newest period first", tag: 'billing', auth: 'user', role: 'VIEWER', query: invoicesQuerySchema, response: invoicesPageSchema },
  listingInvoice: { method: 'GET', path: `${ORG}/apis/:api/invoices/:invoice`, summary: "One invoice of a published API's subscriber, with lines and credit notes", tag: 'billing', auth: 'user', role: 'VIEWER', response: invoiceDetailSchema },
  createCreditNote: { method: 'POST', path: `${ORG}/apis/:api/invoices/:invoice/credit-notes`, summary: 'Credit part of a finalized invoice back to its consumer (at most what is left uncredited)', tag: 'billing', auth: 'user', role: 'ADMIN', body: createCreditNoteInputSchema, response: creditNoteSchema, status: 201 },
  getPublisherBilling: { method: 'GET', path: `${ORG}/billing/publisher`, summary: "The organization's billing settings as a publisher (tax rate of its invoices)", tag: 'billing', auth: 'user', role: 'VIEWER', response: publisherBillingSchema },
  setPublisherBilling: { method: 'PUT', path: `${ORG}/billing/publisher`, summary: 'Set the tax rate applied to the invoices of its APIs (drafts take it at their next recompute)', tag: 'billing', auth: 'user', role: 'ADMIN', body: setPublisherBillingInputSchema, response: publisherBillingSchema },
  // Marketplace, publisher side: listings of an environment, their OpenAPI documents and plans.
  listApiListings: { method: 'GET', path: `${ORG}/apis`, summary: 'APIs the organization publishes (any status)', tag: 'marketplace', auth: 'user', role: 'VIEWER', scope: 'projects:read', response: z.array(apiListingSchema) },
  createApiListing: { method: 'POST', path: `${ORG}/apis`, summary: 'List an environment as an API (a draft; its edge secret is shown once)', tag: 'marketplace', auth: 'user', role: 'MEMBER', body: createApiListingInputSchema, response: createdApiListingSchema, status: 201 },
  getApiListing: { method: 'GET', path: API, summary: 'One API listing (`:api` = its slug)', tag: 'marketplace', auth: 'user', role: 'VIEWER', scope: 'projects:read', response: apiListingSchema },
  updateApiListing: { method: 'PATCH', path: API, summary: 'Change a listing’s name, summary, category, visibility, terms, OpenAPI path or billable operations', tag: 'marketplace', auth: 'user', role: 'MEMBER', scope: 'projects:write', body: updateApiListingInputSchema, response: apiListingSchema },
  publishApiListing: { method: 'POST', path: `${API}/publish`, summary: 'Publish: route `<slug>.<API_DOMAIN>` through the edge and open subscriptions (needs a live release)', tag: 'marketplace', auth: 'user', role: 'MEMBER', scope: 'projects:write', response: apiListingSchema },
  unpublishApiListing: { method: 'POST', path: `${API}/unpublish`, summary: 'Archive: stop routing the API host and taking subscriptions (existing rows and invoices stay)', tag: 'marketplace', auth: 'user', role: 'MEMBER', scope: 'projects:write', response: apiListingSchema },
  rotateApiListingSecret: { method: 'POST', path: `${API}/rotate-secret`, summary: 'Replace the `slipway-proxy-secret` the edge sends to the app (shown once)', tag: 'marketplace', auth: 'user', role: 'MEMBER', response: rotatedEdgeSecretSchema },
  uploadApiSpec: { method: 'PUT', path: `${API}/openapi`, summary: 'Upload the OpenAPI 3.x document (JSON or YAML text, or a JSON object); the same document is stored once', tag: 'marketplace', auth: 'user', role: 'MEMBER', scope: 'projects:write', body: uploadApiSpecInputSchema, response: apiSpecSchema },
  getApiSpec: { method: 'GET', path: `${API}/openapi`, summary: 'The newest OpenAPI document (`?release=` the one of that release)', tag: 'marketplace', auth: 'user', role: 'VIEWER', scope: 'projects:read', query: apiSpecQuerySchema, response: apiSpecSchema },
  listApiPlans: { method: 'GET', path: `${API}/plans`, summary: 'Plans of a listing at their current version, with active subscription counts', tag: 'marketplace', auth: 'user', role: 'VIEWER', scope: 'projects:read', response: z.array(publisherApiPlanSchema) },
  createApiPlan: { method: 'POST', path: `${API}/plans`, summary: 'Add a plan: pricing, limits and allowed operations (version 1)', tag: 'marketplace', auth: 'user', role: 'MEMBER', scope: 'projects:write', body: createApiPlanInputSchema, response: publisherApiPlanSchema, status: 201 },
  updateApiPlan: { method: 'PUT', path: `${API}/plans/:plan`, summary: 'New terms for a plan: a new version for new subscriptions now, existing ones from their next period', tag: 'marketplace', auth: 'user', role: 'MEMBER', scope: 'projects:write', body: updateApiPlanInputSchema, response: publisherApiPlanSchema },
  archiveApiPlan: { method: 'POST', path: `${API}/plans/:plan/archive`, summary: 'Close a plan to new subscriptions (existing ones continue)', tag: 'marketplace', auth: 'user', role: 'MEMBER', scope: 'projects:write', response: publisherApiPlanSchema },
  deleteApiPlan: { method: 'DELETE', path: `${API}/plans/:plan`, summary: 'Delete a plan (refused while it has active subscriptions)', tag: 'marketplace', auth: 'user', role: 'MEMBER', scope: 'projects:write', status: 204 },

  // Marketplace catalog: no session needed; a PRIVATE listing shows only to a signed-in member of its publisher.
  catalog: { method: 'GET', path: '/catalog', summary: 'Published public APIs: search by text and category, paginated', tag: 'marketplace', auth: 'public', query: catalogQuerySchema, response: catalogPageSchema },
  catalogListing: { method: 'GET', path: '/catalog/:slug', summary: 'A published API: plans and prices, the newest OpenAPI document and its base URL', tag: 'marketplace', auth: 'public', response: catalogListingSchema },

  // Marketplace, consumer side. Keys and subscriptions change from a session only (no token scope mints keys).
  listSubscriptions: { method: 'GET', path: `${ORG}/subscriptions`, summary: 'APIs the organization subscribes to, with plan, period, spend cap and keys (no secrets)', tag: 'marketplace', auth: 'user', role: 'VIEWER', scope: 'projects:read', response: z.array(subscriptionSchema) },
  subscribe: { method: 'POST', path: `${ORG}/subscriptions`, summary: 'Subscribe to a plan of a published API; the first live key is shown once', tag: 'marketplace', auth: 'user', role: 'MEMBER', body: subscribeInputSchema, response: createdSubscriptionSchema, status: 201 },
  getSubscription: { method: 'GET', path: SUB, summary: 'One subscription', tag: 'marketplace', auth: 'user', role: 'VIEWER', scope: 'projects:read', response: subscriptionSchema },
  changeSubscriptionPlan: { method: 'POST', path: `${SUB}/change-plan`, summary: 'Move to another plan of the same API at once (prorated by billing)', tag: 'marketplace', auth: 'user', role: 'MEMBER', body: changePlanInputSchema, response: subscriptionSchema },
  setSubscriptionSpendCap: { method: 'PUT', path: `${SUB}/spend-cap`, summary: 'Set (micro-USD per period) or clear (null) the spend cap', tag: 'marketplace', auth: 'user', role: 'MEMBER', body: setSpendCapInputSchema, response: subscriptionSchema },
  cancelSubscription: { method: 'POST', path: `${SUB}/cancel`, summary: 'Cancel at once: every key is refused (invoices stay)', tag: 'marketplace', auth: 'user', role: 'MEMBER', response: subscriptionSchema },
  listConsumerKeys: { method: 'GET', path: `${SUB}/keys`, summary: 'Keys of a subscription (prefix, mode, dates; never the key)', tag: 'marketplace', auth: 'user', role: 'VIEWER', scope: 'projects:read', response: z.array(consumerKeySchema) },
  createConsumerKey: { method: 'POST', path: `${SUB}/keys`, summary: 'Create a live or test key (shown once)', tag: 'marketplace', auth: 'user', role: 'MEMBER', body: createConsumerKeyInputSchema, response: createdConsumerKeySchema, status: 201 },
  rerollConsumerKey: { method: 'POST', path: `${SUB}/keys/:keyId/reroll`, summary: 'Replace a key: the new one is shown once, the old one works for `overlapSeconds` more', tag: 'marketplace', auth: 'user', role: 'MEMBER', body: rerollConsumerKeyInputSchema, response: createdConsumerKeySchema, status: 201 },
  revokeConsumerKey: { method: 'DELETE', path: `${SUB}/keys/:keyId`, summary: 'Revoke a key everywhere at once', tag: 'marketplace', auth: 'user', role: 'MEMBER', status: 204 },
} as const satisfies Record<string, RouteContract>;

export type RouteName = keyof typeof routes;
export const API_PREFIX = '/api/v1';

/** Fills `:params` of a route path: `routePath('getProject', { org: 'acme', project: 'web' })`. */
export function routePath(name: RouteName, params: Record<string, string> = {}): string {
  return API_PREFIX + routes[name].path.replace(/:([A-Za-z]+)/g, (_, p: string) => {
    const v = params[p];
    if (v === undefined) throw new Error(`routePath(${name}): missing param ${p}`);
    return encodeURIComponent(v);
  });
}
