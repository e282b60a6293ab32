#!/usr/bin/env node
// Added latency of the edge: the same small request sent straight to an upstream and through
// the built edge (apps/edge/dist). Loopback only, bounded request counts. The upstream and the
// edge each run in their own process; this process only generates load.
//   node apps/edge/bench/edge-bench.mjs [--n=2000] [--tput=8000] [--c=8]
// Build first: npx nx run @slipway/edge:build (the bench:edge script does).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=')));
const N_LATENCY = Number(args.n ?? 2000);
const N_TPUT = Number(args.tput ?? 8000);
const CONCURRENCY = Number(args.c ?? 8);
const WARMUP = 500;

const here = path.dirname(fileURLToPath(import.meta.url));
const edgeMain = path.resolve(here, '../dist/main.js');
if (!existsSync(edgeMain)) {
  console.error(`${edgeMain} is missing: run \`npx nx run @slipway/edge:build\` first.`);
  process.exit(1);
}

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

function spawnReady(cmd, argv, env, readyCheck) {
  const child = spawn(cmd, argv, { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  return { child, ready: readyCheck(child) };
}

function once(port, host, agent) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const req = request({ host: '127.0.0.1', port, path: '/bench', agent, headers: { host } }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve(Number(process.hrtime.bigint() - t0) / 1e6) : reject(new Error(`status ${res.statusCode}`))));
    });
    req.on('error', reject).end();
  });
}

async function run(port, host, n, concurrency) {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const lat = [];
  let next = 0;
  const t0 = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next++ < n) lat.push(await once(port, host, agent));
    }),
  );
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  agent.destroy();
  lat.sort((a, b) => a - b);
  const q = (p) => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))];
  return { n: lat.length, p50: q(0.5), p99: q(0.99), rps: lat.length / secs };
}

/** CPU time (user+system, ms) a process has used so far, from /proc (Linux). */
function cpuMs(pid) {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / 100; // clock ticks, assume USER_HZ=100
  } catch {
    return NaN;
  }
}

const upstreamPort = await freePort();
const edgePort = await freePort();
const edgeAdminPort = await freePort();
const dataDir = mkdtempSync(path.join(tmpdir(), 'edge-bench-'));
mkdirSync(path.join(dataDir, 'edge'), { recursive: true });
writeFileSync(
  path.join(dataDir, 'edge', 'routes.json'),
  JSON.stringify({
    version: 1,
    generatedAt: new Date().toISOString(),
    routes: [{ hosts: ['bench.localhost'], organizationId: 'o', projectId: 'p', environmentId: 'e', releaseId: 'bench', upstreams: [{ host: '127.0.0.1', port: upstreamPort, containerId: 'bench' }] }],
  }),
);

const upstream = spawnReady(process.execPath, ['-e', UPSTREAM_SRC], { PORT: String(upstreamPort) }, (c) => new Promise((r) => c.once('message', r)));
// Redis deliberately unreachable: the edge serves from its file snapshot, nothing else moves.
const edge = spawnReady(process.execPath, [edgeMain], { EDGE_HOST: '127.0.0.1', EDGE_PORT: String(edgePort), EDGE_ADMIN_PORT: String(edgeAdminPort), REDIS_URL: 'redis://127.0.0.1:1', DATA_DIR: dataDir, LOG_LEVEL: 'error' }, async () => {
  for (let i = 0; i < 100; i++) {
    try {
      await once(edgePort, 'bench.localhost'); // 200 once the edge serves its snapshot
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error('edge did not start');
});

const signed = (ms) => `${ms >= 0 ? '+' : '−'}${Math.abs(ms).toFixed(3)} ms`;
const fmt = (r) => `p50 ${r.p50.toFixed(3)} ms  p99 ${r.p99.toFixed(3)} ms  ${Math.round(r.rps)} req/s  (n=${r.n})`;
try {
  await Promise.all([upstream.ready, edge.ready]);
  await run(upstreamPort, 'bench.localhost', WARMUP, 4);
  await run(edgePort, 'bench.localhost', WARMUP, 4);

  const direct1 = await run(upstreamPort, 'bench.localhost', N_LATENCY, 1);
  const edge1 = await run(edgePort, 'bench.localhost', N_LATENCY, 1);
  const directC = await run(upstreamPort, 'bench.localhost', N_TPUT, CONCURRENCY);
  const cpu0 = cpuMs(edge.child.pid);
  const edgeC = await run(edgePort, 'bench.localhost', N_TPUT, CONCURRENCY);
  const cpuPerReqUs = ((cpuMs(edge.child.pid) - cpu0) * 1000) / edgeC.n;

  console.log(`edge bench (loopback, node ${process.version}, ${N_LATENCY} sequential + ${N_TPUT} at concurrency ${CONCURRENCY})`);
  console.log(`  direct  c=1   ${fmt(direct1)}`);
  console.log(`  edge    c=1   ${fmt(edge1)}`);
  console.log(`  added   c=1   p50 ${signed(edge1.p50 - direct1.p50)}  p99 ${signed(edge1.p99 - direct1.p99)}`);
  console.log(`  direct  c=${CONCURRENCY}   ${fmt(directC)}`);
  console.log(`  edge    c=${CONCURRENCY}   ${fmt(edgeC)}`);
  console.log(`  edge CPU per proxied request ≈ ${Number.isFinite(cpuPerReqUs) ? Math.round(cpuPerReqUs) + ' µs' : 'n/a'}`);
} finally {
  edge.child.kill('SIGTERM');
  upstream.child.kill('SIGTERM');
  rmSync(dataDir, { recursive: true, force: true });
}
