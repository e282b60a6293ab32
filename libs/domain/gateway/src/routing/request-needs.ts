import type { WireFormat } from '@slipway/contracts';

/** What a request needs from the model that serves it. */
export interface RequestNeeds {
  /** Tool definitions, or tool calls / results in the conversation. */
  tools: boolean;
  /** Image (or document) parts. */
  vision: boolean;
  /** A cheap over-estimate: characters / 4 of the messages, system prompt and tools. */
  inputTokensEstimate: number;
  /** `max_tokens` / `max_completion_tokens`; 0 when the request does not say. */
  maxOutputTokens: number;
  stream: boolean;
}

/**
 * Roughly what Anthropic charges for one image at its largest size; base64 image data is
 * counted as this instead of by its length, which would be 100× too much.
 */
const TOKENS_PER_IMAGE = 1_600;
const CHARS_PER_TOKEN = 4;

/** Reads what routing must know from a request body in either wire format, without validating it. */
export function requestNeeds(format: WireFormat, body: Record<string, unknown>): RequestNeeds {
  const messages = Array.isArray(body.messages) ? (body.messages as unknown[]) : [];
  const scan = { tools: hasItems(body.tools) || (format === 'openai' && hasItems(body.functions)), images: 0 };
  const chars = measure(format, [messages, body.system, body.tools ?? body.functions], scan);
  const maxOutput = format === 'anthropic' ? body.max_tokens : (body.max_completion_tokens ?? body.max_tokens);
  return {
    tools: scan.tools,
    vision: scan.images > 0,
    inputTokensEstimate: Math.ceil(chars / CHARS_PER_TOKEN) + scan.images * TOKENS_PER_IMAGE,
    maxOutputTokens: typeof maxOutput === 'number' && Number.isFinite(maxOutput) && maxOutput > 0 ? Math.floor(maxOutput) : 0,
    stream: body.stream === true,
  };
}

/**
 * One pass over the parsed values: about the length their JSON would have (keys, strings, a few
 * characters per other value; escapes are not counted), noting tool and image parts on the way; an image counts as an
 * image, not by its base64 length. Iterative, so no nesting depth can overflow the stack, and
 * nothing is serialized.
 */
function measure(format: WireFormat, roots: unknown[], scan: { tools: boolean; images: number }): number {
  let chars = 0;
  const pending = roots;
  while (pending.length > 0) {
    const value = pending.pop();
    if (typeof value === 'string') chars += value.length + 3;
    else if (Array.isArray(value)) {
      chars += 2;
      for (const item of value) pending.push(item);
    } else if (isObject(value)) {
      if (isToolPart(format, value)) scan.tools = true;
      if (isImagePart(format, value)) scan.images += 1;
      else {
        chars += 2;
        for (const key in value) {
          chars += key.length + 3;
          pending.push(value[key]);
        }
      }
    } else if (value !== undefined) chars += 5;
  }
  return chars;
}

function isToolPart(format: WireFormat, part: Record<string, unknown>): boolean {
  if (format === 'anthropic') return part.type === 'tool_use' || part.type === 'tool_result';
  return part.role === 'tool' || part.role === 'function' || hasItems(part.tool_calls) || isObject(part.function_call);
}

function isImagePart(format: WireFormat, part: Record<string, unknown>): boolean {
  // A PDF document is read as images too; a plain-text document is just text.
  if (format === 'anthropic')
    return part.type === 'image' || (part.type === 'document' && isObject(part.source) && part.source.type !== 'text');
  return part.type === 'image_url' || part.type === 'input_image' || part.type === 'file';
}

const hasItems = (value: unknown) => Array.isArray(value) && value.length > 0;
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
