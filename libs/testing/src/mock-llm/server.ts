// createMockLlmServer: the mock provider on node:http. Routes:
//   POST /v1/messages, POST /v1/messages/count_tokens          Anthropic Messages
//   POST /v1/chat/completions                                    OpenAI Chat Completions
//   GET  /v1/models, GET /v1/models/{id}                         Anthropic shape when the request
//        has an `anthropic-version` header, OpenAI shape otherwise
//   any of these under /anthropic/... or /openai/... forces that wire format
//   /__mock/faults (GET, POST, DELETE), GET /__mock/requests, POST /__mock/reset,
//   POST /__mock/config, GET /__mock/health                      control, no auth
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { anthropicMessage, anthropicStreamPlan, anthropicWire } from './anthropic-wire';
import { handleControl } from './control';
import { FaultTable } from './faults';
import { openaiCompletion, openaiStreamPlan, openaiWire } from './openai-wire';
import { complete, promptFor } from './prompt';
import { playStream, sendCompletion, sendError, sendJson, sendStatusFault, type Exchange } from './respond';
import { countTokens } from './tokens';
import type { MockApi, MockFaultRule, MockFaultState, MockLlmServerOptions, MockRecordedRequest, MockTiming } from './types';

export const MOCK_MODELS = ['mock-claude-sonnet', 'mock-claude-haiku', 'mock-gpt-4o', 'mock-gpt-4o-mini'];

export interface MockLlmServer {
  /** http://127.0.0.1:<port>, no trailing slash: the Anthropic SDK's baseURL. */
  url: string;
  port: number;
  /** `${url}/v1`: the OpenAI SDK's baseURL. */
  openaiBaseUrl: string;
  /** Every request but /__mock/*, oldest first (a live array). */
  requests: MockRecordedRequest[];
  /** Replaces the fault rules (and reseeds the probability RNG when a seed is given). */
  setFaults(rules: MockFaultRule[], options?: { seed?: number }): void;
  addFault(rule: MockFaultRule): void;
  clearFaults(): void;
  faults(): MockFaultState[];
  /** Changes latency, TTFT or tokens/s for the following requests. */
  configure(timing: Partial<MockTiming>): void;
  /** Clears faults and recorded requests. */
  reset(): void;
  /** Stops listening and destroys every connection, stalled ones included. */
  close(): Promise<void>;
}

const MAX_BODY = 32 * 1024 * 1024;

function readBody(req: IncomingMessage, limit: number): Promise<{ text: string; tooLarge: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) tooLarge = true;
      else chunks.push(c);
    });
    req.on('end', () => resolve({ text: tooLarge ? '' : Buffer.concat(chunks).toString('utf8'), tooLarge }));
    req.on('error', reject);
  });
}

function credentials(req: IncomingMessage): string | undefined {
  const x = req.headers['x-api-key'];
  if (typeof x === 'string' && x !== '') return x;
  return /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
}

function recordHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (k === 'authorization' || k === 'x-api-key' || v === undefined) continue;
    out[k] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

