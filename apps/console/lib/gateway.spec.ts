import { describe, expect, it } from 'vitest';
import {
  aliasesOf,
  apiBaseFromGitRemote,
  budgetFill,
  firstCallSnippet,
  formatUsd,
  gatewayBaseUrls,
  parseRouting,
  usesMock,
} from './gateway';

describe('gateway base URLs', () => {
  it('takes the api origin (and any path prefix) from the git remote', () => {
    expect(apiBaseFromGitRemote('http://127.0.0.1:4000/git/acme/web.git')).toBe('http://127.0.0.1:4000');
    expect(apiBaseFromGitRemote('https://example.com/slipway/git/acme/web.git')).toBe('https://example.com/slipway');
  });

  it('gives the OpenAI SDK a base ending in /v1 and the Anthropic SDK the bare origin', () => {
    expect(gatewayBaseUrls('https://api.example.com')).toEqual({
      anthropic: 'https://api.example.com',
      openai: 'https://api.example.com/v1',
    });
  });
});

describe('routing display', () => {
  it('lists aliases with their routes in order and says when the mock serves them', () => {
    const config = parseRouting({
      models: {
        chat: {
          routes: [
            { provider: 'anthropic', model: 'claude' },
            { provider: 'mock', model: 'mock-smart' },
          ],
          fallbackOn: ['timeout'],
        },
      },
    });
    expect(aliasesOf(config)).toEqual([
      {
        alias: 'chat',
        routes: [
          { provider: 'anthropic', model: 'claude' },
          { provider: 'mock', model: 'mock-smart' },
        ],
        fallbackOn: ['timeout'],
      },
    ]);
    expect(usesMock(config)).toBe(true);
    expect(usesMock(parseRouting({ models: { chat: { routes: [{ provider: 'anthropic', model: 'claude' }] } } }))).toBe(false);
  });

  it('shows nothing rather than garbage for a config it cannot read', () => {
    expect(aliasesOf(parseRouting({ models: 'nope' }))).toEqual([]);
  });
});

describe('money and budgets', () => {
  it('keeps the significant digits of tiny amounts', () => {
    expect(formatUsd(0)).toBe('$0.00');
    expect(formatUsd(0.000123)).toBe('$0.000123');
    expect(formatUsd(0.0123)).toBe('$0.0123');
    expect(formatUsd(0.5)).toBe('$0.50');
    expect(formatUsd(1234.5)).toBe('$1,234.50');
  });

  it('colours a budget near from 80 % and over at the limit, never past a full bar', () => {
    expect(budgetFill(1, 10)).toEqual({ percent: 10, tone: 'ok' });
    expect(budgetFill(8, 10)).toEqual({ percent: 80, tone: 'near' });
    expect(budgetFill(12, 10)).toEqual({ percent: 100, tone: 'over' });
  });
});

describe('first-call snippets', () => {
  const urls = gatewayBaseUrls('http://127.0.0.1:4000');

  it('uses the new key when there is one, else an environment variable', () => {
    expect(firstCallSnippet('curl', urls, 'default', 'sk-slw-abc')).toContain('-H "x-api-key: sk-slw-abc"');
    expect(firstCallSnippet('curl', urls, 'default')).toContain('-H "x-api-key: $SLIPWAY_GATEWAY_KEY"');
    expect(firstCallSnippet('anthropic', urls, 'default')).toContain('apiKey: process.env.SLIPWAY_GATEWAY_KEY');
  });

  it('points each SDK at its base URL and asks for the alias', () => {
    expect(firstCallSnippet('curl', urls, 'fast')).toContain('curl http://127.0.0.1:4000/v1/messages');
    expect(firstCallSnippet('anthropic', urls, 'fast')).toContain("baseURL: 'http://127.0.0.1:4000'");
    expect(firstCallSnippet('openai', urls, 'fast')).toContain("baseURL: 'http://127.0.0.1:4000/v1'");
    expect(firstCallSnippet('openai', urls, 'fast')).toContain("model: 'fast'");
  });
});
