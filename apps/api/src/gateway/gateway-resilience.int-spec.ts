import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startGatewayHarness, type GatewayHarness } from './gateway-harness.int-support';

/**
 * Resilience against the mock provider with injected faults: fallback before the first byte,
 * an error event (never a clean end) after it, circuit breakers, and bounded retries.
 * Each test uses its own model names: breakers and the retry budget live in the api process.
 */
let h: GatewayHarness;
let anthropic: Anthropic;
const ask = (model: string) => anthropic.messages.create({ model, max_tokens: 32, messages: [{ role: 'user', content: 'hello there' }] }).withResponse();
const upstreamCalls = (model: string) => h.mock.requests.filter((r) => (r.body as { model?: string } | undefined)?.model === model).length;

beforeAll(async () => {
  h = await startGatewayHarness();
  const two = (a: string, b: string) => ({ routes: [{ provider: 'mock', model: a }, { provider: 'mock', model: b }] });
  await h.setRouting({
    models: {
      chat: two('mock-primary', 'mock-backup'),
      streamy: two('mock-stream-a', 'mock-stream-b'),
      early: two('mock-early-a', 'mock-early-b'),
      solo: { routes: [{ provider: 'mock', model: 'mock-solo', maxAttempts: 1 }] },
      flaky: { routes: [{ provider: 'mock', model: 'mock-flaky', maxAttempts: 3 }] },
      stalling: { routes: [{ provider: 'mock', model: 'mock-stall', timeouts: { idleMs: 300 } }] },
      cancelled: { routes: [{ provider: 'mock', model: 'mock-cancel', maxAttempts: 1 }] },
      badcreds: { routes: [{ provider: 'mock', model: 'mock-badcreds', maxAttempts: 1 }] },
      whole: { routes: [{ provider: 'mock', model: 'mock-whole', maxAttempts: 1, timeouts: { firstByteMs: 200, totalMs: 1500 } }] },
    },
  });
  anthropic = new Anthropic({ apiKey: h.key, baseURL: h.url, maxRetries: 0 });
});
afterAll(async () => h?.close());
beforeEach(() => h.mock.setFaults([]));

describe('fallback before the first byte', () => {
  it('answers from the backup route when the primary fails, quickly', async () => {
    h.mock.setFaults([{ model: 'mock-primary', fault: { kind: 'status', status: 503 } }]);
    const t0 = performance.now();
    const { data, response } = await ask('chat');
    const failoverMs = performance.now() - t0;
    expect(data.content[0]).toMatchObject({ text: 'Echo: hello there' });
    expect(response.headers.get('x-slipway-model')).toBe('mock-backup');
    // One retry of the primary (full jitter, at most 250 ms) and then the backup.
    expect(failoverMs).toBeLessThan(600);
    expect(upstreamCalls('mock-primary')).toBeGreaterThanOrEqual(1);
    expect(upstreamCalls('mock-backup')).toBe(1);
  });

  it('falls back when a stream breaks before its first event reaches the client', async () => {
    h.mock.setFaults([{ model: 'mock-early-a', fault: { kind: 'stream-cut', afterTokens: 0 } }]);
    const message = await anthropic.messages.stream({ model: 'early', max_tokens: 32, messages: [{ role: 'user', content: 'hello there' }] }).finalMessage();
    expect(message.content[0]).toMatchObject({ text: 'Echo: hello there' });
    expect(upstreamCalls('mock-early-b')).toBe(1);
  });
});

describe('after the first byte', () => {
  it('ends a stream cut mid-answer with an error event, without falling back', async () => {
    h.mock.setFaults([{ model: 'mock-stream-a', fault: { kind: 'stream-cut', afterTokens: 2 } }]);
    const texts: string[] = [];
    const stream = anthropic.messages.stream({ model: 'streamy', max_tokens: 32, messages: [{ role: 'user', content: 'hello there my friend' }] }).on('text', (t) => texts.push(t));
    await expect(stream.finalMessage()).rejects.toThrow(/broke mid-answer/);
    expect(texts.join('')).toBe('Echo: hello');
    expect(upstreamCalls('mock-stream-b')).toBe(0);
  });

  it('sends an OpenAI error chunk (the SDK throws) when the provider stalls past the idle timeout', async () => {
    h.mock.setFaults([{ model: 'mock-stall', fault: { kind: 'stall', afterTokens: 1 } }]);
    const openai = new OpenAI({ apiKey: h.key, baseURL: `${h.url}/v1`, maxRetries: 0 });
    const stream = await openai.chat.completions.create({ model: 'stalling', stream: true, messages: [{ role: 'user', content: 'hello there' }] });
    let text = '';
    const read = async () => {
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    };
    await expect(read()).rejects.toThrow(/idle timeout/);
    expect(text).toBe('Echo:');
  });
});

