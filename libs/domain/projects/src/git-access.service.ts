import { Injectable } from '@nestjs/common';
import { AppError } from '@slipway/errors';
import { GitRepositories } from '@slipway/git';
import { OrganizationsService, TokensService } from '@slipway/identity';
import { roleAtLeast, type TokenScope } from '@slipway/contracts';
import { ProjectsService } from './projects.service';

export type GitService = 'upload-pack' | 'receive-pack';

export interface GitAccess {
  organizationId: string;
  organizationSlug: string;
  projectId: string;
  projectSlug: string;
  hostLabel: string;
  repositoryPath: string;
  userEmail: string;
}

/** Clone and fetch need read access; push needs the deploy scope and MEMBER or higher. */
const RULES: Record<GitService, { role: 'VIEWER' | 'MEMBER'; scopes: TokenScope[] }> = {
  'upload-pack': { role: 'VIEWER', scopes: ['projects:read', 'deploy'] },
  'receive-pack': { role: 'MEMBER', scopes: ['deploy'] },
};

/**
 * Who may clone or push `<org>/<project>.git`. The password of git's basic auth is a personal
 * API token; the user name is ignored. Another tenant's project answers NOT_FOUND.
 */
@Injectable()
export class GitAccessService {
  constructor(
    private readonly tokens: TokensService,
    private readonly organizations: OrganizationsService,
    private readonly projects: ProjectsService,
    private readonly repositories: GitRepositories,
  ) {}

  async authorize(input: { token: string | null; orgSlug: string; projectSlug: string; service: GitService; ip: string | null }): Promise<GitAccess> {
    if (!input.token) throw new AppError('UNAUTHENTICATED', 'Use a Slipway API token as the password.');
    const principal = await this.tokens.authenticate(input.token);
    const rule = RULES[input.service];
    const actor = await this.organizations.resolveActor({ userId: principal.user.id, email: principal.user.email, ip: input.ip, tokenScopes: principal.scopes }, input.orgSlug);
    const project = await this.projects.require(actor, input.projectSlug);
    if (!principal.scopes.some((s) => rule.scopes.includes(s))) {
      throw new AppError('TOKEN_SCOPE_MISSING', `This needs a token with the ${rule.scopes.map((s) => `"${s}"`).join(' or ')} scope.`);
    }
    if (!roleAtLeast(actor.role, rule.role)) {
      throw new AppError('FORBIDDEN', `${input.service === 'receive-pack' ? 'Pushing' : 'Cloning'} needs the ${rule.role} role or higher; you are ${actor.role}.`);
    }
    return {
      organizationId: actor.organizationId,
      organizationSlug: actor.organizationSlug,
      projectId: project.id,
      projectSlug: project.slug,
      hostLabel: project.hostLabel,
      repositoryPath: this.repositories.pathOf(project.id),
      userEmail: principal.user.email,
    };
  }
}
