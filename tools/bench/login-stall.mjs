#!/usr/bin/env node
// `npm run bench:login-stall`: does a burst of logins stall the model gateway served by the same
// api process? argon2id costs tens of milliseconds of CPU per password; done on the event loop,
// every gateway call waits behind it. This starts the built api and the mock provider (zero
// latency), signs up LOGINS users, then measures gateway latency at concurrency 1 with nothing
// else running ("idle") and while LOGINS clients log in over and over in parallel ("logins"),
// interleaved over a few rounds. Loopback only, bounded counts; figures are printed (median of
// the rounds) for docs/benchmarks.md.
//   npm run bench:login-stall [-- --no-build] [-- --n=500 --rounds=3 --logins=20]
import { execFileSync } from 'node:child_process';
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
const N = Number(args.n ?? 500);
const ROUNDS = Number(args.rounds ?? 3);
const LOGINS = Number(args.logins ?? 20);
const API_PORT = 14600;
const MOCK_PORT = 14690;
const PASSWORD = 'benchmark password';
const LOAD_BEFORE = os.loadavg()[0];

const services = await ensureServices({ log, root });
await recreateDatabase(services.env.DATABASE_URL, 'slipway_bench_login', { log });
const env = {
  ...process.env,
  ...services.env,
  DATABASE_URL: withDatabase(services.env.DATABASE_URL, 'slipway_bench_login'),
  REDIS_URL: services.env.REDIS_URL.replace(/\/\d*$/, '') + '/6',
  API_PORT: String(API_PORT),
  GATEWAY_MOCK_URL: `http://127.0.0.1:${MOCK_PORT}`,
  // Every bench user signs up and logs in from this one address.
  SIGNUP_MAX_PER_IP: '100000',
  LOGIN_MAX_PER_IP: '100000',
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

const specs = appSpecs(env)
  .filter((s) => s.name === 'api' || s.name === 'mock-llm')
  .map((s) => (s.name === 'mock-llm' ? { ...s, args: ['libs/testing/bin/mock-llm.mjs', '--port', String(MOCK_PORT), '--ttft', '0', '--tps', '0', '--latency', '0'] } : s));
const platform = await startPlatform({ root, env, log, logDir: path.join(root, '.slipway/bench/logs'), specs }).catch(async (err) => {
  await services.stop({ docker: true });
  throw err;
});

try {
  const base = `http://127.0.0.1:${API_PORT}`;
  const key = await seedGateway(base);
  const emails = [];
  for (let i = 0; i < LOGINS; i++) emails.push(await signUp(base, `login-${i}`));
  const gateway = { path: '/v1/messages', headers: { 'x-api-key': key, 'anthropic-version': '2023-06-01' }, body: JSON.stringify({ model: 'bench', max_tokens: 32, messages: [{ role: 'user', content: 'hello' }] }) };

  log.step(`Warm-up, then ${ROUNDS} rounds of ${N} gateway calls at concurrency 1, idle and during ${LOGINS} parallel logins`);
  await gatewayRun(gateway, 200);
  const idle = [];
  const loaded = [];
  const logins = [];
  for (let round = 0; round < ROUNDS; round++) {
    idle.push(await gatewayRun(gateway, N));
    const burst = loginLoops(base, emails);
    loaded.push(await gatewayRun(gateway, N));
    logins.push(await burst.stop());
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const m = (runs, k) => median(runs.map((r) => r[k])).toFixed(2);
  console.log(
    [
      '',
      `Run ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC · node ${process.version} · ${os.cpus().length} cores · 1-min load average at start ${LOAD_BEFORE.toFixed(2)} · medians of ${ROUNDS} rounds · n=${N} gateway calls at c=1 per phase.`,
      '',
      '| gateway at c=1 | p50 ms | p99 ms | max ms | logins/s | login p50 ms | login p99 ms |',
      '|---|---|---|---|---|---|---|',
      `| idle | ${m(idle, 'p50')} | ${m(idle, 'p99')} | ${m(idle, 'max')} | | | |`,
      `| during ${LOGINS} parallel logins | ${m(loaded, 'p50')} | ${m(loaded, 'p99')} | ${m(loaded, 'max')} | ${m(logins, 'rps')} | ${m(logins, 'p50')} | ${m(logins, 'p99')} |`,
    ].join('\n'),
  );
} finally {
  await platform.stop();
  await services.stop({ docker: true });
}

async function post(url, body, headers = {}) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  if (res.status >= 300) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  return res;
}

async function signUp(base, who) {
  const email = `${who}-${Date.now()}@example.test`;
  await post(`${base}/api/v1/auth/signup`, { name: who, email, password: PASSWORD });
  return email;
}

/** A user, a project, routing alias `bench` → mock, and a gateway key. */
async function seedGateway(base) {
  const signup = await post(`${base}/api/v1/auth/signup`, { name: 'Bench', email: `bench-${Date.now()}@example.test`, password: PASSWORD, organizationName: 'Bench' });
  const session = await signup.json();
  const headers = { cookie: signup.headers.getSetCookie().map((c) => c.split(';')[0]).join('; '), 'x-csrf-token': session.csrfToken };
  const org = session.organizations[0].slug;
  const project = (await (await post(`${base}/api/v1/orgs/${org}/projects`, { name: 'Bench' }, headers)).json()).slug;
  const routing = { config: { models: { bench: { routes: [{ provider: 'mock', model: 'mock-fast' }] } } } };
  const put = await fetch(`${base}/api/v1/orgs/${org}/gateway/routing`, { method: 'PUT', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(routing) });
  if (put.status !== 200) throw new Error(`routing: ${put.status} ${await put.text()}`);
  return (await (await post(`${base}/api/v1/orgs/${org}/projects/${project}/gateway/keys`, { name: 'bench' }, headers)).json()).token;
}

/** `n` sequential gateway calls on one keep-alive connection; latency to the last byte. */
async function gatewayRun(target, n) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const headers = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(target.body), ...target.headers };
  const times = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const status = await new Promise((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port: API_PORT, path: target.path, method: 'POST', headers, agent }, (res) => {
        res.resume().on('end', () => resolve(res.statusCode));
      });
      req.on('error', reject);
      req.end(target.body);
    });
    if (status !== 200) throw new Error(`gateway answered ${status}`);
    times.push(performance.now() - t0);
  }
  agent.destroy();
  return summary(times, 0);
}

/** One client per user, each logging in again as soon as its last login answered, until stopped. */
function loginLoops(base, emails) {
  let running = true;
  const times = [];
  const start = performance.now();
  const loops = emails.map(async (email) => {
    while (running) {
      const t0 = performance.now();
      const res = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: PASSWORD }) });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`login answered ${res.status}`);
      times.push(performance.now() - t0);
    }
  });
  return {
    async stop() {
      running = false;
      await Promise.all(loops);
      return summary(times, (performance.now() - start) / 1000);
    },
  };
}

function summary(times, seconds) {
  times.sort((a, b) => a - b);
  const pct = (p) => times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))] ?? 0;
  return { p50: pct(50), p99: pct(99), max: times[times.length - 1] ?? 0, rps: seconds ? times.length / seconds : 0 };
}
