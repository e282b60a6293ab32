import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

// docker-compose.yml cannot be run on machines without a registry, so its shape is checked
// here; `docker compose config -q` also runs wherever the compose plugin is installed.
const root = path.resolve(__dirname, '..');
const file = path.join(root, 'docker-compose.yml');
type Service = {
  image?: string;
  build?: { target?: string; dockerfile?: string };
  healthcheck?: { test: string[] };
  volumes?: string[];
  network_mode?: string;
  environment?: Record<string, string>;
};
const text = readFileSync(file, 'utf8');
const compose = parse(text, { merge: true }) as { services: Record<string, Service & { command?: string[] }>; volumes: Record<string, { name?: string } | null> };
const { services } = compose;
const APPS = ['api', 'worker', 'edge', 'console'];

describe('docker-compose.yml', () => {
  it('runs postgres 16, redis 7 and the four apps', () => {
    expect(services.postgres?.image).toBe('postgres:16');
    expect(services.redis?.image).toBe('redis:7');
    for (const app of APPS) {
      expect(services[app]?.image, app).toMatch(new RegExp(`^\\$\\{SLIPWAY_IMAGE_PREFIX:-ghcr\\.io/slipway-dev\\}/${app}:`));
      expect(services[app]?.build, app).toMatchObject({ dockerfile: 'infra/Dockerfile', target: app });
    }
  });

  it('runs the mock model provider and points the api gateway at it', () => {
    expect(services['mock-llm']?.image).toBe(services.api?.image);
    expect(services.api?.environment?.GATEWAY_MOCK_URL).toBe('http://mock-llm:4900');
  });

  it('health-checks every long-running service that serves a port', () => {
    for (const name of ['postgres', 'redis', 'mock-llm', 'api', 'edge', 'console']) expect(services[name]?.healthcheck?.test, name).toBeDefined();
  });

  it('mounts the Docker socket into the worker only', () => {
    const withSocket = Object.entries(services)
      .filter(([, s]) => (s.volumes ?? []).some((v) => v.includes('docker.sock')))
      .map(([name]) => name);
    expect(withSocket).toEqual(['worker']);
  });

  it('gives each app the database, redis and master key', () => {
    for (const app of APPS) {
      expect(Object.keys(services[app]?.environment ?? {}), app).toEqual(
        expect.arrayContaining(['DATABASE_URL', 'REDIS_URL', 'SLIPWAY_MASTER_KEY', 'DATA_DIR']),
      );
    }
  });

  it('gives PostgreSQL and Redis passwords the operator must set, and puts them in every app URL', () => {
    const required = (name: string) => new RegExp(`^\\$\\{${name}:\\?[^}]+\\}$`);
    expect(services.postgres?.environment?.POSTGRES_PASSWORD).toMatch(required('POSTGRES_PASSWORD'));
    const command = services.redis?.command ?? [];
    expect(command[command.indexOf('--requirepass') + 1]).toMatch(required('REDIS_PASSWORD'));
    for (const app of [...APPS, 'migrate']) {
      const env = services[app]?.environment ?? {};
      expect(env.REDIS_URL, app).toMatch(/^redis:\/\/:\$\{REDIS_PASSWORD:\?[^}]+\}@/);
      expect(env.DATABASE_URL, app).toMatch(/^postgresql:\/\/slipway:\$\{POSTGRES_PASSWORD:\?[^}]+\}@/);
    }
    // No service falls back to an empty or default password.
    expect(text).not.toMatch(/\$\{(POSTGRES|REDIS)_PASSWORD:-/);
  });

  it("puts the api's gateway socket on a volume of its own, with the fixed name the worker's relays mount", () => {
    const socketPath = services.api?.environment?.GATEWAY_SOCKET_PATH;
    expect(socketPath).toBe('/run/slipway/gateway.sock');
    const mount = (services.api?.volumes ?? []).find((v) => v.endsWith(':/run/slipway'));
    expect(mount).toBeDefined();
    const volume = compose.volumes[mount!.split(':')[0]!];
    expect(volume?.name).toBe('slipway-gateway-socket');
    expect(services.worker?.environment?.GATEWAY_SOCKET_MOUNT).toBe(volume?.name);
    // The worker resolves the same socket name; only the api mounts the volume (relays get it read-only).
    expect(services.worker?.environment?.GATEWAY_SOCKET_PATH).toBe(socketPath);
    const withSocketVolume = Object.entries(services).filter(([, s]) => (s.volumes ?? []).some((v) => v.startsWith(`${mount!.split(':')[0]}:`)));
    expect(withSocketVolume.map(([name]) => name)).toEqual(['api']);
    // Relays mount that whole volume: it must never be the data volume (master key, repositories).
    expect(mount!.split(':')[0]).not.toBe((services.api?.volumes ?? []).find((v) => v.endsWith(':/data'))?.split(':')[0]);
  });

  it('lets apps reach the gateway through the relays, not a host port', () => {
    for (const app of APPS) expect(services[app]?.environment?.GATEWAY_URL_FOR_APPS, app).toBeUndefined();
    expect(services.worker?.environment?.SLIPWAY_RELAY_IMAGE).toBeDefined();
  });

  // The compose plugin (v2), else the standalone docker-compose (v1, Debian's package).
  const cli = [['docker', 'compose'], ['docker-compose']].find(([cmd, ...sub]) => spawnSync(cmd!, [...sub, 'version']).status === 0);
  it.skipIf(!cli)('passes `docker compose config -q`', () => {
    const env = { ...process.env, POSTGRES_PASSWORD: 'x', REDIS_PASSWORD: 'x', SLIPWAY_MASTER_KEY: 'x' };
    const [cmd, ...sub] = cli!;
    const r = spawnSync(cmd!, [...sub, '-f', file, 'config', '-q'], { env, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});
