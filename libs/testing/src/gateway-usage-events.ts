import { randomUUID } from 'node:crypto';
import type { UsageEvent } from '@slipway/contracts';

/**
 * A gateway usage event as the engine records it: a plain answered, non-streamed request of
 * 10 input and 5 output tokens costing 1,000 micro-USD, at this instant, with a fresh id.
 * Override what a test is about.
 */
export function usageEvent(over: Partial<UsageEvent> = {}): UsageEvent {
  return {
    id: randomUUID(),
    at: new Date().toISOString(),
    organizationId: 'org-a',
    projectId: 'project-a',
    environmentId: null,
    releaseId: null,
    keyId: 'key-a',
    feature: null,
    customer: null,
    api: 'anthropic',
    modelRequested: 'fast',
    modelServed: 'mock-fast',
    provider: 'mock',
    status: 200,
    errorCategory: null,
    latencyMs: 100,
    ttftMs: null,
    inputTokens: 10,
    outputTokens: 5,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    costMicros: 1_000,
    retries: 0,
    fallbackChain: ['mock/mock-fast:ok'],
    streamed: false,
    ...over,
  };
}
