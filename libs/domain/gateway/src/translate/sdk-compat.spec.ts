// The translated bytes, read by the official SDKs. A tiny translating proxy (what the gateway
// engine does, minus routing) sits between an SDK and the mock provider speaking the other
// format; usage of streamed and non-streamed calls of the same request must be identical.
import Anthropic from '@anthropic-ai/sdk';
import type { TokenUsage, WireFormat } from '@slipway/contracts';
import { createMockLlmServer, type MockLlmServer } from '@slipway/testing';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { anthropicRequestToOpenAI, createStreamTranslator, openaiRequestToAnthropic, SseParser, translateErrorBody } from './index';
import { anthropicResponseToOpenAI, openaiResponseToAnthropic } from './responses';
import { usageFromAnthropic, usageFromOpenAI } from './usage';

type ClientBody = Record<string, unknown> & { model: string; stream?: boolean; stream_options?: { include_usage?: boolean } };

interface Proxy {
  url: string;
  /** Usage the proxy billed for its last call. */
  lastUsage?: TokenUsage;
  close(): Promise<void>;
}

async function listen(server: http.Server): Promise<string> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function startProxy(mock: MockLlmServer): Promise<Proxy> {
  const proxy: Proxy = { url: '', close: () => new Promise((r) => server.close(() => r())) };
  const server = http.createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(parts).toString()) as ClientBody;
      const client: WireFormat = req.url?.endsWith('/chat/completions') ? 'openai' : 'anthropic';
      const upstream: WireFormat = client === 'anthropic' ? 'openai' : 'anthropic';
      const upBody = client === 'anthropic' ? anthropicRequestToOpenAI(body, body.model) : openaiRequestToAnthropic(body, body.model);
      const headers = { 'content-type': 'application/json', 'x-api-key': 'k', 'anthropic-version': '2023-06-01' };
      const up = http.request(
        `${mock.url}${upstream === 'openai' ? '/v1/chat/completions' : '/v1/messages'}`,
        { method: 'POST', headers },
        (ur) => {
          if (ur.statusCode === 200 && body.stream) return pipeStream(ur, res, upstream, client, body);
          const chunks: Buffer[] = [];
          ur.on('data', (c: Buffer) => chunks.push(c));
          ur.on('end', () => {
            const text = Buffer.concat(chunks).toString();
            if (ur.statusCode !== 200) {
              const retry = ur.headers['retry-after'];
              res.writeHead(ur.statusCode ?? 500, { 'content-type': 'application/json', ...(retry ? { 'retry-after': retry } : {}) });
              return res.end(JSON.stringify(translateErrorBody(upstream, client, ur.statusCode ?? 500, text)));
            }
            const r = JSON.parse(text) as Record<string, unknown>;
            proxy.lastUsage = upstream === 'openai' ? usageFromOpenAI(r.usage) : usageFromAnthropic(r.usage);
            const out = client === 'anthropic' ? openaiResponseToAnthropic(r, body.model) : anthropicResponseToOpenAI(r, body.model);
            res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(out));
          });
        },
      );
      up.end(JSON.stringify(upBody));
    });
  });

  function pipeStream(ur: http.IncomingMessage, res: http.ServerResponse, upstream: WireFormat, client: WireFormat, body: ClientBody) {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    const t = createStreamTranslator(upstream, client, {
      model: body.model,
      includeUsage: body.stream_options?.include_usage === true,
    });
    const parser = new SseParser();
    let over = false;
    ur.on('data', (c: Buffer) => {
      for (const e of parser.feed(c)) {
        const out = t.push(e);
        if (out) res.write(out);
      }
    });
    const close = (clean: boolean) => {
      if (over) return;
      over = true;
      proxy.lastUsage = t.usage();
      if (t.upstreamError) res.end();
      else res.end(clean && t.finished ? t.end() : t.error('api_error', 'The upstream connection was lost mid-stream.'));
    };
    ur.on('end', () => close(true));
    ur.on('error', () => close(false));
    ur.on('close', () => close(false));
  }

  proxy.url = await listen(server);
  return proxy;
}

const weatherTool = {
  name: 'get_weather',
  description: 'Current weather',
  input_schema: { type: 'object' as const, properties: { location: { type: 'string' } } },
};

let mock: MockLlmServer;
let proxy: Proxy;
let anthropic: Anthropic;
let openai: OpenAI;
beforeAll(async () => {
  mock = await createMockLlmServer({ tokensPerSecond: 0 });
  proxy = await startProxy(mock);
  anthropic = new Anthropic({ apiKey: 'k', baseURL: proxy.url, maxRetries: 0 });
  openai = new OpenAI({ apiKey: 'k', baseURL: `${proxy.url}/v1`, maxRetries: 0 });
});
afterAll(async () => {
  await proxy.close();
  await mock.close();
});
beforeEach(() => mock.reset());

