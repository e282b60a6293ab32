#!/usr/bin/env node
// The logs section of `npm run bench:observability`: what storing and searching replica logs cost.
//
// Search: a fresh database (slipway_bench_logs) gets one environment with 3 releases and LINES
// log lines spread evenly over the last 7 days (default 1,000,000 ≈ 1.7 lines/s: an app that logs
// each request at a steady ~1.7 req/s, or a busy one that logs a fraction of them), in 8 daily
// partitions, as the collector stores them: ~90 % info request lines with a request id (an md5,
// high-entropy text like real ids), 7 % warn, 3 % error (`POST /checkout 500 …`). Then
// LogsService.environmentLogs (the api's handler minus HTTP) over the whole 7 days: the newest
// page (200 lines), errors only, a common word (`checkout`, 3 % of lines), and a rare one (one
// request id, one line in 7 days); 3 warm-up runs, then RUNS timed runs each; p50/p95 printed.
//
// Collector: a container from the local base image (labelled as a replica of the bench's
// release) prints COLLECT lines of ~100 bytes as fast as node can, and exits; collector passes
// (LOG_LINES_PER_PASS lines per container per pass) run until every line is stored: lines/s
// stored, and the worker's CPU per line (redaction with one secret, levels, the SQL).
//
// Uses the built libs (`npm run build` first), PostgreSQL and Redis at DATABASE_URL / REDIS_URL
// (or .slipway/services.env) and dockerd. Loopback only; bounded; the container and the
// database are removed at the end.
//   node tools/bench/observability-logs.mjs [--lines=1000000 --collect=50000 --runs=20]
import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
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
const LINES = Number(args.lines ?? 1_000_000);
const COLLECT = Number(args.collect ?? 50_000);
const RUNS = Number(args.runs ?? 20);
const DAYS = 7;
const DB = 'slipway_bench_logs';

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

log.step(`Fresh database ${DB}, migrated`);
await recreateDatabase(process.env.DATABASE_URL, DB, { log });
execFileSync('npx', ['prisma', 'migrate', 'deploy'], { cwd: root, stdio: 'ignore', env });

Object.assign(process.env, { DATABASE_URL: env.DATABASE_URL, REDIS_URL: env.REDIS_URL });
const { NestFactory } = await import('@nestjs/core');
const { ConfigModule, loadConfig } = await import('@slipway/config');
const { DbModule, PrismaService } = await import('@slipway/db');
const { RedisModule } = await import('@slipway/redis');
const { DockerModule, LABELS } = await import('@slipway/docker');
const { CryptoModule } = await import('@slipway/crypto');
const { AuditModule } = await import('@slipway/audit');
const { SecretsModule, SecretsService } = await import('@slipway/secrets');
const { ObservabilityModule, LogsCollectorModule, LogsService, LogsCollector } = await import('@slipway/observability');
const { default: Docker } = await import('dockerode');

