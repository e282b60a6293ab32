import type { Readable } from 'node:stream';
import type { FailureCategory, WireFormat } from '@slipway/contracts';
import { toUpstreamError, type UpstreamResponse } from '@slipway/ai-providers';
import { DeltaTally, MALFORMED_EVENT, SseParser, createStreamTranslator, type SseEvent } from '../translate';
import type { AttemptInput, AttemptRoute } from './attempt';
import { failed, type AttemptOutcome } from './attempt-outcome';
import { startStream, type AnswerMeta } from './client-response';
import { categoryOfStreamError, statusOfBrokenCategory, statusOfStreamError } from './stream-errors';
import { billedUsage } from './usage-estimate';

/** Pre-answer events held back at most; past this the stream goes out anyway. */
const MAX_HELD_EVENTS = 8;
const OPENAI_ANSWER = /"(content|tool_calls|refusal)":\s*(?!null|""|\[\])/;

/** Whether an upstream event carries (part of) the answer, so the stream must now reach the client. */
function isAnswerEvent(e: SseEvent, format: WireFormat): boolean {
  if (format === 'anthropic') return e.event === 'content_block_delta' || e.event === 'message_delta' || e.event === 'message_stop';
  return e.data === '[DONE]' || e.data.includes('"finish_reason":"') || OPENAI_ANSWER.test(e.data);
}

/**
 * Relays a provider's stream to the client through the stream translator (a pass-through when
 * both speak the same format), which also counts usage. Events before the first token are held
 * back: if the stream fails there, nothing has reached the client and another route can still
 * answer. After that, any failure ends the stream with an error event, never a clean end.
 */
export function relayStream(
  body: Readable,
  idle: UpstreamResponse['idle'],
  maxEventBytes: number,
  format: WireFormat,
  input: AttemptInput,
  route: AttemptRoute,
  meta: AnswerMeta,
): Promise<AttemptOutcome> {
  const { res } = input;
  // A provider sending one endless line (or event) must not grow our memory: past the cap, the stream fails.
  const parser = new SseParser({ maxEventChars: maxEventBytes });
  const translator = createStreamTranslator(format, input.client, { model: route.model, id: input.requestId, includeUsage: input.includeUsage, inputTokensEstimate: input.inputTokensEstimate });
  // What was generated, counted from the deltas, for when the provider's final usage never comes.
  const tally = new DeltaTally(format);
  const servedSoFar = () => ({ ...billedUsage(translator.usage(), translator.finished, tally.outputTokens(), input.inputTokensEstimate), ttftMs, servedModel: route.model });
  let committed = false;
  let ttftMs: number | null = null;
  let settled = false;
  let held = '';
  let heldEvents = 0;

  return new Promise<AttemptOutcome>((resolve) => {
    const finish = (outcome: AttemptOutcome) => {
      if (settled) return;
      settled = true;
      body.removeAllListeners('data');
      resolve(outcome);
    };
    let paused = false;
    const write = (text: string) => {
      if (!text || res.write(text) || paused) return;
      // A slow client: stop reading the provider until it catches up (and stop the idle clock).
      paused = true;
      body.pause();
      idle.suspend();
      res.once('drain', () => {
        paused = false;
        idle.resume();
        body.resume();
      });
    };
    const endBroken = (category: FailureCategory, status = statusOfBrokenCategory(category)) => {
      res.end();
      body.destroy();
      finish({ kind: 'broken', category, status, ...servedSoFar() });
    };
    const commit = () => {
      committed = true;
      ttftMs = Math.round(performance.now() - input.startedAt);
      startStream(res, meta);
      write(held);
      held = '';
    };
    const relay = (e: SseEvent) => {
      tally.observe(e);
      const out = translator.push(e);
      const error = translator.upstreamError;
      if (error && !committed) {
        body.destroy();
        return finish(failed(categoryOfStreamError(error.type), `${route.provider.name}: ${error.message}`, null, null, format, {}));
      }
      if (committed) write(out);
      else {
        held += out;
        if (isAnswerEvent(e, format) || ++heldEvents >= MAX_HELD_EVENTS) commit();
      }
      // The translator already wrote the client's error event for a bad or error event: end here.
      // A malformed event is the gateway's finding (502); an error event carries the provider's own type.
      if (error) endBroken(categoryOfStreamError(error.type), error.message === MALFORMED_EVENT ? 502 : statusOfStreamError(error.type));
    };

    body.on('data', (chunk: Buffer) => {
      try {
        for (const e of parser.feed(chunk)) {
          if (settled) return;
          relay(e);
        }
      } catch (err) {
        // Never let a surprise in one event take the process down: this answer ends, others go on.
        const message = `The gateway could not relay the provider's stream: ${err instanceof Error ? err.message : String(err)}`;
        if (!committed) {
          body.destroy();
          return finish(failed('server_error', message, null, null, format, {}));
        }
        write(translator.error('api_error', message));
        endBroken('server_error');
      }
    });
    body.once('end', () => {
      if (settled) return;
      if (!committed) return finish(failed('connection', `${route.provider.name} ended the stream before the first token`, null, null, format, {}));
      if (!translator.finished) {
        write(translator.error('api_error', 'The provider ended the stream before the answer was complete.'));
        return endBroken('stream_cut');
      }
      write(translator.end());
      res.end();
      finish({ kind: 'answered', ...servedSoFar() });
    });
    body.once('error', (err) => {
      if (settled) return;
      const failure = toUpstreamError(err);
      if (failure.failure === 'aborted' || input.signal.aborted) {
        res.end();
        // The provider got the request either way: what it read and generated is billed.
        return finish({ kind: 'aborted', ...servedSoFar() });
      }
      const category: FailureCategory = failure.failure === 'timeout' ? 'timeout' : 'stream_cut';
      // Before the first token nothing reached the client: a broken connection, which may fall back.
      if (!committed) return finish(failed(category === 'stream_cut' ? 'connection' : category, `${route.provider.name}: ${failure.message}`, null, null, format, {}));
      const timedOut = category === 'timeout';
      write(translator.error(timedOut ? 'timeout_error' : 'api_error', timedOut ? 'The provider stopped sending mid-answer (idle timeout).' : 'The provider connection broke mid-answer.'));
      endBroken(category);
    });
  });
}
