import type { IncomingHttpHeaders } from 'node:http';
import type { WireFormat } from '@slipway/contracts';
import type { ProviderRef } from '../routing';
import { anthropicRequestToOpenAI, openaiRequestToAnthropic } from '../translate';

/** The wire format a provider expects; the mock speaks both, so it gets the client's own. */
export function providerFormat(provider: Pick<ProviderRef, 'kind'>, client: WireFormat): WireFormat {
  if (provider.kind === 'MOCK') return client;
  return provider.kind === 'ANTHROPIC' ? 'anthropic' : 'openai';
}

export const DEFAULT_ANTHROPIC_VERSION = '2023-06-01';

export interface UpstreamCall {
  format: WireFormat;
  origin: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}

const bases = new Map<string, { origin: string; basePath: string }>();

/** `https://host/v1/` → origin `https://host`, base path `/v1` (parsed once per URL). */
function baseOf(baseUrl: string): { origin: string; basePath: string } {
  let base = bases.get(baseUrl);
  if (!base) {
    const url = new URL(baseUrl);
    base = { origin: url.origin, basePath: url.pathname.replace(/\/+$/, '') };
    bases.set(baseUrl, base);
  }
  return base;
}

/** The origin (scheme, host, port) a provider's calls go to: the unit of the shared connection pool. */
export function upstreamOrigin(baseUrl: string): string {
  return baseOf(baseUrl).origin;
}

export function upstreamPath(format: WireFormat, baseUrl: string, op: 'messages' | 'count_tokens'): { origin: string; path: string } {
  const { origin, basePath } = baseOf(baseUrl);
  if (format === 'anthropic') return { origin, path: `${basePath}/v1/messages${op === 'count_tokens' ? '/count_tokens' : ''}` };
  // OpenAI-compatible servers are configured either as `https://host` or as `https://host/v1`.
  return { origin, path: `${basePath.endsWith('/v1') ? basePath : `${basePath}/v1`}/chat/completions` };
}

export function buildUpstreamCall(input: {
  provider: ProviderRef & { apiKey: string };
  model: string;
  client: WireFormat;
  op: 'messages' | 'count_tokens';
  body: Record<string, unknown>;
  clientHeaders: IncomingHttpHeaders;
}): UpstreamCall {
  const format = providerFormat(input.provider, input.client);
  const { origin, path } = upstreamPath(format, input.provider.baseUrl, input.op);
  const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'slipway-gateway' };
  let body: Record<string, unknown>;
  if (format === input.client) {
    body = { ...input.body, model: input.model };
    // Usage is needed for cost; the relay holds the usage chunk back from a client that did not ask for it.
    if (format === 'openai' && body.stream === true) body.stream_options = { ...(body.stream_options as object | undefined), include_usage: true };
  } else {
    body = format === 'openai' ? anthropicRequestToOpenAI(input.body, input.model) : openaiRequestToAnthropic(input.body, input.model);
  }
  if (format === 'anthropic') {
    headers['x-api-key'] = input.provider.apiKey;
    if (input.client === 'anthropic') copyAnthropicHeaders(input.clientHeaders, headers);
    headers['anthropic-version'] ??= DEFAULT_ANTHROPIC_VERSION;
  } else {
    headers.authorization = `Bearer ${input.provider.apiKey}`;
  }
  return { format, origin, path, headers, body: JSON.stringify(body) };
}

/** `anthropic-version`, `anthropic-beta` and any other `anthropic-*` header pass through untouched. */
function copyAnthropicHeaders(from: IncomingHttpHeaders, to: Record<string, string>): void {
  for (const name in from) {
    if (!name.startsWith('anthropic-')) continue;
    const value = from[name];
    if (value !== undefined) to[name] = Array.isArray(value) ? value.join(',') : value;
  }
}
