import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDnsStub, createTestUpstream, partialUpload, type DnsStub, type TestUpstream } from '@slipway/testing';
import { HarnessUser, startGatewayHarness, type GatewayHarness } from './gateway-harness.int-support';

/**
 * The gateway against hostile upstreams and hostile callers, through the official SDK: DNS
 * rebinding after a provider was saved, redirects, endless answers, a flood from one
 * organization on a provider origin others use too, and bodies sent with a bad key or beyond the
 * process's budget. The test upstream is on loopback, allowed by the operator's allow-list; the
 * internal target ("inside") is not.
 */
let h: GatewayHarness;
let dns: DnsStub;
let upstream: TestUpstream;
let inside: TestUpstream;
let sdk: OpenAI;
const CONNECTIONS = 4;

async function addProvider(user: HarnessUser, org: string, name: string, baseUrl: string) {
  const res = await user.call('POST', `/api/v1/orgs/${org}/gateway/providers`, {
    name,
    kind: 'OPENAI_COMPATIBLE',
    baseUrl,
    apiKey: 'sk-test-upstream-1',
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
}
const ask = (client: OpenAI, model: string) => client.chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }] });
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.fail('the call should have failed'),
    (err: unknown) => err as { status?: number; message: string },
  );

beforeAll(async () => {
  dns = await startDnsStub();
  upstream = await createTestUpstream({ hugeBytes: 48 * 1024 * 1024 });
  inside = await createTestUpstream();
  h = await startGatewayHarness({
    config: {
      GATEWAY_UPSTREAM_ALLOW: [`127.0.0.1:${upstream.port}`],
      GATEWAY_UPSTREAM_DNS: [dns.address],
      GATEWAY_UPSTREAM_MAX_BYTES: 1024 * 1024,
      GATEWAY_UPSTREAM_MAX_EVENT_BYTES: 64 * 1024,
      GATEWAY_UPSTREAM_CONNECTIONS: CONNECTIONS,
      GATEWAY_ORG_CONNECTION_SHARE: 50,
    },
  });
  sdk = new OpenAI({ apiKey: h.key, baseURL: `${h.url}/v1`, maxRetries: 0 });
});
afterAll(async () => {
  await h?.close();
  await Promise.all([dns?.close(), upstream?.close(), inside?.close()]);
});

describe('hostile upstreams', () => {
  it('refuses a name re-pointed at loopback after it was saved (DNS rebinding); nothing reaches the listener', async () => {
    dns.set('rebind.attacker.test', ['93.184.215.14']);
    await addProvider(h.owner, h.org, 'rebind', `http://rebind.attacker.test:${inside.port}`);
    dns.set('rebind.attacker.test', ['127.0.0.1']);
    const err = await failure(ask(sdk, 'rebind/gpt-4o-mini'));
    expect(err.status).toBe(502);
    expect(err.message).toContain('rebind: refused: loopback address');
    expect(err.message).not.toContain(String(inside.port));
    expect(dns.queries).toContain('A rebind.attacker.test');
    expect(inside.connections).toBe(0);
  });

  it('does not follow a redirect: a 502, and the redirect target gets nothing', async () => {
    upstream.redirectTo = `${inside.url}/fast/v1/chat/completions`;
    await addProvider(h.owner, h.org, 'redirecting', `${upstream.url}/redirect`);
    const err = await failure(ask(sdk, 'redirecting/gpt-4o-mini'));
    expect(err.status).toBe(502);
    expect(err.message).toMatch(/redirecting answered 302, a redirect, which the gateway does not follow/);
    expect(err.message).not.toContain(inside.url);
    expect(inside.connections).toBe(0);
  });

  it('fails an answer past GATEWAY_UPSTREAM_MAX_BYTES with a 502 and hangs up on it', async () => {
    await addProvider(h.owner, h.org, 'huge', `${upstream.url}/huge`);
    const before = upstream.hugeBytesSent;
    const err = await failure(ask(sdk, 'huge/gpt-4o-mini'));
    expect(err.status).toBe(502);
    expect(err.message).toContain('huge: the answer is larger than 1 MB');
    // 48 MB were on offer; the gateway stopped at 1 MB (what else was sent sat in socket buffers).
    await new Promise((r) => setTimeout(r, 200));
    expect(upstream.hugeBytesSent - before).toBeLessThan(16 * 1024 * 1024);
  });

  it('ends a stream whose event never ends, and hangs up on it', async () => {
    await addProvider(h.owner, h.org, 'endless', `${upstream.url}/endless-event`);
    const before = upstream.hugeBytesSent;
    const err = await failure(
      (async () => {
        for await (const _ of await sdk.chat.completions.create({
          model: 'endless/gpt-4o-mini',
          stream: true,
          messages: [{ role: 'user', content: 'hi' }],
        }));
      })(),
    );
    expect(err.message).toMatch(/longer than 65536 characters/);
    await new Promise((r) => setTimeout(r, 200));
    expect(upstream.hugeBytesSent - before).toBeLessThan(16 * 1024 * 1024);
  });
});

