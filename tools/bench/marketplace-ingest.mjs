#!/usr/bin/env node
// The ingest half of `npm run bench:marketplace`: how fast the meter (api-usage-ingest) stores the
// edge's usage events exactly once. Appends N events (default 200,000, 1 % of them appended a
// second time in another entry, as an edge retrying an append that had landed would) to a
// stream of its own, in entries of 100 events (what the edge appends per flush under load),
// then runs the built UsageIngest against a throw-away database until the stream is drained;
// checks that the table holds exactly the distinct ids, and reports events/s. Rounds are
// repeated (default 3) and the median is reported. Results are printed and written into
// docs/benchmarks.md between the markers. Loopback only; its own database (dropped at the end)
// and its own stream key (deleted at the end, never a flush). Needs DATABASE_URL and REDIS_URL
// (e.g. `set -a; . .slipway/services.env; set +a`) and a build (`npm run build`).
//   node tools/bench/marketplace-ingest.mjs [--n=200000] [--rounds=3] [--entry=100] [--count=50]
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createLog } from '../lib/log.mjs';
import { recreateDatabase, withDatabase } from '../lib/services.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(import.meta.url);
const log = createLog('bench');
const { values: args } = parseArgs({ options: { n: { type: 'string', default: '200000' }, rounds: { type: 'string', default: '3' }, entry: { type: 'string', default: '100' }, count: { type: 'string', default: '50' } } });
const N = Number(args.n);
const ROUNDS = Number(args.rounds);
const PER_ENTRY = Number(args.entry);
/** Stream entries per read: one transaction of COUNT × PER_ENTRY events. */
const COUNT = Number(args.count);
const DUPLICATE_SHARE = 0.01;
const DB = 'slipway_bench_mkt_ingest';
const DOC = path.join(root, 'docs/benchmarks.md');
const MARK_START = '<!-- bench:marketplace-ingest:start -->';
const MARK_END = '<!-- bench:marketplace-ingest:end -->';
const LOAD_BEFORE = os.loadavg()[0];

if (!process.env.DATABASE_URL || !process.env.REDIS_URL) {
  log.error('Set DATABASE_URL and REDIS_URL first (e.g. `set -a; . .slipway/services.env; set +a`).');
  process.exit(1);
}
await recreateDatabase(process.env.DATABASE_URL, DB, { log });
const env = { ...process.env, DATABASE_URL: withDatabase(process.env.DATABASE_URL, DB) };
execFileSync('npx', ['prisma', 'migrate', 'deploy'], { cwd: root, stdio: 'ignore', env });

require('reflect-metadata');
require('@nestjs/common').Logger.overrideLogger(['error']);
const { PrismaService } = require('@slipway/db');
const { RedisService } = require('@slipway/redis');
const { UsageIngest } = require('@slipway/billing');
const { MARKETPLACE_USAGE_FIELD, MARKETPLACE_USAGE_GROUP } = require('@slipway/contracts');
// Not part of the library's public surface: taken from the build.
const { UsageIngestRepository } = require(path.join(root, 'libs/domain/billing/dist/metering/usage-ingest.repository.js'));

const redis = new RedisService({ REDIS_URL: env.REDIS_URL });
const prisma = new PrismaService({ DATABASE_URL: env.DATABASE_URL });
const stream = `slipway:bench:mkt-usage:${randomUUID()}`;
const medianOf = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

