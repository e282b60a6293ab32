import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatewayHarness, type GatewayHarness } from './gateway-harness.int-support';

/**
 * Budgets admit small calls (issue 13, bug 2): a call reserves its input and a realistic output
 * (GATEWAY_BUDGET_RESERVED_OUTPUT_TOKENS, 1,024), not the model's whole cap, and settles to
 * what it cost. The built-in `default` alias is the mock's mock-smart here ($3 / $15 per
 * million tokens), whose 64k-token cap alone would cost $0.96 — more than the key's $0.50.
 */
let h: GatewayHarness;
let key: string;
/** A user message that makes the mock write 40,000 one-token words: $0.60 of output. */
const ESSAY = 'please write the long essay';

beforeAll(async () => {
  h = await startGatewayHarness({ mock: { output: (p) => (p.lastUserText === ESSAY ? Array.from({ length: 40_000 }, () => 'w').join(' ') : `Echo: ${p.lastUserText}`) } });
  key = (await h.createKey({ name: 'half a dollar', monthlyBudgetUsd: 0.5 })).token;
});
afterAll(async () => h?.close());

const chat = (body: unknown) =>
  fetch(`${h.url}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('a key with a $0.50 monthly budget', () => {
  it('admits a call without max_tokens and Claude Code\'s max_tokens: 64000 calls while it has room, then refuses once spent', async () => {
    const hi = await chat({ model: 'default', messages: [{ role: 'user', content: 'hi' }] });
    expect(hi.status, await hi.clone().text()).toBe(200);
    expect(((await hi.json()) as { choices: { message: { content: string } }[] }).choices[0]!.message.content).toBe('Echo: hi');

    const claude = new Anthropic({ apiKey: key, baseURL: h.url, maxRetries: 0 });
    for (let i = 0; i < 3; i++) {
      // Streamed, as Claude Code calls (the SDK refuses a 64k max_tokens without streaming).
      const answer = await claude.messages.stream({ model: 'default', max_tokens: 64_000, messages: [{ role: 'user', content: 'fix the failing test' }] }).finalMessage();
      expect(answer.content[0]).toMatchObject({ type: 'text', text: 'Echo: fix the failing test' });
    }

    // Admitted on a 1,024-token reservation; it settles to its real cost, $0.60: the bounded overshoot.
    const essay = await claude.messages.stream({ model: 'default', max_tokens: 64_000, messages: [{ role: 'user', content: ESSAY }] }).finalMessage();
    expect(essay.usage.output_tokens).toBe(40_000);

    const refused = await chat({ model: 'default', messages: [{ role: 'user', content: 'hi' }] });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('x-should-retry')).toBe('false');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(/key-monthly-budget/);
    await expect(claude.messages.stream({ model: 'default', max_tokens: 64_000, messages: [{ role: 'user', content: 'one more' }] }).finalMessage()).rejects.toBeInstanceOf(Anthropic.RateLimitError);
  });
});