describe('what is not the provider\'s fault', () => {
  it('a client that leaves mid-stream does not count against the route', async () => {
    h.mock.setFaults([{ model: 'mock-cancel', fault: { kind: 'stall', afterTokens: 2 } }]);
    for (let i = 0; i < 6; i++) {
      const controller = new AbortController();
      const stream = anthropic.messages.stream({ model: 'cancelled', max_tokens: 32, messages: [{ role: 'user', content: 'hello there' }] }, { signal: controller.signal });
      await new Promise<void>((resolve) => stream.on('text', () => resolve()));
      controller.abort();
      await stream.finalMessage().catch(() => undefined);
    }
    h.mock.setFaults([]);
    const { data } = await ask('cancelled');
    expect(data.content[0]).toMatchObject({ text: 'Echo: hello there' });
  });

  it("a provider refusing the organization's credentials is a 502 that says so, not the caller's 401", async () => {
    h.mock.setFaults([{ model: 'mock-badcreds', fault: { kind: 'status', status: 401, message: 'Incorrect API key provided: sk-proj-****abcd' } }]);
    const err = (await ask('badcreds').catch((e: unknown) => e)) as InstanceType<typeof Anthropic.APIError>;
    expect(err.status).toBe(502);
    expect(err.message).toMatch(/rejected this organization's credentials/);
    expect(err.message).not.toContain('sk-proj');
  });
});

describe('timeouts', () => {
  it('gives a non-streamed answer its total time, not the first-byte time of streams', async () => {
    h.mock.setFaults([{ model: 'mock-whole', fault: { kind: 'delay', ms: 500 }, count: 1 }]);
    const { data } = await ask('whole');
    expect(data.content[0]).toMatchObject({ text: 'Echo: hello there' });
    h.mock.setFaults([{ model: 'mock-whole', fault: { kind: 'timeout' }, count: 1 }]);
    const t0 = performance.now();
    const err = (await ask('whole').catch((e: unknown) => e)) as InstanceType<typeof Anthropic.APIError>;
    expect(err.status).toBe(504);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(1400);
  });
});

describe('circuit breaker', () => {
  it('opens after consecutive failures of the only route, fails fast with retry-after, then half-opens and closes', async () => {
    h.mock.setFaults([{ model: 'mock-solo', fault: { kind: 'status', status: 500 }, count: 5 }]);
    for (let i = 0; i < 5; i++) {
      const failed = (await ask('solo').catch((e: unknown) => e)) as InstanceType<typeof Anthropic.APIError>;
      expect(failed.status).toBe(500);
    }
    expect(upstreamCalls('mock-solo')).toBe(5);

    const fast = (await ask('solo').catch((e: unknown) => e)) as InstanceType<typeof Anthropic.APIError>;
    expect(fast.status).toBe(503);
    expect(fast.message).toMatch(/cooling down/);
    expect(Number(fast.headers?.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(upstreamCalls('mock-solo')).toBe(5);

    const metrics = await (await fetch(`${h.url}/metrics`)).text();
    expect(metrics).toMatch(/slipway_gateway_circuit_breaker_state\{[^}]*mock\/mock-solo[^}]*\} 1/);

    await new Promise((r) => setTimeout(r, 5_100));
    const probe = await ask('solo');
    expect(probe.data.content[0]).toMatchObject({ text: 'Echo: hello there' });
    expect(upstreamCalls('mock-solo')).toBe(6);
    const closed = await (await fetch(`${h.url}/metrics`)).text();
    expect(closed).toMatch(/slipway_gateway_circuit_breaker_state\{[^}]*mock\/mock-solo[^}]*\} 0/);
  }, 20_000);
});

describe('retries', () => {
  it('retry with backoff until the route answers, and stay within the retry budget when it never does', async () => {
    h.mock.setFaults([{ model: 'mock-flaky', fault: { kind: 'status', status: 500 }, count: 2 }]);
    const { data } = await ask('flaky');
    expect(data.content[0]).toMatchObject({ text: 'Echo: hello there' });
    expect(upstreamCalls('mock-flaky')).toBe(3);

    // A hard outage: 30 requests each allowed 3 attempts. Without a budget that is 90 calls; the
    // budget (20% of requests + a small floor) and the breaker keep the provider from a storm.
    h.mock.setFaults([{ model: 'mock-flaky', fault: { kind: 'status', status: 500 } }]);
    const before = upstreamCalls('mock-flaky');
    await Promise.all(Array.from({ length: 30 }, () => ask('flaky').catch(() => null)));
    const attempts = upstreamCalls('mock-flaky') - before;
    expect(attempts).toBeLessThanOrEqual(30 * 1.2 + 10);
  });
});
