import { MOCK_PROVIDER, gatewayConfigSchema, type GatewayConfig, type GatewayRoute } from '@slipway/contracts';

/**
 * Pure helpers of the console's gateway pages: where SDKs point, how an effective routing reads
 * as aliases and routes, how money and budget fill are shown, and the first-call snippets.
 */

/**
 * The api as users reach it (PUBLIC_API_URL), taken from the project's git remote
 * (`<PUBLIC_API_URL>/git/<org>/<project>.git`): the gateway answers on the same origin, and
 * the console itself only proxies `/api/*`, so its own origin would be wrong.
 */
export function apiBaseFromGitRemote(gitRemoteUrl: string): string {
  return gitRemoteUrl.replace(/\/git\/[^/]+\/[^/]+\.git$/, '').replace(/\/+$/, '');
}

export interface GatewayBaseUrls {
  /** The Anthropic SDK appends `/v1/messages` itself. */
  anthropic: string;
  /** The OpenAI SDK appends `/chat/completions` to a base that ends in `/v1`. */
  openai: string;
}

export const gatewayBaseUrls = (apiBase: string): GatewayBaseUrls => ({ anthropic: apiBase, openai: `${apiBase}/v1` });

export interface AliasRoutes {
  alias: string;
  routes: GatewayRoute[];
  /** Failure categories that move on to the next route; null = the default (every retryable one). */
  fallbackOn: string[] | null;
}

/** The effective routing as the console got it (already validated by the api), parsed for display. */
export function parseRouting(config: Record<string, unknown>): GatewayConfig {
  const parsed = gatewayConfigSchema.safeParse(config);
  return parsed.success ? parsed.data : {};
}

export function aliasesOf(config: GatewayConfig): AliasRoutes[] {
  return Object.entries(config.models ?? {}).map(([alias, m]) => ({ alias, routes: m.routes, fallbackOn: m.fallbackOn ?? null }));
}

export const routeKey = (r: Pick<GatewayRoute, 'provider' | 'model'>): string => `${r.provider}/${r.model}`;

export const usesMock = (config: GatewayConfig): boolean =>
  aliasesOf(config).some((a) => a.routes.some((r) => r.provider === MOCK_PROVIDER));

/** "$0.000123", "$0.0123", "$1.50", "$1,234.00": small amounts keep their significant digits. */
export function formatUsd(usd: number): string {
  if (!Number.isFinite(usd)) return '—';
  if (usd === 0) return '$0.00';
  const abs = Math.abs(usd);
  if (abs >= 1) return `$${usd.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
  // About three significant digits, at least two decimals, trailing zeros beyond two dropped.
  const digits = Math.min(8, Math.max(2, 2 - Math.floor(Math.log10(abs))));
  return `$${usd.toFixed(digits).replace(/(\.\d{2}\d*?)0+$/, '$1')}`;
}

export type FillTone = 'ok' | 'near' | 'over';

/** Spend against a limit: near from 80 %, over once spent reaches the limit. */
export function budgetFill(spentUsd: number, limitUsd: number): { percent: number; tone: FillTone } {
  const ratio = limitUsd > 0 ? spentUsd / limitUsd : 0;
  const tone: FillTone = ratio >= 1 ? 'over' : ratio >= 0.8 ? 'near' : 'ok';
  return { percent: Math.min(100, Math.max(0, ratio * 100)), tone };
}

/** "1.2k", "15", "3.4M": token counts in a dense table. */
export function formatCount(n: number): string {
  if (n < 1000) return String(n);
  if (n < 1_000_000) return `${(n / 1000).toFixed(n < 10_000 ? 1 : 0)}k`;
  return `${(n / 1_000_000).toFixed(1)}M`;
}

export const KEY_PLACEHOLDER = '$SLIPWAY_GATEWAY_KEY';

export type SnippetKind = 'curl' | 'anthropic' | 'openai';

/** A first call, ready to paste: with the key just created, else a placeholder to replace. */
export function firstCallSnippet(kind: SnippetKind, urls: GatewayBaseUrls, model: string, key: string = KEY_PLACEHOLDER): string {
  // In code the placeholder becomes an environment variable read, never a literal to forget.
  const keyExpr = key === KEY_PLACEHOLDER ? 'process.env.SLIPWAY_GATEWAY_KEY' : `'${key}'`;
  if (kind === 'curl') {
    return [
      `curl ${urls.anthropic}/v1/messages \\`,
      `  -H "x-api-key: ${key}" \\`,
      `  -H "anthropic-version: 2023-06-01" \\`,
      `  -H "content-type: application/json" \\`,
      `  -d '{"model": "${model}", "max_tokens": 256, "messages": [{"role": "user", "content": "Hello"}]}'`,
    ].join('\n');
  }
  if (kind === 'anthropic') {
    return [
      `// npm install @anthropic-ai/sdk — deployed apps already have ANTHROPIC_BASE_URL and ANTHROPIC_API_KEY set`,
      `import Anthropic from '@anthropic-ai/sdk';`,
      ``,
      `const client = new Anthropic({ baseURL: '${urls.anthropic}', apiKey: ${keyExpr} });`,
      `const message = await client.messages.create({`,
      `  model: '${model}',`,
      `  max_tokens: 256,`,
      `  messages: [{ role: 'user', content: 'Hello' }],`,
      `});`,
      `console.log(message.content);`,
    ].join('\n');
  }
  return [
    `// npm install openai — deployed apps already have OPENAI_BASE_URL and OPENAI_API_KEY set`,
    `import OpenAI from 'openai';`,
    ``,
    `const client = new OpenAI({ baseURL: '${urls.openai}', apiKey: ${keyExpr} });`,
    `const completion = await client.chat.completions.create({`,
    `  model: '${model}',`,
    `  messages: [{ role: 'user', content: 'Hello' }],`,
    `});`,
    `console.log(completion.choices[0].message.content);`,
  ].join('\n');
}
