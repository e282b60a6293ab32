// The steady load a fault runs under: GETs through the edge to a deployed app, and model calls
// through the gateway with the official Anthropic SDK (no retries, so every failure counts),
// each at a fixed rate, loopback only, bounded in time. Every answer is kept with its time, so
// the figures can say when failures started and stopped.
import http from 'node:http';
import Anthropic from '@anthropic-ai/sdk';

/** @typedef {{ at: number, ok: boolean, why?: string, requestId?: string }} Sample */

/** One GET through the edge for `host`: its status and body (status 0 when nothing answered). */
export function edgeGet(edgeUrl, host, timeoutMs = 3000) {
  const edge = new URL(edgeUrl);
  return new Promise((resolve) => {
    const req = http.request(
      { host: edge.hostname, port: edge.port, path: '/', headers: { host }, timeout: timeoutMs, agent: false },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (err) => resolve({ status: 0, body: err.message }));
    req.end();
  });
}

/** ok when the edge answers 200 with the app's body. */
async function edgeSample(edgeUrl, host) {
  const { status, body } = await edgeGet(edgeUrl, host);
  return status === 200 && body.startsWith('node-http') ? { ok: true } : { ok: false, why: `${status} ${body.slice(0, 60)}` };
}

/** One model call; ok with the gateway's request id (which its usage record carries). */
async function modelCall(client) {
  try {
    const { response } = await client.messages
      .create({ model: 'default', max_tokens: 16, messages: [{ role: 'user', content: 'ping' }] })
      .withResponse();
    return { ok: true, requestId: response.headers.get('x-slipway-request-id') ?? undefined };
  } catch (err) {
    return { ok: false, why: `${err.status ?? ''} ${err.message}`.trim().slice(0, 80) };
  }
}

/** Fires `call` every 1000/perSecond ms until stopped or `maxMs` passed; records each answer. */
function stream(call, perSecond, maxMs) {
  /** @type {Sample[]} */
  const samples = [];
  const inFlight = new Set();
  const started = Date.now();
  const timer = setInterval(() => {
    if (Date.now() - started > maxMs) return clearInterval(timer);
    const at = Date.now();
    const p = call().then((r) => void samples.push({ at, ...r }));
    inFlight.add(p);
    p.finally(() => inFlight.delete(p));
  }, 1000 / perSecond);
  return {
    samples,
    async stop() {
      clearInterval(timer);
      await Promise.all(inFlight);
      return samples.sort((a, b) => a.at - b.at);
    },
  };
}

/**
 * Starts both streams.
 * @param {{ edgeUrl: string, host: string, apiUrl: string, gatewayKey: string, edgePerSecond?: number, gatewayPerSecond?: number, maxMs?: number }} o
 */
export function steadyLoad({ edgeUrl, host, apiUrl, gatewayKey, edgePerSecond = 20, gatewayPerSecond = 5, maxMs = 180_000 }) {
  const client = new Anthropic({ apiKey: gatewayKey, baseURL: apiUrl, maxRetries: 0, timeout: 5000 });
  const edge = stream(() => edgeSample(edgeUrl, host), edgePerSecond, maxMs);
  const gateway = stream(() => modelCall(client), gatewayPerSecond, maxMs);
  return {
    async stop() {
      const [e, g] = await Promise.all([edge.stop(), gateway.stop()]);
      return { edge: e, gateway: g };
    },
  };
}

/**
 * What one stream saw of a fault injected at `faultAt`: requests, failures, the first failure
 * reasons, and the time from the fault to the first success after the last failure (0 when
 * nothing failed).
 * @param {Sample[]} samples
 */
export function summarize(samples, faultAt) {
  const failed = samples.filter((s) => !s.ok);
  const lastFailure = failed.at(-1);
  const recovered = lastFailure ? samples.find((s) => s.ok && s.at > lastFailure.at) : undefined;
  return {
    requests: samples.length,
    failed: failed.length,
    reasons: [...new Set(failed.map((s) => `${s.at - faultAt} ms: ${s.why}`))].slice(0, 3),
    failedFromMs: failed[0] ? failed[0].at - faultAt : null,
    failedUntilMs: lastFailure ? lastFailure.at - faultAt : null,
    recoverMs: !lastFailure ? 0 : recovered ? recovered.at - faultAt : null,
  };
}
