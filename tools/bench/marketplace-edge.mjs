#!/usr/bin/env node
// `npm run bench:marketplace` (edge section): what a published API's enforcement adds at the
// edge. One built edge process (apps/edge/dist) serves two hosts on the same loopback upstream
// process: a plain route and a listing route (key check from the in-process cache, the limit
// script with all four windows on the real Redis, the forwarded headers, a usage event per
// call batched to the usage stream). Closed-loop load (tools/bench/load.mjs, keep-alive,
// c=16) alternates plain and listing rounds; the medians of the rounds are compared.
// Results are printed and written into docs/benchmarks.md (between the markers). Loopback only,
// bounded by rounds × seconds; Redis db 6 with keys of this run (deleted at the end, never a flush).
//   npm run bench:marketplace [-- --rounds=5 --seconds=5 --c=16]
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { createLog } from '../lib/log.mjs';
import { ensureServices } from '../lib/services.mjs';
import { runLoad } from './load.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(import.meta.url);
const log = createLog('bench');
const { values: args } = parseArgs({ options: { rounds: { type: 'string', default: '5' }, seconds: { type: 'string', default: '5' }, c: { type: 'string', default: '16' } } });
const ROUNDS = Number(args.rounds);
const DURATION_MS = Number(args.seconds) * 1_000;
const CONCURRENCY = Number(args.c);
const DOC = path.join(root, 'docs/benchmarks.md');
const MARK_START = '<!-- bench:marketplace-edge:start -->';
const MARK_END = '<!-- bench:marketplace-edge:end -->';
const LOAD_BEFORE = os.loadavg()[0];
const PLAIN = 'plain.localhost';
const LISTING = 'weather.api.localhost';

const edgeMain = path.join(root, 'apps/edge/dist/main.js');
if (!existsSync(edgeMain)) throw new Error(`${edgeMain} is missing: build the edge first (npx nx run @slipway/edge:build)`);
const { CONSUMER_KEY_PREFIXES, EDGE_ROUTES_KEY, MARKETPLACE_KEYS_HASH, MARKETPLACE_SUBSCRIPTIONS_HASH, MARKETPLACE_USAGE_FIELD, MARKETPLACE_USAGE_STREAM } = require('@slipway/contracts');
const { generateSecretToken, sha256Hex } = require('@slipway/crypto');
const { Redis } = require('ioredis');

const services = await ensureServices({ log, root });
const redisUrl = new URL(services.env.REDIS_URL);
redisUrl.pathname = '/6';
const redis = new Redis(redisUrl.toString(), { maxRetriesPerRequest: 1 });

const freePort = () =>
  new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

const UPSTREAM_SRC = `
const http = require('node:http');
http.createServer((req, res) => { req.resume(); req.on('end', () => { res.writeHead(200, {'content-type':'application/json'}); res.end('{"ok":true,"app":"bench"}'); }); })
  .listen(Number(process.env.PORT), '127.0.0.1', () => process.send('ready'));`;

const run = randomUUID().slice(0, 8);
const subscriptionId = `sub_bench_${run}`;
const key = generateSecretToken(CONSUMER_KEY_PREFIXES.live);
const keyHash = sha256Hex(key);
const now = new Date();
const periodStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
const periodEnd = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
const listing = { listingId: `lst_bench_${run}`, slug: 'weather', secret: 'bench-proxy-secret-0123456789', operations: [{ method: 'GET', path: '/forecast', weight: 1 }], billServerErrors: false };
// Every window set (high enough never to refuse): the script checks and increments all four.
const subscription = {
  subscriptionId,
  listingId: listing.listingId,
  consumerId: 'org_bench',
  planId: 'pln_bench',
  planSlug: 'bench',
  planVersionId: 'plv_bench',
  status: 'active',
  periodStart: periodStart.toISOString(),
  periodEnd: periodEnd.toISOString(),
  limits: { perSecond: 1_000_000, perMinute: 10_000_000, perDay: 100_000_000, perMonth: 1_000_000_000 },
  operations: null,
  gate: 'none',
  balanceKind: 'prepaid',
  unitPriceMicros: 0,
};

