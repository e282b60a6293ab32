#!/usr/bin/env node
// `npm run bench:density`: many tiny apps on one machine, and what the platform itself pays for
// them. Starts its own platform (api, worker, edge; bench ports, a fresh database, Redis db 12),
// signs up, then creates projects one after another and pushes the smallest Node sample app
// (libs/testing/sample-apps/node-http, 64 MB per replica) with the real git client until
// --apps=N apps serve, a deployment fails (the engine's address pools, the machine-full refusal)
// or the --minutes deadline passes; it reports how far it got and why it stopped.
//
// At 1, 10, 25, 50, 100, 200 apps (and the last count reached) it records, after a short idle
// settle: the RSS of the api, worker and edge processes (/proc/<pid>/status), the route table's
// size in Redis, and the median wall time of the last reconcile passes (BullMQ's processedOn →
// finishedOn of the `reconcile` job). Then: the edge's added latency (sequential keep-alive GETs
// to app #1 through the edge minus the same GETs straight to its replica's published port) with
// the real table and with synthetic routes added up to 1,000 hosts, and the cost of publishing
// and applying a 1,000-route table (JSON + compare-and-set in Redis; parse + validate + compile
// in the edge's RouteTable, in this process). Cleans up exactly the projects it created.
//
// Options: --apps=200 --minutes=25 --requests=400. Each app is a Node process of ≈ 30–50 MB:
// 200 apps need ≈ 10 GB of this machine's 24 GiB.
import { execFile, execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createLog } from '../lib/log.mjs';
import { removeProjectDockerObjects } from '../lib/project-docker-objects.mjs';
import { ensureServices, flushRedisDb, recreateDatabase, withDatabase } from '../lib/services.mjs';
import { ensureMasterKey } from '../lib/master-key.mjs';
import { ensureBaseImages } from '../lib/base-images.mjs';
import { requiredBinaries } from '../lib/system-packages.mjs';
import { appSpecs, startPlatform } from '../lib/platform.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(import.meta.url);
const log = createLog('bench');
const exec = promisify(execFile);
const arg = (name, fallback) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const APPS = arg('apps', 200);
const MINUTES = arg('minutes', 25);
const REQUESTS = arg('requests', 400);
const SYNTHETIC_HOSTS = 1000;
const ROUNDS = 5;
const API = 14600;
const EDGE = 18680;
const EDGE_ADMIN = 18681;
const DB = 'slipway_bench_density';
// --at=20,80: more checkpoints; with --heap-snapshots the worker writes a V8 heap snapshot at
// each of them (where its memory goes per app; a snapshot inflates the worker's RSS after it).
const EXTRA_CHECKPOINTS = process.argv.find((a) => a.startsWith('--at='))?.slice(5).split(',').map(Number) ?? [];
const CHECKPOINTS = [1, 10, 25, 50, 100, 200, ...EXTRA_CHECKPOINTS];
const HEAP_SNAPSHOTS = process.argv.includes('--heap-snapshots');
const heapDir = path.join(root, '.slipway/bench/density-heap');
const deadline = Date.now() + MINUTES * 60_000;

