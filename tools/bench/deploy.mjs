#!/usr/bin/env node
// `npm run bench:deploy`: push-to-live (cold and cached), rollback time, and failed requests
// during a deploy and a rollback under a steady 50 req/s, through the real git client, api,
// worker, dockerd and edge — for a dependency-free app (node-http) and for an app with real
// dependencies (express-yarn: Express from the npm registry, ~70 packages, yarn.lock), whose
// cached push is a one-line code change that must not reinstall them. Starts its own platform
// on bench ports with a fresh database.
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { execFileSync } from 'node:child_process';
import { createLog } from '../lib/log.mjs';
import { removeProjectDockerObjects } from '../lib/project-docker-objects.mjs';
import { ensureServices, flushRedisDb, recreateDatabase, withDatabase } from '../lib/services.mjs';
import { ensureMasterKey } from '../lib/master-key.mjs';
import { ensureBaseImages } from '../lib/base-images.mjs';
import { requiredBinaries } from '../lib/system-packages.mjs';
import { appSpecs, startPlatform } from '../lib/platform.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const log = createLog('bench');
const exec = promisify(execFile);
const API = 14500;
const EDGE = 18580;
const RATE = 50;

const services = await ensureServices({ log, root, binaries: requiredBinaries() });
await ensureBaseImages({ log, root });
await recreateDatabase(services.env.DATABASE_URL, 'slipway_bench_deploy', { log });
const redis = new URL(services.env.REDIS_URL);
redis.pathname = '/11';
const env = {
  ...process.env,
  DATABASE_URL: withDatabase(services.env.DATABASE_URL, 'slipway_bench_deploy'),
  REDIS_URL: redis.toString(),
  API_PORT: String(API),
  EDGE_PORT: String(EDGE),
  PUBLIC_API_URL: `http://127.0.0.1:${API}`,
  NODE_ENV: 'production',
  LOG_LEVEL: 'warn',
  DEPLOY_DRAIN_SECONDS: '2',
  SLIPWAY_MASTER_KEY_FILE: path.join(root, '.slipway/bench/master.key'),
  DATA_DIR: path.join(root, '.slipway/bench/deploy-data'),
};
ensureMasterKey({ root, env, quiet: true });
log.step('Building and migrating');
execFileSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'ignore', env });
execFileSync('npx', ['prisma', 'migrate', 'deploy'], { cwd: root, stdio: 'ignore', env });
await flushRedisDb(env.REDIS_URL); // over a socket: the URL's password stays off redis-cli's command line
const platform = await startPlatform({ root, env, log, logDir: path.join(root, '.slipway/bench/logs'), specs: appSpecs(env).filter((s) => s.name !== 'console') });

const api = `http://127.0.0.1:${API}`;
const gitEnv = { PATH: process.env.PATH, HOME: tmpdir(), GIT_TERMINAL_PROMPT: '0', GIT_AUTHOR_NAME: 'B', GIT_AUTHOR_EMAIL: 'b@example.test', GIT_COMMITTER_NAME: 'B', GIT_COMMITTER_EMAIL: 'b@example.test' };
const git = (args, cwd) => exec('git', args, { cwd, env: gitEnv, maxBuffer: 16 * 1024 * 1024 });

function viaEdge(host) {
  return new Promise((resolve) => {
    const req = http.request({ host: '127.0.0.1', port: EDGE, path: '/', headers: { host }, agent: false, timeout: 5000 }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c) => (body += c)).on('end', () => resolve({ status: res.statusCode, body: body.trim() }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (e) => resolve({ status: 0, body: String(e) }));
    req.end();
  });
}

async function untilServes(host, body, timeoutMs = 300_000) {
  const t0 = performance.now();
  while (performance.now() - t0 < timeoutMs) {
    const r = await viaEdge(host);
    if (r.status === 200 && r.body.startsWith(body)) return performance.now();
    await new Promise((r2) => setTimeout(r2, 50));
  }
  throw new Error(`${host} never served "${body}"`);
}

/** A steady load of RATE req/s until stopped (bounded to 3 minutes). */
function load(host) {
  const out = { ok: 0, failed: 0 };
  const t0 = Date.now();
  const timer = setInterval(() => {
    if (Date.now() - t0 > 180_000) return clearInterval(timer);
    void viaEdge(host).then((r) => (r.status === 200 ? out.ok++ : out.failed++));
  }, 1000 / RATE);
  return { stop: async () => (clearInterval(timer), await new Promise((r) => setTimeout(r, 1000)), out) };
}

