#!/usr/bin/env node
// `npm test` (CI runs it through .ci/run): dependencies, services, base images, a separate
// `slipway_test` database, then lint → build → typecheck → migrate → drift → unit → int → e2e, each with a
// header and its duration. The first failing step stops the run; cleanup always happens.
// Last line: "N passed, N failed[, N skipped]". `npm test -- --only unit,int` runs a subset;
// `--files apps/e2e/browser/x.e2e.ts` only those files of the vitest steps.
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { colour, createLog, SetupError, since } from './lib/log.mjs';
import { capture, run, stopRunning } from './lib/system.mjs';
import { ensureDeps } from './lib/deps.mjs';
import { ensureDatabase, ensureServices, flushRedisDb, recreateDatabase, withDatabase } from './lib/services.mjs';
import { psqlPath, psqlTarget } from './lib/postgres.mjs';
import { ensureMasterKey } from './lib/master-key.mjs';
import { ensureBaseImages } from './lib/base-images.mjs';
import { requiredBinaries } from './lib/system-packages.mjs';
import { startPlatform } from './lib/platform.mjs';
import { onParentExit } from './lib/processes.mjs';
import { removeProjectDockerObjects } from './lib/project-docker-objects.mjs';
import { addCounts, readVitestJson, summaryLine } from './lib/test-results.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const log = createLog('test');
const STEPS = ['lint', 'build', 'typecheck', 'migrate', 'drift', 'unit', 'int', 'e2e'];
// SLIPWAY_TEST_SLOT=N (0–9) lets several checkouts run the suite at once on one machine: each
// slot has its own ports, database, Redis db index and test folder.
const slot = Number.parseInt(process.env.SLIPWAY_TEST_SLOT ?? '0', 10);
if (!(slot >= 0 && slot <= 9)) throw new SetupError('SLIPWAY_TEST_SLOT takes a number from 0 to 9.');
const testDir = path.join(root, '.slipway', slot ? `test-${slot}` : 'test');
const portOf = (base) => String(base + slot * 10);
const PORTS = { API_PORT: portOf(14000), EDGE_PORT: portOf(18080), EDGE_ADMIN_PORT: portOf(18081), CONSOLE_PORT: portOf(13000) };
const MOCK_PORT = portOf(14900);
// The attack tests (apps/e2e/attacks) play an internet provider on one loopback port the
// gateway's allow-list lets through, and the attacker's DNS server on another.
const TEST_UPSTREAM_PORT = portOf(14901);
const TEST_DNS_PORT = portOf(14902);
// UDP: the e2e tests run a stub DNS server here (libs/testing's startDnsStub) to verify custom domains.
const DNS_STUB_PORT = portOf(15353);
const TEST_DATABASE = slot ? `slipway_test_${slot}` : 'slipway_test';

/** `--only unit,int` or `--only=unit,int`; every step by default. */
function selectedSteps(argv) {
  const i = argv.findIndex((a) => a === '--only' || a.startsWith('--only='));
  if (i < 0) return STEPS;
  const list = (argv[i].includes('=') ? argv[i].split('=')[1] : argv[i + 1] ?? '').split(',').filter(Boolean);
  const unknown = list.filter((s) => !STEPS.includes(s));
  if (unknown.length || !list.length) throw new SetupError(`--only takes a comma-separated list of: ${STEPS.join(', ')}`);
  return STEPS.filter((s) => list.includes(s));
}

/** `--files a.e2e.ts,b.e2e.ts`: the test files the vitest steps run (all by default), for working on one part. */
function selectedFiles(argv) {
  const i = argv.findIndex((a) => a === '--files' || a.startsWith('--files='));
  if (i < 0) return [];
  return (argv[i].includes('=') ? argv[i].split('=')[1] : argv[i + 1] ?? '').split(',').filter(Boolean);
}
const files = selectedFiles(process.argv.slice(2));

