import { createMockLlmServer, type MockLlmServer } from '@slipway/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ModelCallError, createModelClient } from './anthropic-client';

let mock: MockLlmServer;

beforeAll(async () => {
  mock = await createMockLlmServer({ tokensPerSecond: 0, apiKeys: ['sk-right'] });
});
afterAll(async () => mock?.close());
beforeEach(() => mock.setFaults([]));

describe('createModelClient', () => {
  it('asks one message with the system prompt and the feature header, and returns the text and model', async () => {
    const client = createModelClient({ baseURL: `${mock.url}/`, apiKey: 'sk-right' });
    const answer = await client.ask({
      model: 'mock-smart',
      system: 'Be brief.',
      prompt: 'why did it fail',
      maxTokens: 64,
      feature: 'explain-failure',
    });
    expect(answer).toMatchObject({ text: 'Echo: why did it fail', model: 'mock-smart' });
    const seen = mock.requests.at(-1)!;
    expect(seen.path).toBe('/v1/messages');
    expect(seen.headers['x-slipway-feature']).toBe('explain-failure');
    expect(seen.body).toMatchObject({
      model: 'mock-smart',
      max_tokens: 64,
      system: 'Be brief.',
      messages: [{ role: 'user', content: 'why did it fail' }],
    });
  });

  it('sends no feature header when none is given', async () => {
    await createModelClient({ baseURL: mock.url, apiKey: 'sk-right' }).ask({ model: 'mock-fast', prompt: 'hi', maxTokens: 8 });
    expect(mock.requests.at(-1)!.headers['x-slipway-feature']).toBeUndefined();
  });

  it('turns an error answer into ModelCallError with the status and the endpoint’s message, without retrying', async () => {
    mock.setFaults([{ fault: { kind: 'status', status: 529, message: 'Upstream is overloaded right now' }, count: 1 }]);
    const before = mock.requests.length;
    const err = await createModelClient({ baseURL: mock.url, apiKey: 'sk-right' })
      .ask({ model: 'mock-smart', prompt: 'hi', maxTokens: 8 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelCallError);
    expect(err).toMatchObject({ failure: 'api', status: 529, message: 'Upstream is overloaded right now' });
    expect(mock.requests.length - before).toBe(1);
  });

  it('reports a wrong key as a 401', async () => {
    const err = await createModelClient({ baseURL: mock.url, apiKey: 'sk-wrong' })
      .ask({ model: 'mock-smart', prompt: 'hi', maxTokens: 8 })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ failure: 'api', status: 401 });
  });

  it('reports a timeout and an unreachable endpoint as such', async () => {
    mock.setFaults([{ fault: { kind: 'timeout' }, count: 1 }]);
    const slow = await createModelClient({ baseURL: mock.url, apiKey: 'sk-right', timeoutMs: 200 })
      .ask({ model: 'mock-smart', prompt: 'hi', maxTokens: 8 })
      .catch((e: unknown) => e);
    expect(slow).toMatchObject({ failure: 'timeout' });
    const down = await createModelClient({ baseURL: 'http://127.0.0.1:1', apiKey: 'sk-right' })
      .ask({ model: 'mock-smart', prompt: 'hi', maxTokens: 8 })
      .catch((e: unknown) => e);
    expect(down).toMatchObject({ failure: 'connection' });
  });
});
