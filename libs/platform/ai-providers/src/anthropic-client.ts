import Anthropic from '@anthropic-ai/sdk';

/**
 * The platform's own model client: the official Anthropic SDK pointed at Slipway's gateway, so
 * platform features (explaining a failed build, say) are routed, limited and billed like any
 * app's calls. Callers never see SDK types: answers and failures are plain values.
 */

export interface ModelClientOptions {
  /** The gateway (or any Anthropic-compatible endpoint), without `/v1`. */
  baseURL: string;
  apiKey: string;
  /** Per attempt; the gateway already retries and falls back, so the client does not. */
  timeoutMs?: number;
  maxRetries?: number;
}

export interface ModelQuestion {
  /** A model or gateway alias (`default`). */
  model: string;
  system?: string;
  prompt: string;
  maxTokens: number;
  /** Sent as `x-slipway-feature`: the gateway attributes the spend to it. */
  feature?: string;
}

export interface ModelAnswer {
  text: string;
  /** The model that answered (the gateway's `x-slipway-model`, else the body's `model`). */
  model: string;
  /** The gateway's `x-slipway-request-id`, else the provider's `request-id`; null when neither came. */
  requestId: string | null;
}

/** Why a question got no answer: `api` = the endpoint answered with an error status. */
export type ModelCallFailure = 'api' | 'timeout' | 'connection';

export class ModelCallError extends Error {
  constructor(
    readonly failure: ModelCallFailure,
    /** HTTP status for `api` failures. */
    readonly status: number | null,
    message: string,
  ) {
    super(message);
    this.name = 'ModelCallError';
  }
}

export interface ModelClient {
  /** One non-streamed message; rejects with ModelCallError. */
  ask(question: ModelQuestion): Promise<ModelAnswer>;
}

export const FEATURE_HEADER_NAME = 'x-slipway-feature';

export function createModelClient(options: ModelClientOptions): ModelClient {
  const client = new Anthropic({
    baseURL: options.baseURL.replace(/\/+$/, ''),
    apiKey: options.apiKey,
    timeout: options.timeoutMs ?? 60_000,
    maxRetries: options.maxRetries ?? 0,
  });
  return {
    async ask(question) {
      try {
        const { data, response, request_id } = await client.messages
          .create(
            {
              model: question.model,
              max_tokens: question.maxTokens,
              ...(question.system ? { system: question.system } : {}),
              messages: [{ role: 'user', content: question.prompt }],
            },
            question.feature ? { headers: { [FEATURE_HEADER_NAME]: question.feature } } : undefined,
          )
          .withResponse();
        const text = data.content
          .flatMap((block) => (block.type === 'text' ? [block.text] : []))
          .join('')
          .trim();
        return {
          text,
          model: response.headers.get('x-slipway-model') ?? data.model,
          requestId: response.headers.get('x-slipway-request-id') ?? request_id ?? null,
        };
      } catch (err) {
        throw toModelCallError(err);
      }
    },
  };
}

/** The SDK's errors as plain values; the message is the endpoint's own when it sent one. */
export function toModelCallError(err: unknown): ModelCallError {
  if (err instanceof Anthropic.APIConnectionTimeoutError) return new ModelCallError('timeout', null, 'The model did not answer in time.');
  if (err instanceof Anthropic.APIConnectionError)
    return new ModelCallError('connection', null, `Cannot reach the model endpoint: ${err.message}`);
  if (err instanceof Anthropic.APIError) return new ModelCallError('api', err.status ?? null, providerMessage(err.error) ?? err.message);
  return new ModelCallError('connection', null, err instanceof Error ? err.message : String(err));
}

/** `{ type: 'error', error: { message } }` (Anthropic shape) or `{ error: { message } }` (OpenAI shape). */
function providerMessage(body: unknown): string | null {
  if (typeof body !== 'object' || body === null) return null;
  const inner = (body as { error?: unknown }).error;
  const message =
    typeof inner === 'object' && inner !== null ? (inner as { message?: unknown }).message : (body as { message?: unknown }).message;
  return typeof message === 'string' && message.trim() !== '' ? message : null;
}
