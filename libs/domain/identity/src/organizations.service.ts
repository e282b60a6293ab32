import { Injectable } from '@nestjs/common';
import { PrismaService, type Tx } from '@slipway/db';
import { AppError, notFound } from '@slipway/errors';
import { AuditService } from '@slipway/audit';
import {
  mayGrant,
  slugify,
  slugSchema,
  type Actor,
  type CreateOrganizationInput,
  type MemberDto,
  type OrgActor,
  type OrganizationDto,
  type Role,
  type SessionDto,
} from '@slipway/contracts';
import { randomBytes } from 'node:crypto';
import { OrganizationsRepository } from './organizations.repository';
import { toMemberDto, toOrganizationDto } from './mappers';

@Injectable()
export class OrganizationsService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly repository: OrganizationsRepository,
    private readonly audit: AuditService,
  ) {}

  /** Picks a free slug: the requested one must be free; a derived one gets a suffix if taken. */
  async createForOwner(ownerId: string, input: { name: string; slug?: string }, tx?: Tx) {
    const requested = input.slug;
    let slug = requested ?? (slugify(input.name).length >= 2 ? slugify(input.name) : `org-${randomBytes(3).toString('hex')}`);
    if (!slugSchema.safeParse(slug).success) slug = `org-${randomBytes(3).toString('hex')}`;
    if (await this.repository.slugExists(slug, tx)) {
      if (requested) throw new AppError('SLUG_TAKEN', `The organization slug "${slug}" is taken.`);
      slug = `${slug.slice(0, 33)}-${randomBytes(3).toString('hex')}`;
    }
    return this.repository.createWithOwner({ slug, name: input.name, ownerId }, tx);
  }

  async create(actor: Actor, input: CreateOrganizationInput): Promise<OrganizationDto> {
    const org = await this.prisma.$transaction((tx) => this.createForOwner(actor.userId, input, tx));
    return toOrganizationDto(org, 'OWNER');
  }

  async listFor(userId: string): Promise<OrganizationDto[]> {
    const memberships = await this.repository.membershipsOfUser(userId);
    return memberships.map((m) => toOrganizationDto(m.organization, m.role));
  }

  async summariesFor(userId: string): Promise<SessionDto['organizations']> {
    const memberships = await this.repository.membershipsOfUser(userId);
    return memberships.map((m) => ({ organizationId: m.organization.id, slug: m.organization.slug, name: m.organization.name, role: m.role }));
  }

  /**
   * The caller inside an organization. A non-member gets NOT_FOUND, exactly as for an
   * organization that does not exist, so slugs of other tenants cannot be probed.
   */
  async resolveActor(actor: Actor, orgSlug: string): Promise<OrgActor> {
    const membership = await this.repository.membershipBySlug(actor.userId, orgSlug);
    if (!membership) throw notFound(`Organization "${orgSlug}"`);
    return { ...actor, organizationId: membership.organizationId, organizationSlug: membership.organization.slug, role: membership.role };
  }

  async get(actor: OrgActor): Promise<OrganizationDto> {
    const membership = await this.repository.membershipBySlug(actor.userId, actor.organizationSlug);
    if (!membership) throw notFound(`Organization "${actor.organizationSlug}"`);
    return toOrganizationDto(membership.organization, membership.role);
  }

  async members(actor: OrgActor): Promise<MemberDto[]> {
    return (await this.repository.members(actor)).map(toMemberDto);
  }

  /** ADMINs manage MEMBERs and VIEWERs; only OWNERs touch OWNERs or ADMINs, or grant those roles. */
  async changeRole(actor: OrgActor, userId: string, role: Role): Promise<MemberDto> {
    return this.prisma.$transaction(async (tx) => {
      const target = await this.repository.member(actor, userId, tx);
      if (!target) throw notFound('Member');
      this.assertMayManage(actor, target.role, role);
      if (target.role === 'OWNER' && role !== 'OWNER' && (await this.repository.countOwners(actor, tx)) <= 1) {
        throw new AppError('LAST_OWNER', 'Make someone else an owner first: an organization needs at least one owner.');
      }
      const updated = await this.repository.updateRole(actor, userId, role, tx);
      await this.audit.record(
        { organizationId: actor.organizationId, actor, action: 'member.role_changed', target: `user:${target.user.email}`, metadata: { from: target.role, to: role } },
        tx,
      );
      return toMemberDto(updated);
    });
  }

  async removeMember(actor: OrgActor, userId: string): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      const target = await this.repository.member(actor, userId, tx);
      if (!target) throw notFound('Member');
      if (userId !== actor.userId) this.assertMayManage(actor, target.role, target.role);
      if (target.role === 'OWNER' && (await this.repository.countOwners(actor, tx)) <= 1) throw new AppError('LAST_OWNER');
      await this.repository.removeMember(actor, userId, tx);
      await this.audit.record({ organizationId: actor.organizationId, actor, action: 'member.removed', target: `user:${target.user.email}`, metadata: { role: target.role } }, tx);
    });
  }

  /** The same rule as invitations (mayGrant): a member may move someone only between roles it could grant. */
  private assertMayManage(actor: OrgActor, currentRole: Role, newRole: Role): void {
    if (!mayGrant(actor.role, currentRole) || !mayGrant(actor.role, newRole)) {
      throw new AppError('FORBIDDEN', 'Only owners can change owners and admins or grant those roles.');
    }
  }
}
