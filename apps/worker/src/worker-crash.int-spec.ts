import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditModule } from '@slipway/audit';
import { BuildsModule, BuildsService } from '@slipway/builds';
import { loadConfig } from '@slipway/config';
import { isFinalStatus } from '@slipway/contracts';
import { CryptoModule } from '@slipway/crypto';
import { DbModule, PrismaService } from '@slipway/db';
import { CONTAINER_RUNTIME, DockerModule, LABELS, type ContainerRuntime } from '@slipway/docker';
import { GitModule, GitRepositories, readCommit } from '@slipway/git';
import { JobQueue, QueueModule } from '@slipway/queue';
import { RedisModule, RedisService, RouteTableStore } from '@slipway/redis';
import { createDomainTestContext, sampleAppPath, type DomainTestContext } from '@slipway/testing';

/**
 * A worker killed with SIGKILL mid-build and mid-deploy: after a new worker starts, every
 * build and deployment reaches a final state, no container is orphaned, and the live app
 * keeps answering throughout. A worker whose database goes away mid-build keeps running, and
 * a release built just before its worker died is deployed by the next one. Runs the real
 * built worker as a child process.
 */
const ROOT = resolve(__dirname, '../../..');
const exec = promisify(execFile);
const gitEnv = { PATH: process.env.PATH, HOME: tmpdir(), GIT_AUTHOR_NAME: 'K', GIT_AUTHOR_EMAIL: 'k@example.test', GIT_COMMITTER_NAME: 'K', GIT_COMMITTER_EMAIL: 'k@example.test' };

let ctx: DomainTestContext;
let prisma: PrismaService;
let runtime: ContainerRuntime;
let routes: RouteTableStore;
let worker: ChildProcess | null = null;
let redisUrl: string;
const scope = { organizationId: '' };
let projectId = '';
let environmentId = '';
let bare = '';
let work = '';

/** The worker's connections name themselves, so an outage can cut exactly those. */
const WORKER_APPLICATION = 'slipway-crash-test-worker';

function startWorker(): Promise<ChildProcess> {
  const databaseUrl = new URL(ctx.config.DATABASE_URL);
  databaseUrl.searchParams.set('application_name', WORKER_APPLICATION);
  const child = spawn(process.execPath, ['apps/worker/dist/main.js'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_URL: databaseUrl.toString(), REDIS_URL: redisUrl, DATA_DIR: ctx.config.DATA_DIR, SLIPWAY_MASTER_KEY: ctx.config.SLIPWAY_MASTER_KEY, DEPLOY_DRAIN_SECONDS: '1', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolveReady, reject) => {
    const timer = setTimeout(() => reject(new Error('worker not ready in 30 s')), 30_000);
    child.stdout!.on('data', (c: Buffer) => c.toString().includes('worker ready') && (clearTimeout(timer), resolveReady(child)));
    child.on('exit', (code) => reject(new Error(`worker exited early (${code})`)));
  });
}

async function killWorker(): Promise<void> {
  const w = worker!;
  worker = null;
  await new Promise<void>((r) => {
    w.once('exit', () => r());
    w.kill('SIGKILL');
  });
}

const until = async <T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs = 90_000): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

/**
 * PostgreSQL goes away for the worker, as in a restart: the database takes no new connection
 * and the worker's open ones are cut, until `end()`.
 */
async function databaseOutage(): Promise<{ end(): Promise<void> }> {
  const database = new URL(ctx.config.DATABASE_URL).pathname.slice(1);
  const maintenance = new URL(ctx.config.DATABASE_URL);
  maintenance.pathname = '/postgres';
  const admin = new Client({ connectionString: maintenance.toString() });
  await admin.connect();
  await admin.query(`ALTER DATABASE "${database}" WITH ALLOW_CONNECTIONS false`);
  await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND application_name = $2', [database, WORKER_APPLICATION]);
  return {
    async end() {
      await admin.query(`ALTER DATABASE "${database}" WITH ALLOW_CONNECTIONS true`);
      await admin.end();
    },
  };
}

/** Commits the work tree, pushes it to the bare repository and queues its build through the real queue. */
async function pushAndQueue(message: string): Promise<string> {
  for (const args of [['add', '-A'], ['commit', '-qm', message], ['push', '-q', bare, 'main']]) await exec('git', args, { cwd: work, env: gitEnv });
  const build = await ctx.app.get(BuildsService).queue(scope, { projectId, environmentId, branch: 'main' }, await readCommit(bare, 'main'));
  await ctx.app.get(JobQueue).enqueue('build', build.id, { organizationId: scope.organizationId, buildId: build.id, objects: {} });
  return build.id;
}

