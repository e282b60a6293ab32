import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { USAGE_STREAM, type UsageEvent } from '@slipway/contracts';
import { PrismaService } from '@slipway/db';
import { UsageRecorder } from '@slipway/gateway';
import { RedisService } from '@slipway/redis';
import { startGatewayHarness, type GatewayHarness } from './gateway-harness.int-support';

/**
 * Every bad input the issue names gets the provider-shaped error with the right status and a
 * clear message, is never a 500, and is never charged (no provider call, no cost recorded).
 */
let h: GatewayHarness;
const requestIds: string[] = [];

async function post(path: string, body: string, headers: Record<string, string> = {}) {
  const res = await fetch(h.url + path, {
    method: 'POST',
    headers: { 'x-api-key': h.key, 'anthropic-version': '2023-06-01', 'content-type': 'application/json', ...headers },
    body,
  });
  const id = res.headers.get('x-slipway-request-id');
  if (id) requestIds.push(id);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- provider error bodies read as untyped JSON
  return { status: res.status, headers: res.headers, json: (await res.json()) as Record<string, any> };
}
const anthropicBody = (over: Record<string, unknown> = {}) => JSON.stringify({ model: 'chat', max_tokens: 16, messages: [{ role: 'user', content: 'hi' }], ...over });

beforeAll(async () => {
  h = await startGatewayHarness();
  await h.setRouting({
    models: { chat: { routes: [{ provider: 'mock', model: 'mock-smart' }] }, pricey: { routes: [{ provider: 'mock', model: 'mock-pricey' }] } },
    budgets: [{ name: 'pricey-daily', scope: 'alias', match: 'pricey', period: 'day', limitUsd: 0.000001, action: 'block' }],
  });
});
afterAll(async () => h?.close());

