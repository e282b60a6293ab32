import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureServices } from './lib/services.mjs';
import { stopLocalPostgres } from './lib/postgres.mjs';
import { stopLocalRedis } from './lib/redis.mjs';
import { asUser, isRoot, postgresBinDir, which } from './lib/system.mjs';

// Project-local PostgreSQL and Redis with passwords, against the real servers: on ports of
// their own and a temporary state folder, never the shared servers of the machine.
const silent = { step: () => {}, info: () => {}, warn: () => {}, error: () => {} };
const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer().once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
const root = path.resolve(__dirname, '..');
const bin = postgresBinDir()!;
const psql = (url: string, password?: string) =>
  spawnSync(path.join(bin, 'psql'), [url, '-X', '-tA', '-c', 'SELECT current_user'], { encoding: 'utf8', env: { ...process.env, PGPASSWORD: password ?? '' } });
const redisCli = (port: number, password?: string) =>
  spawnSync('redis-cli', ['-p', String(port), 'PING'], { encoding: 'utf8', env: { ...process.env, REDISCLI_AUTH: password ?? '' } }).stdout.trim();
const dirs: string[] = [];
const stateFolder = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'services-spec-'));
  chmodSync(dir, 0o755); // as root the server runs as `postgres`, which must reach the data folder
  dirs.push(dir);
  return dir;
};

afterAll(async () => {
  for (const stateDir of dirs) {
    stopLocalPostgres({ stateDir, log: silent });
    await stopLocalRedis({ stateDir, log: silent });
    rmSync(stateDir, { recursive: true, force: true });
  }
});

describe('project-local PostgreSQL and Redis', () => {
  it('require the passwords generated into the state folder, which the URLs handed out carry', async () => {
    const stateDir = stateFolder();
    const [pgPort, redisPort] = [await freePort(), await freePort()];
    const env = { DATABASE_URL: `postgresql://slipway@127.0.0.1:${pgPort}/slipway`, REDIS_URL: `redis://127.0.0.1:${redisPort}` };
    const services = await ensureServices({ log: silent, root, stateDir, env });
    try {
      const pgPassword = readFileSync(path.join(stateDir, 'postgres.password'), 'utf8').trim();
      const redisPassword = readFileSync(path.join(stateDir, 'redis.password'), 'utf8').trim();
      expect(services.env.DATABASE_URL).toBe(`postgresql://slipway:${pgPassword}@127.0.0.1:${pgPort}/slipway`);
      expect(services.env.REDIS_URL).toBe(`redis://:${redisPassword}@127.0.0.1:${redisPort}`);
      expect(readFileSync(path.join(stateDir, 'services.env'), 'utf8')).toContain(`DATABASE_URL=${services.env.DATABASE_URL}\n`);

      expect(psql(env.DATABASE_URL).stderr).toMatch(/no password supplied|password authentication failed/);
      expect(psql(env.DATABASE_URL, 'wrong').stderr).toContain('password authentication failed');
      expect(psql(env.DATABASE_URL, pgPassword).stdout.trim()).toBe('slipway');
      expect(redisCli(redisPort)).toContain('NOAUTH');
      expect(redisCli(redisPort, redisPassword)).toBe('PONG');
    } finally {
      await services.stop();
    }
  }, 60_000);

  it('converts a data folder made before passwords (trust, no Redis password) and keeps its data', async () => {
    const stateDir = stateFolder();
    const [pgPort, redisPort] = [await freePort(), await freePort()];
    const env = { DATABASE_URL: `postgresql://slipway@127.0.0.1:${pgPort}/slipway`, REDIS_URL: `redis://127.0.0.1:${redisPort}` };
    // What the earlier tools made: a cluster trusting every connection, and a Redis with no
    // password left running by `npm run services`.
    const data = path.join(stateDir, 'postgres', 'data');
    mkdirSync(path.dirname(data), { recursive: true });
    if (isRoot()) {
      const id = (flag: string) => Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout);
      chownSync(path.dirname(data), id('-u'), id('-g'));
    }
    const [cmd, args] = asUser('postgres', path.join(bin, 'initdb'), ['-D', data, '-U', 'slipway', '--auth=trust', '-E', 'UTF8', '--locale=C']);
    expect(spawnSync(cmd, args, { cwd: '/' }).status).toBe(0);
    spawnSync('sh', ['-c', `printf "\\nlisten_addresses = '127.0.0.1'\\nunix_socket_directories = ''\\n" >> ${data}/postgresql.conf`]);
    const [start, startArgs] = asUser('postgres', path.join(bin, 'pg_ctl'), ['start', '-D', data, '-l', path.join(data, 'log'), '-w', '-o', `-p ${pgPort}`]);
    expect(spawnSync(start, startArgs, { cwd: '/' }).status).toBe(0);
    expect(psql(`postgresql://slipway@127.0.0.1:${pgPort}/postgres`).stdout.trim()).toBe('slipway'); // trust: no password needed
    spawnSync(path.join(bin, 'psql'), [`postgresql://slipway@127.0.0.1:${pgPort}/postgres`, '-X', '-c', 'CREATE DATABASE slipway', '-c', 'SELECT 1']);
    spawnSync(path.join(bin, 'psql'), [`postgresql://slipway@127.0.0.1:${pgPort}/slipway`, '-X', '-c', "CREATE TABLE kept AS SELECT 'still here' AS v"]);
    mkdirSync(path.join(stateDir, 'redis'), { recursive: true });
    const redisServer = which('redis-server', ['/usr/bin', '/usr/sbin'])!;
    const redisArgs = ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--daemonize', 'yes', '--pidfile', path.join(stateDir, 'redis', 'redis.pid')];
    expect(spawnSync(redisServer, redisArgs).status).toBe(0);
    await new Promise((r) => setTimeout(r, 300));
    expect(redisCli(redisPort)).toBe('PONG');

    // Both answer and are this folder's: converted in place, left running as they were.
    const services = await ensureServices({ log: silent, root, stateDir, env });
    expect(services.started).toEqual([]);
    const pgPassword = readFileSync(path.join(stateDir, 'postgres.password'), 'utf8').trim();
    const redisPassword = readFileSync(path.join(stateDir, 'redis.password'), 'utf8').trim();
    expect(readFileSync(path.join(data, 'pg_hba.conf'), 'utf8')).not.toMatch(/\btrust\b/);
    expect(psql(env.DATABASE_URL).stderr).toMatch(/no password supplied|password authentication failed/);
    const kept = spawnSync(path.join(bin, 'psql'), [env.DATABASE_URL, '-X', '-tA', '-c', 'SELECT v FROM kept'], { encoding: 'utf8', env: { ...process.env, PGPASSWORD: pgPassword } });
    expect(kept.stdout.trim()).toBe('still here');
    expect(redisCli(redisPort)).toContain('NOAUTH');
    expect(redisCli(redisPort, redisPassword)).toBe('PONG');
  }, 60_000);
});
