import { randomInt } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditModule } from '@slipway/audit';
import { CryptoModule } from '@slipway/crypto';
import { DbModule, PrismaService } from '@slipway/db';
import { RateLimiter, RedisModule } from '@slipway/redis';
import { createDomainTestContext, type DomainTestContext } from '@slipway/testing';
import { AppError } from '@slipway/errors';
import { loadConfig } from '@slipway/config';
import { AuthService } from './auth.service';
import { AuthThrottle } from './auth-throttle';
import { IdentityModule } from './identity.module';
import { InvitationsService } from './invitations.service';
import { OrganizationsService } from './organizations.service';
import { TokensService } from './tokens.service';

let ctx: DomainTestContext;
let auth: AuthService;
let prisma: PrismaService;
let n = 0;
const client = { ip: '127.0.0.1', userAgent: 'vitest' };
// The throttling counters live in Redis across runs: each test that counts gets an address of its own.
const freshAddress = () => `198.18.${randomInt(256)}.${randomInt(1, 255)}`;
const LOGIN_WINDOW_SECONDS = 2;
const email = () => `user${++n}-${Date.now()}@example.test`;

beforeAll(async () => {
  // A Redis db index of its own so throttling counters never meet the dev server's.
  const redis = new URL(loadConfig().REDIS_URL);
  redis.pathname = '/3';
  // Sign-ups all come from one address here (their own limit is tested below); a short login
  // window lets a test watch a locked account open again.
  ctx = await createDomainTestContext([DbModule, RedisModule, CryptoModule, AuditModule, IdentityModule], {
    REDIS_URL: redis.toString(),
    SIGNUP_MAX_PER_IP: 1_000_000,
    LOGIN_WINDOW_SECONDS,
  });
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

  it('lets at most LOGIN_MAX_PER_ACCOUNT of 50 parallel wrong passwords reach argon2, then refuses even the right one until the window passes', async () => {
    const victim = { email: email(), password: 'the right long password' };
    await auth.signup({ name: 'Victim', ...victim }, client);
    const attacker = { ip: freshAddress(), userAgent: 'guesser' };
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => codeOf(auth.login({ email: victim.email, password: `guess number ${i}` }, attacker))));
    const verified = answers.filter((c) => c === 'INVALID_CREDENTIALS').length;
    expect(verified).toBeLessThanOrEqual(ctx.config.LOGIN_MAX_PER_ACCOUNT);
    expect(verified + answers.filter((c) => c === 'TOO_MANY_ATTEMPTS').length).toBe(50);
    // Locked for the account, from any address, with the right password too…
    expect(await codeOf(auth.login(victim, { ip: freshAddress(), userAgent: 'owner' }))).toBe('TOO_MANY_ATTEMPTS');
    const failures = await prisma.auditLog.count({ where: { action: 'auth.login_failed', target: `user:${victim.email}` } });
    expect(failures).toBe(verified);
    // …until the window passes.
    await sleep(LOGIN_WINDOW_SECONDS * 1000 + 200);
    expect(await codeOf(auth.login(victim, { ip: freshAddress(), userAgent: 'owner' }))).toBe('resolved');
  });

  it('counts unknown emails like known ones, so a lock-out does not tell which accounts exist', async () => {
    const ip = freshAddress();
    const unknown = email();
    // All at once: one after another, the hashing of a loaded machine could outlast the test's 2 s window.
    const attempts = Array.from({ length: ctx.config.LOGIN_MAX_PER_ACCOUNT + 1 }, () => codeOf(auth.login({ email: unknown, password: 'whatever it is' }, { ip, userAgent: 'probe' })));
    const answers = await Promise.all(attempts);
    expect(answers.filter((c) => c === 'INVALID_CREDENTIALS')).toHaveLength(ctx.config.LOGIN_MAX_PER_ACCOUNT);
    expect(answers.filter((c) => c === 'TOO_MANY_ATTEMPTS')).toHaveLength(1);
  });

  it('gives the address its attempt back on a right password, so signing in never locks an office out', async () => {
    const ip = freshAddress();
    const people = await Promise.all([1, 2, 3].map(async (n) => ({ email: email(), password: `long password ${n}` })));
    for (const p of people) await auth.signup({ name: 'Office', ...p }, client);
    const limiter = ctx.app.get(RateLimiter);
    for (let round = 0; round < 4; round++) for (const p of people) expect(await codeOf(auth.login(p, { ip, userAgent: 'office' }))).toBe('resolved');
    // 12 sign-ins from one address later, its counter holds nothing but failures (none): a
    // counter holding anything would refuse this take of limit 1.
    expect(await limiter.take([{ key: `login:ip:${ip}`, limit: 1, windowSeconds: 60 }])).toEqual({ allowed: true });
  });

  it('refuses sign-ups beyond SIGNUP_MAX_PER_IP from one address, saying when to retry', async () => {
    const throttle = new AuthThrottle({ ...ctx.config, SIGNUP_MAX_PER_IP: 3 }, ctx.app.get(RateLimiter));
    const ip = freshAddress();
    for (let i = 0; i < 3; i++) await throttle.admitSignup(ip);
    const refused = await throttle.admitSignup(ip).then(
      () => null,
      (e: unknown) => e as AppError,
    );
    expect(refused?.code).toBe('TOO_MANY_SIGNUPS');
    expect(refused?.retryAfterSeconds).toBeGreaterThan(0);
    expect(refused?.retryAfterSeconds).toBeLessThanOrEqual(ctx.config.SIGNUP_WINDOW_SECONDS);
    await throttle.admitSignup(freshAddress()); // another address is not affected
  });

  it('never lets an invitation grant more than its author could grant directly', async () => {
    const owner = await auth.signup({ name: 'Boss', email: email(), password: 'a long enough password' }, client);
    const adminUser = await auth.signup({ name: 'Admin', email: email(), password: 'a long enough password' }, client);
    const orgs = ctx.app.get(OrganizationsService);
    const invitations = ctx.app.get(InvitationsService);
    const org = owner.dto.organizations[0]!.slug;
    const ownerActor = await orgs.resolveActor({ userId: owner.dto.user.id, email: owner.dto.user.email }, org);
    const adminInvite = await invitations.create(ownerActor, { role: 'ADMIN' });
    await invitations.accept({ userId: adminUser.dto.user.id, email: adminUser.dto.user.email }, adminInvite.token);
    const admin = await orgs.resolveActor({ userId: adminUser.dto.user.id, email: adminUser.dto.user.email }, org);
    expect(admin.role).toBe('ADMIN');
    const before = await prisma.invitation.count({ where: { organizationId: admin.organizationId } });
    expect(await codeOf(invitations.create(admin, { role: 'ADMIN' }))).toBe('ROLE_NOT_GRANTABLE');
    expect(await codeOf(invitations.create(admin, { role: 'OWNER' }))).toBe('ROLE_NOT_GRANTABLE');
    expect(await prisma.invitation.count({ where: { organizationId: admin.organizationId } })).toBe(before);
    expect((await invitations.create(admin, { role: 'MEMBER' })).role).toBe('MEMBER');
  });

  it('lets only the user registered with its email accept an email-addressed invitation', async () => {
    const owner = await auth.signup({ name: 'Inviter', email: email(), password: 'a long enough password' }, client);
    const addressee = await auth.signup({ name: 'Addressee', email: email(), password: 'a long enough password' }, client);
    const other = await auth.signup({ name: 'Other', email: email(), password: 'a long enough password' }, client);
    const orgs = ctx.app.get(OrganizationsService);
    const invitations = ctx.app.get(InvitationsService);
    const ownerActor = await orgs.resolveActor({ userId: owner.dto.user.id, email: owner.dto.user.email }, owner.dto.organizations[0]!.slug);
    const invite = await invitations.create(ownerActor, { role: 'MEMBER', email: addressee.dto.user.email.toUpperCase() });
    expect(await codeOf(invitations.accept({ userId: other.dto.user.id, email: other.dto.user.email }, invite.token))).toBe('INVITATION_FOR_ANOTHER_EMAIL');
    expect(await prisma.invitation.findUniqueOrThrow({ where: { id: invite.id } })).toMatchObject({ acceptedAt: null, acceptedById: null });
    expect(await prisma.membership.count({ where: { organizationId: ownerActor.organizationId, userId: other.dto.user.id } })).toBe(0);
    expect(await codeOf(invitations.accept({ userId: addressee.dto.user.id, email: addressee.dto.user.email }, invite.token))).toBe('resolved');
  });
});
