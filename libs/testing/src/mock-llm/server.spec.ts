import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createMockLlmServer, type MockLlmServer } from './index';

const ask = { model: 'mock-claude-sonnet', max_tokens: 256, messages: [{ role: 'user' as const, content: 'hi' }] };

describe('mock LLM provider: timing', () => {
  it('honours latency, TTFT and tokens per second, streamed and not', async () => {
    const mock = await createMockLlmServer({ latencyMs: 40, ttftMs: 110, tokensPerSecond: 100, output: { lorem: 21 } });
    try {
      const client = new Anthropic({ apiKey: 'k', baseURL: mock.url, maxRetries: 0 });
      const t0 = performance.now();
      const stamps: number[] = [];
      const stream = client.messages.stream(ask);
      stream.on('text', () => stamps.push(performance.now() - t0));
      const final = await stream.finalMessage();
      expect(final.usage.output_tokens).toBe(21);
      expect(stamps).toHaveLength(21);
      const ttft = stamps[0] ?? 0;
      expect(ttft).toBeGreaterThanOrEqual(150 - 10);
      expect(ttft).toBeLessThan(1000);
      const rate = 20 / (((stamps[20] ?? 0) - ttft) / 1000);
      expect(rate).toBeGreaterThan(30);
      expect(rate).toBeLessThan(150);
      const t1 = performance.now();
      await client.messages.create(ask);
      expect(performance.now() - t1).toBeGreaterThanOrEqual(150 + 200 - 10);
      mock.configure({ latencyMs: 0, ttftMs: 0, tokensPerSecond: Infinity });
      const t2 = performance.now();
      await client.messages.create(ask);
      expect(performance.now() - t2).toBeLessThan(150);
    } finally {
      await mock.close();
    }
  });
});

