import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '@slipway/config';
import { USAGE_STREAM, type UsageEvent } from '@slipway/contracts';
import { PrismaService } from '@slipway/db';
import { UsageConsumerFactory, UsageRecorder } from '@slipway/gateway';
import { RedisService } from '@slipway/redis';
import { startGatewayHarness, type GatewayHarness } from './gateway-harness.int-support';

/**
 * Honest usage for calls that do not end cleanly (issue 13, bugs 1 and 3), through the official
 * SDKs against the mock provider: a client that leaves mid-stream, an upstream that cuts or
 * breaks its stream, a non-streamed call the client gives up on. Providers bill all of these;
 * the usage event (what the worker writes to GatewayRequest) must say what was used, marked
 * estimated when the provider's own usage never came — and a complete call stays exact.
 */
// A Redis db of its own: the events are read back from the usage stream, which no worker trims here.
const redisUrl = new URL(loadConfig().REDIS_URL);
redisUrl.pathname = '/14';

let h: GatewayHarness;
let projectId: string;
let anthropic: Anthropic;
let openai: OpenAI;
/**
 * 40 words: an answer of 41 tokens, long enough to leave in the middle of. The estimate of what
 * was generated is max(deltas, ⌈characters / 4⌉): the mock's tokens are words of 5–7 characters,
 * so 3 deltas ("Echo:", " word0", " word1") count as ⌈17 / 4⌉ = 5 tokens.
 */
const LONG = Array.from({ length: 40 }, (_, i) => `word${i}`).join(' ');
const ALIASES = ['abort-openai', 'abort-anthropic', 'cut-openai', 'cut-anthropic', 'whole-timeout', 'broken-openai', 'broken-anthropic', 'exact', 'exact-anthropic'];

beforeAll(async () => {
  h = await startGatewayHarness({ config: { REDIS_URL: redisUrl.toString() } });
  const project = await h.app.get(PrismaService).project.findFirstOrThrow({ where: { slug: h.project, organization: { slug: h.org } } });
  projectId = project.id;
  await h.setRouting({ models: Object.fromEntries(ALIASES.map((a) => [a, { routes: [{ provider: 'mock', model: `mock-${a}`, maxAttempts: 1 }] }])) });
  anthropic = new Anthropic({ apiKey: h.key, baseURL: h.url, maxRetries: 0 });
  openai = new OpenAI({ apiKey: h.key, baseURL: `${h.url}/v1`, maxRetries: 0 });
});
afterAll(async () => h?.close());
beforeEach(() => {
  h.mock.setFaults([]);
  h.mock.configure({ tokensPerSecond: 0 });
});

