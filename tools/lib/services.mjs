// PostgreSQL, Redis and the Docker engine for `npm start` / `npm test`. Per service: use what
// answers at DATABASE_URL / REDIS_URL / DOCKER_HOST; else start a project-local instance from
// installed binaries (data under .slipway/); else apt-get install it (root on Debian only);
// else stop with the exact package to install. Project-local instances require a password
// (service-passwords.mjs), which the returned URLs carry; a server that is not ours is used
// with its URL as given.
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SetupError } from './log.mjs';
import { aptInstall, postgresBinDir, which } from './system.mjs';
import { dockerAnswers, dockerEndpoint, isLocalHost, postgresAnswers, redisAnswers, redisWithoutPassword } from './probe.mjs';
import { databaseOf, ensureDatabase, ownsPostgres, secureLocalPostgres, startLocalPostgres } from './postgres.mjs';
import { ownsRedis, startLocalRedis } from './redis.mjs';
import { startDockerd } from './dockerd.mjs';
import { servicePassword, withPassword } from './service-passwords.mjs';

export { ensureDatabase, recreateDatabase, withDatabase } from './postgres.mjs';
export { flushRedisDb } from './redis.mjs';

// The config schema's defaults (libs/platform/config/src/schema.ts); repeated here because
// these scripts run before anything is built or installed.
export const DEFAULT_DATABASE_URL = 'postgresql://slipway@127.0.0.1:54329/slipway';
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:63799';

/** Refuses to "start a local server" for a URL that names another machine. */
function assertLocal(name, url) {
  const { hostname } = new URL(url);
  if (!isLocalHost(hostname)) {
    throw new SetupError(`${name} points at ${hostname}, which does not answer. Start that server, or unset ${name} to use a project-local one.`);
  }
}

/**
 * @param {{
 *   log: import('./log.mjs').Log,
 *   root: string,
 *   stateDir?: string,          // default <root>/.slipway
 *   binaries?: Record<string, string>, // more binary → Debian package checks, installed in the same apt-get call
 *   env?: NodeJS.ProcessEnv,
 * }} options
 * @returns {Promise<{ env: { DATABASE_URL: string, REDIS_URL: string }, started: string[], stop(opts?: { docker?: boolean }): Promise<void> }>}
 */
