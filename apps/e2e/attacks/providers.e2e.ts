import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDnsStub, createTestUpstream, partialUpload, type DnsStub, type TestUpstream } from '@slipway/testing';
import { API_URL, signUp, type ApiClient } from '../support/api-client';
import { E2E } from '../support/env';
import { git, remoteUrl, workingCopy } from '../support/git';

/**
 * The attacker is any signed-up user: they own an organization, so they can add a model
 * provider with any base URL and call it through the gateway with their own key. These tests
 * make the attacks from outside, as such a user would — the REST API, the official OpenAI and
 * Anthropic SDKs, a raw socket — against the platform as `npm test` starts it, and check that
 * each fails with a clear error and that nothing reached the target or was saved.
 *
 * Stand-ins: `upstream` plays an internet provider (on the one loopback port the platform's
 * GATEWAY_UPSTREAM_ALLOW lets through); `inside` is an internal service on loopback that counts
 * the connections it gets; `dns` is the attacker's DNS server (the platform resolves providers'
 * names with it, GATEWAY_UPSTREAM_DNS).
 */
const apiPort = new URL(API_URL).port;
const PUBLIC_ADDRESS = '93.184.215.14'; // only ever resolved, never connected to

interface Tenant {
  client: ApiClient;
  org: string;
  organizationId: string;
  key: string;
  openai: OpenAI;
  anthropic: Anthropic;
}

async function tenant(name: string): Promise<Tenant> {
  const { client, session } = await signUp(name);
  const org = session.organizations[0]!.slug;
  const project = await client.post(`/api/v1/orgs/${org}/projects`, { name: `${name} app` });
  expect(project.status).toBe(201);
  const key = await client.post(`/api/v1/orgs/${org}/projects/${project.body.slug}/gateway/keys`, { name: 'sdk' });
  expect(key.status).toBe(201);
  const token: string = key.body.token;
  return {
    client,
    org,
    organizationId: session.organizations[0]!.organizationId,
    key: token,
    openai: new OpenAI({ apiKey: token, baseURL: `${API_URL}/v1`, maxRetries: 0 }),
    anthropic: new Anthropic({ apiKey: token, baseURL: API_URL, maxRetries: 0 }),
  };
}

const addProvider = (t: Tenant, name: string, baseUrl: string) =>
  t.client.post(`/api/v1/orgs/${t.org}/gateway/providers`, { name, kind: 'OPENAI_COMPATIBLE', baseUrl, apiKey: 'sk-attacker-0001' });
const chat = (t: Tenant, model: string) => t.openai.chat.completions.create({ model, messages: [{ role: 'user', content: 'hello' }] });
/** The SDK's error for a call that must fail (a test failure if it does not). */
const failureOf = (call: Promise<unknown>) =>
  call.then(
    () => expect.fail('the call should have failed'),
    (err: unknown) => err as { status?: number; message: string },
  );

/** Pushes the node-http sample as `t`'s app and returns the loopback port its container is published on. */
async function deployedAppPort(t: Tenant): Promise<number> {
  const project = await t.client.post(`/api/v1/orgs/${t.org}/projects`, { name: 'victim site' });
  const token = (await t.client.post('/api/v1/tokens', { name: 'push', scopes: ['deploy'] })).body.token;
  const app = await workingCopy({ VERSION: 'v1\n' }, 'node-http');
  const push = await git(['push', remoteUrl(token, t.org, project.body.slug), 'main'], app);
  expect(push.out, push.out).toContain('is live at');
  const db = new pg.Client({ connectionString: E2E.databaseUrl });
  await db.connect();
  try {
    const rows = await db.query<{ hostPort: number }>(
      `SELECT "hostPort" FROM "Replica" WHERE "organizationId" = $1 AND state = 'HEALTHY' AND "hostPort" IS NOT NULL`,
      [t.organizationId],
    );
    return rows.rows[0]!.hostPort;
  } finally {
    await db.end();
  }
}

