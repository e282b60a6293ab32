#!/usr/bin/env node
// `npm run bench:observability` (its resources section; also `node tools/bench/observability-resources.mjs`):
// what replica resource sampling costs the worker, and what the resources query costs.
//
// Sampling: for each COUNTS (10, 30) running containers (`sleep` in the local slipway/static:1
// image, 32 MB each, labelled with the bench's run id and removed at the end, also on failure),
// with a replica row per container, PASSES sampler passes run one after another (the scheduler
// runs them every 5 s; back to back here): wall time per pass and the worker's CPU (user + system
// of this process) per pass and per container, medians. Includes the Redis counters, the events
// read and the PostgreSQL statement.
// Query: a fresh database (slipway_bench_obs_res) gets one environment with 4 replicas: 7 days of
// minute rollups (40,320 rows) and the last day of raw readings every 5 s (69,120 rows in 1-2
// daily partitions); ResourcesService.environmentResources runs for 1 h, 24 h and 7 d at 600
// points (3 warm-up runs, RUNS timed), p50/p95.
//
// Uses the built libs (`npm run build` first, or pass nothing: this script builds), PostgreSQL and
// Redis at DATABASE_URL / REDIS_URL (or .slipway/services.env), and dockerd. Loopback only; bounded.
//   node tools/bench/observability-resources.mjs [--no-build] [--runs=30 --passes=10 --counts=10,30]
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
const RUNS = Number(args.runs ?? 30);
const PASSES = Number(args.passes ?? 10);
const COUNTS = String(args.counts ?? '10,30')
  .split(',')
  .map(Number);
const REPLICAS = 4;
const DB = 'slipway_bench_obs_res';
const RUN = randomBytes(4).toString('hex');
const IMAGE = process.env.SLIPWAY_STATIC_IMAGE || 'slipway/static:1';

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

Object.assign(process.env, { DATABASE_URL: env.DATABASE_URL, REDIS_URL: env.REDIS_URL });
const { NestFactory } = await import('@nestjs/core');
const { ConfigModule, loadConfig } = await import('@slipway/config');
const { DbModule, PrismaService } = await import('@slipway/db');
const { RedisModule, RedisService } = await import('@slipway/redis');
const { DockerModule, DockerEngine, LABELS } = await import('@slipway/docker');
const { ObservabilityModule, ResourceSamplerModule, ResourceSampler, ResourcesService, RESOURCES_STATE_KEY } =
  await import('@slipway/observability');

const config = { ...loadConfig(), DATABASE_URL: env.DATABASE_URL, REDIS_URL: env.REDIS_URL };
const STATE = `slipway:bench:resources:${RUN}`;
const stateModule = {
  module: class BenchState {},
  global: true,
  providers: [{ provide: RESOURCES_STATE_KEY, useValue: STATE }],
  exports: [RESOURCES_STATE_KEY],
};
const app = await NestFactory.createApplicationContext(
  {
    module: class BenchRoot {},
    imports: [
      ConfigModule.withConfig(config),
      DbModule,
      RedisModule,
      DockerModule,
      stateModule,
      ObservabilityModule,
      ResourceSamplerModule,
    ],
  },
  { logger: ['error'] },
);
const prisma = app.get(PrismaService);
const redis = app.get(RedisService);
const engine = app.get(DockerEngine);
const sampler = app.get(ResourceSampler);
const resources = app.get(ResourcesService);
const network = `slipway-bench-res-${RUN}`;
const BENCH = { 'slipway.bench.run': RUN };
const median = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
const pct = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
const started = [];

