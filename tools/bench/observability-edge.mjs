#!/usr/bin/env node
// The edge section of `npm run bench:observability`: what collecting app traffic costs.
//
// 1. record(): the collector call the edge makes per request, in this process, on 1,000 realistic
//    URLs (ids, UUIDs, query strings; 3 releases): per-release + per-path counting, per-release
//    only, and an empty call; ROUNDS alternating rounds of 200,000 calls, median ns per call.
// 2. Through the edge: two edges from apps/edge/dist in one child process, one with the real
//    collector and one with none, behind the same tiny upstream (its own process); rounds of
//    REQUESTS loopback requests (keep-alive, 8 at a time) alternate between them; the child's
//    CPU time (process.cpuUsage over IPC) per request, median of the rounds of each side; the
//    difference is what collection adds per request.
// 3. The worker at 1,000 req/s: 60 s of simulated traffic (1,000 req/s over 3 releases, 2 edges,
//    200 distinct paths before normalisation) recorded by the real collector and drained every
//    10 s into stream entries; one traffic-collect pass stores them in a fresh database; the
//    worker's CPU (this process) and the pass's wall time per second of traffic.
//
// Built libs and apps/edge/dist (`npm run build`); PostgreSQL and Redis at DATABASE_URL /
// REDIS_URL (or .slipway/services.env). Loopback only; bounded. Options: --rounds=12 --requests=3000
import 'reflect-metadata';
import { execFileSync, fork, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Agent, request } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { createLog } from '../lib/log.mjs';
import { recreateDatabase, withDatabase } from '../lib/services.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(import.meta.url);
const log = createLog('bench');
const args = Object.fromEntries(process.argv.slice(2).map((a) => [a.replace(/^--/, '').split('=')[0], a.split('=')[1] ?? 'true']));
const ROUNDS = Number(args.rounds ?? 12);
const REQUESTS = Number(args.requests ?? 3000);
const CALLS = 200_000;
const DB = 'slipway_bench_obs_edge';
const STREAM = 'slipway:bench:edge-metrics-paths';
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

if (!existsSync(path.join(root, 'apps/edge/dist/metrics.js'))) {
  log.error('apps/edge/dist is missing: run `npm run build` first.');
  process.exit(1);
}
const { EdgeMetricsCollector } = require(path.join(root, 'apps/edge/dist/metrics.js'));

/** 1,000 URLs as apps see them: a few routes, ids, UUIDs, tokens, query strings. */
const urls = Array.from({ length: 1000 }, (_, i) => {
  const id = i * 7919;
  return [
    `/`,
    `/api/users/${id}`,
    `/api/users/${id}/orders?page=${i % 5}`,
    `/items/${'0000000' + (i % 10)}-1c2d-4e5f-8a9b-${String(id).padStart(12, '0')}`,
    `/assets/app.${(id % 97).toString(16)}.js`,
    `/search?q=term${i}`,
    `/share/Ab3dE${id}fGhIjKlMnOpQrSt`,
    `/checkout`,
  ][i % 8];
});
const releases = ['rel_a', 'rel_b', 'rel_c'];

// ---- 1. record() in process ---------------------------------------------------------------------
log.step(`record(): ${ROUNDS} alternating rounds of ${CALLS.toLocaleString()} calls`);
const sides = {
  'per release + per path': () => new EdgeMetricsCollector(),
  'per release only': () => new EdgeMetricsCollector({ paths: false }),
  'no collector (empty call)': () => ({ record() {} }),
  // What recording straight into prom-client would cost (why the edge keeps its own counters).
  'prom-client counter + histogram, per release': () => {
    const { Registry, Counter, Histogram } = require(path.join(root, 'node_modules/prom-client'));
    const registers = [new Registry()];
    const requests = new Counter({ name: 'r', help: 'r', labelNames: ['release_id', 'status_class'], registers });
    const duration = new Histogram({ name: 'd', help: 'd', labelNames: ['release_id'], buckets: [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000], registers });
    return { record: (releaseId, _env, status, ms) => (requests.inc({ release_id: releaseId, status_class: `${Math.floor(status / 100)}xx` }), duration.observe({ release_id: releaseId }, ms)) };
  },
};
const perCall = Object.fromEntries(Object.keys(sides).map((k) => [k, []]));
for (let round = 0; round < ROUNDS + 1; round++) {
  for (const [name, make] of Object.entries(sides)) {
    const c = make();
    const t0 = performance.now();
    for (let i = 0; i < CALLS; i++) c.record(releases[i % 3], 'env', i % 50 === 0 ? 503 : 200, (i % 300) / 3, urls[i % 1000]);
    if (round > 0) perCall[name].push(((performance.now() - t0) * 1e6) / CALLS); // round 0 warms up
    c.drain?.();
  }
}

