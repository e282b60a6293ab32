// A project-local Redis: no persistence by default (BullMQ state in dev is disposable; `persist` keeps an AOF), bound to
// 127.0.0.1, daemonised with a pid file under .slipway/ so it is stopped by its own PID, and
// with a password (requirepass) read from a mode-600 config file, not from its arguments.
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { SetupError } from './log.mjs';
import { capture, isAlive, readPid, which } from './system.mjs';
import { redisAnswers, waitUntil } from './probe.mjs';

/** Stops the Redis whose PID is in `pidFile`, if it is still that Redis. */
async function stopPid(pidFile) {
  const pid = readPid(pidFile);
  if (!pid || !isAlive(pid)) return;
  // The pid file may be stale and the PID reused: only signal a redis-server.
  const cmdline = (() => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      return 'redis-server'; // no /proc (macOS): trust the pid file
    }
  })();
  if (!cmdline.includes('redis-server')) return;
  process.kill(pid, 'SIGTERM');
  await waitUntil(() => !isAlive(pid), { timeoutMs: 10_000, intervalMs: 100 });
}

/** Stops a project-local Redis left running (by `npm run services`). */
export async function stopLocalRedis({ stateDir, log }) {
  const pidFile = path.join(stateDir, 'redis', 'redis.pid');
  if (!readPid(pidFile)) return;
  log.step('stopping project-local Redis');
  await stopPid(pidFile);
}

/** True when the Redis on the port of `url` is this state folder's (left running by `npm run services`). */
export function ownsRedis({ url, stateDir }) {
  const pid = readPid(path.join(stateDir, 'redis', 'redis.pid'));
  if (!pid || !isAlive(pid)) return false;
  try {
    // redis-server's process title is "redis-server 127.0.0.1:<port>".
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(`:${new URL(url).port || 6379}`);
  } catch {
    return false;
  }
}

/**
 * Starts Redis on the port of `url`. `persist`: keep the data in an append-only file in the
 * state folder, fsynced on every write, so a stopped and restarted Redis has the same queues
 * and route table (as docker-compose.yml runs it; the fault tests restart it under load).
 * @param {{ url: string, stateDir: string, log: import('./log.mjs').Log, persist?: boolean }} options
 * @returns {Promise<{ stop(): Promise<void> }>}
 */
export async function startLocalRedis({ url, stateDir, log, persist = false }) {
  const server = which('redis-server', ['/usr/bin', '/usr/sbin']);
  if (!server) throw new SetupError('redis-server not found (install the Debian package redis-server).');
  const dir = path.join(stateDir, 'redis');
  const logFile = path.join(stateDir, 'logs', 'redis.log');
  const pidFile = path.join(dir, 'redis.pid');
  mkdirSync(dir, { recursive: true });
  mkdirSync(path.dirname(logFile), { recursive: true });
  await stopPid(pidFile); // one left from an earlier run on another port

  const { port, password } = new URL(url);
  log.step(`starting project-local Redis on 127.0.0.1:${port || 6379} (log ${logFile})`);
  // The password goes in a file only its owner reads: arguments are visible to every user in `ps`.
  const configFile = path.join(dir, 'redis.conf');
  const quoted = JSON.stringify(decodeURIComponent(password)); // redis.conf reads "…" with \-escapes
  writeFileSync(configFile, password ? `requirepass ${quoted}\n` : '', { mode: 0o600 });
  chmodSync(configFile, 0o600); // an older file keeps its mode otherwise
  const durability = persist ? ['--appendonly', 'yes', '--appendfsync', 'always', '--maxmemory-policy', 'noeviction'] : ['--appendonly', 'no'];
  const args = [configFile, '--port', port || '6379', '--bind', '127.0.0.1', '--save', '', ...durability, '--daemonize', 'yes'];
  args.push('--dir', dir, '--pidfile', pidFile, '--logfile', logFile);
  const r = capture(server, args);
  if (r.code !== 0) throw new SetupError(`redis-server failed to start: ${r.stdout}${r.stderr}`);
  if (!(await waitUntil(() => redisAnswers(url), { timeoutMs: 10_000 }))) {
    throw new SetupError(`Redis started but does not answer on port ${port}; see ${logFile}.`);
  }
  return {
    async stop() {
      log.step('stopping project-local Redis');
      await stopPid(pidFile);
    },
  };
}

/**
 * Empties the logical database of `url` (e.g. redis://…/1), so queued jobs of an earlier
 * test run never reach this run's worker. Plain RESP over a socket: no client library yet.
 */
export function flushRedisDb(url) {
  const { hostname, port, password, pathname } = new URL(url);
  const db = pathname.slice(1) || '0';
  const cmd = (...args) => `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`;
  const commands = [...(password ? [cmd('AUTH', decodeURIComponent(password))] : []), cmd('SELECT', db), cmd('FLUSHDB')];
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: hostname || '127.0.0.1', port: Number(port || 6379) });
    let reply = '';
    socket.setTimeout(5000, () => socket.destroy(new Error('timeout')));
    socket.on('connect', () => socket.write(commands.join('')));
    socket.on('data', (d) => {
      reply += d.toString('latin1');
      const lines = reply.split('\r\n').filter(Boolean);
      if (lines.some((l) => l.startsWith('-'))) socket.destroy(new Error(`redis: ${lines.find((l) => l.startsWith('-'))}`));
      else if (lines.length >= commands.length) {
        socket.end();
        resolve();
      }
    });
    socket.on('error', (err) => reject(new SetupError(`Could not flush ${url}: ${err.message}`)));
  });
}
