import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { request, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Config } from '@slipway/config';
import { GatewaySocketServer } from './gateway-socket.server';
import { GatewayRoutes } from './gateway.routes';

const routes = new GatewayRoutes(
  { GATEWAY_MAX_BODY_BYTES: 1024 } as Config,
  {} as never,
  {
    models: async (_h: unknown, res: ServerResponse) => res.writeHead(200).end('models'),
  } as never,
);

let dir: string;
let servers: GatewaySocketServer[];
const newServer = () => {
  const s = new GatewaySocketServer({ GATEWAY_SOCKET_PATH: join(dir, 'run', 'gateway.sock') } as Config, routes);
  servers.push(s);
  return s;
};
const get = (socketPath: string, path: string) =>
  new Promise<number>((resolve, reject) => {
    const req = request({ socketPath, path, agent: false }, (res) => resolve(res.resume().statusCode ?? 0));
    req.on('error', reject).end();
  });

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'slipway-sock-'));
  servers = [];
});
afterEach(async () => {
  for (const s of servers) await s.onModuleDestroy();
  rmSync(dir, { recursive: true, force: true });
});

describe('the gateway socket', () => {
  it('creates its folder, lets the relays connect (other users), serves the gateway, and goes away on shutdown', async () => {
    const server = newServer();
    const path = await server.listen();
    expect(path).toBe(join(dir, 'run', 'gateway.sock'));
    expect(statSync(path).isSocket()).toBe(true);
    expect(statSync(path).mode & 0o777).toBe(0o666);
    expect(statSync(join(dir, 'run')).mode & 0o001).toBe(0o001);
    expect(await get(path, '/v1/models')).toBe(200);
    expect(await get(path, '/healthz')).toBe(404);
    await server.onModuleDestroy();
    expect(existsSync(path)).toBe(false);
  });

  it('replaces the socket an api left behind when it was killed', async () => {
    const path = join(dir, 'run', 'gateway.sock');
    const stale = spawn(process.execPath, [
      '-e',
      `require('node:fs').mkdirSync(${JSON.stringify(join(dir, 'run'))});require('node:net').createServer().listen(${JSON.stringify(path)}, () => console.log('up'))`,
    ]);
    await new Promise((resolve) => stale.stdout.once('data', resolve));
    stale.kill('SIGKILL');
    await new Promise((resolve) => stale.once('exit', resolve));
    expect(statSync(path).isSocket()).toBe(true);
    await newServer().listen();
    expect(await get(path, '/v1/models')).toBe(200);
  });

  it('refuses a socket another process serves, a file that is not a socket, and a path too long to bind, naming GATEWAY_SOCKET_PATH', async () => {
    const live = await newServer().listen();
    await expect(newServer().listen()).rejects.toThrow(/GATEWAY_SOCKET_PATH: .* is served by another running api/);
    expect(await get(live, '/v1/models')).toBe(200); // the first one is untouched

    const file = join(dir, 'not-a-socket');
    writeFileSync(file, 'keep me');
    await expect(newServer().listen(file)).rejects.toThrow(/GATEWAY_SOCKET_PATH: .* exists and is not a socket/);
    expect(statSync(file).isFile()).toBe(true);

    await expect(newServer().listen(join(dir, 'x'.repeat(120), 'gateway.sock'))).rejects.toThrow(/at most 107/);
  });
});