describe('one organization flooding a shared provider origin', () => {
  it("keeps within its share of the origin's connections, so another organization's call still gets through", async () => {
    const other = new HarnessUser(h.url);
    const signup = await other.call('POST', '/api/v1/auth/signup', {
      name: 'Other Tenant',
      email: `other-${Date.now()}@example.test`,
      password: 'correct horse battery staple',
    });
    const otherOrg: string = signup.body.organizations[0].slug;
    const project = await other.call('POST', `/api/v1/orgs/${otherOrg}/projects`, { name: 'Other' });
    const otherKey: string = (
      await other.call('POST', `/api/v1/orgs/${otherOrg}/projects/${project.body.slug}/gateway/keys`, { name: 'sdk' })
    ).body.token;
    // Both point at the same origin: the flooder at its slow path, the other at its fast one.
    await addProvider(h.owner, h.org, 'shared-slow', `${upstream.url}/slow`);
    await addProvider(other, otherOrg, 'shared-fast', `${upstream.url}/fast`);
    upstream.slowMs = 3_000;

    const flood = Array.from({ length: CONNECTIONS * 3 }, () =>
      ask(sdk, 'shared-slow/gpt-4o-mini').then(
        () => 'ok',
        (e: { status?: number }) => String(e.status),
      ),
    );
    await new Promise((r) => setTimeout(r, 300)); // the flood holds its connections
    const started = Date.now();
    const answer = await ask(new OpenAI({ apiKey: otherKey, baseURL: `${h.url}/v1`, maxRetries: 0 }), 'shared-fast/gpt-4o-mini');
    expect(answer.choices[0]!.message.content).toBe('answered by the test upstream');
    expect(Date.now() - started).toBeLessThan(1_500);

    // The flooder got its share (2 of 4 connections) and waited or was told to retry for the rest.
    const outcomes = await Promise.all(flood);
    expect(outcomes.filter((o) => o === 'ok').length).toBeGreaterThanOrEqual(2);
    expect(outcomes.every((o) => o === 'ok' || o === '429')).toBe(true);
  });
});

describe('bodies', () => {
  it('answers a bad key with a 401 before reading the body: 31 of the announced 32 MB never sent', async () => {
    const result = await partialUpload({
      url: h.url,
      path: '/v1/chat/completions',
      headers: { authorization: 'Bearer sk-slw-not-a-real-key' },
      declaredBytes: 32 * 1024 * 1024,
      sendBytes: 1024 * 1024,
      waitMs: 3_000,
    });
    expect(result.status).toBe(401);
    expect(result.response).toContain('Invalid API key');
    expect(result.sentBytes).toBe(1024 * 1024);
  });

  it('gives the official SDK that sends all 32 MB with a bad key the 401 as an AuthenticationError, not a broken connection', async () => {
    const forged = new OpenAI({ apiKey: 'sk-slw-not-a-real-key', baseURL: `${h.url}/v1`, maxRetries: 0 });
    // Several times: a reset racing the answer would show as a Connection error now and then.
    for (let i = 0; i < 3; i++) {
      const err = await forged.chat.completions.create({ model: 'any', messages: [{ role: 'user', content: 'a'.repeat(32 * 1024 * 1024 - 1024) }] }).then(
        () => expect.fail('a forged key must not be served'),
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(OpenAI.AuthenticationError);
    }
  });
});

describe('bytes in flight across requests', () => {
  let small: GatewayHarness;
  beforeAll(async () => {
    small = await startGatewayHarness({ config: { GATEWAY_MAX_BODY_BYTES: 1024 * 1024, GATEWAY_BODY_BYTES_IN_FLIGHT: 1024 * 1024 } });
  });
  afterAll(async () => small?.close());

  it('answers 503 with retry-after when the process already holds its budget of request bytes', async () => {
    // One upload holds 700 KB of the 1 MB budget and stops there…
    const holding = partialUpload({
      url: small.url,
      path: '/v1/chat/completions',
      headers: { authorization: `Bearer ${small.key}` },
      declaredBytes: 900 * 1024,
      sendBytes: 700 * 1024,
      waitMs: 2_000,
    });
    await new Promise((r) => setTimeout(r, 500));
    // …so another announcing 900 KB is turned away at once, without being read.
    const refused = await partialUpload({
      url: small.url,
      path: '/v1/chat/completions',
      headers: { authorization: `Bearer ${small.key}` },
      declaredBytes: 900 * 1024,
      sendBytes: 0,
      waitMs: 2_000,
    });
    expect(refused.status).toBe(503);
    expect(refused.response).toMatch(/retry-after: 1/i);
    expect(refused.response).toContain('too much request data');
    expect((await holding).status).toBeNull(); // still waiting for the rest of its body
    // Once that upload is gone, its bytes are given back.
    await new Promise((r) => setTimeout(r, 200));
    const res = await new OpenAI({ apiKey: small.key, baseURL: `${small.url}/v1`, maxRetries: 0 }).chat.completions.create({
      model: 'mock/mock-fast',
      messages: [{ role: 'user', content: 'x'.repeat(600 * 1024) }],
    });
    expect(res.choices[0]!.message.content).toContain('Echo:');
  });
});
