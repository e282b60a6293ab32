// The fault harness: a whole Slipway of its own — PostgreSQL, Redis (with an append-only
// file, as docker-compose.yml runs it), the mock model provider, api, worker and edge from
// the built dist/ — on ports of its own, with its state in a temporary folder, so each part
// can be killed and restarted without harming anyone else. The machine's PostgreSQL and Redis
// are never touched; its Docker engine is used only when the harness cannot run its own.
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ensureMasterKey } from '../lib/master-key.mjs';
import { databaseOf, ensureDatabase, startLocalPostgres } from '../lib/postgres.mjs';
import { startLocalRedis } from '../lib/redis.mjs';
import { appSpecs } from '../lib/platform.mjs';
import { httpStatus, spawnApp, stopApps, tagger } from '../lib/processes.mjs';
import { asUser, capture, postgresBinDir, run } from '../lib/system.mjs';
import { waitUntil } from '../lib/probe.mjs';
import { startPrivateEngine } from './engine.mjs';

/** The harness's ports: 24000 + 10 × slot, apart from `npm start` (4000…) and `npm test` (14000…). */
export function harnessPorts(slot = 0) {
  const base = 24000 + 10 * slot;
  return { api: base, edge: base + 1, edgeAdmin: base + 2, mock: base + 3, postgres: base + 4, redis: base + 5 };
}

const APPS = ['mock-llm', 'api', 'worker', 'edge'];
const quiet = { step: () => {}, info: () => {}, warn: (m) => console.warn(`[faults] ${m}`), error: (m) => console.error(`[faults] ${m}`) };

/**
 * @param {{ root: string, slot?: number, images: string[], logDir: string, log?: import('../lib/log.mjs').Log }} options
 *   images: what the harness's own Docker engine needs from the machine's (base and relay images)
 *   logDir: where each app's log goes (`<app>.<n>.log`, n counting its starts); kept after the run
 */