export async function createMockLlmServer(options: MockLlmServerOptions = {}): Promise<MockLlmServer> {
  const timing: MockTiming = {
    latencyMs: options.latencyMs ?? 0,
    ttftMs: options.ttftMs ?? 0,
    tokensPerSecond: options.tokensPerSecond ?? 1000,
  };
  const seed = options.seed ?? 42;
  const trigger = options.toolTrigger ?? /\bweather\b/i;
  const settings = {
    output: options.output ?? 'echo',
    toolTrigger: typeof trigger === 'string' ? new RegExp(`\\b${trigger.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`, 'i') : trigger,
    seed,
  };
  const models = options.models ?? MOCK_MODELS;
  const maxRecorded = options.maxRecordedRequests ?? 1000;
  const faults = new FaultTable(seed);
  faults.set(options.faults ?? []);
  const requests: MockRecordedRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let seq = 0;
  let closed = false;

  const wait = (ms: number) =>
    ms <= 0
      ? Promise.resolve()
      : new Promise<void>((resolve) => {
          const t = setTimeout(() => {
            timers.delete(t);
            resolve();
          }, ms);
          timers.add(t);
        });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.setHeader('x-mock-llm', '1');
    const url = new URL(req.url ?? '/', 'http://mock');
    if (url.pathname.startsWith('/__mock/')) {
      if (options.controlEndpoints === false)
        return void sendJson({ res, onStatus: () => {} }, 404, { error: 'control endpoints disabled' });
      const { text } = await readBody(req, MAX_BODY);
      return handleControl(req.method ?? 'GET', url, text, res, { faults, requests, timing, reset: () => requests.splice(0) });
    }
    const forced = /^\/(anthropic|openai)(?=\/)/.exec(url.pathname)?.[1] as MockApi | undefined;
    const path = forced ? url.pathname.slice(forced.length + 1) : url.pathname;
    const method = req.method ?? 'GET';
    const endpoint: MockRecordedRequest['endpoint'] =
      method === 'POST' && path === '/v1/messages'
        ? 'messages'
        : method === 'POST' && path === '/v1/messages/count_tokens'
          ? 'count_tokens'
          : method === 'POST' && path === '/v1/chat/completions'
            ? 'chat'
            : method === 'GET' && /^\/v1\/models(\/[^/]+)?$/.test(path)
              ? 'models'
              : 'unknown';
    const api: MockApi =
      forced ??
      (endpoint === 'chat'
        ? 'openai'
        : endpoint === 'messages' || endpoint === 'count_tokens' || req.headers['anthropic-version']
          ? 'anthropic'
          : 'openai');
    const { text, tooLarge } = await readBody(req, options.maxBodyBytes ?? MAX_BODY);
    let body: unknown = text;
    let malformed = false;
    if (text !== '') {
      try {
        body = JSON.parse(text);
      } catch {
        malformed = true;
      }
    }
    const obj = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined;
    const record: MockRecordedRequest = {
      seq: ++seq,
      at: new Date().toISOString(),
      method,
      path: req.url ?? '/',
      api,
      endpoint,
      headers: recordHeaders(req),
      apiKey: credentials(req),
      body: tooLarge ? '<body over limit>' : body,
      ...(typeof obj?.model === 'string' ? { model: obj.model } : {}),
      ...(endpoint === 'messages' || endpoint === 'chat' ? { stream: obj?.stream === true } : {}),
    };
    requests.push(record);
    if (requests.length > maxRecorded) requests.splice(0, requests.length - maxRecorded);
    let gone = false;
    res.on('close', () => (gone = true));
    const wire = api === 'anthropic' ? anthropicWire : openaiWire;
    const x: Exchange = { res, wire, timing: { ...timing }, wait, alive: () => !gone && !closed, onStatus: (s) => (record.status = s) };
    res.setHeader(wire.requestIdHeader, `req_mock_${String(record.seq).padStart(6, '0')}`);

    const key = record.apiKey;
    if (!key) return sendError(x, 401, api === 'anthropic' ? 'x-api-key header is required' : 'You did not provide an API key.');
    if (options.apiKeys && !options.apiKeys.includes(key))
      return sendError(x, 401, api === 'anthropic' ? 'invalid x-api-key' : 'Incorrect API key provided.');
    if (endpoint === 'unknown') return sendError(x, 404, `Not found: ${method} ${path}`);
    if (tooLarge) return sendError(x, 413, 'Request exceeds the maximum allowed number of bytes.');
    if (endpoint === 'models') {
      const id = path.split('/')[3];
      if (id === undefined) return sendJson(x, 200, wire.modelsBody(models));
      return models.includes(id) ? sendJson(x, 200, wire.modelBody(id)) : sendError(x, 404, `model: ${id}`);
    }
    if (malformed) return sendError(x, 400, 'There was an error parsing the body of your request: it is not valid JSON.');
    if (!obj) return sendError(x, 400, 'The request body must be a JSON object.');
    if (api === 'anthropic' && options.requireAnthropicVersion !== false && !req.headers['anthropic-version'])
      return sendError(x, 400, 'anthropic-version: header is required');
    if (typeof obj.model !== 'string' || obj.model === '') return sendError(x, 400, 'model: Field required');
    if (!Array.isArray(obj.messages) || obj.messages.length === 0) return sendError(x, 400, 'messages: Field required');
    if (endpoint === 'messages' && !(Number.isInteger(obj.max_tokens) && (obj.max_tokens as number) >= 1))
      return sendError(x, 400, 'max_tokens: Field required (an integer ≥ 1)');
    if (options.rejectUnknownModels && !models.includes(obj.model))
      return sendError(x, 404, `model: ${obj.model} does not exist`, api === 'anthropic' ? 'not_found_error' : undefined);
    const prompt = promptFor(api, obj);
    if (endpoint === 'count_tokens') return sendJson(x, 200, { input_tokens: countTokens(prompt.inputText) });

    const fault = faults.take(api, obj.model, prompt.stream);
    if (fault) record.fault = fault.kind;
    const extra = fault?.kind === 'delay' ? fault.ms : 0;
    if (fault?.kind === 'timeout' || (fault?.kind === 'stall' && !prompt.stream)) return; // never answer
    if (fault?.kind === 'status') return sendStatusFault(x, fault, extra);
    const c = complete(prompt, settings);
    const id =
      api === 'anthropic' ? `msg_mock_${String(record.seq).padStart(6, '0')}` : `chatcmpl-mock-${String(record.seq).padStart(6, '0')}`;
    if (prompt.stream) {
      const includeUsage = (obj.stream_options as { include_usage?: unknown } | undefined)?.include_usage === true;
      const plan =
        api === 'anthropic'
          ? anthropicStreamPlan(c, obj.model, id, options.pingEveryTokens ?? 20)
          : openaiStreamPlan(c, obj.model, id, includeUsage);
      return playStream(x, plan, fault, extra);
    }
    const answer = api === 'anthropic' ? anthropicMessage(c, obj.model, id) : openaiCompletion(c, obj.model, id);
    return sendCompletion(x, answer, c.outputTokens, fault, extra, id);
  }

  const server = createServer({ noDelay: true, keepAliveTimeout: 5000 }, (req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendJson({ res, onStatus: () => {} }, 500, { error: { message: String(err), type: 'server_error' } });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${options.host ?? '127.0.0.1'}:${port}`;
  return {
    url,
    port,
    openaiBaseUrl: `${url}/v1`,
    requests,
    setFaults: (rules, o) => faults.set(rules, o?.seed),
    addFault: (rule) => faults.add(rule),
    clearFaults: () => faults.set([]),
    faults: () => faults.list(),
    configure: (t) => Object.assign(timing, t),
    reset: () => {
      faults.set([]);
      requests.splice(0);
    },
    close: async () => {
      closed = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      const done = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await done;
    },
  };
}
