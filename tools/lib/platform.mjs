// The platform processes (api, worker, edge, console and the mock model provider), started the same way by `npm start` and `npm test`: spawn,
// wait until each is ready, and fail fast (with its last lines) when one exits early.
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { since, SetupError } from './log.mjs';
import { httpStatus, spawnApp, stopApps, tagger } from './processes.mjs';

/**
 * The api keeps V8's young generation at 4 MB per semi-space. With the default (it grows to
 * 16 MB in a process of the api's size) short-lived request objects were promoted to the old
 * generation at every scavenge (≈3 MB each, 6–10 ms pauses); at 4 MB nothing is promoted and a
 * scavenge takes under 1 ms: ≈20–30 % less CPU per gateway request and a lower p99
 * (docs/benchmarks.md, "Young generation size"). infra/Dockerfile and apps/api's start script
 * pass the same flag.
 */
export const API_NODE_FLAGS = ['--max-semi-space-size=4'];

/**
 * How each app starts and how we know it is ready. Ports come from the same variables the
 * config lib reads (defaults as in libs/platform/config/src/schema.ts).
 * @param {NodeJS.ProcessEnv} env
 */
export function appSpecs(env) {
  const api = Number(env.API_PORT || 4000);
  const edgeAdmin = Number(env.EDGE_ADMIN_PORT || 8081);
  const consolePort = Number(env.CONSOLE_PORT || 3000);
  const mock = new URL(env.GATEWAY_MOCK_URL || 'http://127.0.0.1:4900');
  return [
    // The built-in mock model provider: the gateway's default when no real credentials are set.
    {
      name: 'mock-llm',
      args: ['libs/testing/bin/mock-llm.mjs', '--host', mock.hostname, '--port', mock.port || '80', '--ttft', '150', '--tps', '80'],
      ready: { url: `${mock.origin}/__mock/health` },
    },
    { name: 'api', args: [...API_NODE_FLAGS, 'apps/api/dist/main.js'], ready: { url: `http://127.0.0.1:${api}/readyz` } },
    { name: 'worker', args: ['apps/worker/dist/main.js'], ready: { line: 'worker ready' } },
    // The edge's admin listener (loopback only) answers once both of its listeners are up.
    { name: 'edge', args: ['apps/edge/dist/main.js'], ready: { url: `http://127.0.0.1:${edgeAdmin}/__edge/healthz` } },
    {
      name: 'console',
      // Next.js behind apps/console/server.mjs, which alone sees the browser's socket address
      // (proxy.ts forwards it to the api for per-address login limits). It serves the production
      // build, so it always runs as production (NODE_ENV=test would load React's development build).
      args: ['apps/console/server.mjs', '--hostname', '127.0.0.1', '--port', String(consolePort)],
      env: { API_INTERNAL_URL: `http://127.0.0.1:${api}`, NODE_ENV: 'production' },
      ready: { url: `http://127.0.0.1:${consolePort}/login` },
    },
  ];
}

/**
 * Starts the platform and resolves once every app is ready.
 * @param {{ root: string, env: NodeJS.ProcessEnv, log: import('./log.mjs').Log, logDir?: string, timeoutMs?: number, specs?: ReturnType<typeof appSpecs> }} options
 *   logDir: write `<app>.log` files there instead of tagging lines on the terminal
 *   specs: override the apps (tests of this file use dummy children)
 * @returns {Promise<{ apps: import('./processes.mjs').App[], stop(): Promise<void>, crashed: Promise<AppFailure> }>}
 *   crashed: resolves if an app exits later without being stopped
 */
export async function startPlatform({ root, env, log, logDir, timeoutMs = 120_000, specs = appSpecs(env) }) {
  const tag = tagger(specs.map((s) => s.name));
  const apps = specs.map((s) =>
    spawnApp({
      name: s.name,
      cmd: s.cmd ?? process.execPath,
      args: s.args,
      cwd: root,
      env: { ...env, ...s.env },
      tag,
      logFile: logDir ? path.join(logDir, `${s.name}.log`) : undefined,
    }),
  );
  let stopping = false;
  const stop = async () => {
    stopping = true;
    await stopApps(apps);
  };
  // Resolves with the failure of the first app that exits while we are not stopping it.
  const crashed = new Promise((resolve) => {
    for (const app of apps) {
      app.exited.then(({ code, signal }) => {
        if (!stopping) resolve(new AppFailure(app, `exited unexpectedly (${signal ?? `code ${code}`})`));
      });
    }
  });

  const deadline = Date.now() + timeoutMs;
  const readiness = specs.map(async (s, i) => {
    const t0 = performance.now();
    const isReady = s.ready.url ? async () => (await httpStatus(s.ready.url)) === 200 : lineSeen(apps[i], s.ready.line);
    while (!(await isReady())) {
      if (stopping) return;
      if (Date.now() > deadline) throw new AppFailure(apps[i], `not ready after ${timeoutMs / 1000} s (waiting for ${s.ready.url ?? `"${s.ready.line}"`})`);
      await new Promise((r) => setTimeout(r, 250));
    }
    log.info(`${s.name} ready (${since(t0)})`);
  });
  const failure = await Promise.race([Promise.all(readiness).then(() => null), crashed]).catch((err) => err);
  if (failure) {
    await stop();
    throw failure;
  }
  return { apps, stop, crashed };
}

/** A readiness check that turns true once the app has printed a line containing `text`. */
function lineSeen(app, text) {
  let seen = false;
  app.waitForLine(text).then(() => (seen = true));
  return async () => seen;
}

/** An app that failed to become ready: the message carries its last lines of output. */
export class AppFailure extends SetupError {
  constructor(app, why) {
    const tail = app.tail.length ? app.tail.map((l) => `  ${l}`).join('\n') : '  (no output)';
    super(`${app.name} ${why}. Last lines:\n${tail}`);
    this.app = app;
  }
}