/** The projects this run created: their containers, relays and networks are removed at the end. */
const benchProjects = [];
const json = async (res) => ({ status: res.status, body: await res.json().catch(() => null), cookie: res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ') });
/** One project holding a copy of a sample app, with its git remote set. */
async function project(session, name, sample) {
  const { org, headers, token } = session;
  const created = await json(await fetch(`${api}/api/v1/orgs/${org}/projects`, { method: 'POST', headers, body: JSON.stringify({ name: `${name}-${Date.now().toString(36)}` }) }));
  benchProjects.push(created.body.id);
  const host = new URL(created.body.environments[0].url).hostname;
  const work = mkdtempSync(path.join(tmpdir(), 'slipway-bench-'));
  cpSync(path.join(root, 'libs/testing/sample-apps', sample), work, { recursive: true });
  await git(['init', '-q', '-b', 'main'], work);
  await git(['remote', 'add', 'slipway', `http://push:${token}@127.0.0.1:${API}/git/${org}/${created.body.slug}.git`], work);
  const envPath = `${api}/api/v1/orgs/${org}/projects/${created.body.slug}/environments/production`;
  /**
   * Commits `change` (a function of the working copy), pushes, and resolves the ms from the push
   * until the edge first serves `body` (watched while the push runs: the push itself only ends
   * after the old replica's drain), and the ms until the push returned.
   */
  const push = async (message, change, body) => {
    change(work);
    await git(['add', '-A'], work);
    await git(['commit', '-qm', message], work);
    const t0 = performance.now();
    const served = untilServes(host, body);
    await git(['push', '-q', 'slipway', 'main'], work);
    const pushed = performance.now();
    return { serving: (await served) - t0, push: pushed - t0 };
  };
  return { host, envPath, push };
}

/** Cold push, cached push under load, rollback under load: the figures of one app. */
async function scenario(session, { name, sample, v1, v2 }) {
  const p = await project(session, name, sample);
  log.step(`${name}: cold push (first build of the project)`);
  const cold = await p.push('v1', v1.change, v1.body);
  log.step(`${name}: cached push (one-line change, warm layer cache) under ${RATE} req/s`);
  let l = load(p.host);
  const cached = await p.push('v2', v2.change, v2.body);
  const deployLoad = await l.stop();
  log.step(`${name}: rollback to v1 under ${RATE} req/s`);
  const releases = await json(await fetch(`${p.envPath}/releases`, { headers: session.headers }));
  const first = releases.body.find((r) => r.number === 1);
  l = load(p.host);
  const t0 = performance.now();
  await fetch(`${p.envPath}/rollback`, { method: 'POST', headers: session.headers, body: JSON.stringify({ releaseId: first.id }) });
  const rollback = (await untilServes(p.host, v1.body)) - t0;
  const rollbackLoad = await l.stop();
  return { name, cold, cached, rollback, deployLoad, rollbackLoad };
}

const versionFile = (v) => (dir) => writeFileSync(path.join(dir, 'VERSION'), `${v}\n`);
const editServer = (from, to) => (dir) => {
  const file = path.join(dir, 'server.js');
  writeFileSync(file, readFileSync(file, 'utf8').replace(from, to));
};

try {
  const signup = await json(await fetch(`${api}/api/v1/auth/signup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Bench', email: `bench-${Date.now()}@example.test`, password: 'benchmark password', organizationName: 'Bench Deploy' }) }));
  const headers = { cookie: signup.cookie, 'x-csrf-token': signup.body.csrfToken, 'content-type': 'application/json' };
  const token = (await json(await fetch(`${api}/api/v1/tokens`, { method: 'POST', headers, body: JSON.stringify({ name: 'bench', scopes: ['deploy'] }) }))).body.token;
  const session = { org: signup.body.organizations[0].slug, headers, token };

  const results = [
    await scenario(session, { name: 'bench-node-http', sample: 'node-http', v1: { change: versionFile('v1'), body: 'node-http v1' }, v2: { change: versionFile('v2'), body: 'node-http v2' } }),
    await scenario(session, {
      name: 'bench-express',
      sample: 'express-yarn',
      v1: { change: () => undefined, body: 'express-yarn on node' },
      v2: { change: editServer('express-yarn on node', 'express-yarn v2 on node'), body: 'express-yarn v2 on node' },
    }),
  ];

  const s = (ms) => `${(ms / 1000).toFixed(2)} s`;
  for (const r of results) {
    console.log(`
${r.name}
measure                                   value      target
push-to-live, cold                        ${s(r.cold.serving).padEnd(10)} —          (git push returned after ${s(r.cold.push)})
push-to-live, cached (one-line change)    ${s(r.cached.serving).padEnd(10)} ${(r.name === 'bench-express' ? '≤ 5 s' : '≤ 10 s').padEnd(10)} (git push returned after ${s(r.cached.push)}, the old replica's drain included)
rollback to serving                       ${s(r.rollback).padEnd(10)} ≤ 3 s
failed requests during deploy             ${String(r.deployLoad.failed).padEnd(10)} 0   (of ${r.deployLoad.ok + r.deployLoad.failed} at ${RATE} req/s)
failed requests during rollback           ${String(r.rollbackLoad.failed).padEnd(10)} 0   (of ${r.rollbackLoad.ok + r.rollbackLoad.failed} at ${RATE} req/s)`);
  }
} finally {
  await platform.stop();
  removeProjectDockerObjects(benchProjects); // app containers, relays and networks of the projects this run created
  await services.stop({ docker: true }); // a benchmark leaves nothing running that it started
}