const services = await ensureServices({ log, root, binaries: requiredBinaries() });
await ensureBaseImages({ log, root });
await recreateDatabase(services.env.DATABASE_URL, DB, { log });
const redisUrl = new URL(services.env.REDIS_URL);
redisUrl.pathname = '/12';
const env = {
  ...process.env,
  DATABASE_URL: withDatabase(services.env.DATABASE_URL, DB),
  REDIS_URL: redisUrl.toString(),
  API_PORT: String(API),
  EDGE_PORT: String(EDGE),
  EDGE_ADMIN_PORT: String(EDGE_ADMIN),
  GATEWAY_MOCK_URL: 'http://127.0.0.1:14690',
  PUBLIC_API_URL: `http://127.0.0.1:${API}`,
  NODE_ENV: 'production',
  LOG_LEVEL: 'warn',
  DEPLOY_DRAIN_SECONDS: '1',
  // One organization holds every app: its quotas must not be what stops the run.
  ORG_MAX_PROJECTS: '5000',
  ORG_MAX_REPLICAS: '5000',
  ORG_MAX_MEMORY_MB: String(1024 * 1024),
  SLIPWAY_MASTER_KEY_FILE: path.join(root, '.slipway/bench/master.key'),
  DATA_DIR: path.join(root, '.slipway/bench/density-data'),
};
ensureMasterKey({ root, env, quiet: true });
if (HEAP_SNAPSHOTS) mkdirSync(heapDir, { recursive: true });
log.step('Building and migrating');
execFileSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'ignore', env });
execFileSync('npx', ['prisma', 'migrate', 'deploy'], { cwd: root, stdio: 'ignore', env });
await flushRedisDb(env.REDIS_URL);
const platform = await startPlatform({ root, env, log, logDir: path.join(root, '.slipway/bench/density-logs'), specs: appSpecs(env)
    .filter((s) => s.name !== 'console')
    .map((s) => (HEAP_SNAPSHOTS && s.name === 'worker' ? { ...s, args: ['--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${heapDir}`, ...s.args] } : s)) });

const { Redis } = require('ioredis');
const { Queue } = require('bullmq');
const { EDGE_ROUTES_KEY, SCHEDULED_JOBS } = require(path.join(root, 'libs/contracts/dist/index.js'));
const { RouteTableStore, parseRouteTable } = require(path.join(root, 'libs/platform/redis/dist/index.js'));
const { RouteTable } = require(path.join(root, 'apps/edge/dist/route-table.js'));
const redis = new Redis(env.REDIS_URL, { maxRetriesPerRequest: 2 });
// BullMQ leaves a connection it was given open when the queue closes: kept to be closed at the end.
const queueConnection = new Redis(env.REDIS_URL, { maxRetriesPerRequest: null });
const reconcileQueue = new Queue(SCHEDULED_JOBS.reconcile.queue, { connection: queueConnection });

const api = `http://127.0.0.1:${API}`;
const gitEnv = { PATH: process.env.PATH, HOME: tmpdir(), GIT_TERMINAL_PROMPT: '0', GIT_AUTHOR_NAME: 'B', GIT_AUTHOR_EMAIL: 'b@example.test', GIT_COMMITTER_NAME: 'B', GIT_COMMITTER_EMAIL: 'b@example.test' };
const git = (args, cwd) => exec('git', args, { cwd, env: gitEnv, maxBuffer: 16 * 1024 * 1024 });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)] : NaN;
};
const json = async (res) => ({ status: res.status, body: await res.json().catch(() => null), cookie: res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ') });

const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 1 });
function get(port, host, agent = false) {
  return new Promise((resolve) => {
    const req = http.request({ host: '127.0.0.1', port, path: '/', headers: { host }, agent, timeout: 5000 }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c) => (body += c)).on('end', () => resolve({ status: res.statusCode, body: body.trim() }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (e) => resolve({ status: 0, body: String(e) }));
    req.end();
  });
}

/** The platform's own memory: RSS (MB) of the api, worker and edge processes. */
function platformRss() {
  const out = {};
  for (const app of platform.apps.filter((a) => ['api', 'worker', 'edge'].includes(a.name))) {
    const status = readFileSync(`/proc/${app.child.pid}/status`, 'utf8');
    out[app.name] = Number(/VmRSS:\s+(\d+)/.exec(status)[1]) / 1024;
  }
  return out;
}

/** Median wall time (ms) of the reconcile passes that completed in the last `sinceMs`. */
async function reconcilePassMs(sinceMs) {
  const jobs = await reconcileQueue.getJobs(['completed'], 0, 49);
  const recent = jobs.filter((j) => j.finishedOn && j.processedOn && j.finishedOn > Date.now() - sinceMs);
  return { ms: median(recent.map((j) => j.finishedOn - j.processedOn)), passes: recent.length };
}

async function edgeStatus() {
  return (await fetch(`http://127.0.0.1:${EDGE_ADMIN}/__edge/status`)).json();
}

/** Median and p99 of `REQUESTS` sequential keep-alive GETs. */
async function latency(port, host) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  for (let i = 0; i < 50; i++) await get(port, host, agent); // warm-up
  const times = [];
  for (let i = 0; i < REQUESTS; i++) {
    const t0 = performance.now();
    const r = await get(port, host, agent);
    times.push(performance.now() - t0);
    if (r.status !== 200) throw new Error(`GET ${host} via :${port} answered ${r.status}: ${r.body.slice(0, 200)}`);
  }
  agent.destroy();
  const sorted = times.sort((a, b) => a - b);
  return { p50: median(sorted), p99: sorted[Math.floor(sorted.length * 0.99)] };
}

/** The published port of the replica the route table sends `host` to. */
async function upstreamPortOf(host) {
  return parseRouteTable(await redis.get(EDGE_ROUTES_KEY)).routes.find((r) => r.hosts.includes(host)).upstreams[0].port;
}

/** The edge's added latency on `host`: through the edge minus straight to its replica, alternating rounds. */
async function edgeAdded(host, upstreamPort) {
  const viaEdge = [];
  const direct = [];
  for (let round = 0; round < ROUNDS; round++) {
    viaEdge.push(await latency(EDGE, host));
    direct.push(await latency(upstreamPort, host));
  }
  const m = (xs, k) => median(xs.map((x) => x[k]));
  return { edgeP50: m(viaEdge, 'p50'), directP50: m(direct, 'p50'), addedP50: m(viaEdge, 'p50') - m(direct, 'p50'), edgeP99: m(viaEdge, 'p99') };
}

const benchProjects = [];
const workDirs = [];
/** Creates a project, sets 64 MB per replica, pushes node-http; resolves the ms until the edge serves it, or the failure. */
async function deployOne(session, index) {
  const { org, headers, token } = session;
  const created = await json(await fetch(`${api}/api/v1/orgs/${org}/projects`, { method: 'POST', headers, body: JSON.stringify({ name: `density-${index}` }) }));
  if (created.status !== 201) return { ok: false, reason: `project create answered ${created.status}: ${JSON.stringify(created.body)}` };
  benchProjects.push(created.body.id);
  const host = new URL(created.body.environments[0].url).hostname;
  const envPath = `${api}/api/v1/orgs/${org}/projects/${created.body.slug}/environments/production`;
  const patched = await fetch(envPath, { method: 'PATCH', headers, body: JSON.stringify({ memoryMb: 64, cpuMillis: 100 }) });
  if (!patched.ok) return { ok: false, reason: `environment update answered ${patched.status}` };
  const work = mkdtempSync(path.join(tmpdir(), 'slipway-density-'));
  workDirs.push(work);
  cpSync(path.join(root, 'libs/testing/sample-apps/node-http'), work, { recursive: true });
  await git(['init', '-q', '-b', 'main'], work);
  await git(['remote', 'add', 'slipway', `http://push:${token}@127.0.0.1:${API}/git/${org}/${created.body.slug}.git`], work);
  await git(['add', '-A'], work);
  await git(['commit', '-qm', 'v1'], work);
  const t0 = performance.now();
  let pushOutput = '';
  let pushDone = false;
  const pushing = git(['push', 'slipway', 'main'], work).then(
    (r) => (pushOutput = r.stderr + r.stdout),
    (err) => (pushOutput = `${err.stderr ?? ''}${err.stdout ?? ''}`),
  ).finally(() => (pushDone = true));
  let pushEnded = 0;
  while (true) {
    const r = await get(EDGE, host);
    if (r.status === 200 && r.body.startsWith('node-http')) break;
    if (pushDone) pushEnded ||= performance.now();
    // The push follows the deploy to its end: 10 s after it returned without serving, the deploy failed.
    if (pushEnded && performance.now() - pushEnded > 10_000) {
      const lines = pushOutput.split('\n').map((l) => l.replace(/^remote:\s*(-+>\s*)?/, '').trim());
      return { ok: false, reason: lines.find((l) => /fail|refused|could not/i.test(l)) ?? lines.filter(Boolean).slice(-2).join(' | ') };
    }
    if (performance.now() - t0 > 300_000) return { ok: false, reason: 'not serving after 300 s' };
    await sleep(50);
  }
  const serving = performance.now() - t0;
  await pushing;
  return { ok: true, host, serving };
}

/** Signals the worker to write a heap snapshot and waits until the file is complete; resolves its path. */
async function workerHeapSnapshot() {
  const worker = platform.apps.find((a) => a.name === 'worker');
  const before = new Set(readdirSync(heapDir));
  process.kill(worker.child.pid, 'SIGUSR2');
  for (let i = 0; i < 600; i++) {
    await sleep(500);
    const file = readdirSync(heapDir).find((f) => !before.has(f) && f.endsWith('.heapsnapshot'));
    if (!file) continue;
    const size = statSync(path.join(heapDir, file)).size;
    await sleep(1000);
    if (size > 0 && statSync(path.join(heapDir, file)).size === size) return path.join(heapDir, file);
  }
  throw new Error('the worker wrote no heap snapshot within 5 minutes');
}

async function checkpoint(count, { last = false } = {}) {
  await sleep(12_000); // idle: a few reconcile passes, the processes settle
  const rss = platformRss();
  const reconcile = await reconcilePassMs(12_000);
  const raw = await redis.get(EDGE_ROUTES_KEY);
  const table = raw ? JSON.parse(raw) : { routes: [] };
  const row = { apps: count, ...rss, total: rss.api + rss.worker + rss.edge, routes: table.routes.length, tableBytes: raw?.length ?? 0, reconcileMs: reconcile.ms, reconcilePasses: reconcile.passes };
  if (HEAP_SNAPSHOTS && (last || EXTRA_CHECKPOINTS.includes(count))) row.heapSnapshot = await workerHeapSnapshot();
  log.info(`${count} apps: api ${rss.api.toFixed(0)} MB, worker ${rss.worker.toFixed(0)} MB, edge ${rss.edge.toFixed(0)} MB, table ${row.routes} routes / ${row.tableBytes} B, reconcile ${reconcile.ms} ms (${reconcile.passes} passes)`);
  return row;
}

/** The current table plus synthetic routes up to `hosts` hosts, one version up (what a 1,000-app machine publishes). */
function withSyntheticRoutes(table, hosts) {
  const routes = [...table.routes];
  for (let i = 0; routes.length < hosts; i++) {
    routes.push({ hosts: [`synthetic-${i}.localhost`], organizationId: 'synthetic', projectId: `p${i}`, environmentId: `e${i}`, releaseId: `r${i}`, upstreams: [{ host: '127.0.0.1', port: 1, containerId: `synthetic${i}` }] });
  }
  return { version: table.version + 1, generatedAt: new Date().toISOString(), routes };
}

/** Publish (JSON + compare-and-set script) and apply (parse + validate + compile + swap) of a table, median of `rounds`, in ms. */
async function publishAndApply(base, rounds = 15) {
  const store = new RouteTableStore(redis);
  const publish = [];
  const apply = [];
  let table = base;
  for (let i = 0; i < rounds; i++) {
    table = { ...table, version: table.version + 1 };
    let t0 = performance.now();
    await store.publish(table);
    publish.push(performance.now() - t0);
    const raw = await redis.get(EDGE_ROUTES_KEY);
    const edgeTable = new RouteTable();
    t0 = performance.now();
    const result = edgeTable.apply(parseRouteTable(raw));
    apply.push(performance.now() - t0);
    if (result.status !== 'applied') throw new Error(`synthetic table not applied: ${JSON.stringify(result)}`);
  }
  return { publishMs: median(publish), applyMs: median(apply), bytes: JSON.stringify(table).length, version: table.version };
}

async function untilEdgeVersion(version) {
  for (let i = 0; i < 200; i++) {
    const s = await edgeStatus();
    if (s.version >= version) return s;
    await sleep(50);
  }
  throw new Error(`the edge never applied table version ${version}`);
}

const rows = [];
const deploys = [];
let stopReason = `reached --apps=${APPS}`;
const latencyRows = [];
let tableCost;
try {
  const signup = await json(await fetch(`${api}/api/v1/auth/signup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Bench', email: `density-${Date.now()}@example.test`, password: 'benchmark password', organizationName: 'Bench Density' }) }));
  const headers = { cookie: signup.cookie, 'x-csrf-token': signup.body.csrfToken, 'content-type': 'application/json' };
  const token = (await json(await fetch(`${api}/api/v1/tokens`, { method: 'POST', headers, body: JSON.stringify({ name: 'bench', scopes: ['deploy'] }) }))).body.token;
  const session = { org: signup.body.organizations[0].slug, headers, token };

  rows.push({ ...(await checkpoint(0)) });
  const marks = new Set(CHECKPOINTS.filter((c) => c <= APPS));
  let firstHost;
  for (let i = 1; i <= APPS; i++) {
    if (Date.now() > deadline) {
      stopReason = `deadline (--minutes=${MINUTES}) after ${i - 1} apps`;
      break;
    }
    const r = await deployOne(session, i);
    if (!r.ok) {
      stopReason = `app #${i} failed: ${r.reason}`;
      log.warn(stopReason);
      break;
    }
    firstHost ??= r.host;
    deploys.push(r.serving);
    log.info(`app #${i} serving after ${(r.serving / 1000).toFixed(2)} s`);
    if (marks.has(i)) rows.push(await checkpoint(i));
    if (i === 1) latencyRows.push({ hosts: 1, ...(await edgeAdded(r.host, await upstreamPortOf(r.host))) });
  }
  if (deploys.length && !marks.has(deploys.length)) rows.push(await checkpoint(deploys.length, { last: true }));

  if (firstHost) {
    const table = parseRouteTable(await redis.get(EDGE_ROUTES_KEY));
    const port = await upstreamPortOf(firstHost);
    latencyRows.push({ hosts: table.routes.length, ...(await edgeAdded(firstHost, port)) });
    const big = withSyntheticRoutes(table, SYNTHETIC_HOSTS);
    tableCost = await publishAndApply(big);
    const status = await untilEdgeVersion(tableCost.version);
    latencyRows.push({ hosts: status.routes, ...(await edgeAdded(firstHost, port)) });
  }
} finally {
  await reconcileQueue.close().catch(() => undefined);
  queueConnection.disconnect();
  redis.disconnect();
  keepAlive.destroy();
  await platform.stop();
  const removed = removeProjectDockerObjects(benchProjects);
  log.info(`removed ${removed.containers} containers and ${removed.networks} networks of ${benchProjects.length} projects`);
  for (const dir of workDirs) rmSync(dir, { recursive: true, force: true });
  await services.stop({ docker: true });
}

const f = (n, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : '—');
console.log(`\nbench:density — ${deploys.length} apps deployed (node-http, 64 MB per replica); stopped: ${stopReason}\n`);
console.log('apps   api MB  worker MB  edge MB  total MB  routes  table bytes  reconcile pass ms');
for (const r of rows) console.log(`${String(r.apps).padEnd(6)} ${f(r.api).padStart(6)}  ${f(r.worker).padStart(9)}  ${f(r.edge).padStart(7)}  ${f(r.total).padStart(8)}  ${String(r.routes).padStart(6)}  ${String(r.tableBytes).padStart(11)}  ${f(r.reconcileMs, 0).padStart(17)}`);
for (const r of rows.filter((x) => x.heapSnapshot)) console.log(`worker heap snapshot at ${r.apps} apps: ${path.relative(root, r.heapSnapshot)}`);
const one = rows.find((r) => r.apps === 1);
const last = rows.at(-1);
if (one && last && last.apps > 1) {
  const per = (k) => ((last[k] - one[k]) * 1024) / (last.apps - 1);
  console.log(`\nper-app platform overhead (1 → ${last.apps} apps): api ${f(per('api'), 0)} KB, worker ${f(per('worker'), 0)} KB, edge ${f(per('edge'), 0)} KB, total ${f(per('total'), 0)} KB per app (target ≤ 1024 KB)`);
}
if (deploys.length) {
  const tail = deploys.slice(-Math.min(5, deploys.length));
  console.log(`deploy time (push → serving): app #1 ${f(deploys[0] / 1000, 2)} s, app #2 ${f((deploys[1] ?? NaN) / 1000, 2)} s, median of the last ${tail.length} (#${deploys.length - tail.length + 1}–#${deploys.length}) ${f(median(tail) / 1000, 2)} s, median of all ${f(median(deploys) / 1000, 2)} s`);
}
if (latencyRows.length) {
  console.log(`\nedge added latency (sequential keep-alive GETs to app #1, median of ${ROUNDS} alternating rounds)\nhosts in table  via edge p50 ms  direct p50 ms  added p50 ms  via edge p99 ms`);
  for (const l of latencyRows) console.log(`${String(l.hosts).padEnd(15)} ${f(l.edgeP50, 3).padStart(15)}  ${f(l.directP50, 3).padStart(13)}  ${f(l.addedP50, 3).padStart(12)}  ${f(l.edgeP99, 3).padStart(15)}`);
}
if (tableCost) console.log(`\nroute table of ${SYNTHETIC_HOSTS} routes (${tableCost.bytes} B): publish (JSON + compare-and-set) ${f(tableCost.publishMs, 2)} ms, apply in the edge (parse + validate + compile) ${f(tableCost.applyMs, 2)} ms (medians of 15)`);
// Everything it started is stopped above, and the event loop is left with nothing: the process
// ends by itself. (Until 2026-12-07 it needed a process.exit: the Redis connection handed to
// BullMQ's Queue stayed open, since Queue.close() does not close a connection it was given.)
const left = process.getActiveResourcesInfo().filter((r) => r !== 'TTYWrap');
if (left.length) log.warn(`still open after the report: ${left.join(', ')}`);
