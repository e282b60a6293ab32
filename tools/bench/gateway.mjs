#!/usr/bin/env node
// `npm run bench:gateway`: what the model gateway adds on top of its provider. The mock provider
// (zero latency, unpaced tokens) and the built api each run in their own process; this process
// sends the same request straight to the mock ("direct") and through the gateway, interleaved,
// and through a minimal node:http proxy (the floor), for both wire formats: added latency p50/p99 at concurrency 1, req/s at concurrency 50,
// streamed time-to-first-token overhead, and api CPU per request. Loopback only, bounded
// counts. Results are printed and written into docs/benchmarks.md (between the markers).
//   npm run bench:gateway [-- --no-build] [-- --n=2000 --tput=6000 --rounds=5] [-- --profile]
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { createLog } from '../lib/log.mjs';
import { ensureMasterKey } from '../lib/master-key.mjs';
import { appSpecs, startPlatform } from '../lib/platform.mjs';
import { ensureServices, recreateDatabase, withDatabase } from '../lib/services.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const log = createLog('bench');
const args = Object.fromEntries(process.argv.slice(2).map((a) => [a.replace(/^--/, '').split('=')[0], a.split('=')[1] ?? 'true']));
const N_LATENCY = Number(args.n ?? 2000);
const N_TPUT = Number(args.tput ?? 6000);
const N_TTFT = Number(args.ttft ?? 1000);
const ROUNDS = Number(args.rounds ?? 5);
const API_PORT = 14500;
const MOCK_PORT = 14590;
const PROXY_PORT = 14591;
const DOC = path.join(root, 'docs/benchmarks.md');
const LOAD_BEFORE = os.loadavg()[0];
const MARK_START = '<!-- bench:gateway:start -->';
const MARK_END = '<!-- bench:gateway:end -->';

const services = await ensureServices({ log, root });
await recreateDatabase(services.env.DATABASE_URL, 'slipway_bench_gateway', { log });
const env = {
  ...process.env,
  ...services.env,
  DATABASE_URL: withDatabase(services.env.DATABASE_URL, 'slipway_bench_gateway'),
  REDIS_URL: services.env.REDIS_URL.replace(/\/\d*$/, '') + '/5',
  API_PORT: String(API_PORT),
  GATEWAY_MOCK_URL: `http://127.0.0.1:${MOCK_PORT}`,
  // Concurrency 50 must not queue behind the per-route limit.
  GATEWAY_PROVIDER_CONCURRENCY: '1024',
  NODE_ENV: 'production',
  LOG_LEVEL: 'warn',
  SLIPWAY_MASTER_KEY_FILE: path.join(root, '.slipway/bench/master.key'),
  DATA_DIR: path.join(root, '.slipway/bench/data'),
};
ensureMasterKey({ root, env, quiet: true });
if (args['no-build'] === undefined) {
  log.step('Building and migrating');
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'ignore', env });
}
execFileSync('npx', ['prisma', 'migrate', 'deploy'], { cwd: root, stdio: 'ignore', env });

// The mock answers at once: every millisecond measured is the gateway's or the machine's.
const specs = appSpecs(env)
  .filter((s) => s.name === 'api' || s.name === 'mock-llm')
  .map((s) => (s.name === 'mock-llm' ? { ...s, args: ['libs/testing/bin/mock-llm.mjs', '--port', String(MOCK_PORT), '--ttft', '0', '--tps', '0', '--latency', '0'] } : s))
  // --profile: a V8 CPU profile of the api in .slipway/bench/profile (open it in Chrome DevTools).
  .map((s) => (s.name === 'api' && args.profile !== undefined ? { ...s, args: ['--cpu-prof', `--cpu-prof-dir=${path.join(root, '.slipway/bench/profile')}`, ...s.args] } : s));
specs.push({ name: 'minimal-proxy', args: ['tools/bench/minimal-proxy.mjs', String(PROXY_PORT), String(MOCK_PORT)], ready: { line: 'minimal proxy ready' } });
const platform = await startPlatform({ root, env, log, logDir: path.join(root, '.slipway/bench/logs'), specs }).catch(async (err) => {
  await services.stop({ docker: true }); // leave nothing running that this run started
  throw err;
});
const pidOf = (name) => platform.apps.find((a) => a.name === name).child.pid;
const WAYS = ['direct', 'proxy', 'gateway'];