describe('Anthropic SDK → translation → OpenAI-format provider', () => {
  const base = { model: 'mock-alias', max_tokens: 256 };

  async function both(params: Anthropic.MessageCreateParamsNonStreaming) {
    const plain = await anthropic.messages.create(params);
    const plainUsage = proxy.lastUsage;
    const streamed = await anthropic.messages.stream(params).finalMessage();
    expect(proxy.lastUsage).toEqual(plainUsage);
    expect(streamed.usage).toEqual(plain.usage);
    expect(streamed.content).toEqual(plain.content);
    expect(streamed.stop_reason).toBe(plain.stop_reason);
    return streamed;
  }

  it('plain text with a system prompt and several turns: same text, stop reason and usage streamed or not', async () => {
    const msg = await both({
      ...base,
      system: [{ type: 'text', text: 'You are terse.' }],
      messages: [
        { role: 'user', content: 'hello' },
        { role: 'assistant', content: 'Echo: hello' },
        { role: 'user', content: 'tell me about ships' },
      ],
    });
    expect(msg.content).toEqual([{ type: 'text', text: 'Echo: tell me about ships' }]);
    expect(msg.model).toBe('mock-alias');
    expect(msg.stop_reason).toBe('end_turn');
    expect(msg.usage.input_tokens).toBeGreaterThan(5);
    expect(msg.usage.output_tokens).toBe(5);
  });

  it('tools: a tool_use block with parsed input, then the tool result answered', async () => {
    const first = await both({ ...base, tools: [weatherTool], messages: [{ role: 'user', content: 'What is the weather in Paris?' }] });
    expect(first.stop_reason).toBe('tool_use');
    const call = first.content.find((b) => b.type === 'tool_use');
    expect(call).toMatchObject({ type: 'tool_use', name: 'get_weather', input: { location: 'Paris' } });
    const second = await both({
      ...base,
      tools: [weatherTool],
      messages: [
        { role: 'user', content: 'What is the weather in Paris?' },
        { role: 'assistant', content: first.content },
        {
          role: 'user',
          content: [{ type: 'tool_result', tool_use_id: call!.type === 'tool_use' ? call!.id : '', content: 'Sunny and 21C' }],
        },
      ],
    });
    expect(second.stop_reason).toBe('end_turn');
    expect(second.content[0]).toMatchObject({ type: 'text', text: expect.stringContaining('Sunny and 21C') });
  });

  it('max_tokens and stop sequences', async () => {
    const cut = await both({ ...base, max_tokens: 2, messages: [{ role: 'user', content: 'one two three four' }] });
    expect(cut.stop_reason).toBe('max_tokens');
    expect(cut.usage.output_tokens).toBe(2);
    const stopped = await both({ ...base, stop_sequences: ['three'], messages: [{ role: 'user', content: 'one two three four' }] });
    expect(stopped.content).toMatchObject([{ type: 'text', text: 'Echo: one two' }]);
    expect(stopped.stop_reason).toBe('end_turn'); // OpenAI does not say a stop sequence matched
  });

  it('a stream cut mid-answer ends in an error for the SDK, not a clean end', async () => {
    mock.setFaults([{ fault: { kind: 'stream-cut', afterTokens: 2 }, count: 1 }]);
    const stream = anthropic.messages.stream({ ...base, messages: [{ role: 'user', content: 'one two three four five' }] });
    const texts: string[] = [];
    stream.on('text', (t) => texts.push(t));
    await expect(stream.finalMessage()).rejects.toThrow(/lost mid-stream/);
    expect(texts.length).toBeGreaterThan(0);
  });

  it('an in-band upstream error becomes an Anthropic error event', async () => {
    mock.setFaults([{ fault: { kind: 'stream-error', afterTokens: 1, message: 'upstream exploded' }, count: 1 }]);
    await expect(anthropic.messages.stream({ ...base, messages: [{ role: 'user', content: 'a b c' }] }).finalMessage()).rejects.toThrow(
      /upstream exploded/,
    );
  });

  it('an upstream 429 reaches the SDK as a RateLimitError with the message and retry-after', async () => {
    mock.setFaults([{ fault: { kind: 'status', status: 429, retryAfter: 3, message: 'Slow down please' }, count: 1 }]);
    const err = await anthropic.messages.create({ ...base, messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Anthropic.RateLimitError);
    expect((err as InstanceType<typeof Anthropic.RateLimitError>).error).toEqual({
      type: 'error',
      error: { type: 'rate_limit_error', message: 'Slow down please' },
    });
    expect((err as InstanceType<typeof Anthropic.RateLimitError>).headers?.get('retry-after')).toBe('3');
  });
});

describe('OpenAI SDK → translation → Anthropic-format provider', () => {
  const base = { model: 'mock-alias' };

  async function both(params: OpenAI.ChatCompletionCreateParamsNonStreaming) {
    const plain = await openai.chat.completions.create(params);
    const plainUsage = proxy.lastUsage;
    const { stream: _, ...rest } = params;
    const streamed = await openai.chat.completions.stream({ ...rest, stream_options: { include_usage: true } }).finalChatCompletion();
    expect(proxy.lastUsage).toEqual(plainUsage);
    expect(streamed.usage).toEqual(plain.usage);
    expect(streamed.choices[0]?.message.content).toBe(plain.choices[0]?.message.content);
    expect(streamed.choices[0]?.finish_reason).toBe(plain.choices[0]?.finish_reason);
    return streamed;
  }

  it('plain text with a system prompt and several turns: same text, finish reason and usage streamed or not', async () => {
    const c = await both({
      ...base,
      messages: [
        { role: 'system', content: 'You are terse.' },
        { role: 'user', content: 'hello' },
        { role: 'assistant', content: 'Echo: hello' },
        { role: 'user', content: 'tell me about ships' },
      ],
    });
    expect(c.choices[0]?.message).toMatchObject({ role: 'assistant', content: 'Echo: tell me about ships' });
    expect(c.choices[0]?.finish_reason).toBe('stop');
    expect(c.model).toBe('mock-alias');
    expect(c.usage).toMatchObject({ completion_tokens: 5, prompt_tokens: expect.any(Number) });
    expect(c.usage!.prompt_tokens).toBeGreaterThan(5);
  });

  it('tools: tool_calls with arguments, then the tool message answered', async () => {
    const tools = [
      {
        type: 'function' as const,
        function: { name: 'get_weather', description: 'Current weather', parameters: weatherTool.input_schema },
      },
    ];
    const first = await both({ ...base, tools, messages: [{ role: 'user', content: 'What is the weather in Rome?' }] });
    expect(first.choices[0]?.finish_reason).toBe('tool_calls');
    const call = first.choices[0]?.message.tool_calls?.[0];
    expect(call).toMatchObject({ type: 'function', function: { name: 'get_weather' } });
    expect(JSON.parse(call!.type === 'function' ? call!.function.arguments : '')).toEqual({ location: 'Rome' });
    const second = await both({
      ...base,
      tools,
      messages: [
        { role: 'user', content: 'What is the weather in Rome?' },
        first.choices[0]!.message as OpenAI.ChatCompletionAssistantMessageParam,
        { role: 'tool', tool_call_id: call!.id, content: 'Cloudy, 18C' },
      ],
    });
    expect(second.choices[0]?.message.content).toContain('Cloudy, 18C');
  });

  it('max_tokens gives finish_reason length; a stream without include_usage has no usage chunk but is still billed', async () => {
    const c = await both({ ...base, max_tokens: 2, messages: [{ role: 'user', content: 'one two three four' }] });
    expect(c.choices[0]?.finish_reason).toBe('length');
    const stream = await openai.chat.completions.create({ ...base, stream: true, messages: [{ role: 'user', content: 'one two' }] });
    let text = '';
    for await (const chunk of stream) {
      expect(chunk.usage ?? null).toBeNull();
      text += chunk.choices[0]?.delta.content ?? '';
    }
    expect(text).toBe('Echo: one two');
    expect(proxy.lastUsage?.outputTokens).toBe(3);
  });

  it('a stream cut mid-answer ends in an error for the SDK, not a clean end', async () => {
    mock.setFaults([{ fault: { kind: 'stream-cut', afterTokens: 2 }, count: 1 }]);
    const stream = openai.chat.completions.stream({ ...base, messages: [{ role: 'user', content: 'one two three four five' }] });
    await expect(stream.finalChatCompletion()).rejects.toThrow(/lost mid-stream/);
  });

  it('an in-band upstream error becomes an error chunk', async () => {
    mock.setFaults([{ fault: { kind: 'stream-error', afterTokens: 1, message: 'upstream exploded' }, count: 1 }]);
    await expect(
      openai.chat.completions.stream({ ...base, messages: [{ role: 'user', content: 'a b c' }] }).finalChatCompletion(),
    ).rejects.toThrow(/upstream exploded/);
  });

  it('an upstream 529 reaches the SDK as an error with the message', async () => {
    mock.setFaults([{ fault: { kind: 'status', status: 529, message: 'Overloaded' }, count: 1 }]);
    const err = await openai.chat.completions.create({ ...base, messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.APIError);
    expect(err).toMatchObject({ status: 529, type: 'server_error', message: expect.stringContaining('Overloaded') });
  });
});