try {
  const listing = await prisma.apiListing.create({
    data: { organizationId: 'bench-publisher', projectId: 'p', environmentId: 'e', slug: `bench-${randomUUID().slice(0, 8)}`, name: 'Bench', summary: 'bench', category: 'bench', visibility: 'PUBLIC', status: 'PUBLISHED', operations: [], sealedEdgeSecret: 'v1.bench' },
  });
  const rounds = [];
  for (let round = 1; round <= ROUNDS; round++) {
    await redis.client.del(stream);
    await prisma.$executeRawUnsafe('TRUNCATE "ApiUsageEvent"');
    const appended = await append(listing.id);
    const meter = new UsageIngest(redis, new UsageIngestRepository(prisma), { consumer: 'bench', stream, count: COUNT, blockMs: 0, claimIdleMs: 60_000 });
    await meter.recover();
    const t0 = performance.now();
    let entries = 0;
    for (;;) {
      const c = await meter.pollOnce();
      if (c.entries === 0) break;
      entries += c.entries;
    }
    const seconds = (performance.now() - t0) / 1000;
    await meter.stop();
    const [{ rows, ids }] = await prisma.$queryRawUnsafe('SELECT count(*)::int AS rows, count(DISTINCT id)::int AS ids FROM "ApiUsageEvent"');
    const pending = Number((await redis.client.xpending(stream, MARKETPLACE_USAGE_GROUP))[0]);
    const exact = rows === appended.distinct && ids === rows && pending === 0;
    rounds.push({ round, seconds, appended: appended.total, distinct: appended.distinct, rows, entries, exact });
    log.info(`round ${round}: ${appended.total} events (${appended.distinct} distinct) in ${entries} entries stored in ${seconds.toFixed(2)} s → ${Math.round(appended.total / seconds)} events/s; rows ${rows}, exact ${exact}`);
    if (!exact) throw new Error(`round ${round}: ${rows} rows for ${appended.distinct} distinct events (${pending} entries pending)`);
  }
  const rate = medianOf(rounds.map((r) => r.appended / r.seconds));
  const storedRate = medianOf(rounds.map((r) => r.rows / r.seconds));
  const table = [
    `Measured ${new Date().toISOString().slice(0, 10)} on ${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, load ${LOAD_BEFORE.toFixed(2)} before the run; Redis and PostgreSQL on loopback.`,
    '',
    '| round | events appended (1 % twice) | distinct = rows stored | entries | seconds | events/s |',
    '|---|---|---|---|---|---|',
    ...rounds.map((r) => `| ${r.round} | ${r.appended} | ${r.rows} | ${r.entries} | ${r.seconds.toFixed(2)} | ${Math.round(r.appended / r.seconds)} |`),
    '',
    `Median: **${Math.round(rate)} events/s** read and acknowledged, ${Math.round(storedRate)} distinct events/s stored, exactly once in every round (target ≥ 10,000 events/s).`,
  ].join('\n');
  console.log(`\n${table}\n`);
  const doc = readFileSync(DOC, 'utf8');
  const start = doc.indexOf(MARK_START);
  const end = doc.indexOf(MARK_END);
  if (start >= 0 && end > start) writeFileSync(DOC, `${doc.slice(0, start + MARK_START.length)}\n${table}\n${doc.slice(end)}`);
  else log.warn(`markers ${MARK_START} … ${MARK_END} not found in docs/benchmarks.md: results printed only`);
} finally {
  await redis.client.del(stream);
  await redis.onModuleDestroy();
  await prisma.$disconnect();
  const { Client } = require('pg');
  const admin = new Client({ connectionString: withDatabase(process.env.DATABASE_URL, 'postgres') });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
  await admin.end();
}

/** N events in entries of PER_ENTRY; 1 % of them appended a second time, in a later entry. */
async function append(listingId) {
  const base = Date.now();
  const events = Array.from({ length: N }, (_, i) => ({
    id: randomUUID(), time: new Date(base - (i % 86_400_000)).toISOString(), listingId, subscriptionId: `sub-${i % 50}`, consumerId: `con-${i % 50}`, keyId: `key-${i % 50}`,
    planVersionId: 'v1', mode: 'live', method: 'GET', operation: '/forecast', weight: 1, status: 200, durationMs: 4.2, releaseId: 'r1',
  }));
  const duplicates = events.filter((_, i) => i % Math.round(1 / DUPLICATE_SHARE) === 7);
  const all = [...events, ...duplicates];
  for (let i = 0; i < all.length; i += PER_ENTRY * 100) {
    const pipe = redis.client.pipeline();
    for (let j = i; j < Math.min(all.length, i + PER_ENTRY * 100); j += PER_ENTRY) pipe.xadd(stream, '*', MARKETPLACE_USAGE_FIELD, JSON.stringify(all.slice(j, j + PER_ENTRY)));
    await pipe.exec();
  }
  return { total: all.length, distinct: events.length };
}
