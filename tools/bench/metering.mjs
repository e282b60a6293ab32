#!/usr/bin/env node
// `npm run bench:metering`: what durable metering costs on the gateway's hot path. In one run,
// interleaved in rounds, against the real Redis and PostgreSQL:
//   - a budgeted request's reserve + settle (two budget counters: the project's day budget and
//     the key's monthly budget) as GatewayLimits did it before durable metering (the same plan,
//     the scripts taken from git at commit BEFORE below) and with today's GatewayLimits;
//   - one usage flush (two stream entries of 100 events): XADD MAXLEN ~ before, XADD + XLEN now;
//   - the cold path only durable metering has: the first budgeted request after the counters
//     were lost, rebuilt from a month of per-minute rollups (43,200 rows) and a backlog of
//     200 unread stream entries.
// Results are printed and written into docs/benchmarks.md (between the markers). Loopback
// only, bounded counts; its own database, its own Redis keys (deleted at the end, never a flush).
//   npm run bench:metering [-- --no-build] [-- --n=2000 --rounds=5 --rebuilds=200]
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { createLog } from '../lib/log.mjs';
import { ensureServices, recreateDatabase, withDatabase } from '../lib/services.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(import.meta.url);
const log = createLog('bench');
const args = Object.fromEntries(process.argv.slice(2).map((a) => [a.replace(/^--/, '').split('=')[0], a.split('=')[1] ?? 'true']));
const N = Number(args.n ?? 2000);
const ROUNDS = Number(args.rounds ?? 5);
const REBUILDS = Number(args.rebuilds ?? 200);
/** The last commit before durable metering: its limit scripts are the "before". */
const BEFORE = 'f6dd2a0';
const DOC = path.join(root, 'docs/benchmarks.md');
const MARK_START = '<!-- bench:metering:start -->';
const MARK_END = '<!-- bench:metering:end -->';
const LOAD_BEFORE = os.loadavg()[0];

const services = await ensureServices({ log, root });
await recreateDatabase(services.env.DATABASE_URL, 'slipway_bench_metering', { log });
const env = { ...process.env, ...services.env, DATABASE_URL: withDatabase(services.env.DATABASE_URL, 'slipway_bench_metering') };
if (args['no-build'] === undefined) {
  log.step('Building and migrating');
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'ignore', env });
}
execFileSync('npx', ['prisma', 'migrate', 'deploy'], { cwd: root, stdio: 'ignore', env });

require('reflect-metadata');
require('@nestjs/common').Logger.overrideLogger(['error']); // a line per rebuild would be measured too
const { PrismaService } = require('@slipway/db');
const { RedisService, luaScript } = require('@slipway/redis');
const { DurableSpend, GatewayLimits } = require('@slipway/gateway');
// Not part of the library's public surface: taken from the build.
const { UsageRepository } = require(path.join(root, 'libs/domain/gateway/dist/usage/usage.repository.js'));
const { planLimits } = require(path.join(root, 'libs/domain/gateway/dist/limits/limit-plan.js'));
const { gatewayConfigSchema } = require('@slipway/contracts');

const redis = new RedisService({ REDIS_URL: env.REDIS_URL });
const prisma = new PrismaService({ DATABASE_URL: env.DATABASE_URL });
const stream = `slipway:bench:usage:${randomUUID()}`;
const limits = new GatewayLimits(redis, new DurableSpend(redis, new UsageRepository(prisma), stream));
const org = `bench-${randomUUID()}`;
const config = gatewayConfigSchema.parse({ budgets: [{ scope: 'project', period: 'day', limitUsd: 1_000_000 }] });
const subject = { organizationId: org, projectId: 'p1', keyId: 'k1', alias: 'chat', attribution: { feature: null, customer: null }, monthlyKeyBudgetMicros: 1e12 };
const estimate = { costMicros: 20_000, tokens: 4_000 };
const actual = { costMicros: 1_500, tokens: 300 };

const old = oldScripts();