describe('bad input', () => {
  it('malformed JSON: 400 invalid_request_error in either shape', async () => {
    const a = await post('/v1/messages', '{"model": "chat",');
    expect(a.status).toBe(400);
    expect(a.json).toEqual({ type: 'error', error: { type: 'invalid_request_error', message: expect.stringMatching(/not valid JSON/) } });
    const o = await post('/v1/chat/completions', 'not json', { authorization: `Bearer ${h.key}` });
    expect(o.status).toBe(400);
    expect(o.json.error).toMatchObject({ type: 'invalid_request_error', message: expect.stringMatching(/not valid JSON/) });
  });

  it('missing max_tokens and missing messages: 400 naming the field', async () => {
    const noMax = await post('/v1/messages', JSON.stringify({ model: 'chat', messages: [{ role: 'user', content: 'hi' }] }));
    expect(noMax.status).toBe(400);
    expect(noMax.json.error.message).toBe('max_tokens: Field required.');
    const noMessages = await post('/v1/messages', JSON.stringify({ model: 'chat', max_tokens: 5 }));
    expect(noMessages.json.error.message).toMatch(/^messages: Field required/);
  });

  it('a model name with spaces or characters outside ASCII: 400, streamed or not', async () => {
    for (const model of ['mock/x\u2014y', 'two words', 'x'.repeat(300)]) {
      const res = await post('/v1/messages', anthropicBody({ model, stream: true }));
      expect(res.status, model).toBe(400);
      expect(res.json.error.message).toMatch(/^model: Use a model id or alias of printable ASCII/);
    }
  });

  it('a body nested deeper than any provider takes: 400, on both endpoints and count_tokens', async () => {
    const deep = `${'['.repeat(50_000)}${']'.repeat(50_000)}`;
    const content = `[{"role":"user","content":${deep}}]`;
    for (const [path, body] of [
      ['/v1/messages', `{"model":"chat","max_tokens":16,"messages":${content}}`],
      ['/v1/chat/completions', `{"model":"chat","messages":${content}}`],
      ['/v1/messages/count_tokens', `{"model":"chat","messages":${content}}`],
    ] as const) {
      const res = await post(path, body, { authorization: `Bearer ${h.key}` });
      expect(res.status, path).toBe(400);
      expect(res.json.error.message, path).toBe('The request body is nested more than 128 levels deep.');
    }
  });

  it('unknown model or alias: 404 naming the known aliases', async () => {
    const a = await post('/v1/messages', anthropicBody({ model: 'gpt-7-ultra' }));
    expect(a.status).toBe(404);
    expect(a.json.error).toMatchObject({ type: 'not_found_error', message: expect.stringMatching(/gpt-7-ultra.*chat/s) });
    const sdk = new Anthropic({ apiKey: h.key, baseURL: h.url, maxRetries: 0 });
    await expect(sdk.messages.create({ model: 'nope', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] })).rejects.toBeInstanceOf(Anthropic.NotFoundError);
  });

  it('a body over 32 MB: 413 request_too_large', async () => {
    const huge = anthropicBody({ messages: [{ role: 'user', content: 'x'.repeat(33 * 1024 * 1024) }] });
    const res = await post('/v1/messages', huge);
    expect(res.status).toBe(413);
    expect(res.json.error).toMatchObject({ type: 'request_too_large', message: expect.stringMatching(/larger than 32 MB/) });
  });

  it('invalid, revoked and expired keys: 401 saying which, with a stable code', async () => {
    const invalid = await post('/v1/messages', anthropicBody(), { 'x-api-key': 'sk-slw-made-up' });
    expect(invalid.status).toBe(401);
    expect(invalid.json.error).toMatchObject({ type: 'authentication_error', code: 'key_invalid', message: expect.stringMatching(/^Invalid API key/) });
    expect(invalid.headers.get('x-slipway-error-code')).toBe('key_invalid');
    const missing = await fetch(`${h.url}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: anthropicBody() });
    expect(missing.status).toBe(401);

    const revoked = await h.createKey({ name: 'to-revoke' });
    expect((await post('/v1/messages', anthropicBody(), { 'x-api-key': revoked.token })).status).toBe(200);
    expect((await h.owner.call('DELETE', `/api/v1/orgs/${h.org}/projects/${h.project}/gateway/keys/${revoked.id}`)).status).toBe(204);
    const afterRevoke = await post('/v1/messages', anthropicBody(), { 'x-api-key': revoked.token });
    expect(afterRevoke.status).toBe(401);
    expect(afterRevoke.json.error.message).toMatch(/revoked/);
    expect(afterRevoke.json.error.code).toBe('key_revoked');

    const expiring = await h.createKey({ name: 'to-expire', expiresInDays: 1 });
    await h.app.get(PrismaService).gatewayKey.update({ where: { id: expiring.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const expired = await post('/v1/messages', anthropicBody(), { 'x-api-key': expiring.token });
    expect(expired.status).toBe(401);
    expect(expired.json.error.message).toMatch(/expired/);
    expect(expired.json.error.code).toBe('key_expired');
  });

  it('an exhausted budget: 429 naming the budget, told not to retry', async () => {
    const res = await post('/v1/messages', anthropicBody({ model: 'pricey' }));
    expect(res.status).toBe(429);
    expect(res.headers.get('x-should-retry')).toBe('false');
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(res.json.error).toMatchObject({ type: 'rate_limit_error', message: expect.stringMatching(/pricey-daily/) });
  });

  it('none of them reached a provider or cost anything, and none was a 500', async () => {
    const calls = h.mock.requests.filter((r) => r.endpoint === 'messages' || r.endpoint === 'chat');
    expect(calls).toHaveLength(1); // the one good call made with the key later revoked
    await h.app.get(UsageRecorder).flush();
    const entries = await h.app.get(RedisService).client.xrange(USAGE_STREAM, '-', '+');
    // Each entry carries a batch of events (field "events", a JSON array).
    const events = entries.flatMap(([, fields]) => JSON.parse(fields[1]!) as UsageEvent[]).filter((e) => requestIds.includes(e.id));
    const rejected = events.filter((e) => e.status >= 400);
    // Requests with a valid key are recorded (a bad key has no project to attribute to).
    expect(rejected.length).toBe(11);
    expect(rejected.every((e) => e.costMicros === 0 && e.status !== 500)).toBe(true);
    expect(rejected.map((e) => e.errorCategory)).toEqual(expect.arrayContaining(['invalid_request', 'no_route', 'budget_exceeded']));
  });
});