try {
  const key = await seed(`http://127.0.0.1:${API_PORT}`);
  const targets = {
    anthropic: {
      direct: { port: MOCK_PORT, path: '/v1/messages', headers: { 'x-api-key': 'mock', 'anthropic-version': '2023-06-01' }, model: 'mock-fast' },
      proxy: { port: PROXY_PORT, path: '/v1/messages', headers: { 'x-api-key': 'mock', 'anthropic-version': '2023-06-01' }, model: 'bench' },
      gateway: { port: API_PORT, path: '/v1/messages', headers: { 'x-api-key': key, 'anthropic-version': '2023-06-01' }, model: 'bench' },
      body: (model, stream) => ({ model, max_tokens: 32, stream, messages: [{ role: 'user', content: 'hello there, how are you today?' }] }),
      firstToken: 'content_block_delta',
    },
    openai: {
      direct: { port: MOCK_PORT, path: '/v1/chat/completions', headers: { authorization: 'Bearer mock' }, model: 'mock-fast' },
      proxy: { port: PROXY_PORT, path: '/v1/chat/completions', headers: { authorization: 'Bearer mock' }, model: 'bench' },
      gateway: { port: API_PORT, path: '/v1/chat/completions', headers: { authorization: `Bearer ${key}` }, model: 'bench' },
      body: (model, stream) => ({ model, stream, messages: [{ role: 'user', content: 'hello there, how are you today?' }] }),
      firstToken: '"content":"',
    },
  };

  log.step(`Warm-up, then ${ROUNDS} interleaved rounds per figure`);
  const results = {};
  const perWay = () => Object.fromEntries(WAYS.map((w) => [w, []]));
  for (const [api, t] of Object.entries(targets)) {
    for (const way of WAYS) await latencyRun(t[way], t.body(t[way].model, false), 300, 1);
    results[api] = { latency: perWay(), tput: perWay(), ttft: perWay(), cpuUs: perWay() };
  }
  // Rounds outermost: both endpoints and all three ways share each stretch of machine noise.
  for (let round = 0; round < ROUNDS; round++) {
    for (const [api, t] of Object.entries(targets)) {
      const r = results[api];
      for (const way of WAYS) {
        r.latency[way].push(await latencyRun(t[way], t.body(t[way].model, false), N_LATENCY, 1));
        // CPU of the process that does the work: the mock (direct), the minimal proxy, the api.
        const pid = pidOf({ direct: 'mock-llm', proxy: 'minimal-proxy', gateway: 'api' }[way]);
        const cpu0 = cpuMs(pid);
        const tput = await latencyRun(t[way], t.body(t[way].model, false), N_TPUT, 50);
        r.cpuUs[way].push(((cpuMs(pid) - cpu0) * 1000) / tput.requests);
        r.tput[way].push(tput);
        r.ttft[way].push(await latencyRun(t[way], t.body(t[way].model, true), N_TTFT, 1, t.firstToken));
      }
    }
  }
  const report = format(results);
  console.log(`\n${report}`);
  writeDoc(report);
  log.info(`written to ${path.relative(root, DOC)}`);
} finally {
  await platform.stop();
  await services.stop({ docker: true });
}

