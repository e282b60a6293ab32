import { beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, joinAs, signUp } from '../support/api-client';

/**
 * Attacks on roles and invitations, made over HTTP by signed-up users of one organization: an
 * ADMIN reaching for more than it may grant, a stranger holding someone else's invitation link,
 * a deploy token and a MEMBER starting a failover drill (which faults the organization's traffic).
 */

type Person = Awaited<ReturnType<typeof signUp>>;

describe('attack: roles and invitations', () => {
  let owner: Person;
  let admin: Person;
  let org: string;

  beforeAll(async () => {
    owner = await signUp('RoleOwner');
    org = owner.session.organizations[0]!.slug;
    admin = await joinAs(owner, org, 'RoleAdmin', 'ADMIN');
  });

  const pending = async () => (await owner.client.get(`/api/v1/orgs/${org}/invitations`)).body as Array<{ id: string; role: string; email: string | null; acceptedAt: string | null }>;

  it('an ADMIN cannot mint an ADMIN or OWNER invitation (it cannot grant those roles directly either); nothing is created', async () => {
    const before = await pending();
    for (const role of ['ADMIN', 'OWNER']) {
      const res = await admin.client.post(`/api/v1/orgs/${org}/invitations`, { role });
      expect(res.status, role).toBe(403);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body.code).toBe('ROLE_NOT_GRANTABLE');
      expect(res.body.detail).toContain('member or viewer');
      expect(res.body.token).toBeUndefined();
    }
    expect(await pending()).toEqual(before);
    // What an ADMIN may grant, it may still invite.
    expect((await admin.client.post(`/api/v1/orgs/${org}/invitations`, { role: 'MEMBER' })).status).toBe(201);
  });

  it('an ADMIN cannot promote anyone to ADMIN either (the same rule)', async () => {
    const member = await joinAs(owner, org, 'Promotable', 'MEMBER');
    const res = await admin.client.patch(`/api/v1/orgs/${org}/members/${member.session.user.id}`, { role: 'ADMIN' });
    expect(res.status).toBe(403);
    const members = (await owner.client.get(`/api/v1/orgs/${org}/members`)).body as Array<{ userId: string; role: string }>;
    expect(members.find((m) => m.userId === member.session.user.id)?.role).toBe('MEMBER');
  });

  it('an invitation addressed to an email is refused to another signed-in user, and stays usable for its addressee', async () => {
    const addressee = await signUp('Addressee');
    const thief = await signUp('LinkThief');
    const invite = await owner.client.post(`/api/v1/orgs/${org}/invitations`, { role: 'MEMBER', email: addressee.email });
    expect(invite.status).toBe(201);

    const stolen = await thief.client.post(`/api/v1/invitations/${invite.body.token}/accept`);
    expect(stolen.status).toBe(403);
    expect(stolen.body.code).toBe('INVITATION_FOR_ANOTHER_EMAIL');
    // Nothing changed: the invitation is unused, the thief is not a member and sees nothing.
    expect((await pending()).find((i) => i.id === invite.body.id)).toMatchObject({ acceptedAt: null, email: addressee.email.toLowerCase() });
    expect((await thief.client.get(`/api/v1/orgs/${org}`)).status).toBe(404);
    const members = (await owner.client.get(`/api/v1/orgs/${org}/members`)).body as Array<{ email: string }>;
    expect(members.map((m) => m.email)).not.toContain(thief.email.toLowerCase());

    const joined = await addressee.client.post(`/api/v1/invitations/${invite.body.token}/accept`);
    expect(joined.status).toBe(200);
    expect(joined.body).toMatchObject({ slug: org, role: 'MEMBER' });
  });

  it('an invitation cannot be accepted with an API token', async () => {
    const holder = await signUp('TokenHolder');
    const token = await holder.client.post('/api/v1/tokens', { name: 'all', scopes: ['projects:read', 'projects:write', 'secrets:read', 'secrets:write', 'deploy'] });
    const invite = await owner.client.post(`/api/v1/orgs/${org}/invitations`, { role: 'MEMBER' });
    const res = await ApiClient.withToken(token.body.token).post(`/api/v1/invitations/${invite.body.token}/accept`);
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('TOKEN_SCOPE_MISSING');
    expect((await pending()).find((i) => i.id === invite.body.id)?.acceptedAt).toBeNull();
  });
});

describe('attack: starting a failover drill without being an ADMIN in a session', () => {
  let owner: Person;
  let org: string;
  const project = 'drilled';
  const drills = () => `/api/v1/orgs/${org}/projects/${project}/gateway/drills`;
  const start = `/environments/production/gateway/drills`;

  beforeAll(async () => {
    owner = await signUp('DrillOwner');
    org = owner.session.organizations[0]!.slug;
    expect((await owner.client.post(`/api/v1/orgs/${org}/projects`, { name: 'Drilled', slug: project })).status).toBe(201);
  });

  it('a deploy-scoped token, even the OWNER’s, is refused and no drill starts', async () => {
    const token = await owner.client.post('/api/v1/tokens', { name: 'ci', scopes: ['deploy', 'projects:read'] });
    const ci = ApiClient.withToken(token.body.token);
    const res = await ci.post(`/api/v1/orgs/${org}/projects/${project}${start}`, { durationSeconds: 5, concurrency: 1 });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('TOKEN_SCOPE_MISSING');
    expect((await owner.client.get(drills())).body).toEqual([]);
  });

  it('a MEMBER is refused and no drill starts', async () => {
    const member = await joinAs(owner, org, 'DrillMember', 'MEMBER');
    const res = await member.client.post(`/api/v1/orgs/${org}/projects/${project}${start}`, { durationSeconds: 5, concurrency: 1 });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('FORBIDDEN');
    expect(res.body.detail).toContain('ADMIN');
    expect((await owner.client.get(drills())).body).toEqual([]);
  });

  it('an ADMIN in a session starts one (the route itself works)', async () => {
    const admin = await joinAs(owner, org, 'DrillAdmin', 'ADMIN');
    const res = await admin.client.post(`/api/v1/orgs/${org}/projects/${project}${start}`, { durationSeconds: 5, concurrency: 1 });
    expect(res.status).toBe(202);
    expect((await owner.client.get(drills())).body).toHaveLength(1);
  });
});
