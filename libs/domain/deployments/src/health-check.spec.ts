import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeDockerEngine } from '@slipway/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { waitHealthy } from './health-check';

let docker: FakeDockerEngine;
let server: Server;
let port: number;
let answers: number[];
let containerId: string;

beforeEach(async () => {
  answers = [];
  server = createServer((req, res) => {
    res.writeHead(answers.shift() ?? 200).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
  docker = new FakeDockerEngine();
  docker.addImage('img');
  await docker.ensureNetwork('n', {});
  containerId = (
    await docker.runContainer({
      name: 'c',
      image: 'img',
      env: {},
      containerPort: 3000,
      labels: {},
      memoryMb: 64,
      cpuMillis: 100,
      network: 'n',
    })
  ).id;
  docker.appendLogs(containerId, ...Array.from({ length: 40 }, (_, i) => `line ${i + 1}`));
});

afterEach(() => new Promise<void>((r) => server.close(() => r())));

const options = (over: Partial<Parameters<typeof waitHealthy>[1]> = {}) => ({
  containerId,
  hostPort: port,
  path: '/healthz',
  timeoutMs: 1_000,
  intervalMs: 20,
  ...over,
});

describe('waitHealthy (real HTTP on 127.0.0.1)', () => {
  it('passes on the first 2xx or 3xx after failures', async () => {
    answers = [503, 500, 302];
    expect(await waitHealthy(docker, options())).toMatchObject({ healthy: true });
    expect(answers).toEqual([]);
  });

  it('fails at the timeout with the last answer and the last 30 log lines', async () => {
    answers = Array(200).fill(500);
    const result = await waitHealthy(docker, options({ timeoutMs: 300 }));
    expect(result).toMatchObject({ healthy: false, reason: expect.stringContaining('last: HTTP 500') });
    expect(result.healthy === false && result.logs).toEqual(Array.from({ length: 30 }, (_, i) => `line ${i + 11}`));
  });

  it('fails early with the exit code when the container exits', async () => {
    docker.exitContainer(containerId, 137);
    const started = Date.now();
    const result = await waitHealthy(docker, options({ timeoutMs: 60_000, hostPort: 0 }));
    expect(result).toMatchObject({ healthy: false, exitCode: 137, reason: expect.stringContaining('exited with code 137') });
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('reports a refused connection until the timeout', async () => {
    await new Promise<void>((r) => server.close(() => r()));
    server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const result = await waitHealthy(docker, options({ timeoutMs: 200, hostPort: port }));
    expect(result).toMatchObject({ healthy: false, reason: expect.stringContaining('ECONNREFUSED') });
  });
});
