import { z } from 'zod';
import { isoDateSchema, nameSchema, slugSchema } from './common';

export const ROLES = ['OWNER', 'ADMIN', 'MEMBER', 'VIEWER'] as const;
export const roleSchema = z.enum(ROLES);
export type Role = z.infer<typeof roleSchema>;

/** Higher rank can do everything a lower rank can. */
export const ROLE_RANK: Record<Role, number> = { VIEWER: 0, MEMBER: 1, ADMIN: 2, OWNER: 3 };
export const roleAtLeast = (role: Role, required: Role): boolean => ROLE_RANK[role] >= ROLE_RANK[required];

/**
 * What a member may hand out, directly or through an invitation: OWNERs any role, ADMINs
 * MEMBER and VIEWER, everyone else nothing. An invitation never grants more than its author
 * could grant by changing a role.
 */
export const mayGrant = (granter: Role, role: Role): boolean => granter === 'OWNER' || (granter === 'ADMIN' && !roleAtLeast(role, 'ADMIN'));
export const grantableRoles = (granter: Role): Role[] => ROLES.filter((role) => mayGrant(granter, role));

export const organizationSchema = z.object({
  id: z.string(),
  slug: slugSchema,
  name: z.string(),
  role: roleSchema,
  createdAt: isoDateSchema,
});
export type OrganizationDto = z.infer<typeof organizationSchema>;

export const createOrganizationInputSchema = z.object({ name: nameSchema, slug: slugSchema.optional() });
export type CreateOrganizationInput = z.infer<typeof createOrganizationInputSchema>;

export const memberSchema = z.object({
  userId: z.string(),
  email: z.string(),
  name: z.string(),
  role: roleSchema,
  joinedAt: isoDateSchema,
});
export type MemberDto = z.infer<typeof memberSchema>;

export const updateMemberInputSchema = z.object({ role: roleSchema });
export type UpdateMemberInput = z.infer<typeof updateMemberInputSchema>;

export const createInvitationInputSchema = z.object({
  role: roleSchema,
  email: z.string().trim().toLowerCase().pipe(z.email('Enter a valid email address.')).optional(),
  expiresInDays: z.number().int().min(1).max(30).default(7),
});
export type CreateInvitationInput = z.input<typeof createInvitationInputSchema>;

export const invitationSchema = z.object({
  id: z.string(),
  role: roleSchema,
  email: z.string().nullable(),
  expiresAt: isoDateSchema,
  acceptedAt: isoDateSchema.nullable(),
  createdAt: isoDateSchema,
});
export type InvitationDto = z.infer<typeof invitationSchema>;

/** Returned once, at creation: the link carries the only copy of the secret. */
export const createdInvitationSchema = invitationSchema.extend({ url: z.string(), token: z.string() });
export type CreatedInvitationDto = z.infer<typeof createdInvitationSchema>;

export const invitationPreviewSchema = z.object({
  organizationName: z.string(),
  organizationSlug: slugSchema,
  role: roleSchema,
  expiresAt: isoDateSchema,
});
export type InvitationPreviewDto = z.infer<typeof invitationPreviewSchema>;

/** One organization quota: how much is used of what the operator allows (`setting` names the variable). */
export const orgQuotaSchema = z.object({
  name: z.enum(['projects', 'replicas', 'memoryMb']),
  used: z.number().int(),
  limit: z.number().int(),
  setting: z.string(),
});
export type OrgQuotaDto = z.infer<typeof orgQuotaSchema>;
