#!/usr/bin/env node
// `npm run bench:observability`: what the app-traffic queries and the collector cost.
//
// Queries: a fresh database (slipway_bench_obs) gets one environment with 3 releases and 7 days
// of their traffic, as the collector would have stored it: raw samples of 2 replicas per release
// every 10 s (362,880 rows in 8 daily partitions), and the 1-minute (30,240 rows) and 1-hour
// rollups of exactly those samples. Then TrafficService.environmentTraffic (the api's handler
// minus HTTP) runs for ranges ending now of 15 m, 1 h, 24 h and 7 d at 600 points: 3 warm-up runs,
// then RUNS timed runs each; p50/p95 printed.
// Collector: ENTRIES edge stream entries (3 releases, windows in the last hours) are appended to
// a stream of the bench's own (Redis database 7), then one collector pass stores them; entries/s.
//
// Uses the built libs (`npm run build` first, or pass nothing: this script builds), and PostgreSQL
// and Redis at DATABASE_URL / REDIS_URL (or .slipway/services.env). Loopback only; bounded.
//   npm run bench:observability [-- --no-build] [-- --runs=50 --entries=20000]
import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { createLog } from '../lib/log.mjs';
import { recreateDatabase, withDatabase } from '../lib/services.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const log = createLog('bench');
const args = Object.fromEntries(process.argv.slice(2).map((a) => [a.replace(/^--/, '').split('=')[0], a.split('=')[1] ?? 'true']));
const RUNS = Number(args.runs ?? 50);
const ENTRIES = Number(args.entries ?? 20_000);
const DAYS = 7;
const REPLICAS = 2;
const DB = 'slipway_bench_obs';
const STREAM = 'slipway:bench:edge-metrics';

const servicesEnv = path.join(root, '.slipway', 'services.env');
if (!process.env.DATABASE_URL && existsSync(servicesEnv)) process.loadEnvFile(servicesEnv);
if (!process.env.DATABASE_URL || !process.env.REDIS_URL) {
  log.error('Set DATABASE_URL and REDIS_URL (or run `npm run services` once, which writes .slipway/services.env).');
  process.exit(1);
}
const env = {
  ...process.env,
  DATABASE_URL: withDatabase(process.env.DATABASE_URL, DB),
  REDIS_URL: process.env.REDIS_URL.replace(/\/\d*$/, '') + '/7',
  NODE_ENV: 'production',
  LOG_LEVEL: 'warn',
};
const LOAD_BEFORE = os.loadavg()[0];

if (args['no-build'] === undefined) {
  log.step('Building');
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'ignore', env });
}
log.step(`Fresh database ${DB}, migrated`);
await recreateDatabase(process.env.DATABASE_URL, DB, { log });
execFileSync('npx', ['prisma', 'migrate', 'deploy'], { cwd: root, stdio: 'ignore', env });

// The built libs, as the api and worker load them.
Object.assign(process.env, { DATABASE_URL: env.DATABASE_URL, REDIS_URL: env.REDIS_URL });
const { NestFactory } = await import('@nestjs/core');
const { ConfigModule, loadConfig } = await import('@slipway/config');
const { DbModule, PrismaService } = await import('@slipway/db');
const { RedisModule, RedisService, EdgeMetricsStream } = await import('@slipway/redis');
const { LATENCY_BUCKETS_MS } = await import('@slipway/contracts');
const { ObservabilityModule, TrafficCollectorModule, TrafficService, TrafficCollector, TRAFFIC_STREAM_KEY } =
  await import('@slipway/observability');

const config = { ...loadConfig(), DATABASE_URL: env.DATABASE_URL, REDIS_URL: env.REDIS_URL };
const streamModule = {
  module: class BenchStream {},
  global: true,
  providers: [{ provide: TRAFFIC_STREAM_KEY, useValue: STREAM }],
  exports: [TRAFFIC_STREAM_KEY],
};
const app = await NestFactory.createApplicationContext(
  {
    module: class BenchRoot {},
    imports: [ConfigModule.withConfig(config), DbModule, RedisModule, streamModule, ObservabilityModule, TrafficCollectorModule],
  },
  { logger: ['error'] },
);
const prisma = app.get(PrismaService);
const redis = app.get(RedisService);
const collector = app.get(TrafficCollector);
const traffic = app.get(TrafficService);