let attacker: Tenant;
let victim: Tenant;
let dns: DnsStub;
let upstream: TestUpstream;
let inside: TestUpstream;
let victimPort: number;

beforeAll(async () => {
  dns = await startDnsStub({ port: E2E.testDnsPort });
  upstream = await createTestUpstream({ port: E2E.testUpstreamPort });
  inside = await createTestUpstream();
  [attacker, victim] = await Promise.all([tenant('Attacker'), tenant('Victim')]);
  victimPort = await deployedAppPort(victim);
});
afterAll(async () => {
  await Promise.all([dns?.close(), upstream?.close(), inside?.close()]);
});

describe('a provider pointing inside the network is refused when saved', () => {
  it('answers 400 PROVIDER_ADDRESS_FORBIDDEN naming the address class, for every kind of internal address, and saves nothing', async () => {
    // The victim's app really is there, one hop away on loopback.
    expect((await fetch(`http://127.0.0.1:${victimPort}/`)).status).toBe(200);
    dns.set('internal.attacker.test', ['127.0.0.1']);
    dns.set('mixed.attacker.test', [PUBLIC_ADDRESS, '10.0.0.1']);
    const attempts: [string, RegExp][] = [
      [`http://127.0.0.1:${apiPort}`, /127\.0\.0\.1 is a loopback address/], // the api itself
      [`http://127.0.0.1:${victimPort}`, /127\.0\.0\.1 is a loopback address/], // another tenant's published container
      ['http://169.254.169.254/latest/meta-data/', /169\.254\.169\.254 is a link-local address/], // cloud metadata
      ['http://10.0.0.1:8000', /10\.0\.0\.1 is a private address/],
      ['http://172.17.0.1:2375', /172\.17\.0\.1 is a private address/], // the Docker bridge
      ['http://192.168.1.1', /is a private address/],
      ['http://100.64.0.1', /is a carrier-grade NAT address/],
      [`http://[::1]:${apiPort}`, /::1 is a loopback address/],
      [`http://[::ffff:127.0.0.1]:${apiPort}`, /is a loopback address/], // IPv4-mapped IPv6
      ['http://[fd00::1]', /is a unique-local address/],
      ['http://[fe80::1]', /is a link-local address/],
      [`http://0.0.0.0:${apiPort}`, /0\.0\.0\.0 is an unspecified address/],
      [`http://2130706433:${apiPort}`, /127\.0\.0\.1 is a loopback address/], // 127.0.0.1 as one number
      [`http://localhost:${apiPort}`, /localhost resolves to a loopback address/],
      [`http://internal.attacker.test:${apiPort}`, /internal\.attacker\.test resolves to a loopback address/],
      ['http://mixed.attacker.test', /mixed\.attacker\.test resolves to a private address/],
      [E2E.mockUrl, /127\.0\.0\.1 is a loopback address/], // the built-in mock is the operator's, not the tenant's to point at
    ];
    for (const [baseUrl, message] of attempts) {
      const res = await addProvider(attacker, 'sneaky', baseUrl);
      expect(res.status, baseUrl).toBe(400);
      expect(res.headers.get('content-type'), baseUrl).toMatch(/^application\/problem\+json/);
      expect(res.body, baseUrl).toMatchObject({
        code: 'PROVIDER_ADDRESS_FORBIDDEN',
        errors: [{ path: 'baseUrl', message: expect.stringMatching(message) }],
      });
      // A resolved address is never named: it may be an internal one the tenant has no business learning.
      if (baseUrl.includes('attacker.test')) expect(JSON.stringify(res.body)).not.toMatch(/10\.0\.0\.1|127\.0\.0\.1/);
    }
    expect((await attacker.client.get(`/api/v1/orgs/${attacker.org}/gateway/providers`)).body.map((p: { name: string }) => p.name)).toEqual(
      ['mock'],
    );
    const audit = await attacker.client.get(`/api/v1/orgs/${attacker.org}/audit-log`);
    expect(audit.body.map((e: { action: string }) => e.action)).not.toContain('gateway.provider_created');
  });

  it('refuses moving a saved provider inside the network, and keeps its base URL', async () => {
    dns.set('llm.attacker.test', [PUBLIC_ADDRESS]);
    expect((await addProvider(attacker, 'legit', 'https://llm.attacker.test')).status).toBe(201);
    const moved = await attacker.client.patch(`/api/v1/orgs/${attacker.org}/gateway/providers/legit`, {
      baseUrl: 'http://169.254.169.254',
    });
    expect(moved.status).toBe(400);
    expect(moved.body.code).toBe('PROVIDER_ADDRESS_FORBIDDEN');
    const providers = (await attacker.client.get(`/api/v1/orgs/${attacker.org}/gateway/providers`)).body;
    expect(providers.find((p: { name: string }) => p.name === 'legit').baseUrl).toBe('https://llm.attacker.test');
  });
});

