import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { API_URL, ApiClient, signUp } from '../support/api-client';
import { git, remoteUrl as remote, workingCopy as repoWithCommit } from '../support/git';
import { E2E } from '../support/env';

describe('the git remote of a project (smart HTTP, real git client)', () => {
  let owner: ApiClient;
  let org: string;
  let deployToken: string;

  beforeAll(async () => {
    const u = await signUp('Pusher');
    owner = u.client;
    org = u.session.organizations[0]!.slug;
    expect((await owner.post(`/api/v1/orgs/${org}/projects`, { name: 'site' })).status).toBe(201);
    deployToken = (await owner.post('/api/v1/tokens', { name: 'push', scopes: ['deploy'] })).body.token;
  });

  it('accepts a push with a deploy token and serves it back to a clone', async () => {
    const dir = await repoWithCommit({ 'index.html': '<h1>hello</h1>' });
    const push = await git(['push', remote(deployToken, org, 'site'), 'main'], dir);
    expect(push.out).toContain('main -> main');
    expect(push.code).toBe(0);
    const clone = mkdtempSync(join(tmpdir(), 'slipway-clone-'));
    expect((await git(['clone', '-q', remote(deployToken, org, 'site'), clone])).code).toBe(0);
    expect((await git(['log', '--format=%s'], clone)).out.trim()).toBe('first');
  });

  it("answers a bad token with git's authentication prompt (401) and an unknown project with 404", async () => {
    const bad = await git(['ls-remote', remote('slp_wrong', org, 'site')]);
    expect(bad.code).not.toBe(0);
    expect(bad.out).toContain('Authentication failed');
    const none = await git(['ls-remote', `${API_URL}/git/${org}/site.git`]);
    expect(none.out).toMatch(/could not read Username|Authentication failed/);
    const unknown = await git(['ls-remote', remote(deployToken, org, 'no-such-project')]);
    expect(unknown.out).toContain('not found');
  });

  it('lets a VIEWER clone but not push, and keeps other tenants out', async () => {
    const invite = await owner.post(`/api/v1/orgs/${org}/invitations`, { role: 'VIEWER' });
    const viewer = await signUp('ViewerGit');
    await viewer.client.post(`/api/v1/invitations/${invite.body.token}/accept`);
    const viewerToken = (await viewer.client.post('/api/v1/tokens', { name: 'v', scopes: ['deploy'] })).body.token;
    const clone = mkdtempSync(join(tmpdir(), 'slipway-viewer-'));
    expect((await git(['clone', '-q', remote(viewerToken, org, 'site'), clone])).code).toBe(0);
    writeFileSync(join(clone, 'x.txt'), 'x');
    await git(['add', '-A'], clone);
    await git(['-c', 'user.name=V', '-c', 'user.email=v@example.test', 'commit', '-qm', 'viewer change'], clone);
    const push = await git(['push', 'origin', 'main'], clone);
    expect(push.code).not.toBe(0);
    expect(push.out).toContain('needs the MEMBER role');

    const outsider = await signUp('OutsiderGit');
    const outsiderToken = (await outsider.client.post('/api/v1/tokens', { name: 'o', scopes: ['deploy'] })).body.token;
    expect((await git(['ls-remote', remote(outsiderToken, org, 'site')])).out).toContain('not found');
  });

  it('keeps the hook callback closed to anyone without a signed hook token', async () => {
    const res = await fetch(`${API_URL}/internal/git/pre-receive`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${deployToken}` }, body: '{"updates":[]}' });
    expect(res.status).toBe(401);
    expect(await res.text()).toContain('Invalid hook token');
  });

  it('refuses a token without the needed scope, and a push over the size limit', async () => {
    const readOnly = (await owner.post('/api/v1/tokens', { name: 'ro', scopes: ['projects:read'] })).body.token;
    const dir = await repoWithCommit({ 'a.txt': 'a' });
    const push = await git(['push', remote(readOnly, org, 'site'), 'main:other'], dir);
    expect(push.out).toContain('"deploy" scope');

    const limit = E2E.pushMaxBytes;
    expect(limit, 'the test platform sets PUSH_MAX_BYTES').toBeGreaterThan(0);
    const big = await repoWithCommit({ 'blob.bin': randomBytes(limit + 1024 * 1024) });
    const tooBig = await git(['push', remote(deployToken, org, 'site'), 'main:big'], big);
    expect(tooBig.code).not.toBe(0);
    expect(tooBig.out).toMatch(/413|larger than the limit/);
  });
});
