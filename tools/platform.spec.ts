import { mkdtempSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startPlatform } from './lib/platform.mjs';
import { spawnApp, stopApps, tagger } from './lib/processes.mjs';
import { readyBanner } from './lib/banner.mjs';

// Dummy children stand in for the apps: the readiness and shutdown logic is what is tested.
const logDir = mkdtempSync(path.join(tmpdir(), 'platform-spec-'));
const silent = { step: () => {}, info: () => {}, warn: () => {}, error: () => {} };
const httpApp = (port: number) =>
  `require('http').createServer((q, s) => s.end('ok')).listen(${port}, '127.0.0.1', () => console.log('listening'))`;
/** A port nothing listens on now, from the OS (a random pick could be taken, e.g. by an outgoing connection). */
const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer().once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
const spec = (name: string, code: string, ready: { url?: string; line?: string }) => ({ name, args: ['-e', code], ready });

describe('startPlatform', () => {
  it('resolves once every app answers or prints its ready line, and stops them all', async () => {
    const port = await freePort();
    const platform = await startPlatform({
      root: process.cwd(),
      env: process.env,
      log: silent,
      logDir,
      specs: [
        spec('web', httpApp(port), { url: `http://127.0.0.1:${port}/` }),
        spec('worker', "setTimeout(() => console.log('worker ready'), 200); setInterval(() => {}, 1000)", { line: 'worker ready' }),
      ],
    });
    expect(platform.apps.map((a) => a.tail.at(-1))).toEqual(['listening', 'worker ready']);
    await platform.stop();
    expect(platform.apps.every((a) => a.child.exitCode !== null || a.child.signalCode !== null)).toBe(true);
  });

  it('fails with the last lines of an app that exits before it is ready', async () => {
    const run = startPlatform({
      root: process.cwd(),
      env: process.env,
      log: silent,
      logDir,
      specs: [
        spec('api', "console.log('config: DATABASE_URL is not a URL'); process.exit(3)", { url: 'http://127.0.0.1:1/' }),
        spec('worker', 'setInterval(() => {}, 1000)', { line: 'worker ready' }),
      ],
    });
    await expect(run).rejects.toThrow(/api exited unexpectedly \(code 3\)[\s\S]*DATABASE_URL is not a URL/);
  });
});

describe('stopApps', () => {
  it('kills an app that ignores SIGTERM after the grace period', async () => {
    const app = spawnApp({
      name: 'stubborn',
      cmd: process.execPath,
      args: ['-e', "process.on('SIGTERM', () => {}); console.log('up'); setInterval(() => {}, 1000)"],
      cwd: process.cwd(),
      env: process.env,
      tag: tagger(['stubborn']),
      logFile: path.join(logDir, 'stubborn.log'),
    });
    await app.waitForLine('up');
    await stopApps([app], 300);
    expect((await app.exited).signal).toBe('SIGKILL');
  });
});

describe('readyBanner', () => {
  it('lists the URLs built from the configured ports', () => {
    const text = readyBanner({ CONSOLE_PORT: '3000', API_PORT: '4000', EDGE_PORT: '8080', EDGE_ADMIN_PORT: '8091' }, '9.9 s');
    for (const url of ['http://localhost:3000', 'http://localhost:4000/api/docs', 'http://<project>.localhost:8080', 'http://<project>--<env>.localhost:8080', 'http://127.0.0.1:8091/__edge/status']) expect(text).toContain(url);
    expect(text).toContain('Slipway is ready (9.9 s)');
  });
});
