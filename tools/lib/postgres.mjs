// A project-local PostgreSQL: initdb + pg_ctl on a data folder under .slipway/, run as the
// `postgres` system user when we are root (initdb refuses to run as root). TCP on 127.0.0.1
// only; no unix socket, so long project paths never hit the socket-path length limit.
import { appendFileSync, chownSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SetupError } from './log.mjs';
import { aptInstall, asUser, capture, isRoot, postgresBinDir, which } from './system.mjs';
import { postgresAnswers, waitUntil } from './probe.mjs';

/** The role to create: the user named in DATABASE_URL. */
const roleOf = (url) => decodeURIComponent(new URL(url).username) || 'postgres';

/** Ids of the postgres system user, used to hand it the data folder. */
function postgresIds() {
  const r = capture('id', ['-u', 'postgres']);
  const g = capture('id', ['-g', 'postgres']);
  if (r.code !== 0) throw new SetupError('The `postgres` system user is missing: install the Debian package postgresql.');
  return { uid: Number(r.stdout.trim()), gid: Number(g.stdout.trim()) };
}

/**
 * Picks the folder for the cluster. As root the server runs as `postgres`, which must be able
 * to reach the folder; a repository under a private home (e.g. /root) is not reachable, so
 * then the data goes to a per-project folder under the system temp dir instead.
 */
function clusterDir(stateDir) {
  const preferred = path.join(stateDir, 'postgres');
  mkdirSync(preferred, { recursive: true });
  if (!isRoot()) return preferred;
  const { uid, gid } = postgresIds();
  chownSync(preferred, uid, gid);
  const [cmd, args] = asUser('postgres', 'test', ['-w', preferred]);
  if (capture(cmd, args).code === 0) return preferred;
  const fallback = fallbackDir(stateDir);
  mkdirSync(fallback, { recursive: true });
  chownSync(fallback, uid, gid);
  return fallback;
}

const fallbackDir = (stateDir) => path.join(os.tmpdir(), `slipway-postgres-${Buffer.from(stateDir).toString('hex').slice(-24)}`);

/** Stops a project-local server left running (by `npm run services`), found by its data folder. */
export function stopLocalPostgres({ stateDir, log }) {
  const bin = postgresBinDir();
  if (!bin) return;
  for (const dir of [path.join(stateDir, 'postgres'), fallbackDir(stateDir)]) {
    const data = path.join(dir, 'data');
    if (!existsSync(path.join(data, 'postmaster.pid'))) continue;
    log.step(`stopping project-local PostgreSQL (${data})`);
    pgRun(bin, 'pg_ctl', ['stop', '-D', data, '-m', 'fast', '-w', '-t', '30']);
  }
}

/** Runs a PostgreSQL binary as the right user; throws with its output on failure. */
function pgRun(bin, name, args) {
  const [cmd, full] = asUser('postgres', path.join(bin, name), args);
  const r = capture(cmd, full, { cwd: '/' });
  if (r.code !== 0) throw new SetupError(`${name} failed:\n${r.stdout}${r.stderr}`);
  return r.stdout;
}

/**
 * Starts (initialising on first use) a PostgreSQL server on the port of `url`.
 * @returns {Promise<{ stop(): Promise<void> }>}
 */