const [upstreamPort, edgePort, adminPort] = await Promise.all([freePort(), freePort(), freePort()]);
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'bench-mkt-edge-'));
const upstreams = [{ host: '127.0.0.1', port: upstreamPort, containerId: 'bench' }];
const base = { organizationId: 'o', projectId: 'p', environmentId: 'e', releaseId: 'rel_bench', upstreams };
const table = { version: Date.now(), generatedAt: now.toISOString(), routes: [{ ...base, hosts: [PLAIN] }, { ...base, hosts: [LISTING], listing }] };
const streamBefore = await redis.xlen(MARKETPLACE_USAGE_STREAM);
await redis.set(EDGE_ROUTES_KEY, JSON.stringify(table));
await redis.hset(MARKETPLACE_SUBSCRIPTIONS_HASH, subscriptionId, JSON.stringify(subscription));
await redis.hset(MARKETPLACE_KEYS_HASH, keyHash, JSON.stringify({ keyId: `key_bench_${run}`, subscriptionId, listingId: listing.listingId, consumerId: 'org_bench', mode: 'live', expiresAt: null }));

const children = [];
const spawnChild = (argv, env) => {
  const child = spawn(process.execPath, argv, { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  children.push(child);
  return child;
};
const upstream = spawnChild(['-e', UPSTREAM_SRC], { PORT: String(upstreamPort) });
// BENCH_EDGE_NODE_ARGS: extra node flags for the edge process, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`.
const edgeNodeArgs = (process.env.BENCH_EDGE_NODE_ARGS ?? '').split(' ').filter(Boolean);
const edge = spawnChild([...edgeNodeArgs, edgeMain], { EDGE_HOST: '127.0.0.1', EDGE_PORT: String(edgePort), EDGE_ADMIN_PORT: String(adminPort), REDIS_URL: redisUrl.toString(), DATA_DIR: dataDir, LOG_LEVEL: 'error' });

const scenarios = {
  plain: { url: `http://127.0.0.1:${edgePort}/forecast`, headers: { host: PLAIN } },
  listing: { url: `http://127.0.0.1:${edgePort}/forecast`, headers: { host: LISTING, 'x-api-key': key } },
};
const load = (s, durationMs) => runLoad({ ...scenarios[s], concurrency: CONCURRENCY, durationMs, maxRequests: 10_000_000 });
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** CPU time (ms) a process has used so far, from /proc (Linux, USER_HZ=100). */
function cpuMs(pid) {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(f[11]) + Number(f[12])) * 1000) / 100;
}

