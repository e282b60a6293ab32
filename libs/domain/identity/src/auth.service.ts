import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { CONFIG, type Config } from '@slipway/config';
import { PasswordHasher, generateSecretToken, sha256Hex } from '@slipway/crypto';
import { PrismaService, isUniqueViolation } from '@slipway/db';
import { AppError } from '@slipway/errors';
import { AuditService } from '@slipway/audit';
import type { LoginInput, SessionDto, SignupInput } from '@slipway/contracts';
import { UsersRepository } from './users.repository';
import { SessionsRepository } from './sessions.repository';
import { OrganizationsService } from './organizations.service';
import { toUserDto } from './mappers';
import { AuthThrottle } from './auth-throttle';

export const SESSION_TOKEN_PREFIX = 'sls_';

export interface ClientInfo {
  ip: string | null;
  userAgent: string | null;
}

export interface StartedSession {
  /** The cookie value: the only copy of the session secret. */
  token: string;
  dto: SessionDto;
}

export interface AuthenticatedSession {
  sessionId: string;
  csrfToken: string;
  expiresAt: Date;
  user: { id: string; email: string; name: string; createdAt: Date };
}

@Injectable()
export class AuthService {
  constructor(
    @Inject(CONFIG) private readonly config: Config,
    private readonly prisma: PrismaService,
    private readonly users: UsersRepository,
    private readonly sessions: SessionsRepository,
    private readonly organizations: OrganizationsService,
    private readonly passwords: PasswordHasher,
    private readonly throttle: AuthThrottle,
    private readonly audit: AuditService,
  ) {}

  /**
   * Creates the user, their first organization (as OWNER) and a session, all or nothing.
   * Throttled per client address first: a flood costs neither hashing nor rows.
   */
  async signup(input: SignupInput, client: ClientInfo): Promise<StartedSession> {
    await this.throttle.admitSignup(client.ip);
    const passwordHash = await this.passwords.hash(input.password);
    const user = await this.prisma
      .$transaction(async (tx) => {
        const created = await this.users.create({ email: input.email, name: input.name, passwordHash }, tx);
        const orgName = input.organizationName ?? `${input.name}'s organization`;
        const org = await this.organizations.createForOwner(created.id, { name: orgName }, tx);
        const actor = { userId: created.id, email: created.email, ip: client.ip };
        await this.audit.record({ organizationId: org.id, actor, action: 'auth.signup', target: `user:${created.email}` }, tx);
        return created;
      })
      .catch((err: unknown) => {
        if (isUniqueViolation(err, 'email')) throw new AppError('EMAIL_TAKEN');
        throw err;
      });
    return this.startSession(user, client);
  }

  /**
   * Throttled per account and per client address before the password is checked (AuthThrottle):
   * of N parallel guesses at most LOGIN_MAX_PER_ACCOUNT reach argon2, the rest are refused with
   * 429 at the cost of one Redis call. Unknown emails are counted and cost the same argon2 time as
   * known ones, and both are answered INVALID_CREDENTIALS, so nothing tells which accounts exist.
   */
  async login(input: LoginInput, client: ClientInfo): Promise<StartedSession> {
    await this.throttle.admitLogin(input.email, client.ip);
    const user = await this.users.findWithPasswordByEmail(input.email);
    const ok = user ? await this.passwords.verify(user.passwordHash, input.password) : await this.passwords.verifyDummy(input.password);
    if (!user || !ok) {
      await this.audit.record({
        actor: user ? { userId: user.id, email: user.email, ip: client.ip } : null,
        action: 'auth.login_failed',
        target: `user:${input.email}`,
        metadata: user ? {} : { reason: 'unknown email' },
      });
      throw new AppError('INVALID_CREDENTIALS');
    }
    await this.throttle.loginSucceeded(input.email, client.ip);
    await this.audit.record({ actor: { userId: user.id, email: user.email, ip: client.ip }, action: 'auth.login', target: `user:${user.email}` });
    return this.startSession(user, client);
  }

  async logout(sessionToken: string, actor: { userId: string; email: string; ip?: string | null }): Promise<void> {
    await this.sessions.deleteByTokenHash(sha256Hex(sessionToken));
    await this.audit.record({ actor, action: 'auth.logout', target: `user:${actor.email}` });
  }

  async purgeExpiredSessions(): Promise<number> {
    return this.sessions.deleteExpired(new Date());
  }

  /** Resolves a session cookie. Expired sessions are deleted and reported as such. */
  async authenticate(sessionToken: string): Promise<AuthenticatedSession> {
    const session = await this.sessions.findByTokenHash(sha256Hex(sessionToken));
    if (!session) throw new AppError('UNAUTHENTICATED');
    const now = new Date();
    if (session.expiresAt <= now) {
      await this.sessions.deleteById(session.id);
      throw new AppError('SESSION_EXPIRED');
    }
    // lastSeenAt is informational: write it at most once a minute, not on every request.
    if (now.getTime() - session.lastSeenAt.getTime() > 60_000) void this.sessions.touch(session.id, now).catch(() => undefined);
    return { sessionId: session.id, csrfToken: session.csrfToken, expiresAt: session.expiresAt, user: { id: session.user.id, email: session.user.email, name: session.user.name, createdAt: session.user.createdAt } };
  }

  /** The session check: the user came with the session lookup, so only memberships are read. */
  async describe(session: AuthenticatedSession): Promise<SessionDto> {
    return {
      user: toUserDto(session.user),
      organizations: await this.organizations.summariesFor(session.user.id),
      csrfToken: session.csrfToken,
      expiresAt: session.expiresAt.toISOString(),
    };
  }

  private async startSession(user: { id: string; email: string; name: string; createdAt: Date }, client: ClientInfo): Promise<StartedSession> {
    const token = generateSecretToken(SESSION_TOKEN_PREFIX);
    const csrfToken = randomBytes(24).toString('base64url');
    const expiresAt = new Date(Date.now() + this.config.SESSION_TTL_HOURS * 3600_000);
    await this.sessions.create({ userId: user.id, tokenHash: sha256Hex(token), csrfToken, expiresAt, ip: client.ip, userAgent: client.userAgent?.slice(0, 300) ?? null });
    return {
      token,
      dto: {
        user: toUserDto(user),
        organizations: await this.organizations.summariesFor(user.id),
        csrfToken,
        expiresAt: expiresAt.toISOString(),
      },
    };
  }
}