/** The usage event of the one call to `alias` in this project, once the api recorded it. */
async function recorded(alias: string): Promise<UsageEvent> {
  const redis = h.app.get(RedisService).client;
  for (let i = 0; i < 50; i++) {
    await h.app.get(UsageRecorder).flush();
    const entries = await redis.xrevrange(USAGE_STREAM, '+', '-', 'COUNT', 200);
    const events = entries.flatMap(([, fields]) => JSON.parse(fields[1]!) as UsageEvent[]);
    const found = events.find((e) => e.projectId === projectId && e.modelRequested === alias);
    if (found) return found;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no usage event for ${alias}`);
}

const billedAndEstimated = (e: UsageEvent) => {
  expect(e.provider).toBe('mock');
  expect(e.inputTokens).toBeGreaterThan(0);
  expect(e.costMicros).toBeGreaterThan(0);
  expect(e.usageEstimated).toBe(true);
};

describe('a client that leaves mid-stream', () => {
  it('OpenAI: aborted after 5 deltas, it is recorded as 499 with its input and at least the 5 tokens relayed, estimated', async () => {
    h.mock.configure({ tokensPerSecond: 40 });
    const controller = new AbortController();
    const stream = await openai.chat.completions.create({ model: 'abort-openai', stream: true, messages: [{ role: 'user', content: LONG }] }, { signal: controller.signal });
    let deltas = 0;
    for await (const chunk of stream) {
      if (chunk.choices[0]?.delta.content) deltas++;
      if (deltas === 5) {
        controller.abort(); // the SDK ends the iteration quietly
        break;
      }
    }
    expect(deltas).toBe(5);
    const e = await recorded('abort-openai');
    expect(e.status).toBe(499);
    billedAndEstimated(e);
    expect(e.outputTokens).toBeGreaterThanOrEqual(5);
  });

  it('Anthropic: aborted mid-stream, it keeps the exact input of message_start and counts the deltas, not message_start\'s 1', async () => {
    h.mock.configure({ tokensPerSecond: 40 });
    const whole = await anthropic.messages.create({ model: 'exact-anthropic', max_tokens: 100, messages: [{ role: 'user', content: LONG }] });
    const controller = new AbortController();
    const stream = anthropic.messages.stream({ model: 'abort-anthropic', max_tokens: 100, messages: [{ role: 'user', content: LONG }] }, { signal: controller.signal });
    let texts = 0;
    stream.on('text', () => {
      if (++texts === 5) controller.abort();
    });
    await expect(stream.finalMessage()).rejects.toThrow();
    const e = await recorded('abort-anthropic');
    expect(e.status).toBe(499);
    billedAndEstimated(e);
    expect(e.inputTokens).toBe(whole.usage.input_tokens);
    expect(e.outputTokens).toBeGreaterThanOrEqual(5);
  });
});

describe('an upstream that cuts its stream after 3 tokens', () => {
  it('OpenAI client: the SDK raises, and the call is a 502 stream_cut with its input and 3 tokens, estimated', async () => {
    h.mock.setFaults([{ model: 'mock-cut-openai', fault: { kind: 'stream-cut', afterTokens: 3 } }]);
    const stream = await openai.chat.completions.create({ model: 'cut-openai', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: LONG }] });
    await expect(
      (async () => {
        for await (const chunk of stream) void chunk;
      })(),
    ).rejects.toThrow(/broke mid-answer/);
    const e = await recorded('cut-openai');
    expect(e).toMatchObject({ status: 502, errorCategory: 'stream_cut', outputTokens: 5 });
    billedAndEstimated(e);
  });

  it('Anthropic client: the same, with the input the provider reported', async () => {
    h.mock.setFaults([{ model: 'mock-cut-anthropic', fault: { kind: 'stream-cut', afterTokens: 3 } }]);
    const stream = anthropic.messages.stream({ model: 'cut-anthropic', max_tokens: 100, messages: [{ role: 'user', content: LONG }] });
    await expect(stream.finalMessage()).rejects.toThrow(/broke mid-answer/);
    const e = await recorded('cut-anthropic');
    expect(e).toMatchObject({ status: 502, errorCategory: 'stream_cut', outputTokens: 5 });
    billedAndEstimated(e);
  });
});

describe('a non-streamed call the client gives up on', () => {
  it('is recorded with its provider and estimated input, not 0 tokens and no provider', async () => {
    h.mock.setFaults([{ model: 'mock-whole-timeout', fault: { kind: 'delay', ms: 3_000 } }]);
    const impatient = new OpenAI({ apiKey: h.key, baseURL: `${h.url}/v1`, maxRetries: 0, timeout: 300 });
    await expect(impatient.chat.completions.create({ model: 'whole-timeout', messages: [{ role: 'user', content: LONG }] })).rejects.toBeInstanceOf(OpenAI.APIConnectionTimeoutError);
    const e = await recorded('whole-timeout');
    expect(e).toMatchObject({ status: 499, errorCategory: 'client_closed', modelServed: 'mock-whole-timeout', outputTokens: 0 });
    billedAndEstimated(e);
  });
});

describe('a stream that ends in an error event', () => {
  it('is an error: recorded with the status of the error type (overloaded → 529, server error → 500), its tokens estimated', async () => {
    h.mock.setFaults([
      { model: 'mock-broken-anthropic', fault: { kind: 'stream-error', afterTokens: 2 } },
      { model: 'mock-broken-openai', fault: { kind: 'stream-error', afterTokens: 2 } },
    ]);
    const claude = anthropic.messages.stream({ model: 'broken-anthropic', max_tokens: 100, messages: [{ role: 'user', content: LONG }] });
    await expect(claude.finalMessage()).rejects.toThrow(/Overloaded/);
    const gpt = await openai.chat.completions.create({ model: 'broken-openai', stream: true, messages: [{ role: 'user', content: LONG }] });
    await expect(
      (async () => {
        for await (const chunk of gpt) void chunk;
      })(),
    ).rejects.toThrow(/Overloaded/);
    const a = await recorded('broken-anthropic');
    expect(a).toMatchObject({ status: 529, errorCategory: 'overloaded', outputTokens: 3 }); // "Echo:" + " word0": ⌈11 / 4⌉
    billedAndEstimated(a);
    const o = await recorded('broken-openai');
    expect(o).toMatchObject({ status: 500, errorCategory: 'server_error', outputTokens: 3 });
    billedAndEstimated(o);
  });
});

describe('a complete call', () => {
  it('stays exact and unmarked, streamed or not', async () => {
    const whole = await openai.chat.completions.create({ model: 'exact', messages: [{ role: 'user', content: 'hello there' }] });
    const e = await recorded('exact');
    expect(e).toMatchObject({ status: 200, inputTokens: whole.usage!.prompt_tokens, outputTokens: whole.usage!.completion_tokens });
    expect(e.usageEstimated).toBe(false);
  });
});

describe('what the console shows, once the worker wrote the calls', () => {
  it('lists estimated calls as estimated, and counts broken streams among the errors of the usage totals', async () => {
    // The worker's consumer, run here once over the stream: rows and rollups, as in production.
    const consumer = h.app.get(UsageConsumerFactory).create({ consumer: `honesty-${process.pid}`, blockMs: 10 });
    await consumer.recover(); // creates the group
    while ((await consumer.pollOnce()) > 0);
    await consumer.stop();
    const list = await h.owner.call('GET', `/api/v1/orgs/${h.org}/projects/${h.project}/gateway/requests?limit=200`);
    expect(list.status).toBe(200);
    const byAlias = new Map((list.body as { modelRequested: string; usageEstimated: boolean; status: number }[]).map((r) => [r.modelRequested, r]));
    expect(byAlias.get('cut-openai')).toMatchObject({ status: 502, usageEstimated: true });
    expect(byAlias.get('broken-anthropic')).toMatchObject({ status: 529, usageEstimated: true });
    expect(byAlias.get('exact')).toMatchObject({ status: 200, usageEstimated: false });

    const usage = await h.owner.call('GET', `/api/v1/orgs/${h.org}/projects/${h.project}/gateway/usage?period=day`);
    const errorsOf = (alias: string) => (usage.body.byModel as { model: string; errors: number }[]).find((m) => m.model === alias)?.errors;
    expect(errorsOf('broken-anthropic')).toBe(1);
    expect(errorsOf('broken-openai')).toBe(1);
    expect(errorsOf('exact')).toBe(0);
  });
});
