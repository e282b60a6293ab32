import { beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, signUp } from '../support/api-client';

describe('personal API tokens', () => {
  let owner: ApiClient;
  let org: string;

  beforeAll(async () => {
    const u = await signUp('Tokens');
    owner = u.client;
    org = u.session.organizations[0]!.slug;
  });

  it('shows a token once, lists it by prefix, honours scopes, and fails at once when revoked', async () => {
    const created = await owner.post('/api/v1/tokens', { name: 'ci', scopes: ['projects:read'], expiresInDays: 30 });
    expect(created.status).toBe(201);
    const token: string = created.body.token;
    expect(token).toMatch(/^slp_/);
    expect(token.startsWith(created.body.prefix)).toBe(true);

    const list = await owner.get('/api/v1/tokens');
    expect(list.body).toEqual([expect.objectContaining({ name: 'ci', prefix: created.body.prefix, scopes: ['projects:read'], revokedAt: null })]);
    expect(JSON.stringify(list.body)).not.toContain(token);

    const cli = ApiClient.withToken(token);
    expect((await cli.get(`/api/v1/orgs/${org}/projects`)).status).toBe(200);
    const write = await cli.post(`/api/v1/orgs/${org}/projects`, { name: 'from-token' });
    expect(write.status).toBe(403);
    expect(write.body.code).toBe('TOKEN_SCOPE_MISSING');
    // A token cannot mint more tokens.
    expect((await cli.post('/api/v1/tokens', { name: 'x', scopes: ['deploy'] })).body.code).toBe('TOKEN_SCOPE_MISSING');

    expect((await owner.del(`/api/v1/tokens/${created.body.id}`)).status).toBe(204);
    const revoked = await cli.get(`/api/v1/orgs/${org}/projects`);
    expect(revoked.status).toBe(401);
    expect(revoked.body.code).toBe('TOKEN_REVOKED');

    const audit = await owner.get(`/api/v1/orgs/${org}/audit-log`);
    expect(audit.body.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['token.created', 'token.revoked']));
  });

  it('rejects malformed tokens and tokens of other users', async () => {
    const garbage = await ApiClient.withToken('slp_not-a-real-token').get(`/api/v1/orgs/${org}/projects`);
    expect(garbage.status).toBe(401);
    expect(garbage.body.code).toBe('TOKEN_INVALID');
    const other = await signUp('OtherTokenUser');
    const mine = await owner.post('/api/v1/tokens', { name: 'mine', scopes: ['deploy'] });
    expect((await other.client.del(`/api/v1/tokens/${mine.body.id}`)).status).toBe(404);
    const bad = await owner.post('/api/v1/tokens', { name: 'x', scopes: [] });
    expect(bad.body.code).toBe('VALIDATION_FAILED');
  });
});