async function seed(base) {
  const post = async (url, body, headers = {}) => {
    const res = await fetch(base + url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
    if (res.status >= 300) throw new Error(`${url}: ${res.status} ${await res.text()}`);
    return res;
  };
  const signup = await post('/api/v1/auth/signup', { name: 'Bench', email: `bench-${Date.now()}@example.test`, password: 'benchmark password', organizationName: 'Bench' });
  const session = await signup.json();
  const headers = { cookie: signup.headers.getSetCookie().map((c) => c.split(';')[0]).join('; '), 'x-csrf-token': session.csrfToken };
  const org = session.organizations[0].slug;
  const project = (await (await post(`/api/v1/orgs/${org}/projects`, { name: 'Bench' }, headers)).json()).slug;
  const routing = { config: { models: { bench: { routes: [{ provider: 'mock', model: 'mock-fast' }] } } } };
  const put = await fetch(`${base}/api/v1/orgs/${org}/gateway/routing`, { method: 'PUT', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(routing) });
  if (put.status !== 200) throw new Error(`routing: ${put.status} ${await put.text()}`);
  return (await (await post(`/api/v1/orgs/${org}/projects/${project}/gateway/keys`, { name: 'bench' }, headers)).json()).token;
}

/** `n` POSTs over `concurrency` keep-alive connections; latency to the last byte, or to the first `marker` when given. */
async function latencyRun(target, body, n, concurrency, marker) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const payload = JSON.stringify(body);
  const headers = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), ...target.headers };
  const times = [];
  let errors = 0;
  let sent = 0;
  const one = () =>
    new Promise((resolve) => {
      const t0 = performance.now();
      let seen = marker === undefined;
      const req = http.request({ host: '127.0.0.1', port: target.port, path: target.path, method: 'POST', headers, agent }, (res) => {
        if (res.statusCode !== 200) errors++;
        res.on('data', (chunk) => {
          if (!seen && chunk.includes(marker)) {
            seen = true;
            times.push(performance.now() - t0);
          }
        });
        res.on('end', () => {
          if (marker === undefined) times.push(performance.now() - t0);
          resolve();
        });
      });
      req.on('error', () => {
        errors++;
        resolve();
      });
      req.end(payload);
    });
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (sent < n) {
        sent++;
        await one();
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  agent.destroy();
  if (errors) throw new Error(`${errors} failed requests to :${target.port}${target.path}`);
  times.sort((a, b) => a - b);
  const pct = (p) => times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))];
  return { requests: n, rps: n / seconds, p50: pct(50), p99: pct(99) };
}

/** utime + stime of a process, in ms (from /proc; clock ticks of 10 ms). */
function cpuMs(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

function format(results) {
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const m = (runs, k) => median(runs.map((r) => r[k]));
  const f = (x, d = 3) => x.toFixed(d);
  const rows = [];
  for (const [api, r] of Object.entries(results)) {
    const name = api === 'anthropic' ? '`/v1/messages`' : '`/v1/chat/completions`';
    const added = (way, k, fig = 'latency') => m(r[fig][way], k) - m(r[fig].direct, k);
    rows.push(
      `| ${name} | ${f(m(r.latency.direct, 'p50'))} | ${f(added('proxy', 'p50'))} / **${f(added('gateway', 'p50'))}** | ${f(added('proxy', 'p99'))} / **${f(added('gateway', 'p99'))}** | ${f(m(r.tput.direct, 'rps'), 0)} / ${f(m(r.tput.proxy, 'rps'), 0)} / **${f(m(r.tput.gateway, 'rps'), 0)}** | ${f(added('proxy', 'p50', 'ttft'))} / **${f(added('gateway', 'p50', 'ttft'))}** | ${f(median(r.cpuUs.direct), 0)} / ${f(median(r.cpuUs.proxy), 0)} / **${f(median(r.cpuUs.gateway), 0)}** |`,
    );
  }
  return [
    `Run ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC · node ${process.version} · ${os.cpus().length} cores (${os.cpus()[0]?.model.trim()}) · 1-min load average at start ${LOAD_BEFORE.toFixed(2)} · medians of ${ROUNDS} interleaved rounds · latency n=${N_LATENCY} at concurrency 1, throughput n=${N_TPUT} at concurrency 50, TTFT n=${N_TTFT} streamed.`,
    '',
    '| endpoint | direct p50 ms | added p50 ms, minimal proxy / gateway | added p99 ms, proxy / gateway | req/s at c=50, direct / proxy / gateway | added TTFT p50 ms, proxy / gateway | CPU µs/request: mock / proxy / api |',
    '|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

function writeDoc(report) {
  const doc = readFileSync(DOC, 'utf8');
  const start = doc.indexOf(MARK_START);
  const end = doc.indexOf(MARK_END);
  if (start < 0 || end < 0) throw new Error(`${DOC} lacks the ${MARK_START} … ${MARK_END} markers`);
  writeFileSync(DOC, `${doc.slice(0, start + MARK_START.length)}\n${report}\n${doc.slice(end)}`);
}
