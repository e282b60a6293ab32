import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatewayHarness, type GatewayHarness } from '../gateway/gateway-harness.int-support';

/** The console's budget bars: each budget of the environment's routing with what the gateway has counted against it. */
let h: GatewayHarness;
let base: string;

beforeAll(async () => {
  h = await startGatewayHarness();
  base = `/api/v1/orgs/${h.org}/projects/${h.project}/gateway/budgets`;
});
afterAll(async () => h?.close());

async function ask(model: string): Promise<{ input_tokens: number; output_tokens: number }> {
  const res = await fetch(`${h.url}/v1/messages`, {
    method: 'POST',
    headers: { 'x-api-key': h.key, 'anthropic-version': '2023-06-01', 'content-type': 'application/json' },
    body: JSON.stringify({ model, max_tokens: 32, messages: [{ role: 'user', content: 'hello there' }] }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { usage: { input_tokens: number; output_tokens: number } }).usage;
}

describe('GET …/gateway/budgets', () => {
  it('lists no budgets while the routing sets none', async () => {
    const res = await h.owner.call('GET', base);
    expect(res.status).toBe(200);
    expect(res.body).toEqual([]);
  });

  it('shows each budget of the routing with its limit, and the spend of a call against it', async () => {
    await h.setRouting({
      models: { chat: { routes: [{ provider: 'mock', model: 'mock-smart' }] } },
      budgets: [
        { name: 'daily', scope: 'project', period: 'day', limitUsd: 5 },
        { scope: 'alias', match: 'chat', period: 'month', limitUsd: 1, action: 'queue', queueSeconds: 5 },
      ],
    });
    const before = await h.owner.call('GET', `${base}?environment=production`);
    expect(before.status).toBe(200);
    expect(before.body).toEqual([
      { name: 'daily', scope: 'project', match: null, period: 'day', limitUsd: 5, spentUsd: 0, action: 'block' },
      { name: 'alias:chat/month', scope: 'alias', match: 'chat', period: 'month', limitUsd: 1, spentUsd: 0, action: 'queue' },
    ]);

    const usage = await ask('chat');
    // mock-smart: $3 per million input tokens, $15 per million output tokens.
    const cost = (usage.input_tokens * 3 + usage.output_tokens * 15) / 1_000_000;
    await expect
      .poll(async () => ((await h.owner.call('GET', base)).body as { spentUsd: number }[]).map((b) => b.spentUsd), { timeout: 5_000 })
      .toEqual([cost, cost]);
  });

  it('answers 404 for an environment the project does not have, and 400 for an empty name', async () => {
    const missing = await h.owner.call('GET', `${base}?environment=nope`);
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('NOT_FOUND');
    const empty = await h.owner.call('GET', `${base}?environment=`);
    expect(empty.status).toBe(400);
    expect(empty.body.code).toBe('VALIDATION_FAILED');
  });
});
