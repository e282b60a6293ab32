import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiTestConfig } from '../gateway/gateway-harness.int-support';
import { createTestDatabase, type TestDatabase } from '@slipway/testing';
import { createApi } from '../bootstrap';

/** A client of the api under test, through Fastify's inject (no port): session cookie and CSRF token as the console sends them. */
class Client {
  private cookie = '';
  private csrf = '';
  constructor(private readonly token?: string) {}

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are read as untyped JSON, as any client of the API would
  async call(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, body?: unknown): Promise<{ status: number; body: any }> {
    const headers: Record<string, string> = {};
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (this.cookie) headers.cookie = this.cookie;
    if (this.csrf && method !== 'GET') headers['x-csrf-token'] = this.csrf;
    const res = await app
      .getHttpAdapter()
      .getInstance()
      .inject({ method, url: `/api/v1${url}`, headers, ...(body === undefined ? {} : { payload: body as object }) });
    const set = res.headers['set-cookie'];
    const cookies = (Array.isArray(set) ? set : set ? [set] : []).map((c) => c.split(';')[0]!);
    if (cookies.length) this.cookie = cookies.join('; ');
    const parsed = res.body ? JSON.parse(res.body) : undefined;
    if (parsed?.csrfToken) this.csrf = parsed.csrfToken;
    return { status: res.statusCode, body: parsed };
  }
}

let app: NestFastifyApplication;
let db: TestDatabase;
let dataDir: string;
const owner = new Client();
const viewer = new Client();
const outsider = new Client();
let org: string;
let outsiderOrg: string;

async function signUp(client: Client, name: string): Promise<string> {
  const res = await client.call('POST', '/auth/signup', {
    name,
    email: `${name.toLowerCase()}-${randomBytes(3).toString('hex')}@example.test`,
    password: 'correct horse battery staple',
  });
  expect(res.status).toBe(201);
  return res.body.organizations[0].slug;
}

beforeAll(async () => {
  db = await createTestDatabase();
  dataDir = mkdtempSync(join(tmpdir(), 'slipway-gw-settings-'));
  app = await createApi(apiTestConfig(db.url, dataDir));
  await app.init();
  await app.getHttpAdapter().getInstance().ready();

  org = await signUp(owner, 'Owner');
  expect((await owner.call('POST', `/orgs/${org}/projects`, { name: 'chat' })).status).toBe(201);
  await signUp(viewer, 'Viewer');
  const invitation = await owner.call('POST', `/orgs/${org}/invitations`, { role: 'VIEWER' });
  expect((await viewer.call('POST', `/invitations/${invitation.body.token}/accept`)).status).toBe(200);
  outsiderOrg = await signUp(outsider, 'Outsider');
  expect((await outsider.call('POST', `/orgs/${outsiderOrg}/projects`, { name: 'chat' })).status).toBe(201);
});