export async function ensureServices({ log, root, stateDir = path.join(root, '.slipway'), binaries = {}, env = process.env }) {
  let databaseUrl = env.DATABASE_URL || DEFAULT_DATABASE_URL;
  let redisUrl = env.REDIS_URL || DEFAULT_REDIS_URL;
  const endpoint = dockerEndpoint(env.DOCKER_HOST);

  let [pgUp, redisUp, dockerUp] = await Promise.all([postgresAnswers(databaseUrl), redisAnswers(redisUrl), dockerAnswers(endpoint)]);
  log.info(`PostgreSQL ${pgUp ? 'answers' : 'does not answer'} at ${redact(databaseUrl)}`);
  log.info(`Redis ${redisUp ? 'answers' : 'does not answer'} at ${redact(redisUrl)}`);
  log.info(`Docker ${dockerUp ? 'answers' : 'does not answer'} at ${endpoint.socketPath ?? `${endpoint.host}:${endpoint.port}`}`);
  if (!pgUp) assertLocal('DATABASE_URL', databaseUrl);
  if (!redisUp) assertLocal('REDIS_URL', redisUrl);
  if (!dockerUp && env.DOCKER_HOST && !env.DOCKER_HOST.startsWith('unix:///var/run/docker.sock')) {
    throw new SetupError(`DOCKER_HOST=${env.DOCKER_HOST} does not answer. Start that engine, or unset DOCKER_HOST to use the local one.`);
  }

  // One apt-get call for everything missing: each call costs seconds even when it is small.
  const missing = [];
  const pgBin = postgresBinDir();
  if (!pgUp && !pgBin) missing.push('postgresql');
  else if (!pgBin && !which('psql')) missing.push('postgresql-client'); // psql creates the databases
  if (!redisUp && !which('redis-server', ['/usr/bin', '/usr/sbin'])) missing.push('redis-server');
  if ((!dockerUp && !which('dockerd', ['/usr/sbin'])) || !which('docker')) missing.push('docker.io');
  for (const [binary, pkg] of Object.entries(binaries)) if (!which(binary)) missing.push(pkg);
  if (missing.length) {
    await aptInstall(missing, { log, why: `missing: ${missing.join(', ')}` });
    // Debian's post-install scripts may have started a server themselves: ask again.
    [pgUp, redisUp, dockerUp] = await Promise.all([
      pgUp || postgresAnswers(databaseUrl),
      redisUp || redisAnswers(redisUrl),
      dockerUp || dockerAnswers(endpoint),
    ]);
  }

  // A server we start, or one of ours left running (`npm run services`), gets a password: the
  // URL's own, else the one generated into the state folder.
  const ourPostgres = !pgUp || ownsPostgres({ url: databaseUrl, stateDir });
  const ourRedis = !redisUp || ownsRedis({ url: redisUrl, stateDir });
  if (ourPostgres) databaseUrl = withPassword(databaseUrl, () => servicePassword(stateDir, 'postgres'));
  if (ourRedis) redisUrl = withPassword(redisUrl, () => servicePassword(stateDir, 'redis'));

  /** @type {{ name: string, stop(): Promise<void> }[]} */
  const started = [];
  const stopAll = async ({ docker = false } = {}) => {
    for (const s of [...started].reverse()) {
      if (s.name === 'dockerd' && !docker) continue;
      await s.stop().catch((err) => log.warn(`could not stop ${s.name}: ${err.message}`));
    }
    started.length = 0;
  };
  try {
    // In parallel (dockerd takes seconds); allSettled so that everything that did start is
    // known, and stopped, when another one fails.
    const ctx = { stateDir, log };
    const results = await Promise.allSettled([
      pgUp ? null : startLocalPostgres({ url: databaseUrl, ...ctx }).then((s) => started.push({ name: 'postgres', ...s })),
      redisUp ? null : startLocalRedis({ url: redisUrl, ...ctx }).then((s) => started.push({ name: 'redis', ...s })),
      dockerUp ? null : startDockerd(ctx).then((s) => started.push({ name: 'dockerd', ...s })),
    ]);
    const failed = results.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
    // Ours, left running from before passwords: PostgreSQL is converted in place; Redis keeps no
    // data (no persistence), so it restarts with its password and stays running as it was.
    if (pgUp && ourPostgres) await secureLocalPostgres({ url: databaseUrl, stateDir, log });
    if (redisUp && ourRedis && (await redisWithoutPassword(redisUrl))) await startLocalRedis({ url: redisUrl, ...ctx });
    await ensureDatabase(databaseUrl, databaseOf(databaseUrl), { log });
  } catch (err) {
    await stopAll({ docker: true });
    throw err;
  }
  writeServicesEnv(stateDir, { DATABASE_URL: databaseUrl, REDIS_URL: redisUrl });
  return {
    env: { DATABASE_URL: databaseUrl, REDIS_URL: redisUrl },
    started: started.map((s) => s.name),
    stop: stopAll,
  };
}

/** Where the URLs of the last services run are kept (mode 600), for commands run by hand. */
export const servicesEnvFile = (stateDir) => path.join(stateDir, 'services.env');

/**
 * The URLs with their passwords, for what runs outside `npm start` / `npm test`: vitest and
 * prisma.config.ts load this file when DATABASE_URL / REDIS_URL are unset, and a shell can
 * `set -a; . .slipway/services.env; set +a`.
 */
function writeServicesEnv(stateDir, vars) {
  const text = `# Written by tools/lib/services.mjs on each start: the URLs of the services in use, with their passwords.\n${Object.entries(vars)
    .map(([k, v]) => `${k}=${v}`)
    .join('\n')}\n`;
  mkdirSync(stateDir, { recursive: true }); // absent on a fresh clone whose servers all answer
  writeFileSync(servicesEnvFile(stateDir), text, { mode: 0o600 });
  chmodSync(servicesEnvFile(stateDir), 0o600); // an older file keeps its mode otherwise
}

/** A URL with its password hidden, for log lines. */
export function redact(url) {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
}
