import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditModule } from '@slipway/audit';
import { CryptoModule } from '@slipway/crypto';
import { DbModule, PrismaService } from '@slipway/db';
import { RedisModule } from '@slipway/redis';
import { createDomainTestContext, type DomainTestContext } from '@slipway/testing';
import { AppError } from '@slipway/errors';
import { loadConfig } from '@slipway/config';
import { AuthService } from './auth.service';
import { IdentityModule } from './identity.module';
import { InvitationsService } from './invitations.service';
import { OrganizationsService } from './organizations.service';
import { TokensService } from './tokens.service';

let ctx: DomainTestContext;
let auth: AuthService;
let prisma: PrismaService;
let n = 0;
const client = { ip: '127.0.0.1', userAgent: 'vitest' };
const email = () => `user${++n}-${Date.now()}@example.test`;

beforeAll(async () => {
  // A Redis db index of its own so throttling counters never meet the dev server's.
  const redis = new URL(loadConfig().REDIS_URL);
  redis.pathname = '/3';
  ctx = await createDomainTestContext([DbModule, RedisModule, CryptoModule, AuditModule, IdentityModule], { REDIS_URL: redis.toString() });
  auth = ctx.app.get(AuthService);
  prisma = ctx.app.get(PrismaService);
});
afterAll(() => ctx?.close());

const codeOf = (p: Promise<unknown>) => p.then(() => 'resolved', (e: unknown) => (e instanceof AppError ? e.code : String(e)));

describe('identity against PostgreSQL', () => {
  it('stores the password as argon2id and the session only as a hash', async () => {
    const { token, dto } = await auth.signup({ name: 'Ada', email: email(), password: 'a long enough password' }, client);
    const user = await prisma.user.findUniqueOrThrow({ where: { id: dto.user.id }, omit: { passwordHash: false } });
    expect(user.passwordHash).toMatch(/^\$argon2id\$/);
    const sessions = await prisma.session.findMany({ where: { userId: dto.user.id }, omit: { tokenHash: false } });
    expect(sessions).toHaveLength(1);
    expect(sessions[0]!.tokenHash).not.toContain(token);
    expect((await auth.authenticate(token)).user.id).toBe(dto.user.id);
  });

  it('leaves nothing behind when signup fails half-way (duplicate email)', async () => {
    const taken = email();
    await auth.signup({ name: 'First', email: taken, password: 'a long enough password' }, client);
    const orgsBefore = await prisma.organization.count();
    expect(await codeOf(auth.signup({ name: 'Second', email: taken, password: 'a long enough password', organizationName: 'Should Not Exist' }, client))).toBe('EMAIL_TAKEN');
    expect(await prisma.organization.count()).toBe(orgsBefore);
    expect(await prisma.organization.count({ where: { name: 'Should Not Exist' } })).toBe(0);
  });

  it('lets an invitation be used once, even by two users racing', async () => {
    const owner = await auth.signup({ name: 'Owner', email: email(), password: 'a long enough password' }, client);
    const orgs = ctx.app.get(OrganizationsService);
    const ownerActor = await orgs.resolveActor({ userId: owner.dto.user.id, email: owner.dto.user.email }, owner.dto.organizations[0]!.slug);
    const invitations = ctx.app.get(InvitationsService);
    const invite = await invitations.create(ownerActor, { role: 'MEMBER' });
    const a = await auth.signup({ name: 'A', email: email(), password: 'a long enough password' }, client);
    const b = await auth.signup({ name: 'B', email: email(), password: 'a long enough password' }, client);
    const results = await Promise.all([
      codeOf(invitations.accept({ userId: a.dto.user.id, email: a.dto.user.email }, invite.token)),
      codeOf(invitations.accept({ userId: b.dto.user.id, email: b.dto.user.email }, invite.token)),
    ]);
    expect(results.sort()).toEqual(['INVITATION_INVALID', 'resolved']);
    expect(await prisma.membership.count({ where: { organizationId: ownerActor.organizationId } })).toBe(2);
  });

  it('hides an organization from non-members exactly like a missing one', async () => {
    const owner = await auth.signup({ name: 'Private', email: email(), password: 'a long enough password' }, client);
    const stranger = await auth.signup({ name: 'Stranger', email: email(), password: 'a long enough password' }, client);
    const orgs = ctx.app.get(OrganizationsService);
    const strangerActor = { userId: stranger.dto.user.id, email: stranger.dto.user.email };
    expect(await codeOf(orgs.resolveActor(strangerActor, owner.dto.organizations[0]!.slug))).toBe('NOT_FOUND');
    expect(await codeOf(orgs.resolveActor(strangerActor, 'does-not-exist'))).toBe('NOT_FOUND');
  });

  it('makes a revoked token fail on the very next request', async () => {
    const u = await auth.signup({ name: 'Tok', email: email(), password: 'a long enough password' }, client);
    const tokens = ctx.app.get(TokensService);
    const actor = { userId: u.dto.user.id, email: u.dto.user.email };
    const created = await tokens.create(actor, { name: 'cli', scopes: ['deploy'] });
    expect((await tokens.authenticate(created.token)).scopes).toEqual(['deploy']);
    await tokens.revoke(actor, created.id);
    expect(await codeOf(tokens.authenticate(created.token))).toBe('TOKEN_REVOKED');
    const tampered = created.token.slice(0, -1) + (created.token.endsWith('a') ? 'b' : 'a');
    expect(await codeOf(tokens.authenticate(tampered))).toBe('TOKEN_INVALID');
  });
});