describe('a provider whose name is re-pointed after it was saved (DNS rebinding)', () => {
  it('is refused when called, with only the address class in the answer, and nothing reaches the internal listener', async () => {
    dns.set('rebind.attacker.test', [PUBLIC_ADDRESS]);
    expect((await addProvider(attacker, 'rebind', `http://rebind.attacker.test:${inside.port}`)).status).toBe(201);
    dns.set('rebind.attacker.test', ['127.0.0.1']);
    const viaOpenAI = await failureOf(chat(attacker, 'rebind/gpt-4o-mini'));
    expect(viaOpenAI.status).toBe(502);
    expect(viaOpenAI.message).toContain('rebind: refused: loopback address');
    const viaAnthropic = await failureOf(
      attacker.anthropic.messages.create({ model: 'rebind/gpt-4o-mini', max_tokens: 16, messages: [{ role: 'user', content: 'hello' }] }),
    );
    expect(viaAnthropic.status).toBe(502);
    expect(viaAnthropic.message).toContain('refused: loopback address');
    for (const err of [viaOpenAI, viaAnthropic]) {
      expect(err.message).not.toContain(String(inside.port));
      expect(err.message).not.toMatch(/ECONNREFUSED|answered by the test upstream/);
    }
    expect(dns.queries).toContain('A rebind.attacker.test');
    expect(inside.connections).toBe(0);
  });

  it("is refused when re-pointed at another tenant's published container", async () => {
    dns.set('victim.attacker.test', [PUBLIC_ADDRESS]);
    expect((await addProvider(attacker, 'victim', `http://victim.attacker.test:${victimPort}`)).status).toBe(201);
    dns.set('victim.attacker.test', ['::ffff:127.0.0.1', '127.0.0.1']);
    const err = await failureOf(chat(attacker, 'victim/gpt-4o-mini'));
    expect(err.status).toBe(502);
    expect(err.message).toContain('victim: refused: loopback address');
    expect(err.message).not.toContain('node-http');
  });
});

