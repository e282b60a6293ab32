import type { Role } from './orgs';
import type { TokenScope } from './tokens';

/** The tenant a repository call is confined to. Every tenant-owned query filters by it. */
export interface TenantScope {
  organizationId: string;
}

/** Who is acting, for authorization and the audit log. */
export interface Actor {
  userId: string;
  email: string;
  ip?: string | null;
  /** Set when the caller authenticated with an API token rather than a session. */
  tokenScopes?: TokenScope[];
}

/** An actor inside an organization, with the role the guard resolved. */
export interface OrgActor extends Actor {
  organizationId: string;
  organizationSlug: string;
  role: Role;
}
