#!/usr/bin/env node
// Runs the mock LLM provider as its own server, for manual use and for other processes
// (the failover drill drives it over /__mock/*). Uses the built lib:
//   npx nx run @slipway/testing:build && node libs/testing/bin/mock-llm.mjs --port 4900
// Options: --port N (default 4900) --host H --latency MS --ttft MS --tps N (0 = unpaced)
//          --keys k1,k2 (default: any key) --output echo|lorem:N --seed N
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const here = path.dirname(fileURLToPath(import.meta.url));
const built = path.resolve(here, '../dist/mock-llm/index.js');
if (!existsSync(built)) {
  console.error(`mock-llm: ${built} is missing; run \`npx nx run @slipway/testing:build\` first.`);
  process.exit(1);
}
const { createMockLlmServer } = await import(pathToFileURL(built).href);

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '4900' },
    host: { type: 'string', default: '127.0.0.1' },
    latency: { type: 'string' },
    ttft: { type: 'string' },
    tps: { type: 'string' },
    keys: { type: 'string' },
    output: { type: 'string', default: 'echo' },
    seed: { type: 'string' },
  },
});
const num = (v) => (v === undefined ? undefined : Number(v));
const lorem = /^lorem:(\d+)$/.exec(values.output);
const mock = await createMockLlmServer({
  port: Number(values.port),
  host: values.host,
  latencyMs: num(values.latency),
  ttftMs: num(values.ttft),
  tokensPerSecond: num(values.tps),
  apiKeys: values.keys ? values.keys.split(',') : undefined,
  output: lorem ? { lorem: Number(lorem[1]) } : 'echo',
  seed: num(values.seed),
});
console.log(
  `mock-llm listening on ${mock.url} (Anthropic baseURL ${mock.url}, OpenAI baseURL ${mock.openaiBaseUrl}, control ${mock.url}/__mock/)`,
);
const stop = () => mock.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