/** GET through whatever the published route table says is live, as the edge would. */
async function probeLive(): Promise<string> {
  const route = (await routes.load())?.routes.find((r) => r.environmentId === environmentId);
  const port = route?.upstreams[0]?.port;
  if (!port) return 'no route';
  return new Promise((r) => {
    const req = request({ host: '127.0.0.1', port, path: '/', timeout: 2000, agent: false }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString())).on('end', () => r(res.statusCode === 200 ? body.trim() : `HTTP ${res.statusCode}`));
    });
    req.on('error', (e) => r(`error ${e.message}`)).end();
  });
}

beforeAll(async () => {
  const redis = new URL(loadConfig().REDIS_URL);
  redis.pathname = '/9';
  redisUrl = redis.toString();
  ctx = await createDomainTestContext([DbModule, CryptoModule, AuditModule, GitModule, DockerModule, RedisModule, QueueModule, BuildsModule], { REDIS_URL: redisUrl });
  await ctx.app.get(RedisService).client.flushdb();
  prisma = ctx.app.get(PrismaService);
  runtime = ctx.app.get<ContainerRuntime>(CONTAINER_RUNTIME);
  routes = new RouteTableStore(ctx.app.get(RedisService).client);
  const org = await prisma.organization.create({ data: { slug: 'crash', name: 'Crash' } });
  scope.organizationId = org.id;
  const project = await prisma.project.create({ data: { organizationId: org.id, slug: 'app', hostLabel: `app-${org.id.slice(-6)}`, name: 'App' } });
  projectId = project.id;
  environmentId = (await prisma.environment.create({ data: { organizationId: org.id, projectId, name: 'production', branch: 'main', memoryMb: 128, cpuMillis: 500, replicas: 1, healthCheckPath: '/healthz' } })).id;
  await prisma.hostReservation.create({ data: { host: project.hostLabel, kind: 'APP', organizationId: org.id, environmentId } }); // the route table is built from reservations
  bare = await ctx.app.get(GitRepositories).create(projectId);
  work = mkdtempSync(join(tmpdir(), 'slipway-crash-'));
  cpSync(sampleAppPath('node-http'), work, { recursive: true });
  await exec('git', ['init', '-q', '-b', 'main'], { cwd: work, env: gitEnv });
  worker = await startWorker();
}, 120_000);

afterAll(async () => {
  worker?.kill('SIGKILL');
  if (runtime) {
    for (const c of await runtime.listContainers({ [LABELS.project]: projectId }, { all: true })) await runtime.removeContainer(c.id, { force: true });
    const releases = prisma ? await prisma.release.findMany({ where: { projectId }, select: { imageId: true } }) : [];
    for (const r of releases) await runtime.removeImage(r.imageId).catch(() => undefined);
    await runtime.removeNetwork(`slipway-${projectId}`).catch(() => undefined);
  }
  await ctx?.close();
}, 60_000);