try {
  // ---- tenant -------------------------------------------------------------------------------
  const org = await prisma.organization.create({ data: { slug: 'bench', name: 'Bench' } });
  const project = await prisma.project.create({ data: { organizationId: org.id, slug: 'web', hostLabel: 'web-bench', name: 'web' } });
  const environment = await prisma.environment.create({
    data: {
      organizationId: org.id,
      projectId: project.id,
      name: 'production',
      branch: 'main',
      memoryMb: 32,
      cpuMillis: 250,
      replicas: REPLICAS,
      healthCheckPath: '/',
    },
  });
  const scope = { organizationId: org.id, projectId: project.id, environmentId: environment.id };
  const build = await prisma.build.create({
    data: {
      ...scope,
      commitSha: 'c1',
      branch: 'main',
      authorName: 'Bench',
      authorEmail: 'bench@example.test',
      message: 'v1',
      status: 'SUCCEEDED',
    },
  });
  const release = await prisma.release.create({
    data: {
      ...scope,
      buildId: build.id,
      number: 1,
      imageId: 'sha256:1',
      commitSha: 'c1',
      authorName: 'Bench',
      message: 'v1',
      envVarVersions: {},
      slipwayConfig: {},
      runtime: {},
    },
  });
  const deployment = await prisma.deployment.create({ data: { ...scope, releaseId: release.id, kind: 'DEPLOY', status: 'SUCCEEDED' } });

  // ---- sampling -----------------------------------------------------------------------------
  await engine.ensureNetwork(network, BENCH);
  const sampling = [];
  for (const count of COUNTS) {
    log.step(`Sampling: ${count} running containers, ${PASSES} passes`);
    while (started.length < count) {
      const index = started.length;
      const name = `slipway-bench-res-${RUN}-${index}`;
      await prisma.replica.create({
        data: {
          organizationId: org.id,
          environmentId: environment.id,
          releaseId: release.id,
          deploymentId: deployment.id,
          index,
          containerName: name,
          state: 'HEALTHY',
        },
      });
      const { id } = await engine.runContainer({
        name,
        image: IMAGE,
        env: {},
        containerPort: 3000,
        labels: {
          ...BENCH,
          [LABELS.project]: project.id,
          [LABELS.environment]: environment.id,
          [LABELS.release]: release.id,
          [LABELS.deployment]: deployment.id,
          [LABELS.replica]: String(index),
        },
        memoryMb: 32,
        cpuMillis: 250,
        network,
        command: ['sleep', '900'],
      });
      started.push(id);
    }
    await sampler.sample({ labels: BENCH }); // warm-up: connections, partitions, first counters
    const wall = [];
    const cpu = [];
    let readings = 0;
    for (let i = 0; i < PASSES; i++) {
      const before = process.cpuUsage();
      const t = performance.now();
      const result = await sampler.sample({ labels: BENCH });
      wall.push(performance.now() - t);
      const used = process.cpuUsage(before);
      cpu.push((used.user + used.system) / 1000);
      readings += result.readings;
    }
    sampling.push({ count, wall: median(wall), cpu: median(cpu), readings: readings / PASSES });
  }

  // ---- query --------------------------------------------------------------------------------
  log.step(`Query: 7 days of minute rollups and a day of raw readings, ${REPLICAS} replicas`);
  const now = new Date();
  const dayMs = 86_400_000;
  const today = Math.floor(now.getTime() / dayMs) * dayMs;
  await prisma.$executeRawUnsafe(
    `CREATE TABLE IF NOT EXISTS "ReplicaResourceSample_p${new Date(today - dayMs).toISOString().slice(0, 10).replaceAll('-', '')}" PARTITION OF "ReplicaResourceSample" FOR VALUES FROM ('${new Date(today - dayMs).toISOString()}') TO ('${new Date(today).toISOString()}')`,
  );
  await prisma.$executeRawUnsafe(
    `INSERT INTO "ReplicaResourceSample" ("sampledAt", replica, "organizationId", "projectId", "environmentId", "releaseId", "replicaIndex", "cpuPercent", "memoryBytes", "cpuLimitMillis", "memoryLimitBytes")
     SELECT t, 'seed-' || i, $1, $2, $3, $4, i, random() * 50, (100 + random() * 50)::int8 * 1048576, 500, 268435456
     FROM generate_series($5::timestamptz AT TIME ZONE 'UTC', $6::timestamptz AT TIME ZONE 'UTC', interval '5 seconds') AS t, generate_series(0, ${REPLICAS - 1}) AS i
     ON CONFLICT DO NOTHING`,
    org.id,
    project.id,
    environment.id,
    release.id,
    new Date(now.getTime() - dayMs + 60_000).toISOString(),
    now.toISOString(),
  );
  await prisma.$executeRawUnsafe(
    `INSERT INTO "ReplicaResourceMinute" (bucket, replica, "organizationId", "projectId", "environmentId", "releaseId", "replicaIndex", samples, "cpuSamples", "cpuPercentSum", "cpuPercentMax", "memoryBytesSum", "memoryBytesMax", "cpuLimitMillis", "memoryLimitBytes")
     SELECT t, 'seed-' || i, $1, $2, $3, $4, i, 12, 12, random() * 600, 50, 12 * 104857600::int8, 125829120, 500, 268435456
     FROM generate_series(date_trunc('minute', $5::timestamptz AT TIME ZONE 'UTC'), $6::timestamptz AT TIME ZONE 'UTC', interval '1 minute') AS t, generate_series(0, ${REPLICAS - 1}) AS i
     ON CONFLICT DO NOTHING`,
    org.id,
    project.id,
    environment.id,
    release.id,
    new Date(now.getTime() - 7 * dayMs).toISOString(),
    now.toISOString(),
  );
  await prisma.$executeRawUnsafe('ANALYZE "ReplicaResourceSample", "ReplicaResourceMinute"');
  const count = async (table) => Number((await prisma.$queryRawUnsafe(`SELECT count(*)::int8 AS n FROM "${table}"`))[0].n);
  const rows = { raw: await count('ReplicaResourceSample'), minute: await count('ReplicaResourceMinute') };
  const queries = [];
  for (const [label, seconds] of [
    ['1 h', 3600],
    ['24 h', 86_400],
    ['7 d', 7 * 86_400],
  ]) {
    const times = [];
    let last;
    for (let i = 0; i < RUNS + 3; i++) {
      const at = new Date();
      const t = performance.now();
      last = await resources.environmentResources(
        scope,
        environment.id,
        { from: new Date(at.getTime() - seconds * 1000).toISOString(), points: 600 },
        at,
      );
      if (i >= 3) times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    queries.push({
      label,
      step: last.stepSeconds,
      points: last.time.length,
      replicas: last.replicas.length,
      p50: pct(times, 0.5),
      p95: pct(times, 0.95),
    });
  }

  const fmt = (ms) => `${ms.toFixed(1)} ms`;
  console.log(
    `\nbench:observability (resources) — ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}), load ${LOAD_BEFORE.toFixed(2)} before`,
  );
  console.log(`\nsampling: one pass (stats of every container, 16 at a time; events; one INSERT), median of ${PASSES} passes\n`);
  console.log('| containers | readings/pass | wall per pass | worker CPU per pass | CPU per container |');
  console.log('|---|---|---|---|---|');
  for (const s of sampling)
    console.log(`| ${s.count} | ${s.readings.toFixed(0)} | ${fmt(s.wall)} | ${fmt(s.cpu)} | ${fmt(s.cpu / s.count)} |`);
  console.log(
    `\nquery: ${rows.raw} raw readings, ${rows.minute} minute rows (${REPLICAS} replicas); ${RUNS} runs per range at 600 points\n`,
  );
  console.log('| range | step | points | replicas | p50 | p95 |');
  console.log('|---|---|---|---|---|---|');
  for (const q of queries) console.log(`| ${q.label} | ${q.step} s | ${q.points} | ${q.replicas} | ${fmt(q.p50)} | ${fmt(q.p95)} |`);
} finally {
  await Promise.all(started.map((id) => engine.removeContainer(id, { force: true }).catch(() => undefined)));
  await engine.removeNetwork(network).catch(() => undefined);
  await redis.client.del(`${STATE}:cpu-counters`, `${STATE}:events-cursor`).catch(() => undefined);
  await app.close();
  const { Client } = await import('pg');
  const admin = new Client({ connectionString: process.env.DATABASE_URL.replace(`/${DB}`, '/postgres') });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
  await admin.end();
}