export async function startHarness({ root, slot = 0, images, logDir, log = quiet }) {
  const ports = harnessPorts(slot);
  const dir = mkdtempSync(path.join(tmpdir(), 'slipway-faults-'));
  rmSync(logDir, { recursive: true, force: true });
  chmodSync(dir, 0o755); // PostgreSQL runs as `postgres` and must reach its folder in here
  const stateDir = path.join(dir, 'state');
  const secret = () => randomBytes(18).toString('base64url');
  const databaseUrl = `postgresql://slipway:${secret()}@127.0.0.1:${ports.postgres}/slipway`;
  const redisUrl = `redis://:${secret()}@127.0.0.1:${ports.redis}`;
  const cleanups = [];
  const harness = { dir, ports, databaseUrl, redisUrl, engine: null, engineWhy: '', apps: new Map(), starts: new Map() };

  try {
    const pg = await startLocalPostgres({ url: databaseUrl, stateDir, log });
    cleanups.push(() => pg.stop().catch(() => undefined));
    const redis = await startLocalRedis({ url: redisUrl, stateDir, log, persist: true });
    cleanups.push(() => redis.stop());
    await ensureDatabase(databaseUrl, databaseOf(databaseUrl), { log });
    const migrate = await run('npx', ['prisma', 'migrate', 'deploy'], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: databaseUrl },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    if (migrate !== 0) throw new Error('prisma migrate deploy failed on the harness database');

    const engine = await startPrivateEngine({ dir: path.join(dir, 'docker'), images, slot });
    if (engine.ok) {
      harness.engine = engine;
      cleanups.push(() => engine.remove());
    } else harness.engineWhy = engine.why;

    const env = platformEnv({ dir, ports, databaseUrl, redisUrl, dockerHost: engine.ok ? engine.host : process.env.DOCKER_HOST, networkPool: engine.ok ? engine.networkPool : undefined });
    ensureMasterKey({ root, env, quiet: true });
    const specs = new Map(
      appSpecs(env)
        .filter((s) => APPS.includes(s.name))
        .map((s) => [s.name, s]),
    );
    const tag = tagger(APPS);
    cleanups.push(() => stopApps([...harness.apps.values()], 5000));

    /** Starts one app (again) and waits until it is ready; its log goes to logs/<app>.<n>.log. */
    harness.start = async (name) => {
      const s = specs.get(name);
      const n = (harness.starts.get(name) ?? 0) + 1;
      harness.starts.set(name, n);
      const app = spawnApp({
        name,
        cmd: process.execPath,
        args: s.args,
        cwd: root,
        env: { ...env, ...s.env },
        tag,
        logFile: path.join(logDir, `${name}.${n}.log`),
      });
      harness.apps.set(name, app);
      writeFileSync(path.join(dir, `${name}.pid`), `${app.child.pid}\n`); // for whoever must clean up after a hard-killed run
      const ready = s.ready.url ? async () => (await httpStatus(s.ready.url, 1000)) === 200 : lineSeen(app, s.ready.line);
      const ok = await waitUntil(async () => app.child.exitCode !== null || (await ready()), { timeoutMs: 60_000, intervalMs: 100 });
      if (!ok || app.child.exitCode !== null) throw new Error(`${name} did not start:\n${app.tail.join('\n')}`);
    };
    /** SIGKILL: no shutdown hook runs, as in a crash or an OOM kill. */
    harness.kill = async (name) => {
      const app = harness.apps.get(name);
      app.child.kill('SIGKILL');
      await app.exited;
    };
    /** True when an app started by the harness has exited (it must not, through any fault). */
    harness.exited = (name) => harness.apps.get(name)?.child.exitCode !== null;
    harness.stopRedis = () => redis.stop();
    harness.startRedis = () => startLocalRedis({ url: redisUrl, stateDir, log, persist: true });
    // `immediate`: the server stops without a checkpoint, as after a crash; it recovers from its WAL on start.
    harness.stopPostgres = () => pgCtl(stateDir, ['stop', '-m', 'immediate', '-w', '-t', '30']);
    harness.startPostgres = () => startLocalPostgres({ url: databaseUrl, stateDir, log });
    harness.urls = {
      api: `http://127.0.0.1:${ports.api}`,
      edge: `http://127.0.0.1:${ports.edge}`,
      edgeAdmin: `http://127.0.0.1:${ports.edgeAdmin}`,
    };
    harness.dockerEnv = { ...process.env, DOCKER_HOST: env.DOCKER_HOST ?? '' };
    if (!env.DOCKER_HOST) delete harness.dockerEnv.DOCKER_HOST;
    for (const name of APPS) await harness.start(name);
  } catch (err) {
    await cleanup();
    throw err;
  }

  async function cleanup() {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
  harness.stop = cleanup;
  return harness;
}

/** The platform's settings under the harness: only what it sets, plus PATH and HOME (never the suite's own DATABASE_URL…). */
function platformEnv({ dir, ports, databaseUrl, redisUrl, dockerHost, networkPool }) {
  const url = (port) => `http://127.0.0.1:${port}`;
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    API_PORT: String(ports.api),
    EDGE_PORT: String(ports.edge),
    EDGE_ADMIN_PORT: String(ports.edgeAdmin),
    PUBLIC_API_URL: url(ports.api),
    GATEWAY_MOCK_URL: url(ports.mock),
    SLIPWAY_MASTER_KEY_FILE: path.join(dir, 'master.key'),
    DATA_DIR: path.join(dir, 'data'),
    GATEWAY_SOCKET_PATH: path.join(dir, 'run', 'gateway.sock'),
    DEPLOY_DRAIN_SECONDS: '1',
  };
  if (dockerHost) env.DOCKER_HOST = dockerHost;
  if (networkPool) env.PROJECT_NETWORK_POOL = networkPool;
  for (const k of ['SLIPWAY_BASE_IMAGE_NODE', 'SLIPWAY_RELAY_IMAGE', 'BUILD_NETWORK']) if (process.env[k]) env[k] = process.env[k];
  return env;
}

function pgCtl(stateDir, args) {
  const [cmd, full] = asUser('postgres', path.join(postgresBinDir(), 'pg_ctl'), [...args, '-D', path.join(stateDir, 'postgres', 'data')]);
  const r = capture(cmd, full, { cwd: '/' });
  if (r.code !== 0) throw new Error(`pg_ctl ${args[0]} failed: ${r.stdout}${r.stderr}`);
}

function lineSeen(app, text) {
  let seen = false;
  app.waitForLine(text).then(() => (seen = true));
  return async () => seen;
}
