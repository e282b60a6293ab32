// A project-local PostgreSQL: initdb + pg_ctl on a data folder under .slipway/, run as the
// `postgres` system user when we are root (initdb refuses to run as root). TCP on 127.0.0.1
// only; no unix socket, so long project paths never hit the socket-path length limit. Every
// connection needs the password (SCRAM); a folder made before that (trust) is converted on start.
// psql gets passwords through PGPASSWORD, never its arguments (which `ps` shows to everyone).
import { appendFileSync, chownSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SetupError } from './log.mjs';
import { aptInstall, asUser, capture, isRoot, postgresBinDir, which } from './system.mjs';
import { postgresAnswers, waitUntil } from './probe.mjs';
import { passwordOf } from './service-passwords.mjs';

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

/** A new cluster whose superuser is the role of `url`, with its password, and SCRAM for every connection. */
function initdb(bin, dir, data, url) {
  // initdb reads the password from a file the postgres user can read; it lives for this call only.
  const pwfile = path.join(dir, '.initdb-password');
  writeFileSync(pwfile, `${decodeURIComponent(new URL(url).password)}\n`, { mode: 0o600 });
  try {
    if (isRoot()) {
      const { uid, gid } = postgresIds();
      chownSync(pwfile, uid, gid);
    }
    pgRun(bin, 'initdb', ['-D', data, '-U', roleOf(url), '--auth=scram-sha-256', `--pwfile=${pwfile}`, '-E', 'UTF8', '--locale=C']);
  } finally {
    rmSync(pwfile, { force: true });
  }
}

/** Written over a pg_hba.conf that still trusts connections (a folder made before passwords). */
const PG_HBA = `# Written by Slipway (tools/lib/postgres.mjs): every connection needs its password.
# TYPE  DATABASE  USER  ADDRESS       METHOD
local   all       all                 scram-sha-256
host    all       all   127.0.0.1/32  scram-sha-256
host    all       all   ::1/128       scram-sha-256
`;

const TRUST_LINE = /^\s*(local|host\w*)\s.*\btrust\s*$/m;

/**
 * Converts a cluster that trusts connections (made before this project set passwords) to
 * SCRAM: gives the role of `url` its password, rewrites pg_hba.conf, reloads. A no-op for a
 * cluster that already asks for passwords.
 */
async function requirePasswords({ bin, data, url, log }) {
  const hba = path.join(data, 'pg_hba.conf');
  if (!TRUST_LINE.test(readFileSync(hba, 'utf8'))) return;
  log.step(`PostgreSQL in ${data} trusts every local connection: setting the password of ${roleOf(url)} and requiring it`);
  const { args, env } = psqlTarget(url, 'postgres');
  // On stdin, not in psql's arguments (visible to every user in `ps`).
  const sql = `ALTER ROLE "${roleOf(url).replaceAll('"', '""')}" WITH PASSWORD '${passwordOf(url).replaceAll("'", "''")}';\n`;
  const r = capture(await psqlPath(log), [...args, '-X', '-q', '-v', 'ON_ERROR_STOP=1'], { env, input: sql });
  if (r.code !== 0) throw new SetupError(`Could not set the password of ${roleOf(url)}: ${r.stderr.trim()}`);
  writeFileSync(hba, PG_HBA); // keeps the file's owner (postgres) and mode
  pgRun(bin, 'pg_ctl', ['reload', '-D', data]);
}

/** True when the server on the port of `url` runs from this state folder's cluster (left running by `npm run services`). */
export function ownsPostgres({ url, stateDir }) {
  const port = new URL(url).port || '5432';
  return [path.join(stateDir, 'postgres'), fallbackDir(stateDir)].some((dir) => {
    try {
      // postmaster.pid: PID, data folder, start time, port, …
      return readFileSync(path.join(dir, 'data', 'postmaster.pid'), 'utf8').split('\n')[3]?.trim() === port;
    } catch {
      return false;
    }
  });
}

/**
 * Makes sure the running project-local server asks for passwords (see requirePasswords).
 * @param {{ url: string, stateDir: string, log: import('./log.mjs').Log }} options
 */
export async function secureLocalPostgres({ url, stateDir, log }) {
  const bin = postgresBinDir();
  if (!bin) return;
  for (const dir of [path.join(stateDir, 'postgres'), fallbackDir(stateDir)]) {
    const data = path.join(dir, 'data');
    if (existsSync(path.join(data, 'postmaster.pid'))) await requirePasswords({ bin, data, url, log });
  }
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
    initdb(bin, dir, data, url);
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
  await requirePasswords({ bin, data, url, log });
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
 * Arguments and environment for psql to reach `database` on the server of `url`: the URL
 * without its password, the password in PGPASSWORD (a process's environment is private to its
 * user; its arguments are not).
 * @returns {{ args: string[], env: NodeJS.ProcessEnv }}
 */
export function psqlTarget(url, database) {
  const u = new URL(libpqUrl(url, database));
  const password = decodeURIComponent(u.password);
  u.password = '';
  return { args: [u.toString()], env: password ? { ...process.env, PGPASSWORD: password } : process.env };
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
  const { args, env } = psqlTarget(url, 'postgres');
  const r = capture(psql, [...args, '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-v', `name=${name}`], { input: sql, env });
  if (r.code !== 0) throw new SetupError(`Could not create database ${name}: ${r.stderr.trim()}${passwordHint(r.stderr)}`);
}

/** What to do when a server refuses the password (a project-local one keeps its own in the state folder). */
const passwordHint = (stderr) =>
  stderr.includes('password authentication failed')
    ? ' The project-local server takes the password in .slipway/postgres.password (kept with its data folder); a DATABASE_URL you set must carry the right one.'
    : '';

/**
 * Drops and recreates database `name` (tests start from an empty schema, so the migrations
 * are proven to apply from scratch). WITH (FORCE) ends sessions left by an aborted run.
 */
export async function recreateDatabase(url, name, { log = console } = {}) {
  const psql = await psqlPath(log);
  const sql = "SELECT format('DROP DATABASE IF EXISTS %I WITH (FORCE)', :'name')\\gexec\nSELECT format('CREATE DATABASE %I', :'name')\\gexec\n";
  const { args, env } = psqlTarget(url, 'postgres');
  const r = capture(psql, [...args, '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-v', `name=${name}`], { input: sql, env });
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