describe('a worker killed with SIGKILL', () => {
  it('restarts a build it was running, then deploys it', async () => {
    writeFileSync(join(work, 'VERSION'), 'v1\n');
    // slipway.yaml's run.command rides along, so the release carries a config of its own.
    writeFileSync(join(work, 'slipway.yaml'), 'run:\n  command: node server.js\n');
    const buildId = await pushAndQueue('v1');
    await until('the build to run', async () => (await prisma.build.findUnique({ where: { id: buildId } }))?.status === 'RUNNING');
    await killWorker();
    worker = await startWorker();
    const build = await until('the build to finish', async () => {
      const b = await prisma.build.findUnique({ where: { id: buildId } });
      return b && isFinalStatus(b.status) ? b : null;
    });
    expect(build.status, build.failureReason ?? '').toBe('SUCCEEDED');
    await until('v1 to be live', async () => (await probeLive()) === 'node-http v1');
  });

  it('finishes a deployment it was running while the live app keeps answering, and leaves no orphan', async () => {
    const seen: string[] = [];
    let probing = true;
    const prober = (async () => {
      while (probing) {
        seen.push(await probeLive());
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    writeFileSync(join(work, 'VERSION'), 'v2\n');
    const buildId = await pushAndQueue('v2');
    const deployment = await until('the v2 deployment to run', async () => {
      const release = await prisma.release.findUnique({ where: { buildId } });
      return release ? prisma.deployment.findFirst({ where: { releaseId: release.id, status: 'RUNNING' } }) : null;
    });
    await killWorker();
    worker = await startWorker();
    const done = await until('the deployment to finish', async () => {
      const d = await prisma.deployment.findUnique({ where: { id: deployment.id } });
      return d && isFinalStatus(d.status) ? d : null;
    });
    await until('v2 to be live', async () => (await probeLive()) === 'node-http v2');
    probing = false;
    await prober;
    expect(done.status, done.failureReason ?? '').toBe('SUCCEEDED');
    expect(seen.filter((s) => !s.startsWith('node-http'))).toEqual([]);

    // Every running container of the environment is a replica Postgres wants.
    await until('old replicas to be gone', async () => (await runtime.listContainers({ [LABELS.environment]: environmentId }, { all: false })).length === 1);
    const running = await runtime.listContainers({ [LABELS.environment]: environmentId }, { all: true });
    const wanted = await prisma.replica.findMany({ where: { environmentId, state: 'HEALTHY' }, select: { containerId: true } });
    expect(running.map((c) => c.id).sort()).toEqual(wanted.map((r) => r.containerId).sort());
  });

  it('keeps running through a PostgreSQL outage mid-build: the build still ends, with every line of its log, and deploys', async () => {
    writeFileSync(join(work, 'VERSION'), 'v3\n');
    // A build step that prints for 8 s; the database is away for 3 of them.
    writeFileSync(join(work, 'slipway.yaml'), 'run:\n  command: node server.js\nbuild:\n  command: \'for i in 1 2 3 4 5 6 7 8; do echo "tick $i"; sleep 1; done\'\n');
    const buildId = await pushAndQueue('v3');
    await until('the build step to print', async () => (await prisma.buildLogLine.count({ where: { buildId, line: 'tick 1' } })) > 0).catch(async (e) => {
      console.log((await prisma.buildLogLine.findMany({ where: { buildId }, orderBy: { seq: 'asc' } })).map((l) => l.line).join('\n'), await prisma.build.findUnique({ where: { id: buildId } }));
      throw e;
    });
    const outage = await databaseOutage();
    try {
      await sleep(3_000);
    } finally {
      await outage.end();
    }
    const build = await until('the build to finish', async () => {
      const b = await prisma.build.findUnique({ where: { id: buildId } });
      return b && isFinalStatus(b.status) ? b : null;
    });
    expect(worker?.exitCode, 'the worker exited').toBeNull();
    expect(build.status, build.failureReason ?? '').toBe('SUCCEEDED');
    // Lines written while the database was away were kept and stored once it was back.
    const lines = await prisma.buildLogLine.findMany({ where: { buildId }, orderBy: { seq: 'asc' } });
    expect(lines.map((l) => l.line).filter((l) => /^tick \d$/.test(l))).toEqual(['tick 1', 'tick 2', 'tick 3', 'tick 4', 'tick 5', 'tick 6', 'tick 7', 'tick 8']);
    expect(lines.map((l) => l.seq)).toEqual(lines.map((_, i) => i));
    await until('v3 to be live', async () => (await probeLive()) === 'node-http v3');
  }, 120_000);

  it('deploys a release whose build finished just before its worker died (no deployment was queued for it)', async () => {
    await killWorker();
    // What the dead worker left: v4 built (the v2 image again) and no deployment of it.
    const v2 = await prisma.release.findFirstOrThrow({ where: { environmentId, message: 'v2' } });
    const build = await prisma.build.create({
      data: { organizationId: scope.organizationId, projectId, environmentId, commitSha: v2.commitSha, branch: 'main', authorName: 'K', authorEmail: 'k@example.test', message: 'v4', status: 'SUCCEEDED', startedAt: new Date(Date.now() - 90_000), finishedAt: new Date(Date.now() - 60_000), imageId: v2.imageId },
    });
    const v4 = await prisma.release.create({
      data: { organizationId: scope.organizationId, projectId, environmentId, buildId: build.id, number: 4, imageId: v2.imageId, commitSha: v2.commitSha, authorName: 'K', message: 'v4', envVarVersions: {}, slipwayConfig: v2.slipwayConfig ?? {}, runtime: v2.runtime ?? {} },
    });
    worker = await startWorker();
    const deployment = await until('v4 to be deployed', async () => {
      const d = await prisma.deployment.findFirst({ where: { releaseId: v4.id } });
      return d && isFinalStatus(d.status) ? d : null;
    });
    expect(deployment).toMatchObject({ kind: 'DEPLOY', status: 'SUCCEEDED' });
    expect((await prisma.environment.findUniqueOrThrow({ where: { id: environmentId } })).liveReleaseId).toBe(v4.id);
    await until('v4 (the v2 image) to answer', async () => (await probeLive()) === 'node-http v2');
  });
});