export async function startLocalPostgres({ url, stateDir, log }) {
  const bin = postgresBinDir();
  if (!bin) throw new SetupError('PostgreSQL server binaries not found (install the Debian package postgresql).');
  const dir = clusterDir(stateDir);
  const data = path.join(dir, 'data');
  const logFile = path.join(dir, 'server.log');
  const port = new URL(url).port || '5432';

  if (!existsSync(path.join(data, 'PG_VERSION'))) {
    log.step(`initdb ${data}`);
    pgRun(bin, 'initdb', ['-D', data, '-U', roleOf(url), '--auth=trust', '-E', 'UTF8', '--locale=C']);
    // Settings that never change go in the file; the port comes from DATABASE_URL each start.
    appendFileSync(path.join(data, 'postgresql.conf'), "\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = ''\n");
  }
  // A server left running from this folder on another port (an old DATABASE_URL) must go first.
  const [scmd, sargs] = asUser('postgres', path.join(bin, 'pg_ctl'), ['status', '-D', data]);
  if (capture(scmd, sargs).code === 0) pgRun(bin, 'pg_ctl', ['stop', '-D', data, '-m', 'fast', '-w']);

  log.step(`starting project-local PostgreSQL on 127.0.0.1:${port} (data ${data}, log ${logFile})`);
  if (isRoot() && !existsSync(logFile)) {
    writeFileSync(logFile, '');
    const { uid, gid } = postgresIds();
    chownSync(logFile, uid, gid);
  }
  pgRun(bin, 'pg_ctl', ['start', '-D', data, '-l', logFile, '-w', '-t', '60', '-o', `-p ${port}`]);
  if (!(await waitUntil(() => postgresAnswers(url), { timeoutMs: 15_000 }))) {
    throw new SetupError(`PostgreSQL started but does not answer at 127.0.0.1:${port}; see ${logFile}.`);
  }
  return {
    async stop() {
      log.step('stopping project-local PostgreSQL');
      pgRun(bin, 'pg_ctl', ['stop', '-D', data, '-m', 'fast', '-w', '-t', '30']);
    },
  };
}

/** psql, installing the client package when allowed. */
export async function psqlPath(log) {
  const bin = postgresBinDir();
  const found = (bin && which('psql', [bin])) || which('psql');
  if (found) return found;
  await aptInstall(['postgresql-client'], { log, why: 'psql is needed to create databases' });
  return which('psql', [postgresBinDir() ?? '/usr/bin']) ?? 'psql';
}

/** libpq rejects URI parameters it does not know (Prisma's ?schema=…), so keep only sslmode. */
export function libpqUrl(url, database) {
  const u = new URL(url);
  const sslmode = u.searchParams.get('sslmode');
  u.search = sslmode ? `?sslmode=${sslmode}` : '';
  u.pathname = `/${database}`;
  return u.toString();
}

/**
 * Creates database `name` on the server of `url` when it does not exist yet.
 * @param {string} url any database URL of that server
 * @param {string} name
 * @param {{ log?: import('./log.mjs').Log }} [ctx]
 */
export async function ensureDatabase(url, name, { log = console } = {}) {
  const psql = await psqlPath(log);
  // \gexec runs the CREATE only when the SELECT returns a row; :'name' / %I quote safely.
  const sql = "SELECT format('CREATE DATABASE %I', :'name') WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'name')\\gexec\n";
  const r = capture(psql, [libpqUrl(url, 'postgres'), '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-v', `name=${name}`], { input: sql });
  if (r.code !== 0) throw new SetupError(`Could not create database ${name}: ${r.stderr.trim()}`);
}

/**
 * Drops and recreates database `name` (tests start from an empty schema, so the migrations
 * are proven to apply from scratch). WITH (FORCE) ends sessions left by an aborted run.
 */
export async function recreateDatabase(url, name, { log = console } = {}) {
  const psql = await psqlPath(log);
  const sql = "SELECT format('DROP DATABASE IF EXISTS %I WITH (FORCE)', :'name')\\gexec\nSELECT format('CREATE DATABASE %I', :'name')\\gexec\n";
  const r = capture(psql, [libpqUrl(url, 'postgres'), '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-v', `name=${name}`], { input: sql });
  if (r.code !== 0) throw new SetupError(`Could not recreate database ${name}: ${r.stderr.trim()}`);
}

/** The same URL pointing at another database (e.g. slipway_test). */
export function withDatabase(url, name) {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Name of the database in a URL. */
export const databaseOf = (url) => decodeURIComponent(new URL(url).pathname.slice(1)) || roleOf(url);