try {
  await new Promise((r) => upstream.once('message', r));
  for (let i = 0; ; i++) {
    const probe = await runLoad({ ...scenarios.listing, concurrency: 1, durationMs: 200, maxRequests: 1 }).catch(() => ({ errors: 1 }));
    if (probe.errors === 0 && probe.requests === 1) break;
    if (i > 100) throw new Error('the edge did not serve the listing host within 10 s');
    await new Promise((r) => setTimeout(r, 100));
  }
  log.step(`Warming up, then ${ROUNDS} rounds × ${DURATION_MS / 1000} s per host at c=${CONCURRENCY}, alternating`);
  await load('plain', 1_500);
  await load('listing', 1_500);
  const results = { plain: [], listing: [] };
  const cpu = { plain: [], listing: [] };
  for (let round = 0; round < ROUNDS; round++) {
    for (const s of round % 2 === 0 ? ['plain', 'listing'] : ['listing', 'plain']) {
      const c0 = cpuMs(edge.pid);
      const r = await load(s, DURATION_MS);
      cpu[s].push(((cpuMs(edge.pid) - c0) * 1000) / r.requests);
      if (r.errors > 0) throw new Error(`${s}: ${r.errors} answers were not 200`);
      results[s].push(r);
      log.info(`round ${round + 1} ${s.padEnd(7)} ${Math.round(r.rps)} req/s  p50 ${r.p50.toFixed(3)} ms  p99 ${r.p99.toFixed(3)} ms`);
    }
  }
  const m = (s, f) => median(results[s].map((r) => r[f]));
  const listingCalls = results.listing.reduce((n, r) => n + r.requests, 0);

  // Every admitted listing call of the measured rounds (and the warm-up) must be in the stream.
  await new Promise((r) => setTimeout(r, 500));
  let metered = 0;
  for (const [, fields] of await redis.xrange(MARKETPLACE_USAGE_STREAM, '-', '+')) {
    for (const e of JSON.parse(fields[fields.indexOf(MARKETPLACE_USAGE_FIELD) + 1])) if (e.subscriptionId === subscriptionId) metered++;
  }

  const rows = [
    ['plain route', m('plain', 'p50'), m('plain', 'p99'), m('plain', 'rps'), median(cpu.plain)],
    ['listing route', m('listing', 'p50'), m('listing', 'p99'), m('listing', 'rps'), median(cpu.listing)],
  ];
  const added = { p50: m('listing', 'p50') - m('plain', 'p50'), p99: m('listing', 'p99') - m('plain', 'p99') };
  const cpuAdded = median(cpu.listing) - median(cpu.plain);
  const ratio = m('listing', 'rps') / m('plain', 'rps');
  const cpuModel = os.cpus()[0]?.model ?? 'unknown CPU';
  const report = [
    `Measured ${new Date().toISOString().slice(0, 10)} on ${os.cpus().length} × ${cpuModel}, load ${LOAD_BEFORE.toFixed(2)} before the run; ${ROUNDS} rounds × ${DURATION_MS / 1000} s per host, c=${CONCURRENCY}, medians of the rounds.`,
    '',
    '| host | p50 ms | p99 ms | req/s | edge CPU µs/req |',
    '|---|---|---|---|---|',
    ...rows.map(([name, p50, p99, rps, c]) => `| ${name} | ${p50.toFixed(3)} | ${p99.toFixed(3)} | ${Math.round(rps)} | ${Math.round(c)} |`),
    '',
    `Added by the listing route: p50 ${added.p50.toFixed(3)} ms, p99 ${added.p99.toFixed(3)} ms, edge CPU ${Math.round(cpuAdded)} µs per call; throughput ratio listing/plain ${ratio.toFixed(2)}. ` +
      `Usage events in the stream for the bench subscription: ${metered} (listing calls measured: ${listingCalls}, plus warm-up and probe).`,
  ].join('\n');
  console.log(`\n${report}\n`);
  const doc = readFileSync(DOC, 'utf8');
  const at = doc.indexOf(MARK_START);
  const end = doc.indexOf(MARK_END);
  if (at >= 0 && end > at) writeFileSync(DOC, `${doc.slice(0, at + MARK_START.length)}\n${report}\n${doc.slice(end)}`);
  else log.warn(`docs/benchmarks.md has no ${MARK_START} … ${MARK_END} markers: figures printed only`);
  if (metered < listingCalls) throw new Error(`only ${metered} of ${listingCalls} listing calls were metered`);
} finally {
  for (const c of children) c.kill('SIGTERM');
  await Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : null)));
  const counters = await redis.keys(`slipway:mkt:rl:{${subscriptionId}}:*`);
  if (counters.length) await redis.del(...counters);
  await redis.hdel(MARKETPLACE_SUBSCRIPTIONS_HASH, subscriptionId);
  await redis.hdel(MARKETPLACE_KEYS_HASH, keyHash);
  await redis.del(EDGE_ROUTES_KEY);
  // Entries of this run only: the stream may hold others' (never trimmed by a bench).
  const mine = [];
  for (const [id, fields] of await redis.xrange(MARKETPLACE_USAGE_STREAM, '-', '+')) {
    if (JSON.parse(fields[fields.indexOf(MARKETPLACE_USAGE_FIELD) + 1]).some((e) => e.subscriptionId === subscriptionId)) mine.push(id);
  }
  for (let i = 0; i < mine.length; i += 1_000) await redis.xdel(MARKETPLACE_USAGE_STREAM, ...mine.slice(i, i + 1_000));
  log.info(`usage stream: ${streamBefore} entries before, ${await redis.xlen(MARKETPLACE_USAGE_STREAM)} after clean-up`);
  redis.disconnect();
  rmSync(dataDir, { recursive: true, force: true });
}
