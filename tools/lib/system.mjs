// Running commands, finding binaries and installing Debian packages. Installing is allowed
// only as root on Debian; everywhere else the scripts stop and say what to install.
import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { SetupError } from './log.mjs';

export const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;
export const isDebian = () => existsSync('/etc/debian_version') && existsSync('/usr/bin/apt-get');

/** Absolute path of an executable on PATH (or in `extraDirs`), or null. */
export function which(name, extraDirs = []) {
  const dirs = [...extraDirs, ...(process.env.PATH ?? '').split(path.delimiter)];
  for (const dir of dirs) {
    if (!dir) continue;
    const file = path.join(dir, name);
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not in this folder; keep looking
    }
  }
  return null;
}

/** Runs a command to completion and returns its output; never throws. */
export function capture(cmd, args, options = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', ...options });
  return { code: r.status ?? (r.error ? 127 : 1), stdout: r.stdout ?? '', stderr: r.stderr ?? (r.error?.message ?? '') };
}

/** Step commands still running, so that a shutdown can end them (see stopRunning). */
const runningSteps = new Set();

/**
 * Runs a command with inherited stdio (the user sees its output) and resolves its exit code.
 * It gets its own process group: `npm run build` → sh → nx → next is a tree, and npm does
 * not forward SIGTERM, so stopRunning() signals the whole group by its id.
 * @param {{ cwd?: string, env?: NodeJS.ProcessEnv }} [options]
 */
export function run(cmd, args, options = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'], detached: true, ...options });
    runningSteps.add(child);
    child.on('error', () => resolve(127));
    child.on('exit', (code, signal) => {
      runningSteps.delete(child);
      resolve(code ?? (signal ? 128 : 1));
    });
  });
}

/** Ends the running step commands: SIGTERM to their groups, SIGKILL after 5 s. */
export async function stopRunning() {
  const groups = [...runningSteps].map((c) => c.pid).filter(Boolean);
  const signal = (sig) =>
    groups.forEach((pid) => {
      try {
        process.kill(-pid, sig);
      } catch {
        // the group is already gone
      }
    });
  signal('SIGTERM');
  const deadline = Date.now() + 5000;
  while (groups.some((pid) => isAlive(-pid)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  signal('SIGKILL');
}

/** Command prefix that runs as the `postgres` system user when we are root (initdb refuses root). */
export function asUser(user, cmd, args) {
  if (!isRoot()) return [cmd, args];
  const runuser = which('runuser', ['/usr/sbin', '/sbin']);
  if (runuser) return [runuser, ['-u', user, '--', cmd, ...args]];
  return ['su', [user, '-s', '/bin/sh', '-c', [cmd, ...args].map(shellQuote).join(' ')]];
}

const shellQuote = (s) => `'${String(s).replaceAll("'", `'\\''`)}'`;

let aptUpdated = false;

/**
 * Installs Debian packages in one apt-get call (after one `apt-get update` per process).
 * @param {string[]} packages
 * @param {{ log: import('./log.mjs').Log, why: string }} ctx
 */
export async function aptInstall(packages, { log, why }) {
  const wanted = [...new Set(packages)];
  if (wanted.length === 0) return;
  if (!isRoot() || !isDebian()) {
    throw new SetupError(
      `${why}. Install the Debian packages ${wanted.join(' ')} (e.g. \`sudo apt-get install -y ${wanted.join(' ')}\`), ` +
        'or point DATABASE_URL / REDIS_URL / DOCKER_HOST at servers that answer, then run this again.',
    );
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (!aptUpdated) {
    log.step('apt-get update');
    if ((await run('apt-get', ['update', '-qq'], { env })) !== 0) throw new SetupError('apt-get update failed (see above).');
    aptUpdated = true;
  }
  log.step(`apt-get install ${wanted.join(' ')} (${why})`);
  const code = await run('apt-get', ['install', '-y', '-qq', ...wanted], { env });
  if (code !== 0) throw new SetupError(`apt-get install ${wanted.join(' ')} failed (see above).`);
}

/** Folder of the newest PostgreSQL server binaries (Debian keeps them off PATH), or null. */
export function postgresBinDir() {
  const base = '/usr/lib/postgresql';
  if (existsSync(base)) {
    const versions = readdirSync(base)
      .filter((v) => existsSync(path.join(base, v, 'bin', 'initdb')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0]) return path.join(base, versions[0], 'bin');
  }
  const initdb = which('initdb');
  return initdb ? path.dirname(initdb) : null;
}

/** True when a process with this PID exists (signal 0 checks without sending anything). */
export function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

/** PID written on the first line of a pid file, or null. */
export function readPid(file) {
  try {
    const pid = Number.parseInt(readFileSync(file, 'utf8').split('\n')[0], 10);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}