// ---- 2. through the edge --------------------------------------------------------------------------
log.step(`Through the edge: ${ROUNDS} rounds of ${REQUESTS} requests per side, alternating`);
const UPSTREAM_SRC = `require('node:http').createServer((req, res) => { req.resume(); req.on('end', () => res.writeHead(200, {'content-type':'text/plain'}).end('ok')); })
  .listen(0, '127.0.0.1', function () { process.send(this.address().port); });`;
const up = spawn(process.execPath, ['-e', UPSTREAM_SRC], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
const upstreamPort = await new Promise((r) => up.once('message', r));
const host = fork(path.join(root, 'tools/bench/observability-edge-host.mjs'), [], { env: { ...process.env, UPSTREAM_PORT: String(upstreamPort) }, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
const { ports } = await new Promise((r) => host.once('message', r));
const cpuOf = () =>
  new Promise((r) => {
    host.once('message', (m) => r(m.cpu.user + m.cpu.system));
    host.send('cpu');
  });

async function drive(port, n) {
  const agent = new Agent({ keepAlive: true, maxSockets: 8 });
  let next = 0;
  let failed = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < n) {
        const url = urls[next++ % 1000];
        await new Promise((resolve) => {
          request({ host: '127.0.0.1', port, path: url, agent, headers: { host: 'bench.localhost' } }, (res) => {
            if (res.statusCode !== 200) failed++;
            res.resume().on('end', resolve);
          })
            .on('error', () => (failed++, resolve()))
            .end();
        });
      }
    }),
  );
  agent.destroy();
  if (failed) throw new Error(`${failed} of ${n} requests failed through the edge`);
}

const edgeCpu = { on: [], off: [] };
try {
  await drive(ports.on, 1000);
  await drive(ports.off, 1000);
  for (let round = 0; round < ROUNDS; round++) {
    for (const side of round % 2 ? ['off', 'on'] : ['on', 'off']) {
      const before = await cpuOf();
      await drive(ports[side], REQUESTS);
      edgeCpu[side].push(((await cpuOf()) - before) / REQUESTS);
    }
  }
} finally {
  host.send('stop');
  up.kill('SIGTERM');
}

// ---- 3. the worker at 1,000 req/s -----------------------------------------------------------------
log.step('Worker: 60 s of 1,000 req/s through the real collector and one traffic-collect pass');
const servicesEnv = path.join(root, '.slipway', 'services.env');
if (!process.env.DATABASE_URL && existsSync(servicesEnv)) process.loadEnvFile(servicesEnv);
let worker;
if (!process.env.DATABASE_URL || !process.env.REDIS_URL) log.warn('DATABASE_URL / REDIS_URL unset: the worker part is skipped.');
else worker = await workerCost();

