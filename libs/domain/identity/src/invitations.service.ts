import { Inject, Injectable } from '@nestjs/common';
import { CONFIG, type Config } from '@slipway/config';
import { generateSecretToken, sha256Hex } from '@slipway/crypto';
import { PrismaService, isUniqueViolation } from '@slipway/db';
import { AppError, notFound } from '@slipway/errors';
import { AuditService } from '@slipway/audit';
import {
  createInvitationInputSchema,
  grantableRoles,
  mayGrant,
  type Actor,
  type CreateInvitationInput,
  type CreatedInvitationDto,
  type InvitationDto,
  type InvitationPreviewDto,
  type OrgActor,
  type OrganizationDto,
} from '@slipway/contracts';
import { InvitationsRepository } from './invitations.repository';
import { OrganizationsRepository } from './organizations.repository';
import { toInvitationDto, toOrganizationDto } from './mappers';

export const INVITATION_TOKEN_PREFIX = 'sli_';

@Injectable()
export class InvitationsService {
  constructor(
    @Inject(CONFIG) private readonly config: Config,
    private readonly prisma: PrismaService,
    private readonly invitations: InvitationsRepository,
    private readonly organizations: OrganizationsRepository,
    private readonly audit: AuditService,
  ) {}

  /** An invitation grants at most what its author could grant directly (an ADMIN invites MEMBERs and VIEWERs). */
  async create(actor: OrgActor, raw: CreateInvitationInput): Promise<CreatedInvitationDto> {
    const input = createInvitationInputSchema.parse(raw);
    if (!mayGrant(actor.role, input.role)) {
      const allowed = grantableRoles(actor.role).map((r) => r.toLowerCase());
      throw new AppError('ROLE_NOT_GRANTABLE', `As ${actor.role.toLowerCase()} you can invite ${allowed.length ? allowed.join(' or ') : 'nobody'}; ask an owner to invite ${input.role.toLowerCase()}s.`);
    }
    const token = generateSecretToken(INVITATION_TOKEN_PREFIX);
    const expiresAt = new Date(Date.now() + input.expiresInDays * 86_400_000);
    const invitation = await this.prisma.$transaction(async (tx) => {
      const created = await this.invitations.create(actor, { role: input.role, email: input.email ?? null, tokenHash: sha256Hex(token), createdById: actor.userId, expiresAt }, tx);
      await this.audit.record({ organizationId: actor.organizationId, actor, action: 'invitation.created', target: `invitation:${created.id}`, metadata: { role: input.role, email: input.email ?? null } }, tx);
      return created;
    });
    const url = `${this.config.PUBLIC_CONSOLE_URL.replace(/\/$/, '')}/invite/${token}`;
    return { ...toInvitationDto(invitation), url, token };
  }

  async pending(actor: OrgActor): Promise<InvitationDto[]> {
    return (await this.invitations.pending(actor, new Date())).map(toInvitationDto);
  }

  async revoke(actor: OrgActor, invitationId: string): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      if (!(await this.invitations.revoke(actor, invitationId, new Date(), tx))) throw notFound('Invitation');
      await this.audit.record({ organizationId: actor.organizationId, actor, action: 'invitation.revoked', target: `invitation:${invitationId}` }, tx);
    });
  }

  async preview(token: string): Promise<InvitationPreviewDto> {
    const invitation = await this.invitations.usableByTokenHash(sha256Hex(token), new Date());
    if (!invitation) throw new AppError('INVITATION_INVALID');
    return { organizationName: invitation.organization.name, organizationSlug: invitation.organization.slug, role: invitation.role, expiresAt: invitation.expiresAt.toISOString() };
  }

  /**
   * One use per link: the accepting update is conditional, so two racing accepts cannot both
   * join. A link addressed to an email joins only the signed-in user registered with that email
   * (the session's own user row, not anything the caller sends); anyone else is refused and the
   * link stays usable for its addressee.
   */
  async accept(actor: Actor, token: string): Promise<OrganizationDto> {
    return this.prisma.$transaction(async (tx) => {
      const now = new Date();
      const invitation = await this.invitations.usableByTokenHash(sha256Hex(token), now, tx);
      if (!invitation) throw new AppError('INVITATION_INVALID');
      if (invitation.email && invitation.email.toLowerCase() !== actor.email.toLowerCase()) throw new AppError('INVITATION_FOR_ANOTHER_EMAIL');
      const scope = { organizationId: invitation.organizationId };
      if (await this.organizations.member(scope, actor.userId, tx)) throw new AppError('ALREADY_MEMBER');
      if (!(await this.invitations.markAccepted(invitation.id, actor.userId, now, tx))) throw new AppError('INVITATION_INVALID');
      const membership = await this.organizations.addMember(scope, actor.userId, invitation.role, tx).catch((err: unknown) => {
        if (isUniqueViolation(err)) throw new AppError('ALREADY_MEMBER');
        throw err;
      });
      await this.audit.record({ organizationId: invitation.organizationId, actor, action: 'member.joined', target: `user:${actor.email}`, metadata: { role: invitation.role, invitationId: invitation.id } }, tx);
      return toOrganizationDto(membership.organization, membership.role);
    });
  }
}