// A key of the bench's own: the secret it redacts lives in its own database, dropped at the end.
const config = {
  ...loadConfig({ ...process.env, SLIPWAY_MASTER_KEY: randomBytes(32).toString('base64') }),
  DATABASE_URL: env.DATABASE_URL,
  REDIS_URL: env.REDIS_URL,
  LOGS_MAX_BYTES_PER_MINUTE: 1024 * 1024 * 1024,
};
const app = await NestFactory.createApplicationContext(
  {
    module: class BenchRoot {},
    imports: [
      ConfigModule.withConfig(config),
      DbModule,
      RedisModule,
      DockerModule,
      CryptoModule,
      AuditModule,
      SecretsModule,
      ObservabilityModule,
      LogsCollectorModule,
    ],
  },
  { logger: ['error'] },
);
const prisma = app.get(PrismaService);
const logs = app.get(LogsService);
const collector = app.get(LogsCollector);
const docker = new Docker({ socketPath: (config.DOCKER_HOST ?? 'unix:///var/run/docker.sock').replace(/^unix:\/\//, '') });
const containerName = `slipway-bench-logs-${process.pid}`;

try {
  // ---- seed ---------------------------------------------------------------------------------
  log.step(`Seeding ${LINES.toLocaleString('en-US')} log lines over ${DAYS} days`);
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
      replicas: 2,
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
  await collector.maintain(now);
  const dayMs = 86_400_000;
  const today = Math.floor(now.getTime() / dayMs) * dayMs;
  for (let d = 1; d <= DAYS; d++) {
    const from = new Date(today - d * dayMs);
    await prisma.$executeRawUnsafe(
      `CREATE TABLE IF NOT EXISTS "AppLogLine_p${from.toISOString().slice(0, 10).replaceAll('-', '')}" PARTITION OF "AppLogLine" FOR VALUES FROM ('${from.toISOString()}') TO ('${new Date(from.getTime() + dayMs).toISOString()}')`,
    );
  }
  // In time order (the collector stores lines as they come), in chunks so no statement runs for minutes.
  const stepMs = (DAYS * dayMs) / LINES;
  const CHUNK = 100_000;
  for (let start = 0; start < LINES; start += CHUNK) {
    await prisma.$executeRawUnsafe(
      `INSERT INTO "AppLogLine" (at, "organizationId", "projectId", "environmentId", "releaseId", replica, stream, level, message)
       SELECT $4::timestamptz AT TIME ZONE 'UTC' + (i * $5::float8) * interval '1 millisecond', $1, $2, $3,
         ($6::text[])[1 + (i * 3 / $7::int8)::int], 'web-production-r1-' || (i % 2), CASE WHEN i % 100 < 10 THEN 'stderr' ELSE 'stdout' END,
         CASE WHEN i % 100 < 3 THEN 'error' WHEN i % 100 < 10 THEN 'warn' ELSE 'info' END,
         CASE WHEN i % 100 < 3 THEN 'ERROR POST /checkout 500 upstream timeout after 30000ms request_id=' || md5(i::text)
              WHEN i % 100 < 10 THEN 'WARN GET /api/search slow query ' || (i % 997) || 'ms request_id=' || md5(i::text)
              ELSE 'GET /api/items/' || (i % 5000) || ' 200 ' || (i % 89) || 'ms request_id=' || md5(i::text) END
       FROM generate_series($8::int8, $9::int8) AS i`,
      org.id,
      project.id,
      environment.id,
      new Date(now.getTime() - DAYS * dayMs).toISOString(),
      stepMs,
      releaseIds,
      LINES,
      start,
      Math.min(LINES, start + CHUNK) - 1,
    );
  }
  await prisma.$executeRawUnsafe('ANALYZE "AppLogLine"');
  const seeded = Number((await prisma.$queryRawUnsafe('SELECT count(*)::int8 AS n FROM "AppLogLine"'))[0].n);
  const size = (
    await prisma.$queryRawUnsafe(
      `SELECT pg_size_pretty(sum(pg_total_relation_size(c.oid))) AS s FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = 'AppLogLine'`,
    )
  )[0].s;
  const seedSeconds = (performance.now() - seedStart) / 1000;
  log.info(`seeded ${seeded} lines in ${seedSeconds.toFixed(1)} s (${size} with indexes)`);

  // ---- search -------------------------------------------------------------------------------
  const pct = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  const rareId = (await prisma.$queryRawUnsafe(`SELECT md5('${Math.floor(LINES / 2) + 17}') AS id`))[0].id;
  const results = [];
  for (const [label, query] of [
    ['newest page (200 lines)', {}],
    ['level error and above', { level: 'error' }],
    ['text "checkout" (3 % of lines)', { q: 'checkout' }],
    ['text: one request id (1 line in 7 days)', { q: rareId }],
    ['text "checkout", release 2', { q: 'checkout', release: releaseIds[1] }],
  ]) {
    const times = [];
    let last;
    for (let i = 0; i < RUNS + 3; i++) {
      const at = new Date();
      const start = performance.now();
      last = await logs.environmentLogs(
        scope,
        environment.id,
        { from: new Date(at.getTime() - DAYS * dayMs).toISOString(), limit: 200, ...query },
        at,
      );
      if (i >= 3) times.push(performance.now() - start);
    }
    times.sort((a, b) => a - b);
    results.push({ label, lines: last.lines.length, p50: pct(times, 0.5), p95: pct(times, 0.95) });
  }

  // ---- collector ----------------------------------------------------------------------------
  log.step(`Collector: a container writes ${COLLECT.toLocaleString('en-US')} lines; passes until all are stored`);
  const image = (config.SLIPWAY_BASE_IMAGE_NODE ?? 'slipway/node:{major}').replace('{major}', '24');
  const user = await prisma.user.create({ data: { email: 'bench@example.test', name: 'Bench', passwordHash: 'x' } });
  await app
    .get(SecretsService)
    .set({ organizationId: org.id }, { userId: user.id, email: user.email }, environment.id, 'API_KEY', {
      value: 'sk-bench-0123456789abcdef',
      secret: true,
    });
  const container = await docker.createContainer({
    name: containerName,
    Image: image,
    Cmd: [
      'node',
      '-e',
      `for (let i = 0; i < ${COLLECT}; i++) console.log('GET /api/items/' + (i % 5000) + ' 200 ' + (i % 89) + 'ms request_id=' + i.toString(16).padStart(32, '0'));`,
    ],
    Labels: {
      [LABELS.managed]: '1',
      [LABELS.test]: '1',
      [LABELS.project]: project.id,
      [LABELS.environment]: environment.id,
      [LABELS.release]: releaseIds[2],
      [LABELS.deployment]: 'bench',
      [LABELS.replica]: '0',
    },
    HostConfig: { Memory: 256 * 1024 * 1024, NetworkMode: 'none' },
  });
  await container.start();
  await container.wait();
  const cpuBefore = process.cpuUsage();
  const collectStart = performance.now();
  let stored = 0;
  let passes = 0;
  while (stored < COLLECT && passes < Math.ceil(COLLECT / 1000) + 5) {
    stored += (await collector.collect()).stored;
    passes++;
  }
  const collectMs = performance.now() - collectStart;
  const cpu = process.cpuUsage(cpuBefore);

  const fmt = (ms) => `${ms.toFixed(1)} ms`;
  console.log(
    `\nbench:observability (logs) — ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}), load ${LOAD_BEFORE.toFixed(2)} before, PostgreSQL ${(await prisma.$queryRawUnsafe('SHOW server_version'))[0].server_version}`,
  );
  console.log(
    `data: ${seeded.toLocaleString('en-US')} lines over ${DAYS} days (${size} with indexes, seeded in ${seedSeconds.toFixed(0)} s); each query over the whole 7 days, limit 200; ${RUNS} runs\n`,
  );
  console.log('| query | lines | p50 | p95 |');
  console.log('|---|---|---|---|');
  for (const r of results) console.log(`| ${r.label} | ${r.lines} | ${fmt(r.p50)} | ${fmt(r.p95)} |`);
  console.log(
    `\ncollector: ${stored.toLocaleString('en-US')} of ${COLLECT.toLocaleString('en-US')} lines stored in ${passes} passes, ${fmt(collectMs)}: ${Math.round((stored / collectMs) * 1000).toLocaleString('en-US')} lines/s; worker CPU ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms (${((cpu.user + cpu.system) / Math.max(1, stored)).toFixed(1)} µs per line)`,
  );
} finally {
  await docker
    .getContainer(containerName)
    .remove({ force: true })
    .catch(() => undefined);
  await app.close();
  const { Client } = await import('pg');
  const admin = new Client({ connectionString: process.env.DATABASE_URL.replace(`/${DB}`, '/postgres') });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
  await admin.end();
}
