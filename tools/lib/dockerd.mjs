// Starting the Docker engine when none answers. dockerd is machine-wide (deployed apps run in
// it), so `npm start` leaves it running on exit; `npm test` stops it only if it started it.
import { spawn } from 'node:child_process';
import { mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SetupError } from './log.mjs';
import { capture, isAlive, which } from './system.mjs';
import { dockerAnswers, waitUntil } from './probe.mjs';

/** What dockerd is started with when Slipway starts it. */
export const DOCKERD_ARGS = ['--live-restore'];

/**
 * Starts dockerd in the background on the default socket and waits for `docker version`.
 * @returns {Promise<{ pid: number, stop(): Promise<void> }>}
 */
export async function startDockerd({ stateDir, log }) {
  const dockerd = which('dockerd', ['/usr/bin', '/usr/sbin']);
  if (!dockerd) throw new SetupError('dockerd not found (install the Debian package docker.io).');
  const logFile = path.join(stateDir, 'logs', 'dockerd.log');
  mkdirSync(path.dirname(logFile), { recursive: true });
  log.step(`starting dockerd (log ${logFile})`);
  const out = openSync(logFile, 'a');
  // Detached and unref'd: the engine must outlive this script (see the header comment).
  // --live-restore: deployed apps keep running while the engine restarts (docs/reliability.md).
  const child = spawn(dockerd, DOCKERD_ARGS, { detached: true, stdio: ['ignore', out, out] });
  child.unref();
  writeFileSync(path.join(stateDir, 'dockerd.pid'), `${child.pid}\n`);

  // Stop waiting as soon as dockerd exits (e.g. another engine holds /var/run/docker.pid).
  await waitUntil(async () => isExited(child) || ((await dockerAnswers()) && capture('docker', ['version']).code === 0), {
    timeoutMs: 60_000,
    intervalMs: 500,
  });
  if (isExited(child) || capture('docker', ['version']).code !== 0) {
    const tail = readFileSync(logFile, 'utf8').trim().split('\n').slice(-15).join('\n');
    const why = isExited(child) ? `exited (${child.exitCode ?? child.signalCode})` : 'did not answer within 60 s';
    throw new SetupError(`dockerd ${why}. Last lines of ${logFile}:\n${tail}`);
  }
  return {
    pid: child.pid,
    async stop() {
      if (!isAlive(child.pid)) return;
      log.step(`stopping dockerd (PID ${child.pid})`);
      process.kill(child.pid, 'SIGTERM');
      if (!(await waitUntil(() => !isAlive(child.pid), { timeoutMs: 20_000, intervalMs: 200 }))) process.kill(child.pid, 'SIGKILL');
    },
  };
}

const isExited = (child) => child.exitCode !== null || child.signalCode !== null;
