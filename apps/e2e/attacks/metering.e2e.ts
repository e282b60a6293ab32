import Anthropic from '@anthropic-ai/sdk';
import { Redis } from 'ioredis';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_URL, signUp, type ApiClient } from '../support/api-client';
import { E2E } from '../support/env';

/**
 * Metering that loses nothing and gives nothing away. The attacker is any signed-up user with
 * a gateway key and a budget: they hope a Redis restart (or eviction, or FLUSHALL) resets the
 * budget counters so spent money comes back, or that a key of an environment or project they
 * deleted keeps working from some process's cache. Calls are made with the official SDKs
 * against the platform as `npm test` starts it. "Losing the counters" deletes this tenant's own
 * counter keys in the platform's Redis — exactly what a restart does to them — and nothing else.
 */

interface Tenant {
  client: ApiClient;
  org: string;
  organizationId: string;
}

async function tenant(name: string): Promise<Tenant> {
  const { client, session } = await signUp(name);
  return { client, org: session.organizations[0]!.slug, organizationId: session.organizations[0]!.organizationId };
}

async function project(t: Tenant, name: string): Promise<string> {
  const created = await t.client.post(`/api/v1/orgs/${t.org}/projects`, { name });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body.slug as string;
}

async function gatewayKey(t: Tenant, slug: string, body: Record<string, unknown>): Promise<string> {
  const key = await t.client.post(`/api/v1/orgs/${t.org}/projects/${slug}/gateway/keys`, { name: 'sdk', ...body });
  expect(key.status, JSON.stringify(key.body)).toBe(201);
  return key.body.token as string;
}

const anthropic = (key: string) => new Anthropic({ apiKey: key, baseURL: API_URL, maxRetries: 0 });
const openai = (key: string) => new OpenAI({ apiKey: key, baseURL: `${API_URL}/v1`, maxRetries: 0 });

/** The SDK's error for a call that must fail (a test failure if it does not). */
const failureOf = (call: Promise<unknown>) =>
  call.then(
    () => expect.fail('the call should have been refused'),
    (err: unknown) => err as { status?: number; message: string; error?: any; headers?: Headers | Record<string, string> },
  );
const headerOf = (err: { headers?: Headers | Record<string, string> }, name: string) =>
  err.headers instanceof Headers ? err.headers.get(name) : (err.headers?.[name] ?? null);

/** The sequence number of the last request the platform's mock provider received (every call that reached a provider). */
async function providerCalls(): Promise<number> {
  const res = await fetch(`${E2E.mockUrl}/__mock/requests`);
  const { requests } = (await res.json()) as { requests: { seq: number }[] };
  return requests.at(-1)?.seq ?? 0;
}

let redis: Redis;
beforeAll(() => {
  redis = new Redis(E2E.redisUrl, { maxRetriesPerRequest: 1 });
});
afterAll(() => redis?.disconnect());

/** What a Redis restart does to one organization's budget counters (and only its own). */
async function loseCounters(organizationId: string): Promise<number> {
  const keys = await redis.keys(`slipway:gw:{${organizationId}}:*`);
  if (keys.length > 0) await redis.del(...keys);
  return keys.length;
}

// 50,000 input tokens for the mock (a token is up to 8 characters) and one output token (the
// mock streams output at 80 tokens/s under test): mock-smart bills $3 per million input tokens,
// so each call costs $0.15 of a $1 budget, and reserves about twice that up front (4 characters
// per token estimated): five calls are served, the sixth is refused.
const LONG_PROMPT = 'spendit '.repeat(50_000);
const BUDGET_USD = 1;
const spend = { model: 'mock/mock-smart', max_tokens: 1 } as const;

