import { z } from 'zod';
import { isoDateSchema } from './common';

export const AUDIT_ACTIONS = [
  'auth.signup',
  'auth.login',
  'auth.login_failed',
  'auth.logout',
  'token.created',
  'token.revoked',
  'member.joined',
  'member.role_changed',
  'member.removed',
  'invitation.created',
  'invitation.revoked',
  'project.created',
  'project.deleted',
  'environment.created',
  'environment.updated',
  'environment.deleted',
  'deployment.auto_rolled_back',
  'secret.set',
  'secret.deleted',
  'secret.revealed',
  'secret.bulk_imported',
  'domain.added',
  'domain.removed',
  'domain.verified',
  'domain.expired',
  'gateway.provider_created',
  'gateway.provider_updated',
  'gateway.provider_deleted',
  'gateway.defaults_updated',
  'gateway.key_created',
  'gateway.key_revoked',
  'gateway.drill_started',
  'api.listing_created',
  'api.listing_published',
  'api.listing_unpublished',
  'api.listing_archived',
  'api.secret_rotated',
  'api.plan_created',
  'api.plan_updated',
  'api.plan_deleted',
  'api.subscribed',
  'api.plan_changed',
  'api.subscription_canceled',
  'api.key_created',
  'api.key_rerolled',
  'api.key_revoked',
  'billing.invoice_marked_paid',
  'billing.payout_marked_paid',
  'billing.payout_transferred',
  'billing.payout_account_set',
] as const;
export const auditActionSchema = z.enum(AUDIT_ACTIONS);
export type AuditAction = z.infer<typeof auditActionSchema>;

export const auditEntrySchema = z.object({
  id: z.string(),
  action: auditActionSchema,
  actorId: z.string().nullable(),
  actorEmail: z.string().nullable(),
  target: z.string().nullable(),
  ip: z.string().nullable(),
  metadata: z.record(z.string(), z.unknown()),
  createdAt: isoDateSchema,
});
export type AuditEntryDto = z.infer<typeof auditEntrySchema>;

export const auditQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: z.string().optional(),
});