async function workerCost() {
  const env = { ...process.env, DATABASE_URL: withDatabase(process.env.DATABASE_URL, DB), REDIS_URL: process.env.REDIS_URL.replace(/\/\d*$/, '') + '/7' };
  await recreateDatabase(process.env.DATABASE_URL, DB, { log });
  execFileSync('npx', ['prisma', 'migrate', 'deploy'], { cwd: root, stdio: 'ignore', env });
  Object.assign(process.env, { DATABASE_URL: env.DATABASE_URL, REDIS_URL: env.REDIS_URL });
  const { NestFactory } = await import('@nestjs/core');
  const { ConfigModule, loadConfig } = await import('@slipway/config');
  const { DbModule, PrismaService } = await import('@slipway/db');
  const { RedisModule, RedisService, EdgeMetricsStream } = await import('@slipway/redis');
  const { TrafficCollectorModule, TrafficCollector, TRAFFIC_STREAM_KEY } = await import('@slipway/observability');
  const app = await NestFactory.createApplicationContext(
    {
      module: class BenchRoot {},
      imports: [
        ConfigModule.withConfig({ ...loadConfig(), DATABASE_URL: env.DATABASE_URL, REDIS_URL: env.REDIS_URL }),
        DbModule,
        RedisModule,
        { module: class BenchStream {}, global: true, providers: [{ provide: TRAFFIC_STREAM_KEY, useValue: STREAM }], exports: [TRAFFIC_STREAM_KEY] },
        TrafficCollectorModule,
      ],
    },
    { logger: ['error'] },
  );
  try {
    const prisma = app.get(PrismaService);
    const redis = app.get(RedisService);
    const org = await prisma.organization.create({ data: { slug: 'bench', name: 'Bench' } });
    const project = await prisma.project.create({ data: { organizationId: org.id, slug: 'web', hostLabel: 'web-bench', name: 'web' } });
    const environment = await prisma.environment.create({
      data: { organizationId: org.id, projectId: project.id, name: 'production', branch: 'main', memoryMb: 256, cpuMillis: 500, replicas: 2, healthCheckPath: '/' },
    });
    const scope = { organizationId: org.id, projectId: project.id, environmentId: environment.id };
    const releaseIds = [];
    for (let number = 1; number <= 3; number++) {
      const build = await prisma.build.create({
        data: { ...scope, commitSha: `c${number}`, branch: 'main', authorName: 'Bench', authorEmail: 'bench@example.test', message: `v${number}`, status: 'SUCCEEDED' },
      });
      const release = await prisma.release.create({
        data: { ...scope, buildId: build.id, number, imageId: `sha256:${number}`, commitSha: `c${number}`, authorName: 'Bench', message: `v${number}`, envVarVersions: {}, slipwayConfig: {}, runtime: {} },
      });
      releaseIds.push(release.id);
    }
    // 60 s at 1,000 req/s, split over 2 edges; each drains every 10 s (one entry per release).
    const SECONDS = 60;
    const edges = [new EdgeMetricsCollector(), new EdgeMetricsCollector()];
    const entries = [];
    const start = Date.now() - 5 * 60_000;
    for (const e of edges) e.drain(new Date(start)); // the first window starts with the simulated traffic
    for (let s = 0; s < SECONDS; s++) {
      for (let i = 0; i < 1000; i++) edges[i % 2].record(releaseIds[i % 3], environment.id, i % 40 === 0 ? 500 : 200, (i % 200) / 2, `/p${i % 200}/${i}`);
      if ((s + 1) % 10 === 0) for (const e of edges) entries.push(...e.drain(new Date(start + (s + 1) * 1000)));
    }
    const paths = entries.reduce((n, e) => n + (e.paths?.length ?? 0), 0);
    await redis.client.del(STREAM);
    await new EdgeMetricsStream(redis.client, false, STREAM).append(entries);
    const collector = app.get(TrafficCollector);
    await collector.maintain(); // partitions: not part of a steady-state pass
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const pass = await collector.collect();
    const wallMs = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    await redis.client.del(STREAM);
    return { seconds: SECONDS, entries: entries.length, paths, written: pass.written, cpuMs: (cpu.user + cpu.system) / 1000, wallMs };
  } finally {
    await app.close();
    const { Client } = await import('pg');
    const admin = new Client({ connectionString: process.env.DATABASE_URL.replace(`/${DB}`, '/postgres') });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
    await admin.end();
  }
}

// ---- report -----------------------------------------------------------------------------------------
console.log(`\nbench:observability — edge collection cost; ${os.cpus().length} CPUs, load ${os.loadavg()[0].toFixed(2)}, node ${process.version}`);
console.log('\n| record() per request | median ns |');
console.log('|---|---|');
for (const [name, xs] of Object.entries(perCall)) console.log(`| ${name} | ${median(xs).toFixed(0)} |`);
const on = median(edgeCpu.on);
const off = median(edgeCpu.off);
// Paired per round (on and off ran back to back, order swapped every round): slow drifts of the machine's load cancel.
const paired = median(edgeCpu.on.map((x, i) => x - edgeCpu.off[i]));
console.log(
  `\nthrough the edge (${ROUNDS} rounds × ${REQUESTS} requests per side): edge CPU per request ${on.toFixed(1)} µs with collection, ${off.toFixed(1)} µs without; added ${(on - off).toFixed(1)} µs (difference of medians), ${paired.toFixed(1)} µs (median of per-round differences)`,
);
console.log(`  rounds on: ${edgeCpu.on.map((x) => x.toFixed(1)).join(', ')} µs; off: ${edgeCpu.off.map((x) => x.toFixed(1)).join(', ')} µs`);
if (worker)
  console.log(
    `\nworker at 1,000 req/s: ${worker.seconds} s of traffic = ${worker.entries} entries with ${worker.paths} path rows, stored in one pass (${worker.written} written) in ${worker.wallMs.toFixed(0)} ms wall, ${worker.cpuMs.toFixed(0)} ms worker CPU: ${(worker.cpuMs / worker.seconds).toFixed(2)} ms CPU per second of traffic (${((worker.cpuMs / worker.seconds / 1000) * 100).toFixed(2)} % of a core)`,
  );