describe('a spent budget stays spent when Redis loses its counters', () => {
  it('refuses the next call after the counters are lost, with the OpenAI and the Anthropic SDK, and the refused calls never reach a provider', async () => {
    const t = await tenant('Spender');
    const slug = await project(t, 'metered app');
    const key = await gatewayKey(t, slug, { monthlyBudgetUsd: BUDGET_USD });
    const gpt = openai(key);
    const claude = anthropic(key);

    // Spend the budget: calls succeed until the key's monthly budget refuses one.
    let served = 0;
    let refusal: { status?: number; message: string } | null = null;
    for (let i = 0; i < 10 && !refusal; i++) {
      try {
        await gpt.chat.completions.create({ ...spend, messages: [{ role: 'user', content: LONG_PROMPT }] });
        served++;
      } catch (err) {
        refusal = err as { status?: number; message: string };
      }
    }
    expect(served).toBeGreaterThanOrEqual(3);
    expect(refusal?.status).toBe(429);
    expect(refusal?.message).toMatch(/Budget "key-monthly-budget"/);

    // The counters go, as in a Redis restart.
    expect(await loseCounters(t.organizationId)).toBeGreaterThan(0);
    const reached = await providerCalls();
    const afterLoss = await failureOf(claude.messages.create({ ...spend, messages: [{ role: 'user', content: LONG_PROMPT }] }));
    expect(afterLoss.status).toBe(429);
    // The Anthropic SDK's message is the body's JSON: the budget's message is in error.error.message.
    expect(afterLoss.error?.error?.message).toMatch(/^Budget "key-monthly-budget" \(\$1\.00 per month, UTC\) has \$0\.2\d+ left for this key/);
    const again = await failureOf(gpt.chat.completions.create({ ...spend, messages: [{ role: 'user', content: LONG_PROMPT }] }));
    expect(again.status).toBe(429);
    expect(await providerCalls()).toBe(reached); // nothing reached the provider: nothing was served for free

    // Lost again, after the worker has written everything to PostgreSQL: still refused.
    await new Promise((r) => setTimeout(r, 2_500));
    await loseCounters(t.organizationId);
    expect((await failureOf(claude.messages.create({ ...spend, messages: [{ role: 'user', content: LONG_PROMPT }] }))).status).toBe(429);
    expect(await providerCalls()).toBe(reached);
  });
});

describe('keys of deleted environments and projects stop working at once', () => {
  it("answers the very next call with a deleted environment's key 401 key_environment_deleted", async () => {
    const t = await tenant('Deleter');
    const slug = await project(t, 'short lived');
    const env = await t.client.post(`/api/v1/orgs/${t.org}/projects/${slug}/environments`, { name: 'preview', branch: 'preview' });
    expect(env.status, JSON.stringify(env.body)).toBe(201);
    const key = await gatewayKey(t, slug, { environment: 'preview' });
    const claude = anthropic(key);
    const ask = () => claude.messages.create({ model: 'fast', max_tokens: 16, messages: [{ role: 'user', content: 'hi' }] });

    expect((await ask()).content.length).toBeGreaterThan(0); // the key works, and is now cached by the api

    expect((await t.client.del(`/api/v1/orgs/${t.org}/projects/${slug}/environments/preview`)).status).toBe(204);
    const reached = await providerCalls();
    const refused = await failureOf(ask());
    expect(refused.status).toBe(401);
    expect(refused.error?.error).toMatchObject({ type: 'authentication_error', code: 'key_environment_deleted' });
    expect(refused.message).toMatch(/belonged to an environment that was deleted/);
    expect(headerOf(refused, 'x-slipway-error-code')).toBe('key_environment_deleted');
    const viaOpenAI = await failureOf(openai(key).chat.completions.create({ model: 'fast', messages: [{ role: 'user', content: 'hi' }] }));
    expect(viaOpenAI.status).toBe(401);
    // OpenAI's own code in an OpenAI-format body; the gateway's stays in the header (docs/gateway.md, Errors).
    expect(viaOpenAI.error).toMatchObject({ code: 'invalid_api_key' });
    expect(headerOf(viaOpenAI, 'x-slipway-error-code')).toBe('key_environment_deleted');
    expect(await providerCalls()).toBe(reached);
  });

  it("answers the very next call with a deleted project's key 401 key_invalid", async () => {
    const t = await tenant('ProjectDeleter');
    const slug = await project(t, 'gone soon');
    const key = await gatewayKey(t, slug, {});
    const gpt = openai(key);
    const ask = () => gpt.chat.completions.create({ model: 'fast', messages: [{ role: 'user', content: 'hi' }] });
    expect((await ask()).choices.length).toBe(1);

    expect((await t.client.del(`/api/v1/orgs/${t.org}/projects/${slug}`)).status).toBe(204);
    const refused = await failureOf(ask());
    expect(refused.status).toBe(401);
    expect(refused.error).toMatchObject({ type: 'authentication_error', code: 'invalid_api_key' });
    expect(headerOf(refused, 'x-slipway-error-code')).toBe('key_invalid');
  });

  it("answers the very next call with a revoked key 401 key_revoked", async () => {
    const t = await tenant('Revoker');
    const slug = await project(t, 'revoking');
    const created = await t.client.post(`/api/v1/orgs/${t.org}/projects/${slug}/gateway/keys`, { name: 'sdk' });
    const claude = anthropic(created.body.token);
    const ask = () => claude.messages.create({ model: 'fast', max_tokens: 16, messages: [{ role: 'user', content: 'hi' }] });
    await ask();
    expect((await t.client.del(`/api/v1/orgs/${t.org}/projects/${slug}/gateway/keys/${created.body.id}`)).status).toBe(204);
    const refused = await failureOf(ask());
    expect(refused.status).toBe(401);
    expect(refused.error?.error).toMatchObject({ code: 'key_revoked' });
  });
});
