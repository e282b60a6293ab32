// Child processes of the platform: spawn with a prefixed, coloured tag per line (or into a
// log file), keep the last lines for error reports, wait for readiness, stop by PID.
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { colour } from './log.mjs';
import { isAlive } from './system.mjs';
import { waitUntil } from './probe.mjs';

const TAIL_LINES = 40;

/**
 * @typedef {object} App
 * @property {string} name
 * @property {import('node:child_process').ChildProcess} child
 * @property {string[]} tail          last lines of output, for error reports
 * @property {Promise<{ code: number | null, signal: NodeJS.Signals | null }>} exited
 * @property {(re: RegExp | string) => Promise<void>} waitForLine  resolves when a line matches
 */

/**
 * Starts `cmd args` in its own process group (so a terminal Ctrl-C reaches only us and we
 * stop the children in order), with each output line tagged `[name]` or written to `logFile`.
 * @param {{ name: string, cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, tag: (s: string) => string, logFile?: string }} spec
 * @returns {App}
 */
export function spawnApp({ name, cmd, args, cwd, env, tag, logFile }) {
  const child = spawn(cmd, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const tail = [];
  const watchers = new Set();
  let file = null;
  if (logFile) {
    mkdirSync(path.dirname(logFile), { recursive: true });
    file = createWriteStream(logFile, { flags: 'w' });
  }
  const onLine = (line) => {
    tail.push(line);
    if (tail.length > TAIL_LINES) tail.shift();
    if (file) file.write(`${line}\n`);
    else process.stdout.write(`${tag(name)} ${line}\n`);
    for (const w of watchers) w(line);
  };
  createInterface({ input: child.stdout }).on('line', onLine);
  createInterface({ input: child.stderr }).on('line', onLine);

  const exited = new Promise((resolve) => {
    child.on('error', (err) => {
      onLine(`failed to start: ${err.message}`);
      resolve({ code: 127, signal: null });
    });
    child.on('exit', (code, signal) => {
      file?.end();
      resolve({ code, signal });
    });
  });
  const waitForLine = (pattern) =>
    new Promise((resolve) => {
      const test = (line) => (typeof pattern === 'string' ? line.includes(pattern) : pattern.test(line));
      if (tail.some(test)) return resolve();
      const w = (line) => {
        if (!test(line)) return;
        watchers.delete(w);
        resolve();
      };
      watchers.add(w);
    });
  return { name, child, tail, exited, waitForLine };
}

/** Fixed-width coloured tags: `[api]     `, `[console] `. */
export function tagger(names) {
  const width = Math.max(...names.map((n) => n.length)) + 2;
  const colours = [colour.blue, colour.magenta, colour.green, colour.yellow, colour.cyan];
  return (name) => {
    const i = Math.max(0, names.indexOf(name));
    return colours[i % colours.length](`[${name}]`.padEnd(width));
  };
}

/** One GET; resolves the status code, or 0 when nothing answers. */
export function httpStatus(url, timeoutMs = 2000) {
  return new Promise((resolve) => {
    const req = http.get(url, { timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
  });
}

/** Polls `url` until it answers 200. */
export const waitForHttp = (url, timeoutMs) => waitUntil(async () => (await httpStatus(url)) === 200, { timeoutMs, intervalMs: 250 });

/**
 * Stops apps by PID: SIGTERM to each process group, then SIGKILL to what is left after
 * `graceMs`. The group is the one spawnApp created, so grandchildren (e.g. Next's server
 * worker) go too and nothing else is touched.
 * @param {App[]} apps
 */
export async function stopApps(apps, graceMs = 10_000) {
  const running = apps.filter((a) => a.child.pid && a.child.exitCode === null && a.child.signalCode === null);
  const signal = (pid, sig) => {
    try {
      process.kill(-pid, sig);
    } catch {
      // already gone
    }
  };
  for (const a of running) signal(a.child.pid, 'SIGTERM');
  const groupGone = (pid) => !isAlive(-pid);
  await waitUntil(() => running.every((a) => groupGone(a.child.pid)), { timeoutMs: graceMs, intervalMs: 100 });
  for (const a of running) if (!groupGone(a.child.pid)) signal(a.child.pid, 'SIGKILL');
  await Promise.all(running.map((a) => a.exited));
}

/**
 * Calls `onExit` when our parent goes away. `npm start` killed with SIGTERM (a process
 * manager, a CI timeout) exits without forwarding the signal, which would orphan us and the
 * apps; polling the parent PID notices within a second.
 */
export function onParentExit(onExit, intervalMs = 1000) {
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid !== parent) {
      clearInterval(timer);
      onExit();
    }
  }, intervalMs);
  timer.unref();
}
