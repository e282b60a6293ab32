#!/usr/bin/env node
// `npm run bench:api`: req/s and latency of the api for an authenticated list of 100 projects
// and for a session check. Starts its own api (built code) on a bench database, seeds it
// through the public API, then loads it from this process over loopback. Both share the
// machine's cores, so compare figures from one run; see docs/benchmarks.md.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { createLog } from '../lib/log.mjs';
import { ensureServices, recreateDatabase, withDatabase } from '../lib/services.mjs';
import { ensureMasterKey } from '../lib/master-key.mjs';
import { appSpecs, startPlatform } from '../lib/platform.mjs';
import { runLoad } from './load.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const log = createLog('bench');
const PORT = Number(process.env.BENCH_API_PORT || 14400);
const DURATION_MS = Number(process.env.BENCH_DURATION_MS || 8000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY || 16);
const ROUNDS = Number(process.env.BENCH_ROUNDS || 3);

const services = await ensureServices({ log, root });
const databaseUrl = withDatabase(services.env.DATABASE_URL, 'slipway_bench');
await recreateDatabase(services.env.DATABASE_URL, 'slipway_bench', { log });
const env = {
  ...process.env,
  ...services.env,
  DATABASE_URL: databaseUrl,
  REDIS_URL: services.env.REDIS_URL.replace(/\/\d*$/, '') + '/4',
  API_PORT: String(PORT),
  NODE_ENV: 'production',
  LOG_LEVEL: 'warn',
  SLIPWAY_MASTER_KEY_FILE: path.join(root, '.slipway/bench/master.key'),
  DATA_DIR: path.join(root, '.slipway/bench/data'),
};
ensureMasterKey({ root, env, quiet: true });
log.step('Building and migrating');
execFileSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'ignore', env });
execFileSync('npx', ['prisma', 'migrate', 'deploy'], { cwd: root, stdio: 'ignore', env });

const platform = await startPlatform({ root, env, log, logDir: path.join(root, '.slipway/bench/logs'), specs: appSpecs(env).filter((s) => s.name === 'api') });
const base = `http://127.0.0.1:${PORT}`;
try {
  log.step('Seeding: one user, 100 projects');
  const signup = await fetch(`${base}/api/v1/auth/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Bench', email: `bench-${Date.now()}@example.test`, password: 'benchmark password', organizationName: 'Bench' }),
  });
  const session = await signup.json();
  const cookie = signup.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const org = session.organizations[0].slug;
  const headers = { cookie, 'x-csrf-token': session.csrfToken, 'content-type': 'application/json' };
  for (let i = 0; i < 100; i++) {
    const r = await fetch(`${base}/api/v1/orgs/${org}/projects`, { method: 'POST', headers, body: JSON.stringify({ name: `Project ${String(i).padStart(3, '0')}` }) });
    if (r.status !== 201) throw new Error(`seeding failed: ${r.status} ${await r.text()}`);
  }
  const list = await (await fetch(`${base}/api/v1/orgs/${org}/projects`, { headers })).json();
  if (list.length !== 100) throw new Error(`expected 100 projects, got ${list.length}`);

  const scenarios = [
    { name: 'list 100 projects', url: `${base}/api/v1/orgs/${org}/projects` },
    { name: 'session check', url: `${base}/api/v1/auth/session` },
  ];
  log.step(`Load: ${CONCURRENCY} connections, ${DURATION_MS / 1000} s per round, ${ROUNDS} rounds per scenario, interleaved`);
  for (const s of scenarios) await runLoad({ url: s.url, headers: { cookie }, concurrency: CONCURRENCY, durationMs: 1500, maxRequests: 2000 }); // warm-up
  const results = Object.fromEntries(scenarios.map((s) => [s.name, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const s of scenarios) {
      results[s.name].push(await runLoad({ url: s.url, headers: { cookie }, concurrency: CONCURRENCY, durationMs: DURATION_MS, maxRequests: 200_000 }));
    }
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log('\nscenario              req/s   p50 ms   p90 ms   p99 ms   errors   (median of rounds)');
  for (const s of scenarios) {
    const r = results[s.name];
    const m = (k) => median(r.map((x) => x[k]));
    console.log(
      `${s.name.padEnd(20)} ${m('rps').toFixed(0).padStart(6)} ${m('p50').toFixed(2).padStart(8)} ${m('p90').toFixed(2).padStart(8)} ${m('p99').toFixed(2).padStart(8)} ${String(r.reduce((a, x) => a + x.errors, 0)).padStart(8)}`,
    );
  }
  console.log(`\nnode ${process.version}, ${CONCURRENCY} connections, ${ROUNDS}×${DURATION_MS / 1000} s rounds; load generator and api share ${(await import('node:os')).cpus().length} cores`);
} finally {
  await platform.stop();
  await services.stop({ docker: true }); // a benchmark leaves nothing running that it started
  log.info('done');
}
