import { describe, expect, it } from 'vitest';
import { MAX_BODY_DEPTH, parseModelRequest } from './parse-request';

/** A chat body whose deepest value sits `depth` levels down (the body itself is level 1). */
const nestedBody = (depth: number) => Buffer.from(`{"model":"m","messages":[${'['.repeat(depth - 2)}${']'.repeat(depth - 2)}]}`);

describe('parseModelRequest', () => {
  it(`takes a body ${MAX_BODY_DEPTH} levels deep and refuses one level more with a 400`, () => {
    expect(parseModelRequest('openai', nestedBody(MAX_BODY_DEPTH), 'messages').ok).toBe(true);
    expect(parseModelRequest('openai', nestedBody(MAX_BODY_DEPTH + 1), 'messages')).toEqual({
      ok: false,
      error: { status: 400, message: `The request body is nested more than ${MAX_BODY_DEPTH} levels deep.` },
    });
  });

  it('counts objects and arrays alike', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < MAX_BODY_DEPTH; i++) deep = i % 2 ? [deep] : { v: deep };
    const raw = Buffer.from(JSON.stringify({ model: 'm', messages: [], metadata: deep }));
    expect(parseModelRequest('openai', raw, 'messages').ok).toBe(false);
  });
});

describe('stream', () => {
  it('takes "stream": null as not streamed (OpenAI does) and drops it, and still refuses other non-booleans', () => {
    const parsed = parseModelRequest('openai', Buffer.from('{"model":"m","messages":[],"stream":null}'), 'messages');
    expect(parsed.ok && parsed.request.stream).toBe(false);
    expect(parsed.ok && 'stream' in parsed.request.body).toBe(false);
    expect(parseModelRequest('openai', Buffer.from('{"model":"m","messages":[],"stream":"yes"}'), 'messages')).toMatchObject({ ok: false, error: { status: 400 } });
  });
});
