import type { IncomingHttpHeaders } from 'node:http';
import { MODEL_ID_PATTERN, type WireFormat } from '@slipway/contracts';
import type { ErrorAnswer } from './client-response';

/** The key a client sent: `x-api-key` (Anthropic SDK) or `Authorization: Bearer` (OpenAI SDK, curl). */
export function keyFrom(headers: IncomingHttpHeaders): string | null {
  const apiKey = headers['x-api-key'];
  if (typeof apiKey === 'string' && apiKey.length > 0) return apiKey.trim();
  const auth = headers.authorization;
  if (typeof auth === 'string' && auth.length > 7 && auth.slice(0, 7).toLowerCase() === 'bearer ') return auth.slice(7).trim();
  return null;
}

export interface ModelRequest {
  body: Record<string, unknown>;
  model: string;
  stream: boolean;
  /** OpenAI `stream_options.include_usage`. */
  includeUsage: boolean;
}

/** Deeper bodies are refused: no provider takes them, and serializing one for the upstream call could overflow the stack. */
export const MAX_BODY_DEPTH = 128;

const invalid = (message: string): { ok: false; error: ErrorAnswer } => ({ ok: false, error: { status: 400, message } });

/** Parses and checks the few fields the gateway relies on; everything else passes through untouched. */
export function parseModelRequest(format: WireFormat, raw: Buffer, op: 'messages' | 'count_tokens'): { ok: true; request: ModelRequest } | { ok: false; error: ErrorAnswer } {
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch (err) {
    return invalid(`The request body is not valid JSON: ${(err as Error).message}`);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return invalid('The request body must be a JSON object.');
  const b = body as Record<string, unknown>;
  if (deeperThan(b, MAX_BODY_DEPTH)) return invalid(`The request body is nested more than ${MAX_BODY_DEPTH} levels deep.`);
  if (typeof b.model !== 'string' || b.model.length === 0) return invalid('model: Field required (a model id or one of your aliases, see GET /v1/models).');
  if (!MODEL_ID_PATTERN.test(b.model)) return invalid('model: Use a model id or alias of printable ASCII characters without spaces, at most 256 long.');
  if (!Array.isArray(b.messages)) return invalid('messages: Field required (a list of messages).');
  if (format === 'anthropic' && op === 'messages') {
    const max = b.max_tokens;
    if (max === undefined) return invalid('max_tokens: Field required.');
    if (typeof max !== 'number' || !Number.isInteger(max) || max < 1) return invalid('max_tokens: Input should be a positive integer.');
  }
  if (b.stream === null) delete b.stream; // OpenAI accepts null as "not set"; no provider needs to see it
  if (b.stream !== undefined && typeof b.stream !== 'boolean') return invalid('stream: Input should be a valid boolean.');
  const options = b.stream_options as { include_usage?: unknown } | undefined;
  return { ok: true, request: { body: b, model: b.model, stream: b.stream === true, includeUsage: options?.include_usage === true } };
}

/** Whether any value sits more than `max` objects or arrays deep; iterative, stops at the first. */
function deeperThan(root: object, max: number): boolean {
  const values: unknown[] = [root];
  const depths: number[] = [1];
  while (values.length > 0) {
    const value = values.pop();
    const depth = depths.pop()!;
    if (typeof value !== 'object' || value === null) continue;
    if (depth > max) return true;
    // Arrays by index: `for…in` would make a string key of every index.
    const children = Array.isArray(value) ? (value as unknown[]) : Object.values(value);
    for (let i = 0; i < children.length; i++) {
      const child = children[i];
      if (typeof child === 'object' && child !== null) {
        values.push(child);
        depths.push(depth + 1);
      }
    }
  }
  return false;
}