afterAll(async () => {
  await app?.close();
  await db?.drop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('gateway keys over HTTP', () => {
  it('lets a member create a key shown once, and a viewer only list', async () => {
    const created = await owner.call('POST', `/orgs/${org}/projects/chat/gateway/keys`, { name: 'sdk', expiresInDays: 30 });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'sdk',
      kind: 'USER',
      scopes: ['messages', 'models'],
      token: expect.stringMatching(/^sk-slw-/),
    });

    const denied = await viewer.call('POST', `/orgs/${org}/projects/chat/gateway/keys`, { name: 'mine' });
    expect(denied.status).toBe(403);
    expect(denied.body.code).toBe('FORBIDDEN');
    expect((await viewer.call('DELETE', `/orgs/${org}/projects/chat/gateway/keys/${created.body.id}`)).status).toBe(403);

    const listed = await viewer.call('GET', `/orgs/${org}/projects/chat/gateway/keys`);
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual([expect.objectContaining({ id: created.body.id, prefix: created.body.prefix, revokedAt: null })]);
    expect(JSON.stringify(listed.body)).not.toContain(created.body.token);
  });

  it('hides keys from other organizations and refuses to revoke them', async () => {
    const created = await owner.call('POST', `/orgs/${org}/projects/chat/gateway/keys`, { name: 'private' });
    expect((await outsider.call('GET', `/orgs/${org}/projects/chat/gateway/keys`)).status).toBe(404);
    expect((await outsider.call('DELETE', `/orgs/${org}/projects/chat/gateway/keys/${created.body.id}`)).status).toBe(404);
    // Through its own organization's project of the same name: still not found.
    const sideways = await outsider.call('DELETE', `/orgs/${outsiderOrg}/projects/chat/gateway/keys/${created.body.id}`);
    expect(sideways.status).toBe(404);
    expect(sideways.body.code).toBe('NOT_FOUND');
    expect((await owner.call('DELETE', `/orgs/${org}/projects/chat/gateway/keys/${created.body.id}`)).status).toBe(204);
  });

  it('rejects bad key input and API tokens that try to mint keys', async () => {
    for (const body of [
      { name: '' },
      { name: 'x', scopes: [] },
      { name: 'x', scopes: ['admin'] },
      { name: 'x', expiresInDays: 0 },
      { name: 'x', monthlyBudgetUsd: -1 },
      { name: 'x', colour: 'red' },
    ]) {
      const res = await owner.call('POST', `/orgs/${org}/projects/chat/gateway/keys`, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
    }
    const token = (await owner.call('POST', '/tokens', { name: 'ci', scopes: ['projects:read', 'projects:write'] })).body.token;
    const cli = new Client(token);
    expect((await cli.call('GET', `/orgs/${org}/projects/chat/gateway/keys`)).status).toBe(200);
    expect((await cli.call('POST', `/orgs/${org}/projects/chat/gateway/keys`, { name: 'x' })).body.code).toBe('TOKEN_SCOPE_MISSING');
  });
});

describe('providers and routing over HTTP', () => {
  it('lets an admin add a provider, never echoes its key, and keeps members from changing providers', async () => {
    const created = await owner.call('POST', `/orgs/${org}/gateway/providers`, {
      name: 'anthropic',
      kind: 'ANTHROPIC',
      apiKey: 'sk-ant-http-secret-9876',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'anthropic', credentialHint: '9876', builtIn: false });
    expect(
      (await owner.call('POST', `/orgs/${org}/gateway/providers`, { name: 'mock', kind: 'OPENAI', apiKey: 'sk-whatever-123' })).body.code,
    ).toBe('PROVIDER_NAME_RESERVED');
    expect(
      (await owner.call('POST', `/orgs/${org}/gateway/providers`, { name: 'anthropic', kind: 'ANTHROPIC', apiKey: 'sk-whatever-123' }))
        .status,
    ).toBe(409);
    expect((await viewer.call('GET', `/orgs/${org}/gateway/providers`)).status).toBe(403);
    expect((await viewer.call('PATCH', `/orgs/${org}/gateway/providers/anthropic`, { apiKey: 'sk-ant-stolen-0000' })).status).toBe(403);

    const list = await owner.call('GET', `/orgs/${org}/gateway/providers`);
    expect(list.body.map((p: { name: string; builtIn: boolean }) => `${p.name}:${p.builtIn}`)).toEqual(['mock:true', 'anthropic:false']);
    const audit = await owner.call('GET', `/orgs/${org}/audit-log`);
    expect(audit.body.map((e: { action: string }) => e.action)).toContain('gateway.provider_created');
    expect(JSON.stringify([created.body, list.body, audit.body])).not.toContain('http-secret');
  });

  it('answers 400 with the paths of every problem in invalid routing defaults', async () => {
    const res = await owner.call('PUT', `/orgs/${org}/gateway/routing`, { config: { models: { chat: { routes: [] } }, retryBudget: 3 } });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(
      expect.arrayContaining(['config.models.chat.routes', 'config.retryBudget']),
    );
    expect((await owner.call('GET', `/orgs/${org}/gateway/routing`)).body).toEqual({ config: {}, updatedAt: null });
  });

  it('saves defaults for admins and shows the effective routing of an environment with its source', async () => {
    const config = { models: { chat: { routes: [{ provider: 'anthropic', model: 'claude-haiku-4-5' }] } } };
    expect((await viewer.call('PUT', `/orgs/${org}/gateway/routing`, { config })).status).toBe(403);
    const saved = await owner.call('PUT', `/orgs/${org}/gateway/routing`, { config });
    expect(saved.status).toBe(200);
    expect(saved.body.config).toEqual(config);
    const effective = await viewer.call('GET', `/orgs/${org}/projects/chat/environments/production/gateway/routing`);
    expect(effective.status).toBe(200);
    expect(effective.body).toMatchObject({ config, from: { source: 'organization' } });
    expect(effective.body.providers.map((p: { name: string }) => p.name)).toEqual(['mock', 'anthropic']);
    expect((await outsider.call('GET', `/orgs/${org}/projects/chat/environments/production/gateway/routing`)).status).toBe(404);
  });
});
