import { describe, expect, it } from 'vitest';
import { classifyAnswer, parseRetryAfter } from './otlp-delivery';

const none = new Uint8Array(0);

describe('classifyAnswer', () => {
  it('delivers on 2xx and counts the records a partial success refused', () => {
    expect(classifyAnswer('traces', 'json', 200, null, none)).toMatchObject({ outcome: 'delivered', rejected: 0 });
    const partial = Buffer.from(JSON.stringify({ partialSuccess: { rejectedSpans: '3', errorMessage: 'too old' } }));
    expect(classifyAnswer('traces', 'json', 200, null, partial)).toMatchObject({ outcome: 'delivered', rejected: 3, detail: 'too old' });
  });

  it('retries 429, 5xx and the answers an operator fixes (401, 403, 404), honouring Retry-After', () => {
    for (const status of [429, 500, 502, 503, 504, 401, 403, 404]) expect(classifyAnswer('logs', 'protobuf', status, null, none).outcome).toBe('retry');
    expect(classifyAnswer('logs', 'json', 503, '7', none).retryAfterMs).toBe(7000);
  });

  it('drops what the collector can never take (400, 413, 422), with its reason', () => {
    const answer = classifyAnswer('metrics', 'json', 400, null, Buffer.from('invalid histogram'));
    expect(answer).toMatchObject({ outcome: 'rejected', status: 400, detail: 'HTTP 400: invalid histogram' });
    expect(classifyAnswer('metrics', 'json', 413, null, none).outcome).toBe('rejected');
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds or an HTTP date, never a negative wait', () => {
    const now = Date.parse('2026-12-07T14:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Mon, 07 Dec 2026 14:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Mon, 07 Dec 2026 13:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter(null, now)).toBeNull();
  });
});
