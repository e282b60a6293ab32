import { describe, expect, it } from 'vitest';
import { attributionOf } from './attribution';

describe('attributionOf', () => {
  it('takes feature and customer from the x-slipway headers first', () => {
    const a = attributionOf({ 'x-slipway-feature': 'search', 'x-slipway-customer': 'acme' }, 'anthropic', { metadata: { user_id: 'u-1' } });
    expect(a).toEqual({ feature: 'search', customer: 'acme' });
  });

  it('falls back to metadata.user_id for Anthropic requests', () => {
    expect(attributionOf({}, 'anthropic', { metadata: { user_id: 'u-1' }, user: 'ignored' })).toEqual({ feature: null, customer: 'u-1' });
  });

  it('falls back to user for OpenAI requests', () => {
    expect(attributionOf({}, 'openai', { user: 'u-2', metadata: { user_id: 'ignored' } })).toEqual({ feature: null, customer: 'u-2' });
  });

  it('has no attribution when nothing names it', () => {
    expect(attributionOf({}, 'openai', {})).toEqual({ feature: null, customer: null });
    expect(attributionOf({}, 'anthropic', { metadata: null })).toEqual({ feature: null, customer: null });
  });

  it('ignores blank headers, non-string fields and takes the first of repeated headers', () => {
    expect(attributionOf({ 'x-slipway-customer': '  ' }, 'openai', { user: 42 })).toEqual({ feature: null, customer: null });
    expect(attributionOf({ 'x-slipway-customer': '  ' }, 'openai', { user: 'u-3' }).customer).toBe('u-3');
    expect(attributionOf({ 'x-slipway-feature': ['a', 'b'] }, 'openai', {}).feature).toBe('a');
  });

  it('caps values at 200 characters', () => {
    expect(attributionOf({ 'x-slipway-customer': 'c'.repeat(500) }, 'openai', {}).customer).toHaveLength(200);
  });

  it('links the request to the published-API call named by slipway-call-id (per-token plans price it)', () => {
    const callId = '0193a0c2-7c3e-7000-8000-000000000001';
    expect(attributionOf({ 'slipway-call-id': callId }, 'openai', {})).toEqual({ feature: null, customer: null, apiCallId: callId });
    expect(attributionOf({ 'slipway-call-id': ' ' }, 'openai', {}).apiCallId).toBeUndefined();
  });
});
