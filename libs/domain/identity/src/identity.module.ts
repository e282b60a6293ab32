import { Module } from '@nestjs/common';
import { AuthService } from './auth.service';
import { AuthThrottle } from './auth-throttle';
import { InvitationsRepository } from './invitations.repository';
import { InvitationsService } from './invitations.service';
import { OrganizationsRepository } from './organizations.repository';
import { OrganizationsService } from './organizations.service';
import { SessionsRepository } from './sessions.repository';
import { TokensRepository } from './tokens.repository';
import { TokensService } from './tokens.service';
import { UsersRepository } from './users.repository';

/** Users, sessions, organizations, memberships, invitations and personal API tokens. */
@Module({
  providers: [
    UsersRepository,
    SessionsRepository,
    OrganizationsRepository,
    InvitationsRepository,
    TokensRepository,
    AuthThrottle,
    AuthService,
    OrganizationsService,
    InvitationsService,
    TokensService,
  ],
  exports: [AuthService, OrganizationsService, InvitationsService, TokensService],
})
export class IdentityModule {}
