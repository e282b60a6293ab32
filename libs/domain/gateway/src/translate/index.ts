// Translation between the Anthropic Messages and OpenAI Chat Completions wire formats: pure
// functions and per-response stream translators, used by the gateway engine.
export { anthropicRequestToOpenAI, type OpenAIRequestOptions } from './request-to-openai';
export { openaiRequestToAnthropic, DEFAULT_MAX_TOKENS } from './request-to-anthropic';
export { openaiResponseToAnthropic, anthropicResponseToOpenAI } from './responses';
export { usageFromAnthropic, usageFromOpenAI, anthropicUsageBody, openaiUsageBody } from './usage';
export { finishReasonFromAnthropic, stopReasonFromOpenAI } from './stop-reasons';
export { anthropicErrorBody, openaiErrorBody, translateErrorBody, errorTypeFor, parseUpstreamError } from './errors';
export { SseParser, type SseEvent } from './sse';
export { createStreamTranslator, createUsageObserver } from './stream';
export type { StreamTranslator, StreamTranslatorOptions, UsageObserver, UpstreamStreamError } from './stream-types';