try {
  // ---- seed ---------------------------------------------------------------------------------
  log.step(`Seeding ${DAYS} days of traffic: 3 releases × ${REPLICAS} replicas, a sample every 10 s`);
  const seedStart = performance.now();
  const org = await prisma.organization.create({ data: { slug: 'bench', name: 'Bench' } });
  const project = await prisma.project.create({ data: { organizationId: org.id, slug: 'web', hostLabel: 'web-bench', name: 'web' } });
  const environment = await prisma.environment.create({
    data: {
      organizationId: org.id,
      projectId: project.id,
      name: 'production',
      branch: 'main',
      memoryMb: 256,
      cpuMillis: 500,
      replicas: REPLICAS,
      healthCheckPath: '/',
    },
  });
  const scope = { organizationId: org.id, projectId: project.id, environmentId: environment.id };
  const releaseIds = [];
  for (let number = 1; number <= 3; number++) {
    const build = await prisma.build.create({
      data: {
        ...scope,
        commitSha: `c${number}`,
        branch: 'main',
        authorName: 'Bench',
        authorEmail: 'bench@example.test',
        message: `v${number}`,
        status: 'SUCCEEDED',
      },
    });
    const release = await prisma.release.create({
      data: {
        ...scope,
        buildId: build.id,
        number,
        imageId: `sha256:${number}`,
        commitSha: `c${number}`,
        authorName: 'Bench',
        message: `v${number}`,
        envVarVersions: {},
        slipwayConfig: {},
        runtime: {},
      },
    });
    releaseIds.push(release.id);
  }
  const now = new Date();
  await collector.maintain(now); // today and the next two days
  const dayMs = 86_400_000;
  const today = Math.floor(now.getTime() / dayMs) * dayMs;
  for (let d = 1; d <= DAYS; d++) {
    const from = new Date(today - d * dayMs);
    const name = `AppTrafficSample_p${from.toISOString().slice(0, 10).replaceAll('-', '')}`;
    await prisma.$executeRawUnsafe(
      `CREATE TABLE IF NOT EXISTS "${name}" PARTITION OF "AppTrafficSample" FOR VALUES FROM ('${from.toISOString()}') TO ('${new Date(from.getTime() + dayMs).toISOString()}')`,
    );
  }
  const n = LATENCY_BUCKETS_MS.length + 1;
  // Per sample: ~50 requests, 2 % 4xx, 1 % 5xx, a latency spread over the first buckets.
  await prisma.$executeRawUnsafe(
    `INSERT INTO "AppTrafficSample" ("streamId", "windowStart", "windowEnd", "organizationId", "projectId", "environmentId", "releaseId", requests, "status2xx", "status3xx", "status4xx", "status5xx", "latencyCounts")
     SELECT (extract(epoch FROM t) * 1000)::int8 || '-' || r.i || replica, t, t + interval '10 seconds', $1, $2, $3, r.id, 50, 48, 0, 1, 1,
       ARRAY[${Array.from({ length: n }, (_, i) => (i < 6 ? `(random() * ${[4, 10, 16, 12, 6, 2][i]})::int8` : '0::int8')).join(', ')}]
     FROM generate_series($4::timestamptz AT TIME ZONE 'UTC', $5::timestamptz AT TIME ZONE 'UTC', interval '10 seconds') AS t,
       unnest($6::text[]) WITH ORDINALITY AS r(id, i), generate_series(1, ${REPLICAS}) AS replica`,
    org.id,
    project.id,
    environment.id,
    new Date(now.getTime() - DAYS * dayMs).toISOString(),
    now.toISOString(),
    releaseIds,
  );
  const sums = `${['requests', 'status2xx', 'status3xx', 'status4xx', 'status5xx'].map((c) => `sum("${c}")::int8`).join(', ')}, ARRAY[${Array.from({ length: n }, (_, i) => `sum("latencyCounts"[${i + 1}])::int8`).join(', ')}]`;
  for (const [table, unit] of [
    ['AppTrafficMinute', 'minute'],
    ['AppTrafficHour', 'hour'],
  ]) {
    await prisma.$executeRawUnsafe(
      `INSERT INTO "${table}" (bucket, "organizationId", "projectId", "environmentId", "releaseId", requests, "status2xx", "status3xx", "status4xx", "status5xx", "latencyCounts")
       SELECT date_trunc('${unit}', "windowStart"), "organizationId", "projectId", "environmentId", "releaseId", ${sums} FROM "AppTrafficSample" GROUP BY 1, 2, 3, 4, 5`,
    );
  }
  await prisma.$executeRawUnsafe('ANALYZE "AppTrafficSample", "AppTrafficMinute", "AppTrafficHour"');
  const count = async (table) => Number((await prisma.$queryRawUnsafe(`SELECT count(*)::int8 AS n FROM "${table}"`))[0].n);
  const rows = { raw: await count('AppTrafficSample'), minute: await count('AppTrafficMinute'), hour: await count('AppTrafficHour') };
  log.info(
    `seeded in ${((performance.now() - seedStart) / 1000).toFixed(1)} s: ${rows.raw} samples, ${rows.minute} minute rows, ${rows.hour} hour rows`,
  );

  // ---- queries ------------------------------------------------------------------------------
  const pct = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  const results = [];
  for (const [label, seconds] of [
    ['15 m', 900],
    ['1 h', 3600],
    ['24 h', 86_400],
    ['7 d', 7 * 86_400],
  ]) {
    const times = [];
    let last;
    for (let i = 0; i < RUNS + 3; i++) {
      const at = new Date();
      const start = performance.now();
      last = await traffic.environmentTraffic(
        scope,
        environment.id,
        { from: new Date(at.getTime() - seconds * 1000).toISOString(), points: 600 },
        at,
      );
      if (i >= 3) times.push(performance.now() - start);
    }
    times.sort((a, b) => a - b);
    results.push({
      range: label,
      source: last.resolution,
      step: `${last.stepSeconds} s`,
      points: last.time.length,
      p50: pct(times, 0.5),
      p95: pct(times, 0.95),
    });
  }

  // ---- collector ----------------------------------------------------------------------------
  log.step(`Collector: ${ENTRIES} stream entries in one pass`);
  await redis.client.del(STREAM);
  const edge = new EdgeMetricsStream(redis.client, false, STREAM);
  const entries = [];
  for (let i = 0; i < ENTRIES; i++) {
    const from = new Date(now.getTime() - 3 * 3_600_000 + Math.floor(i / 3) * 10_000);
    const counts = new Array(n).fill(0);
    counts[i % 6] = 40;
    counts[(i + 1) % 6] = 10;
    entries.push({
      releaseId: releaseIds[i % 3],
      environmentId: environment.id,
      from: from.toISOString(),
      to: new Date(from.getTime() + 10_000).toISOString(),
      requests: 50,
      status: { '2xx': 48, '3xx': 0, '4xx': 1, '5xx': 1 },
      latencyBucketsMs: [...LATENCY_BUCKETS_MS],
      latencyCounts: counts,
    });
  }
  for (let i = 0; i < entries.length; i += 1000) await edge.append(entries.slice(i, i + 1000));
  const cpuBefore = process.cpuUsage();
  const collectStart = performance.now();
  const pass = await collector.collect({ maxEntries: ENTRIES });
  const collectMs = performance.now() - collectStart;
  const cpu = process.cpuUsage(cpuBefore);
  const left = await redis.client.xlen(STREAM);
  await redis.client.del(STREAM);

  const fmt = (ms) => `${ms.toFixed(1)} ms`;
  console.log(
    `\nbench:observability — ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}), load ${LOAD_BEFORE.toFixed(2)} before, PostgreSQL ${(await prisma.$queryRawUnsafe('SHOW server_version'))[0].server_version}`,
  );
  console.log(
    `data: ${rows.raw} raw samples, ${rows.minute} minute rows, ${rows.hour} hour rows (3 releases, 7 days); ${RUNS} runs per range at 600 points\n`,
  );
  console.log('| range | source | step | points | p50 | p95 |');
  console.log('|---|---|---|---|---|---|');
  for (const r of results) console.log(`| ${r.range} | ${r.source} | ${r.step} | ${r.points} | ${fmt(r.p50)} | ${fmt(r.p95)} |`);
  console.log(
    `\ncollector: ${pass.read} entries read, ${pass.written} written, ${pass.trimmed} trimmed (${left} left in the stream) in ${fmt(collectMs)}: ${Math.round((pass.read / collectMs) * 1000)} entries/s; worker CPU ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms (${((cpu.user + cpu.system) / pass.read).toFixed(0)} µs per entry)`,
  );
} finally {
  await app.close();
  // The bench database is only for this run: nothing else reads it.
  const { Client } = await import('pg');
  const admin = new Client({ connectionString: process.env.DATABASE_URL.replace(`/${DB}`, '/postgres') });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
  await admin.end();
}

// ---- edge collection cost: a section of its own (tools/bench/observability-edge.mjs) --------------
execFileSync(process.execPath, [path.join(root, 'tools/bench/observability-edge.mjs'), ...process.argv.slice(2).filter((a) => /^--(rounds|requests)=/.test(a))], {
  stdio: 'inherit',
  env: process.env,
});
