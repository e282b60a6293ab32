import { describe, expect, it } from 'vitest';
import { anthropicErrorBody, errorTypeFor, openaiErrorBody, translateErrorBody } from './errors';

describe('error bodies', () => {
  it.each([
    [400, 'invalid_request_error', 'invalid_request_error'],
    [401, 'authentication_error', 'authentication_error'],
    [403, 'permission_error', 'permission_error'],
    [404, 'not_found_error', 'not_found_error'],
    [413, 'request_too_large', 'invalid_request_error'],
    [429, 'rate_limit_error', 'rate_limit_error'],
    [500, 'api_error', 'server_error'],
    [529, 'overloaded_error', 'server_error'],
    [503, 'api_error', 'server_error'],
    [422, 'invalid_request_error', 'invalid_request_error'],
  ])('maps status %i to %s / %s', (status, anthropic, openai) => {
    expect(errorTypeFor('anthropic', status)).toBe(anthropic);
    expect(errorTypeFor('openai', status)).toBe(openai);
  });

  it('builds each format’s body', () => {
    expect(anthropicErrorBody('rate_limit_error', 'slow down')).toEqual({
      type: 'error',
      error: { type: 'rate_limit_error', message: 'slow down' },
    });
    expect(openaiErrorBody('invalid_request_error', 'bad', 'model_not_found', 'model')).toEqual({
      error: { message: 'bad', type: 'invalid_request_error', param: 'model', code: 'model_not_found' },
    });
    expect(openaiErrorBody('server_error', 'boom').error).toMatchObject({ param: null, code: null });
  });
});

describe('translateErrorBody', () => {
  const anthropicRaw = JSON.stringify({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' }, request_id: 'req_1' });
  const openaiRaw = JSON.stringify({
    error: { message: 'Rate limit reached for gpt-4o', type: 'requests', param: null, code: 'rate_limit_exceeded' },
  });

  it('Anthropic upstream → OpenAI client: message kept, type from the status', () => {
    expect(translateErrorBody('anthropic', 'openai', 529, anthropicRaw)).toEqual({
      error: { message: 'Overloaded', type: 'server_error', param: null, code: null },
    });
  });

  it('OpenAI upstream → Anthropic client: message kept, type from the status', () => {
    expect(translateErrorBody('openai', 'anthropic', 429, openaiRaw)).toEqual({
      type: 'error',
      error: { type: 'rate_limit_error', message: 'Rate limit reached for gpt-4o' },
    });
  });

  it('same format keeps the upstream type and code', () => {
    expect(translateErrorBody('openai', 'openai', 429, openaiRaw)).toEqual({
      error: { message: 'Rate limit reached for gpt-4o', type: 'requests', param: null, code: 'rate_limit_exceeded' },
    });
    expect(translateErrorBody('anthropic', 'anthropic', 529, anthropicRaw)).toEqual({
      type: 'error',
      error: { type: 'overloaded_error', message: 'Overloaded' },
    });
  });

  it('keeps the text of a body that is not JSON, clipped; an empty body names the status', () => {
    expect(translateErrorBody('openai', 'anthropic', 502, '<html>Bad Gateway</html>\n')).toEqual({
      type: 'error',
      error: { type: 'api_error', message: '<html>Bad Gateway</html>' },
    });
    const long = translateErrorBody('anthropic', 'openai', 500, 'x'.repeat(5000)) as { error: { message: string } };
    expect(long.error.message.length).toBeLessThanOrEqual(1001);
    expect(translateErrorBody('anthropic', 'openai', 503, '')).toMatchObject({
      error: { message: 'The upstream provider answered HTTP 503.' },
    });
  });

  it('reads loose shapes used by compatible servers ({error:"…"}, {message}, {detail})', () => {
    expect(translateErrorBody('openai', 'anthropic', 400, '{"error":"model is required"}')).toMatchObject({
      error: { message: 'model is required' },
    });
    expect(translateErrorBody('openai', 'anthropic', 400, '{"detail":"Not Found"}')).toMatchObject({ error: { message: 'Not Found' } });
    expect(translateErrorBody('openai', 'openai', 400, '{"message":"bad"}')).toMatchObject({
      error: { message: 'bad', type: 'invalid_request_error' },
    });
  });
});