const ways = {
  /** Before: GatewayLimits's code at BEFORE — the same plan, its reserve and settle calls, the old scripts (on counters of their own). */
  async before() {
    const plan = planLimits(config, { ...subject, organizationId: `${org}-old` }, estimate, new Date());
    const keys = plan.counters.map((c) => c.key);
    const reserveArgs = [plan.counters.length, plan.checks.length];
    for (const c of plan.counters) reserveArgs.push(c.incr, c.expireAt, 0, c.member);
    for (const check of plan.checks) reserveArgs.push(check.counter + 1, check.limit);
    const answer = await redis.evalScript(old.reserve, keys, reserveArgs);
    if (answer.length > 0) throw new Error('refused');
    const settleArgs = [plan.counters.length];
    for (const c of plan.counters) settleArgs.push(actual.costMicros - c.incr, 0, c.member);
    await redis.evalScript(old.settle, keys, settleArgs);
  },
  /** Now: GatewayLimits itself (plan, reserve with the missing-counter check and Redis time, settle with the rebuild mark). */
  async now() {
    const d = await limits.reserve(config, subject, estimate);
    if (!d.ok) throw new Error(`refused: ${JSON.stringify(d)}`);
    await limits.settle(d.reservation, actual);
  },
};

const events = Array.from({ length: 200 }, () => JSON.stringify(usageEventLike({ organizationId: 'someone-else', projectId: 'p9' })));
const entries = [`[${events.slice(0, 100).join(',')}]`, `[${events.slice(100).join(',')}]`];
const flushes = {
  async before() {
    const pipe = redis.client.pipeline();
    for (const e of entries) pipe.xadd(`${stream}-old`, 'MAXLEN', '~', 20_000, '*', 'events', e);
    await pipe.exec();
  },
  async now() {
    await redis.xaddBatch(`${stream}-flush`, 'events', entries);
  },
};

try {
  log.step(`Warm-up, then ${ROUNDS} interleaved rounds of ${N}`);
  for (const w of Object.values(ways)) for (let i = 0; i < 300; i++) await w();
  const hot = { before: [], now: [] };
  const flush = { before: [], now: [] };
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, w] of Object.entries(ways)) hot[name].push(...(await timed(w, N)));
    for (const [name, f] of Object.entries(flushes)) flush[name].push(...(await timed(f, N / 10)));
    await redis.client.del(`${stream}-old`, `${stream}-flush`);
  }

  log.step('Seeding a month of rollups (43,200 minutes)');
  const repo = new UsageRepository(prisma);
  const monthStart = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), 1);
  const minutes = Math.min(43_200, Math.floor((Date.now() - monthStart) / 60_000));
  for (let m = 0; m < 43_200; m += 1_000) {
    const batch = [];
    for (let i = m; i < Math.min(m + 1_000, 43_200); i++) {
      // This month's minutes so far, then earlier minutes (other months: outside the window, still scanned past by the index).
      const at = i < minutes ? monthStart + i * 60_000 : monthStart - (i - minutes + 1) * 60_000;
      batch.push(usageEventLike({ organizationId: org, at: new Date(at).toISOString(), costMicros: 10 }));
    }
    await repo.ingest(batch);
  }
  const group = 'usage-writers';
  await redis.client.xgroup('CREATE', stream, group, '$', 'MKSTREAM');
  const rebuildCaughtUp = await rebuilds(); // the worker is up to date: nothing unread
  log.step('Adding a backlog of 200 unread stream entries');
  for (let i = 0; i < 200; i++) {
    const mixed = Array.from({ length: 100 }, (_, j) => JSON.stringify(usageEventLike(j === 0 ? { organizationId: org, costMicros: 10 } : { organizationId: 'someone-else', projectId: 'p9' })));
    await redis.client.xadd(stream, '*', 'events', `[${mixed.join(',')}]`);
  }
  const rebuild = await rebuilds();

  const row = (label, xs) => `| ${label} | ${ms(pct(xs, 50))} | ${ms(pct(xs, 99))} | ${xs.length} |`;
  const table = [
    `Measured ${new Date().toISOString().slice(0, 10)} on ${os.cpus().length} × ${os.cpus()[0].model.trim()}, load ${LOAD_BEFORE.toFixed(2)} before the run; Redis and PostgreSQL on loopback.`,
    '',
    '| path | p50 | p99 | samples |',
    '|---|---|---|---|',
    row('budgeted request, reserve + settle, before', hot.before),
    row('budgeted request, reserve + settle, now (GatewayLimits)', hot.now),
    row('usage flush of 200 events, before (XADD MAXLEN ~)', flush.before),
    row('usage flush of 200 events, now (XADD + XLEN)', flush.now),
    row('first budgeted request after its counters were lost, worker caught up (rebuild from a month of rollups)', rebuildCaughtUp),
    row('the same with 200 unread stream entries (20,000 events) to account for', rebuild),
    '',
    `Hot path: ${sign(pct(hot.now, 50) - pct(hot.before, 50))} at p50, ${sign(pct(hot.now, 99) - pct(hot.before, 99))} at p99 per budgeted request.`,
  ].join('\n');
  console.log(`\n${table}\n`);
  const doc = readFileSync(DOC, 'utf8');
  const start = doc.indexOf(MARK_START);
  const end = doc.indexOf(MARK_END);
  if (start >= 0 && end > start) writeFileSync(DOC, `${doc.slice(0, start + MARK_START.length)}\n${table}\n${doc.slice(end)}`);
  else log.warn(`markers ${MARK_START} … ${MARK_END} not found in docs/benchmarks.md: results printed only`);
} finally {
  await lose();
  const leftovers = [...(await redis.client.keys(`slipway:gw:{${org}}:*`)), ...(await redis.client.keys(`slipway:gw:{${org}-old}:*`))];
  if (leftovers.length > 0) await redis.client.del(...leftovers);
  await redis.client.del(stream, `${stream}-old`, `${stream}-flush`);
  await redis.onModuleDestroy();
  await prisma.$disconnect();
  await services.stop({ docker: true });
}

