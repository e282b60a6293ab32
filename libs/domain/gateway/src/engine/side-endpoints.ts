import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { Injectable } from '@nestjs/common';
import { Inject } from '@nestjs/common';
import { CONFIG, type Config } from '@slipway/config';
import { toUpstreamError } from '@slipway/ai-providers';
import type { GatewayCaller } from '../callers';
import { listModels, planRoutes, requestNeeds } from '../routing';
import { translateErrorBody } from '../translate';
import { sendError, sendJson, type AnswerMeta } from './client-response';
import { GatewayEngine } from './gateway-engine';
import { parseModelRequest } from './parse-request';
import { AnswerTooLarge, readCapped } from './read-capped';
import { buildUpstreamCall } from './upstream-call';

const CREATED_AT = '2025-01-01T00:00:00Z';

/** GET /v1/models and POST /v1/messages/count_tokens: no spend, no usage event. */
@Injectable()
export class GatewaySideEndpoints {
  constructor(
    private readonly engine: GatewayEngine,
    @Inject(CONFIG) private readonly config: Pick<Config, 'GATEWAY_UPSTREAM_MAX_BYTES'>,
  ) {}

  /** Anthropic's list shape when the client sends `anthropic-version`, OpenAI's otherwise (as the providers do). */
  async models(headers: IncomingHttpHeaders, res: ServerResponse): Promise<void> {
    const anthropic = typeof headers['anthropic-version'] === 'string';
    const format = anthropic ? 'anthropic' : 'openai';
    const meta: AnswerMeta = { requestId: randomUUID() };
    const caller = await this.engine.authenticate(format, headers, 'models', res, meta);
    if (!caller) return;
    const models = listModels(caller.config, caller.providers);
    if (anthropic) {
      const data = models.map((m) => ({ type: 'model', id: m.id, display_name: m.alias ? `${m.id} (alias)` : m.id, created_at: CREATED_AT }));
      return sendJson(res, 200, { data, has_more: false, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null }, meta);
    }
    const created = Math.floor(Date.parse(CREATED_AT) / 1000);
    sendJson(res, 200, { object: 'list', data: models.map((m) => ({ id: m.id, object: 'model', created, owned_by: m.provider ?? 'slipway' })) }, meta);
  }

  /** Forwarded to the first route when it speaks Anthropic; estimated (and labelled so) otherwise. For a caller `engine.admit` let in. */
  async countTokens(headers: IncomingHttpHeaders, raw: Buffer, res: ServerResponse, caller: GatewayCaller): Promise<void> {
    const meta: AnswerMeta = { requestId: randomUUID() };
    const parsed = parseModelRequest('anthropic', raw, 'count_tokens');
    if (!parsed.ok) return sendError(res, 'anthropic', parsed.error, meta);
    const needs = requestNeeds('anthropic', parsed.request.body);
    const plan = planRoutes({ config: caller.config, model: parsed.request.model, needs, providers: caller.providers });
    if (!plan.ok) return sendError(res, 'anthropic', { status: plan.status, message: plan.message }, meta);
    const route = plan.routes[0]!;
    const provider = caller.providers.find((p) => p.name === route.provider.name)!;
    if (provider.kind !== 'ANTHROPIC' && provider.kind !== 'MOCK') {
      return sendJson(res, 200, { input_tokens: needs.inputTokensEstimate }, { ...meta, provider: provider.name, model: route.model }, { 'x-slipway-estimated': 'true' });
    }
    const body = { ...parsed.request.body };
    delete body.max_tokens;
    const call = buildUpstreamCall({ provider, model: route.model, client: 'anthropic', op: 'count_tokens', body, clientHeaders: headers });
    try {
      const answer = await this.engine.upstreamClient.request({
        origin: call.origin,
        path: call.path,
        headers: call.headers,
        body: call.body,
        connectTimeoutMs: route.timeouts.connectMs,
        // Counting is quick: the first-byte budget bounds the whole exchange.
        timeoutMs: route.timeouts.firstByteMs,
        trusted: provider.kind === 'MOCK',
      });
      if (answer.status >= 300 && answer.status < 400) {
        answer.body.destroy();
        return sendError(res, 'anthropic', { status: 502, message: `${provider.name} answered ${answer.status}, a redirect, which the gateway does not follow.` }, meta);
      }
      const text = await readCapped(answer.body, this.config.GATEWAY_UPSTREAM_MAX_BYTES, 'fail');
      const out = answer.status < 300 ? text : translateErrorBody('anthropic', 'anthropic', answer.status, text);
      sendJson(res, answer.status, out, { ...meta, provider: provider.name, model: route.model });
    } catch (err) {
      sendError(res, 'anthropic', { status: 502, message: `${provider.name}: ${err instanceof AnswerTooLarge ? err.message : toUpstreamError(err).message}` }, meta);
    }
  }
}