/** Environment of the platform under test: test ports, its own key file and data folder. */
function platformEnv(env) {
  const url = (port) => `http://127.0.0.1:${port}`;
  const keyFile = path.join(testDir, 'master.key');
  rmSync(keyFile, { force: true });
  rmSync(path.join(testDir, 'data'), { recursive: true, force: true });
  const platform = {
    ...env,
    ...PORTS,
    NODE_ENV: 'test',
    PUBLIC_API_URL: url(PORTS.API_PORT),
    PUBLIC_CONSOLE_URL: url(PORTS.CONSOLE_PORT),
    SLIPWAY_MASTER_KEY_FILE: keyFile,
    // Small, so the e2e tests can prove an oversize push is refused without pushing megabytes.
    PUSH_MAX_BYTES: String(2 * 1024 * 1024),
    // Small, so the attack tests (apps/e2e/attacks) prove each limit while writing little: a
    // build that fills its disk is stopped at 128 MB, a commit over 1 MiB per file, 8 MiB in
    // all or 2,000 files is refused. Every other e2e push and build stays well within them.
    BUILD_DISK_MB: '1536', // real apps (Next.js) write several hundred MB; the disk attack writes past it
    BUILD_LOG_MAX_BYTES: String(1024 * 1024), // the flooding test prints more than this
    PUSH_MAX_BLOB_BYTES: String(1024 * 1024),
    PUSH_MAX_UNPACKED_BYTES: String(8 * 1024 * 1024),
    PUSH_MAX_FILES: '2000',
    DEPLOY_DRAIN_SECONDS: '2',
    DATA_DIR: path.join(testDir, 'data'),
    GATEWAY_MOCK_URL: url(MOCK_PORT),
    // The slot's own gateway socket: the relays of the e2e projects reach this api, not another checkout's.
    GATEWAY_SOCKET_PATH: path.join(testDir, 'run', 'gateway.sock'),
    // Providers may reach public addresses only; the attack tests' stand-in for one is on loopback.
    GATEWAY_UPSTREAM_ALLOW: `127.0.0.1:${TEST_UPSTREAM_PORT}`,
    GATEWAY_UPSTREAM_DNS: `127.0.0.1:${TEST_DNS_PORT}`,
    // Few, so a test can show one organization flooding a provider origin without taking it all.
    GATEWAY_UPSTREAM_CONNECTIONS: '16',
    // Custom domains are verified against the tests' stub DNS server; the worker re-checks pending ones often.
    DOMAIN_DNS_SERVERS: `127.0.0.1:${DNS_STUB_PORT}`,
    DOMAIN_RECHECK_SECONDS: '5',
  };
  delete platform.SLIPWAY_MASTER_KEY; // the test key file must be the one in use
  ensureMasterKey({ root, env: platform, quiet: true });
  return platform;
}

const state = { services: null, platform: null, counts: [], results: [], e2eDatabaseUrl: null, dockerEnv: null };

/**
 * Removes the app containers, gateway relays and project networks of the projects in this run's test database,
 * and only those: a shared Docker engine may run other Slipway installations' apps, and another
 * slot's suite may be deploying at the same moment.
 */
async function removeDockerObjectsOfTestProjects(databaseUrl, env) {
  if (!databaseUrl) return;
  const psql = await psqlPath(log);
  const target = psqlTarget(databaseUrl, TEST_DATABASE);
  const r = capture(psql, [...target.args, '-X', '-A', '-t', '-c', 'SELECT id FROM "Project"'], { env: target.env });
  const projects = new Set(r.code === 0 ? r.stdout.split('\n').map((l) => l.trim()).filter(Boolean) : []);
  if (projects.size === 0) return;
  const { containers, networks } = removeProjectDockerObjects(projects, env);
  if (containers || networks) log.info(`removed ${containers} app containers and ${networks} networks the e2e deployments created`);
}

let cleaning = null;
/** Stops the platform and every service this run started, once (Ctrl-C and `finally` both call it). */
const cleanup = () =>
  (cleaning ??= (async () => {
    await stopRunning(); // a step in progress (build, vitest…)
    await state.platform?.stop();
    await removeDockerObjectsOfTestProjects(state.e2eDatabaseUrl, state.dockerEnv).catch((err) => log.warn(`could not remove the e2e containers: ${err.message}`));
    await state.services?.stop({ docker: true }); // CI: leave nothing behind that we started
  })());

/** Runs a command for a step; resolves true on exit 0. */
const ok = async (cmd, args, env) => (await run(cmd, args, { cwd: root, env })) === 0;

/** One vitest tier with a JSON report whose counts go into the total. */
async function vitest(tier, env) {
  const report = path.join(testDir, `${tier}.json`);
  rmSync(report, { force: true });
  const args = ['vitest', 'run', ...files, '--project', tier, '--passWithNoTests', '--reporter=default', '--reporter=json', `--outputFile=${report}`];
  const passed = await ok('npx', args, { ...env, NODE_ENV: 'test' });
  const counts = readVitestJson(report) ?? { passed: 0, failed: 0, skipped: 0 };
  if (!passed && counts.failed === 0) counts.failed = 1; // crashed before reporting
  if (counts.passed + counts.failed + counts.skipped === 0) log.warn(`no ${tier} tests found`);
  state.counts.push(counts);
  return passed;
}

