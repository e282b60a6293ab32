#!/usr/bin/env node
// `npm start`: everything a new user needs, in order: dependencies, PostgreSQL/Redis/Docker,
// master key, base images, migrations, build (Nx-cached), then the apps (and the mock model provider) with tagged
// output until Ctrl-C. Only Node built-ins: this runs before `npm ci`.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { createLog, SetupError, since } from './lib/log.mjs';
import { run, stopRunning } from './lib/system.mjs';
import { ensureDeps } from './lib/deps.mjs';
import { ensureServices } from './lib/services.mjs';
import { ensureMasterKey } from './lib/master-key.mjs';
import { ensureBaseImages } from './lib/base-images.mjs';
import { requiredBinaries } from './lib/system-packages.mjs';
import { pendingMigrations } from './lib/migrations.mjs';
import { startPlatform } from './lib/platform.mjs';
import { onParentExit } from './lib/processes.mjs';
import { readyBanner } from './lib/banner.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const log = createLog('start');
const t0 = performance.now();

// A local .env (copied from .env.example) applies to every app; real env vars win.
if (existsSync(path.join(root, '.env'))) process.loadEnvFile(path.join(root, '.env'));

/** @type {{ services?: Awaited<ReturnType<typeof ensureServices>>, platform?: Awaited<ReturnType<typeof startPlatform>> }} */
const running = {};
let cleanup = null;
/** Stops what this run started, once, however we got here (Ctrl-C, a crash, an error). */
const shutdown = () =>
  (cleanup ??= (async () => {
    await stopRunning(); // a build or migration in progress
    await running.platform?.stop();
    await running.services?.stop(); // dockerd stays up: see lib/dockerd.mjs
  })());

let interrupted = false;
const interrupt = (why) => {
  if (interrupted) return; // a second Ctrl-C while stopping: the SIGKILL fallback is on its way
  interrupted = true;
  log.step(`${why}: stopping`);
  shutdown().then(() => process.exit(0));
};
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => interrupt(sig));
onParentExit(() => interrupt('parent process exited'));

/** Runs one step with a progress line and its duration. */
async function step(title, fn) {
  log.step(title);
  const t = performance.now();
  const result = await fn();
  log.info(`${title}: done (${since(t)})`);
  return result;
}

async function npmScript(name, env) {
  const code = await run('npm', ['run', '--silent', name], { cwd: root, env });
  if (code !== 0) throw new SetupError(`npm run ${name} failed (exit ${code}).`);
}

try {
  await step('dependencies', () => ensureDeps({ root, log }));
  // busybox, socat… for the local base images, in the same apt-get call as the services.
  running.services = await step('services', () => ensureServices({ log, root, binaries: requiredBinaries() }));
  const env = { ...process.env, ...running.services.env };
  ensureMasterKey({ root, env, log });
  await step('base images', () => ensureBaseImages({ log, env, root }));
  await step('database migrations', async () => {
    const pending = await pendingMigrations({ root, databaseUrl: env.DATABASE_URL, log });
    if (pending?.length === 0) return log.info('every migration is applied');
    await npmScript('db:migrate', env);
  });
  await step('build', () => npmScript('build', env));
  running.platform = await step('apps', () => startPlatform({ root, env, log }));
  console.log(readyBanner(env, since(t0)));

  const failure = await running.platform.crashed;
  if (!interrupted) {
    log.error(failure.message);
    await shutdown();
    process.exit(1);
  }
} catch (err) {
  if (!interrupted) {
    log.error(err instanceof SetupError ? err.message : err.stack);
    await shutdown();
    process.exit(1);
  }
}