describe('hostile upstreams', () => {
  it('a redirect is not followed: 502, and its target gets nothing', async () => {
    upstream.redirectTo = `${inside.url}/fast/v1/chat/completions`;
    expect((await addProvider(attacker, 'redirecting', `${upstream.url}/redirect`)).status).toBe(201);
    const err = await failureOf(chat(attacker, 'redirecting/gpt-4o-mini'));
    expect(err.status).toBe(502);
    expect(err.message).toContain('redirecting answered 302, a redirect, which the gateway does not follow');
    expect(err.message).not.toContain(inside.url);
    expect(inside.connections).toBe(0);
  });

  it('an answer that never ends fails with a 502 at GATEWAY_UPSTREAM_MAX_BYTES, and the gateway stops reading it', async () => {
    expect((await addProvider(attacker, 'huge', `${upstream.url}/huge`)).status).toBe(201);
    const before = upstream.hugeBytesSent;
    const err = await failureOf(chat(attacker, 'huge/gpt-4o-mini'));
    expect(err.status).toBe(502);
    expect(err.message).toContain('huge: the answer is larger than 8 MB');
    await new Promise((r) => setTimeout(r, 300));
    // 64 MB were on offer; the gateway hung up after 8 MB (what else went out sat in socket buffers).
    expect(upstream.hugeBytesSent - before).toBeLessThan(24 * 1024 * 1024);
  });

  it('a stream event that never ends fails the stream, and the gateway stops reading it', async () => {
    expect((await addProvider(attacker, 'endless', `${upstream.url}/endless-event`)).status).toBe(201);
    const before = upstream.hugeBytesSent;
    const err = await failureOf(
      (async () => {
        const stream = await attacker.openai.chat.completions.create({
          model: 'endless/gpt-4o-mini',
          stream: true,
          messages: [{ role: 'user', content: 'hello' }],
        });
        for await (const _ of stream);
      })(),
    );
    expect(err.message).toMatch(/stream event longer than 1048576 characters/);
    await new Promise((r) => setTimeout(r, 300));
    expect(upstream.hugeBytesSent - before).toBeLessThan(16 * 1024 * 1024);
  });
});

describe('the gateway is not a place to park bytes', () => {
  it('answers a 32 MB upload with a bad key with 401 before reading it: 31 MB were never sent', async () => {
    const raw = await partialUpload({
      url: API_URL,
      path: '/v1/chat/completions',
      headers: { authorization: 'Bearer sk-slw-forged-key' },
      declaredBytes: 32 * 1024 * 1024,
      sendBytes: 1024 * 1024,
      waitMs: 5_000,
    });
    expect(raw.status).toBe(401);
    expect(raw.response).toContain('Invalid API key');
    expect(raw.sentBytes).toBe(1024 * 1024);
    expect(raw.answeredAfterMs).toBeLessThan(2_000);

    // The official SDK sending all 32 MB gets the 401 as an AuthenticationError, not a broken connection.
    const sdk = new OpenAI({ apiKey: 'sk-slw-forged-key', baseURL: `${API_URL}/v1`, maxRetries: 0 });
    const err = await failureOf(
      sdk.chat.completions.create({ model: 'default', messages: [{ role: 'user', content: 'a'.repeat(32 * 1024 * 1024 - 1024) }] }),
    );
    expect(err).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(err.status).toBe(401);
  });
});

describe('one tenant flooding a provider origin everyone shares', () => {
  it("leaves the other tenants' calls through", async () => {
    // Both use the same provider origin: the attacker's calls hang for seconds, the victim's answer at once.
    upstream.slowMs = 4_000;
    expect((await addProvider(attacker, 'shared', `${upstream.url}/slow`)).status).toBe(201);
    expect((await addProvider(victim, 'shared', `${upstream.url}/fast`)).status).toBe(201);
    // Twice the origin's connections (GATEWAY_UPSTREAM_CONNECTIONS): without a per-tenant share, every socket is the attacker's.
    const flood = Array.from({ length: E2E.upstreamConnections * 2 }, () =>
      chat(attacker, 'shared/gpt-4o-mini').then(
        () => 200,
        (e: { status?: number }) => e.status,
      ),
    );
    await new Promise((r) => setTimeout(r, 500));
    const started = Date.now();
    for (let i = 0; i < 3; i++) {
      const answer = await chat(victim, 'shared/gpt-4o-mini');
      expect(answer.choices[0]!.message.content).toBe('answered by the test upstream');
    }
    expect(Date.now() - started).toBeLessThan(2_000);
    // The attacker got its share and was told to retry (429) for the rest.
    const statuses = await Promise.all(flood);
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThan(0);
    expect(statuses.every((s) => s === 200 || s === 429)).toBe(true);
  });
});
