import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { ApiClient, signUp, uniqueEmail } from '../support/api-client';
import { E2E } from '../support/env';

describe('accounts and sessions', () => {
  it('signs up into a new organization owned by the user, and the session cookie works', async () => {
    const tag = Date.now().toString(36);
    const { client, session } = await signUp('Ada', `Analytical Engines ${tag}`);
    expect(session.organizations).toEqual([expect.objectContaining({ name: `Analytical Engines ${tag}`, slug: `analytical-engines-${tag}`, role: 'OWNER' })]);
    const me = await client.get('/api/v1/auth/session');
    expect(me.status).toBe(200);
    expect(me.body.user.email).toBe(session.user.email);
    expect(JSON.stringify(me.body)).not.toContain('passwordHash');
  });

  it('rejects a duplicate email with EMAIL_TAKEN and creates nothing', async () => {
    const { email } = await signUp('Grace');
    const again = await new ApiClient().post('/api/v1/auth/signup', { name: 'Other', email, password: 'another long password' });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('EMAIL_TAKEN');
  });

  it('logs in, logs out, and the old cookie no longer works', async () => {
    const { email, password } = await signUp('Linus');
    const client = new ApiClient();
    const login = await client.post('/api/v1/auth/login', { email, password });
    expect(login.status).toBe(200);
    client.csrf = login.body.csrfToken;
    expect((await client.post('/api/v1/auth/logout')).status).toBe(204);
    const after = await client.get('/api/v1/auth/session');
    expect(after.status).toBe(401);
    expect(after.body.code).toBe('UNAUTHENTICATED');
  });

  it('answers a wrong password with INVALID_CREDENTIALS, and the same for an unknown email', async () => {
    const { email } = await signUp('Barbara');
    const wrong = await new ApiClient().post('/api/v1/auth/login', { email, password: 'not the password' });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toMatchObject({ code: 'INVALID_CREDENTIALS', title: 'Email or password is incorrect.' });
    const unknown = await new ApiClient().post('/api/v1/auth/login', { email: uniqueEmail('nobody'), password: 'whatever it is' });
    expect(unknown.status).toBe(401);
    expect(unknown.body.code).toBe('INVALID_CREDENTIALS');
  });

  it('throttles repeated failed logins per account with 429 and Retry-After, even with the right password', async () => {
    const { email, password } = await signUp('Mallory');
    let last;
    for (let i = 0; i < 12; i++) last = await new ApiClient().post('/api/v1/auth/login', { email, password: `wrong-${i}-password` });
    expect(last!.status).toBe(429);
    expect(last!.body.code).toBe('TOO_MANY_ATTEMPTS');
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
    const right = await new ApiClient().post('/api/v1/auth/login', { email, password });
    expect(right.status).toBe(429);
  });

  it('answers an expired session with SESSION_EXPIRED', async () => {
    const { client, session } = await signUp('Expiring');
    const db = new pg.Client({ connectionString: E2E.databaseUrl });
    await db.connect();
    try {
      await db.query(`UPDATE "Session" SET "expiresAt" = now() - interval '1 minute' WHERE "userId" = $1`, [session.user.id]);
    } finally {
      await db.end();
    }
    const res = await client.get('/api/v1/auth/session');
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('SESSION_EXPIRED');
  });

  it('refuses a cookie-authenticated write without the CSRF token', async () => {
    const { client, session } = await signUp('Csrf');
    const org = session.organizations[0]!.slug;
    const res = await client.call('POST', `/api/v1/orgs/${org}/projects`, { name: 'No Csrf' }, { headers: { 'x-csrf-token': 'forged' } });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('CSRF_FAILED');
    expect((await client.get(`/api/v1/orgs/${org}/projects`)).body).toEqual([]);
  });

  it('answers malformed JSON, oversize bodies, bad fields and unknown routes with problem+json', async () => {
    const { client, session } = await signUp('Fuzz');
    const org = session.organizations[0]!.slug;
    const malformed = await client.call('POST', `/api/v1/orgs/${org}/projects`, undefined, { raw: '{"name": "x",' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.code).toBe('MALFORMED_JSON');
    expect(malformed.headers.get('content-type')).toContain('application/problem+json');

    const huge = await client.call('POST', `/api/v1/orgs/${org}/projects`, undefined, { raw: JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024) }) });
    expect(huge.status).toBe(413);
    expect(huge.body.code).toBe('PAYLOAD_TOO_LARGE');

    const invalid = await client.post('/api/v1/auth/signup', { name: '', email: 'not-an-email', password: 'short' });
    expect(invalid.status).toBe(400);
    expect(invalid.body.code).toBe('VALIDATION_FAILED');
    expect(invalid.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['email', 'name', 'password']);

    const unknown = await client.get('/api/v1/nope');
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('ROUTE_NOT_FOUND');
    expect((await client.get(`/api/v1/orgs/${org}/projects`)).body).toEqual([]);
  });

  it('serves health, readiness and the OpenAPI document', async () => {
    const api = new ApiClient();
    expect((await api.get('/healthz')).status).toBe(200);
    const ready = await api.get('/readyz');
    expect(ready.body).toEqual({ status: 'ready', checks: { database: 'ok', redis: 'ok' } });
    const doc = await api.get('/api/docs/openapi.json');
    expect(doc.body.openapi).toBe('3.1.0');
    expect(Object.keys(doc.body.paths)).toContain('/api/v1/orgs/{org}/projects');
    expect((await api.get('/api/docs')).status).toBe(200);
  });
});
