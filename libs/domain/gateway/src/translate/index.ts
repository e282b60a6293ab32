// Translation between the Anthropic Messages and OpenAI Chat Completions wire formats: pure
// functions and per-response stream translators, used by the gateway engine.
export { anthropicRequestToOpenAI, type OpenAIRequestOptions } from './request-to-openai';
export { openaiRequestToAnthropic } from './request-to-anthropic';
export { openaiResponseToAnthropic, anthropicResponseToOpenAI } from './responses';
export { usageFromAnthropic, usageFromOpenAI } from './usage';
export { anthropicErrorBody, openaiCodeFor, openaiErrorBody, translateErrorBody, errorTypeFor } from './errors';
export { SseEventTooLarge, SseParser, type SseEvent } from './sse';
export { createStreamTranslator } from './stream';
export { MALFORMED_EVENT, type StreamTranslator, type StreamTranslatorOptions, type UpstreamStreamError } from './stream-types';
export { DeltaTally } from './delta-tally';
