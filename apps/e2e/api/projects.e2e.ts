import { beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, signUp } from '../support/api-client';

describe('projects, environments and tenant isolation', () => {
  let owner: ApiClient;
  let org: string;
  let base: string;

  beforeAll(async () => {
    const u = await signUp('Owner', 'Isolation Test');
    owner = u.client;
    org = u.session.organizations[0]!.slug;
    base = `/api/v1/orgs/${org}/projects`;
  });

  it('creates a project with a derived slug, a production environment and a git remote', async () => {
    const res = await owner.post(base, { name: 'Web App!' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ slug: 'web-app', name: 'Web App!', gitRemoteUrl: expect.stringMatching(new RegExp(`/git/${org}/web-app\\.git$`)) });
    expect(res.body.environments).toEqual([expect.objectContaining({ name: 'production', branch: 'main', replicas: 1, healthCheckPath: '/', url: expect.stringMatching(/^http:\/\/web-app(-[a-z0-9-]+)?\.localhost:\d+$/) })]);
    const list = await owner.get(base);
    expect(list.body.map((p: { slug: string }) => p.slug)).toEqual(['web-app']);
  });

  it('rejects invalid and duplicate slugs and writes nothing', async () => {
    const invalid = await owner.post(base, { name: 'Bad', slug: 'Not_A_Slug' });
    expect(invalid.status).toBe(400);
    expect(invalid.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [expect.objectContaining({ path: 'slug' })] });
    const dup = await owner.post(base, { name: 'Another', slug: 'web-app' });
    expect(dup.status).toBe(409);
    expect(dup.body.code).toBe('SLUG_TAKEN');
    expect((await owner.get(base)).body).toHaveLength(1);
  });

  it('adds a staging environment following a branch with resource limits', async () => {
    const res = await owner.post(`${base}/web-app/environments`, { name: 'staging', branch: 'develop', memoryMb: 256, cpuMillis: 250, replicas: 2, healthCheckPath: '/healthz' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: 'staging', branch: 'develop', memoryMb: 256, replicas: 2, url: expect.stringMatching(/^http:\/\/web-app(-[a-z0-9-]+)?--staging\.localhost:\d+$/) });
    const dup = await owner.post(`${base}/web-app/environments`, { name: 'staging', branch: 'x' });
    expect(dup.body.code).toBe('ENVIRONMENT_NAME_TAKEN');
    const bad = await owner.post(`${base}/web-app/environments`, { name: 'qa', branch: 'bad..branch', replicas: 0 });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['branch', 'replicas']);
    const patched = await owner.patch(`${base}/web-app/environments/staging`, { replicas: 3 });
    expect(patched.body.replicas).toBe(3);
    const prod = await owner.del(`${base}/web-app/environments/production`);
    expect(prod.body.code).toBe('ENVIRONMENT_PROTECTED');
  });

  it('gives each project a host of its own even when another organization has the same slug', async () => {
    const other = (await signUp('SameSlug')).client;
    const otherOrg = (await other.get('/api/v1/auth/session')).body.organizations[0].slug;
    const mine = (await owner.get(`${base}/web-app`)).body.environments[0].url;
    const theirs = (await other.post(`/api/v1/orgs/${otherOrg}/projects`, { name: 'Web App' })).body.environments[0].url;
    expect(theirs).not.toBe(mine);
  });

  it("answers 404, with no details, for another organization's project, environment and variables", async () => {
    const outsider = (await signUp('Outsider')).client;
    const paths = [`${base}/web-app`, `${base}/web-app/environments/production/variables`, `/api/v1/orgs/${org}/members`];
    for (const p of paths) {
      const res = await outsider.get(p);
      expect(res.status, p).toBe(404);
      expect(res.body.code).toBe('NOT_FOUND');
      expect(JSON.stringify(res.body)).not.toContain('web-app"');
    }
    const write = await outsider.put(`${base}/web-app/environments/production/variables/STOLEN`, { value: 'x' });
    expect(write.status).toBe(404);
    // The same answer as for an organization that does not exist.
    expect((await outsider.get('/api/v1/orgs/no-such-org/projects')).body.code).toBe('NOT_FOUND');
  });

  it('lets a VIEWER read but not write, and only an ADMIN read the audit log', async () => {
    const invite = await owner.post(`/api/v1/orgs/${org}/invitations`, { role: 'VIEWER' });
    expect(invite.status).toBe(201);
    expect(invite.body.url).toContain(`/invite/${invite.body.token}`);
    const viewer = await signUp('Viewer');
    const preview = await new ApiClient().get(`/api/v1/invitations/${invite.body.token}`);
    expect(preview.body).toMatchObject({ organizationSlug: org, role: 'VIEWER' });
    expect((await viewer.client.post(`/api/v1/invitations/${invite.body.token}/accept`)).status).toBe(200);
    expect((await viewer.client.post(`/api/v1/invitations/${invite.body.token}/accept`)).body.code).toBe('INVITATION_INVALID');

    expect((await viewer.client.get(`${base}/web-app`)).status).toBe(200);
    const write = await viewer.client.post(base, { name: 'Sneaky' });
    expect(write.status).toBe(403);
    expect(write.body).toMatchObject({ code: 'FORBIDDEN', detail: expect.stringContaining('MEMBER') });
    expect((await viewer.client.get(`/api/v1/orgs/${org}/audit-log`)).status).toBe(403);

    const promote = await owner.patch(`/api/v1/orgs/${org}/members/${viewer.session.user.id}`, { role: 'ADMIN' });
    expect(promote.body.role).toBe('ADMIN');
    const audit = await viewer.client.get(`/api/v1/orgs/${org}/audit-log`);
    expect(audit.status).toBe(200);
    const actions = audit.body.map((e: { action: string }) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['member.role_changed', 'member.joined', 'invitation.created', 'project.created', 'auth.signup']));

    // The last owner cannot be demoted.
    const self = await owner.patch(`/api/v1/orgs/${org}/members/${(await owner.get('/api/v1/auth/session')).body.user.id}`, { role: 'MEMBER' });
    expect(self.body.code).toBe('LAST_OWNER');
  });
});
