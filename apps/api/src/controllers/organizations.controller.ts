import { Controller, Param } from '@nestjs/common';
import { InvitationsService, OrganizationsService } from '@slipway/identity';
import type {
  Actor,
  CreateInvitationInput,
  CreateOrganizationInput,
  CreatedInvitationDto,
  InvitationDto,
  InvitationPreviewDto,
  MemberDto,
  OrgActor,
  OrganizationDto,
  UpdateMemberInput,
} from '@slipway/contracts';
import { Route } from '../http/route.decorator';
import { CurrentActor, CurrentOrg, ValidBody } from '../http/params';

@Controller()
export class OrganizationsController {
  constructor(
    private readonly organizations: OrganizationsService,
    private readonly invitations: InvitationsService,
  ) {}

  @Route('listOrganizations')
  list(@CurrentActor() actor: Actor): Promise<OrganizationDto[]> {
    return this.organizations.listFor(actor.userId);
  }

  @Route('createOrganization')
  create(@CurrentActor() actor: Actor, @ValidBody('createOrganization') input: CreateOrganizationInput): Promise<OrganizationDto> {
    return this.organizations.create(actor, input);
  }

  @Route('getOrganization')
  get(@CurrentOrg() actor: OrgActor): Promise<OrganizationDto> {
    return this.organizations.get(actor);
  }

  @Route('listMembers')
  members(@CurrentOrg() actor: OrgActor): Promise<MemberDto[]> {
    return this.organizations.members(actor);
  }

  @Route('updateMember')
  updateMember(@CurrentOrg() actor: OrgActor, @Param('userId') userId: string, @ValidBody('updateMember') input: UpdateMemberInput): Promise<MemberDto> {
    return this.organizations.changeRole(actor, userId, input.role);
  }

  @Route('removeMember')
  removeMember(@CurrentOrg() actor: OrgActor, @Param('userId') userId: string): Promise<void> {
    return this.organizations.removeMember(actor, userId);
  }

  @Route('listInvitations')
  listInvitations(@CurrentOrg() actor: OrgActor): Promise<InvitationDto[]> {
    return this.invitations.pending(actor);
  }

  @Route('createInvitation')
  createInvitation(@CurrentOrg() actor: OrgActor, @ValidBody('createInvitation') input: CreateInvitationInput): Promise<CreatedInvitationDto> {
    return this.invitations.create(actor, input);
  }

  @Route('revokeInvitation')
  revokeInvitation(@CurrentOrg() actor: OrgActor, @Param('invitationId') id: string): Promise<void> {
    return this.invitations.revoke(actor, id);
  }

  @Route('previewInvitation')
  previewInvitation(@Param('token') token: string): Promise<InvitationPreviewDto> {
    return this.invitations.preview(token);
  }

  @Route('acceptInvitation')
  acceptInvitation(@CurrentActor() actor: Actor, @Param('token') token: string): Promise<OrganizationDto> {
    return this.invitations.accept(actor, token);
  }
}