/** REBUILDS samples (after 20 unmeasured) of the first budgeted request after its counters were lost. */
async function rebuilds() {
  const out = [];
  for (let i = 0; i < REBUILDS + 20; i++) {
    await lose();
    const t0 = performance.now();
    await ways.now();
    if (i >= 20) out.push(performance.now() - t0);
  }
  return out;
}

async function lose() {
  const keys = await redis.client.keys(`slipway:gw:{${org}}:*budget*`);
  if (keys.length > 0) await redis.client.del(...keys);
}

async function timed(fn, n) {
  const out = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn();
    out.push(performance.now() - t0);
  }
  return out;
}

function pct(xs, p) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}
function ms(v) {
  return `${v.toFixed(3)} ms`;
}
function sign(v) {
  return `${v >= 0 ? '+' : '−'}${Math.abs(v * 1000).toFixed(0)} µs`;
}

/** The reserve and settle scripts as they were at BEFORE (read from git, so "before" is the real code). */
function oldScripts() {
  const source = execFileSync('git', ['show', `${BEFORE}:libs/domain/gateway/src/limits/limit-scripts.ts`], { cwd: root, encoding: 'utf8' });
  const body = (name) => {
    const m = new RegExp(`export const ${name} = luaScript\\(\`([\\s\\S]*?)\`\\);`).exec(source);
    if (!m) throw new Error(`${name} not found at ${BEFORE}`);
    return luaScript(m[1]);
  };
  return { reserve: body('RESERVE_SCRIPT'), settle: body('SETTLE_SCRIPT') };
}

function usageEventLike(over) {
  return {
    id: randomUUID(),
    at: new Date().toISOString(),
    organizationId: org,
    projectId: 'p1',
    environmentId: null,
    releaseId: null,
    keyId: 'k1',
    feature: null,
    customer: null,
    api: 'anthropic',
    modelRequested: 'chat',
    modelServed: 'mock-fast',
    provider: 'mock',
    status: 200,
    errorCategory: null,
    latencyMs: 120,
    ttftMs: 40,
    inputTokens: 200,
    outputTokens: 100,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    costMicros: 1_500,
    retries: 0,
    fallbackChain: ['mock/mock-fast:ok'],
    streamed: false,
    ...over,
  };
}