/** @type {Record<string, (env: NodeJS.ProcessEnv) => Promise<boolean>>} */
const steps = {
  lint: (env) => ok('npm', ['run', 'lint'], env),
  build: (env) => ok('npm', ['run', 'build'], env),
  // The build compiles sources only; this also checks every spec file under strict TypeScript.
  typecheck: (env) => ok('npm', ['run', 'typecheck'], env),
  migrate: (env) => ok('npm', ['run', 'db:migrate'], env),
  drift: (env) => ok('npm', ['run', 'db:drift'], env),
  unit: (env) => vitest('unit', env),
  int: (env) => vitest('int', env),
  async e2e(env) {
    const platform = platformEnv(env);
    state.dockerEnv = platform;
    state.e2eDatabaseUrl = state.services.env.DATABASE_URL;
    // The int step shares this Redis db: its sign-ups and logins (from 127.0.0.1) would count
    // against the limits of the platform under test, whose browser tests come from that address.
    await flushRedisDb(platform.REDIS_URL);
    log.step(`starting the platform on test ports (logs in ${path.relative(root, testDir)}/logs)`);
    state.platform = await startPlatform({ root, env: platform, log, logDir: path.join(testDir, 'logs') });
    const url = (port) => `http://127.0.0.1:${port}`;
    // The fault tests (apps/e2e/faults) start a platform of their own and write their figures here.
    const faultsReport = path.join(testDir, 'faults.jsonl');
    rmSync(faultsReport, { force: true });
    const e2eEnv = { ...platform, FAULTS_REPORT: faultsReport, E2E_API_URL: url(PORTS.API_PORT), E2E_CONSOLE_URL: url(PORTS.CONSOLE_PORT), E2E_EDGE_URL: url(PORTS.EDGE_PORT), E2E_EDGE_ADMIN_URL: url(PORTS.EDGE_ADMIN_PORT), E2E_DNS_STUB_PORT: String(DNS_STUB_PORT), E2E_MOCK_LLM_URL: url(MOCK_PORT), E2E_TEST_UPSTREAM_PORT: String(TEST_UPSTREAM_PORT), E2E_TEST_DNS_PORT: String(TEST_DNS_PORT) };
    let passed = await vitest('e2e', e2eEnv);
    // An app that died during the run explains failing tests better than the tests can.
    const crash = await Promise.race([state.platform.crashed, Promise.resolve(null)]);
    if (crash) {
      log.error(crash.message);
      passed = false;
    }
    await state.platform.stop();
    state.platform = null;
    return passed;
  },
};

async function main() {
  const t0 = performance.now();
  const selected = selectedSteps(process.argv.slice(2));
  mkdirSync(testDir, { recursive: true });
  await ensureDeps({ root, log });
  // What the local base images need, and Chromium only when the browser tests run.
  state.services = await ensureServices({ log, root, binaries: requiredBinaries({ e2e: selected.includes('e2e') }) });
  await ensureBaseImages({ log, root });
  // Tests never touch dev data: their own database, their own Redis db index. A run that
  // migrates starts from an empty database (proving the migrations apply from scratch); a
  // `--only unit,int` run keeps the one migrated before.
  if (selected.includes('migrate')) await recreateDatabase(state.services.env.DATABASE_URL, TEST_DATABASE, { log });
  else await ensureDatabase(state.services.env.DATABASE_URL, TEST_DATABASE, { log });
  const redis = new URL(state.services.env.REDIS_URL);
  redis.pathname = `/${1 + slot}`;
  await flushRedisDb(redis.toString());
  const env = { ...process.env, DATABASE_URL: withDatabase(state.services.env.DATABASE_URL, TEST_DATABASE), REDIS_URL: redis.toString() };
  log.info(`setup done (${since(t0)})`);

  for (const name of selected) {
    console.log(`\n${colour.bold(`━━ ${name} ${'━'.repeat(60 - name.length)}`)}`);
    const t = performance.now();
    const countsBefore = state.counts.length;
    let passed;
    try {
      passed = await steps[name](env);
    } catch (err) {
      log.error(err instanceof SetupError ? err.message : err.stack);
      passed = false;
    }
    state.results.push({ name, passed, took: since(t) });
    console.log(colour.bold(`━━ ${name}: ${passed ? colour.green('passed') : colour.red('FAILED')} (${since(t)})`));
    if (!passed) {
      // lint/build/drift (or a platform that did not start) count as one failure each.
      if (state.counts.length === countsBefore) state.counts.push({ passed: 0, failed: 1, skipped: 0 });
      break;
    }
  }
  console.log(`\ntotal ${since(t0)}: ${state.results.map((r) => `${r.name} ${r.passed ? 'ok' : 'FAILED'} ${r.took}`).join(' · ')}`);
}

let exitCode = 0;
const interrupt = (why) => {
  log.warn(`${why}: cleaning up`);
  cleanup().finally(() => process.exit(130));
};
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => interrupt(sig));
onParentExit(() => interrupt('parent process exited'));
try {
  await main();
} catch (err) {
  log.error(err instanceof SetupError ? err.message : err.stack);
  state.counts.push({ passed: 0, failed: 1, skipped: 0 }); // set-up failed: never report success
} finally {
  await cleanup();
}
const total = addCounts(state.counts);
if (total.failed > 0 || state.results.some((r) => !r.passed)) exitCode = 1;
console.log(summaryLine(total));
process.exit(exitCode);