describe('mock LLM provider: faults, control endpoints, validation', () => {
  let mock: MockLlmServer;
  let anthropic: Anthropic;
  beforeAll(async () => {
    mock = await createMockLlmServer();
    anthropic = new Anthropic({ apiKey: 'any-key', baseURL: mock.url, maxRetries: 0 });
  });
  afterAll(() => mock.close());
  beforeEach(() => mock.reset());

  const control = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${mock.url}/__mock/${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
    expect(res.headers.get('x-mock-llm')).toBe('1');
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  };

  it('drives faults over HTTP: set (per model, count), list, record, reset', async () => {
    const set = await control('POST', 'faults', {
      faults: [{ fault: { kind: 'status', status: 503, retryAfter: 2, shouldRetry: true }, model: 'mock-claude-haiku', count: 1 }],
    });
    expect(set.json.faults).toEqual([expect.objectContaining({ remaining: 1, hits: 0 })]);
    await expect(anthropic.messages.create(ask)).resolves.toBeTruthy();
    const res = await fetch(`${mock.url}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': 'k', 'anthropic-version': '2023-06-01', 'anthropic-beta': 'b1,b2' },
      body: JSON.stringify({ ...ask, model: 'mock-claude-haiku', extra: 1 }),
    });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('2');
    expect(res.headers.get('x-should-retry')).toBe('true');
    expect(await res.json()).toMatchObject({ type: 'error', error: { type: 'api_error' } });
    await expect(anthropic.messages.create({ ...ask, model: 'mock-claude-haiku' })).resolves.toBeTruthy();
    expect((await control('GET', 'faults')).json.faults).toEqual([expect.objectContaining({ remaining: 0, hits: 1 })]);
    const recs = (await control('GET', 'requests?since=1')).json.requests as Array<Record<string, unknown>>;
    expect(recs.map((r) => r.status)).toEqual([503, 200]);
    expect(recs[0]).toMatchObject({ fault: 'status', apiKey: 'k', headers: { 'anthropic-beta': 'b1,b2' }, body: { extra: 1 } });
    expect((await control('POST', 'faults', { faults: [{ fault: { kind: 'nope' } }] })).status).toBe(400);
    expect((await control('POST', 'reset')).json).toEqual({ ok: true });
    expect((await control('GET', 'requests')).json.requests).toEqual([]);
    expect((await control('GET', 'faults')).json.faults).toEqual([]);
  });

  it('fires probabilistic faults reproducibly from the seed', async () => {
    const pattern = async () => {
      await control('POST', 'faults', { faults: [{ fault: { kind: 'status', status: 500 }, probability: 0.5 }], seed: 7 });
      const out: number[] = [];
      for (let i = 0; i < 12; i++)
        out.push(
          await anthropic.messages.create(ask).then(
            () => 200,
            (e: { status: number }) => e.status,
          ),
        );
      return out;
    };
    const first = await pattern();
    expect(first).toContain(500);
    expect(first).toContain(200);
    expect(await pattern()).toEqual(first);
  });

  it('a timeout fault never answers until the client gives up', async () => {
    mock.setFaults([{ fault: { kind: 'timeout' }, count: 1 }]);
    const err = await anthropic.messages.create(ask, { timeout: 300 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Anthropic.APIConnectionTimeoutError);
    expect(mock.requests[0]).toMatchObject({ fault: 'timeout' });
    expect(mock.requests[0]?.status).toBeUndefined();
  });

  it('close() ends requests held by a timeout fault', async () => {
    const held = await createMockLlmServer({ faults: [{ fault: { kind: 'timeout' } }] });
    const client = new Anthropic({ apiKey: 'k', baseURL: held.url, maxRetries: 0 });
    const pending = client.messages.create(ask).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 50));
    const t0 = performance.now();
    await held.close();
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(await pending).toBeInstanceOf(Anthropic.APIConnectionError);
  });

  it('a stall keeps the stream open after K tokens; a delay postpones the answer', async () => {
    mock.setFaults([{ fault: { kind: 'stall', afterTokens: 1 }, count: 1 }]);
    const ac = new AbortController();
    let text = '';
    const stream = anthropic.messages.stream(ask, { signal: ac.signal });
    stream.on('text', (t) => {
      text += t;
      setTimeout(() => ac.abort(), 150);
    });
    await stream.finalMessage().catch(() => undefined);
    expect(text).toBe('Echo:');
    mock.setFaults([{ fault: { kind: 'delay', ms: 120 }, count: 1 }]);
    const t0 = performance.now();
    await anthropic.messages.create(ask);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(110);
  });

  it('malformed JSON bodies and SSE data make the SDKs throw', async () => {
    mock.setFaults([{ fault: { kind: 'malformed-json' }, count: 2 }]);
    const quiet = new Anthropic({ apiKey: 'k', baseURL: mock.url, maxRetries: 0, logLevel: 'off' });
    await expect(quiet.messages.create(ask)).rejects.toThrow(SyntaxError);
    await expect(quiet.messages.stream(ask).finalMessage()).rejects.toThrow(/JSON/);
    const openai = new OpenAI({ apiKey: 'k', baseURL: mock.openaiBaseUrl, maxRetries: 0 });
    mock.setFaults([{ fault: { kind: 'stream-cut', afterTokens: 0 }, count: 1 }]);
    await expect(openai.chat.completions.create({ model: 'mock-gpt-4o', messages: [{ role: 'user', content: 'x' }] })).rejects.toThrow();
  });

  it('validates like the real APIs, in each provider shape, always labelled', async () => {
    const post = async (path: string, headers: Record<string, string>, body: string) => {
      const res = await fetch(`${mock.url}${path}`, { method: 'POST', headers, body });
      expect(res.headers.get('x-mock-llm')).toBe('1');
      return { status: res.status, json: await res.json() };
    };
    const h = { 'x-api-key': 'k', 'anthropic-version': '2023-06-01' };
    expect(await post('/v1/messages', h, JSON.stringify({ model: 'm', messages: ask.messages }))).toMatchObject({
      status: 400,
      json: { error: { type: 'invalid_request_error', message: expect.stringMatching(/max_tokens/) } },
    });
    expect(await post('/v1/messages', { 'x-api-key': 'k' }, JSON.stringify(ask))).toMatchObject({
      status: 400,
      json: { error: { message: expect.stringMatching(/anthropic-version/) } },
    });
    expect(await post('/v1/messages', { 'anthropic-version': '1' }, JSON.stringify(ask))).toMatchObject({
      status: 401,
      json: { error: { type: 'authentication_error' } },
    });
    expect(await post('/v1/nope', h, '{}')).toMatchObject({ status: 404, json: { error: { type: 'not_found_error' } } });
    const small = await createMockLlmServer({ maxBodyBytes: 100 });
    try {
      const res = await fetch(`${small.url}/v1/messages`, { method: 'POST', headers: h, body: 'x'.repeat(1000) });
      expect(res.status).toBe(413);
      expect(await res.json()).toMatchObject({ error: { type: 'request_too_large' } });
    } finally {
      await small.close();
    }
    const models = await (await fetch(`${mock.url}/anthropic/v1/models`, { headers: { 'x-api-key': 'k' } })).json();
    expect(models).toMatchObject({
      has_more: false,
      data: expect.arrayContaining([expect.objectContaining({ type: 'model', id: 'mock-gpt-4o' })]),
    });
  });
});
