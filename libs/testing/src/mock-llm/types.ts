// Public types of the mock LLM provider (issue 4, item 3). The mock is a test double for the
// gateway's upstreams: it speaks the Anthropic Messages and OpenAI Chat Completions wire
// formats with deterministic output, configurable pacing and injectable faults.

export type MockApi = 'anthropic' | 'openai';

/** The request, normalised across both wire formats; what output functions and faults see. */
export interface MockPrompt {
  api: MockApi;
  model: string;
  system: string;
  /** Text of the last user turn; when the conversation ends with tool results, their content. */
  lastUserText: string;
  endsWithToolResult: boolean;
  /** Everything that counts as input tokens (system, messages, tool definitions). */
  inputText: string;
  tools: MockTool[];
  toolChoice: 'auto' | 'none' | 'any' | { name: string };
  maxTokens?: number;
  stopSequences: string[];
  stream: boolean;
}

export interface MockTool {
  name: string;
  description: string;
  schema: Record<string, unknown>;
}

/**
 * How the answer text is derived from the input:
 * - `'echo'` (default): `Echo: <last user message>`;
 * - `{ lorem: n }`: n pseudo-random lorem words (one token each), seeded by the server seed,
 *   the model and the input, so the same request always gets the same answer;
 * - `{ text }`: a fixed answer;
 * - a function of the normalised prompt.
 */
export type MockOutput = 'echo' | { lorem: number } | { text: string } | ((prompt: MockPrompt) => string);

export interface MockTiming {
  /** Delay before the response starts (status line and headers). Default 0. */
  latencyMs: number;
  /** After the response starts, delay before the first token. Default 0. */
  ttftMs: number;
  /** Pacing of the tokens after the first. 0 or Infinity = unpaced. Default 1000. */
  tokensPerSecond: number;
}

/**
 * A fault. `afterTokens` counts streamed token deltas (text or tool-argument) already written
 * (default 1). On a non-streamed request, `stream-cut` sends half the body then destroys the
 * socket, `malformed-json` sends a truncated JSON body, `stall` behaves as `timeout`, and
 * `stream-error` does not apply (the rule does not match non-streamed requests).
 */
export type MockFault =
  /** The provider's error body with this status; `retry-after` in seconds, `x-should-retry`. */
  | { kind: 'status'; status: number; retryAfter?: number; shouldRetry?: boolean; message?: string; errorType?: string }
  /** Accept the request and never answer, until the client gives up. */
  | { kind: 'timeout' }
  /** Add this much latency, then answer normally. */
  | { kind: 'delay'; ms: number }
  /** Destroy the socket mid-answer: no final events, no `[DONE]`. */
  | { kind: 'stream-cut'; afterTokens?: number }
  /** Stop sending mid-stream and keep the connection open (idle-stream timeouts). */
  | { kind: 'stall'; afterTokens?: number }
  /** A body (or SSE data line) that is not valid JSON, then the end of the response. */
  | { kind: 'malformed-json'; afterTokens?: number }
  /** HTTP 200, then an error event (Anthropic `event: error`, OpenAI `data: {"error":…}`). */
  | { kind: 'stream-error'; afterTokens?: number; errorType?: string; message?: string };

export type MockFaultKind = MockFault['kind'];

export interface MockFaultRule {
  fault: MockFault;
  /** Only requests for this model (exact name). */
  model?: string;
  /** Only requests in this wire format. */
  api?: MockApi;
  /** Only the next N matching requests (then the rule stays listed, inactive). */
  count?: number;
  /** Fire with this probability (0..1), drawn from the server's seeded RNG. */
  probability?: number;
}

export interface MockFaultState extends MockFaultRule {
  /** Requests still to fault when `count` was given. */
  remaining?: number;
  /** Requests this rule has faulted so far. */
  hits: number;
}

export interface MockRecordedRequest {
  seq: number;
  at: string;
  method: string;
  /** The path as received, query string included. */
  path: string;
  api?: MockApi;
  endpoint: 'messages' | 'count_tokens' | 'chat' | 'models' | 'unknown';
  /** All request headers except the credentials (see `apiKey`), names lower-cased. */
  headers: Record<string, string>;
  /** The key the client sent (x-api-key or Bearer); mock keys only, so kept in full. */
  apiKey?: string;
  /** The parsed JSON body exactly as sent, or the raw text when it was not JSON. */
  body: unknown;
  model?: string;
  stream?: boolean;
  /** Filled in when the response starts. */
  status?: number;
  fault?: MockFaultKind;
}

export interface MockLlmServerOptions extends Partial<MockTiming> {
  /** Default 0 (an ephemeral port). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Accepted keys; when unset any non-empty key is accepted (a missing key is still a 401). */
  apiKeys?: string[];
  output?: MockOutput;
  /** User text that makes the mock call a tool when the request has tools. Default /\bweather\b/i. */
  toolTrigger?: RegExp | string;
  /** Model names listed by GET /v1/models. */
  models?: string[];
  /** 404 for models not in `models`. Default false (any model name is served). */
  rejectUnknownModels?: boolean;
  /** 400 on /v1/messages without an `anthropic-version` header, like the real API. Default true. */
  requireAnthropicVersion?: boolean;
  /** Seed of the lorem output and of fault probabilities. Default 42. */
  seed?: number;
  /** A `ping` event after message_start and then every N token deltas. Default 20. */
  pingEveryTokens?: number;
  /** 413 above this. Default 32 MiB. */
  maxBodyBytes?: number;
  /** Oldest records are dropped beyond this. Default 1000. */
  maxRecordedRequests?: number;
  faults?: MockFaultRule[];
  /** Serve /__mock/* (faults, requests, reset, config). Default true. */
  controlEndpoints?: boolean;
}
