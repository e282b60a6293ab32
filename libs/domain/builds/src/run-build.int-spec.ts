import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditModule } from '@slipway/audit';
import { CryptoModule } from '@slipway/crypto';
import { DbModule, PrismaService } from '@slipway/db';
import { CONTAINER_RUNTIME, DockerModule, type ContainerRuntime } from '@slipway/docker';
import { GitModule, GitRepositories, readCommit } from '@slipway/git';
import { SecretsService } from '@slipway/secrets';
import { createDomainTestContext, sampleAppPath, type DomainTestContext } from '@slipway/testing';
import type { TenantScope } from '@slipway/contracts';
import { BuildsModule } from './builds.module';
import { BuildsService } from './builds.service';
import { BuildBusyError, RunBuild } from './run-build';

const exec = promisify(execFile);
const gitEnv = { PATH: process.env.PATH, HOME: tmpdir(), GIT_AUTHOR_NAME: 'Ada', GIT_AUTHOR_EMAIL: 'ada@example.test', GIT_COMMITTER_NAME: 'Ada', GIT_COMMITTER_EMAIL: 'ada@example.test' };

let ctx: DomainTestContext;
let prisma: PrismaService;
let scope: TenantScope;
let n = 0;
const images = new Set<string>();

/** A project whose bare repository holds one commit of `files` (or of a sample app). */
async function projectWithCommit(source: { sample?: string; files?: Record<string, string> }, message = 'first') {
  n += 1;
  const project = await prisma.project.create({ data: { organizationId: scope.organizationId, slug: `app${n}`, hostLabel: `app${n}`, name: `App ${n}` } });
  const env = await prisma.environment.create({
    data: { organizationId: scope.organizationId, projectId: project.id, name: 'production', branch: 'main', memoryMb: 128, cpuMillis: 500, replicas: 1, healthCheckPath: '/healthz' },
  });
  const bare = await ctx.app.get(GitRepositories).create(project.id);
  const work = mkdtempSync(join(tmpdir(), 'slipway-src-'));
  if (source.sample) cpSync(sampleAppPath(source.sample as never), work, { recursive: true });
  for (const [name, content] of Object.entries(source.files ?? {})) writeFileSync(join(work, name), content);
  for (const args of [['init', '-q', '-b', 'main'], ['add', '-A'], ['commit', '-qm', message], ['push', '-q', bare, 'main']]) await exec('git', args, { cwd: work, env: gitEnv });
  const commit = await readCommit(bare, 'main');
  const build = await ctx.app.get(BuildsService).queue(scope, { projectId: project.id, environmentId: env.id, branch: 'main' }, commit);
  return { project, env, commit, build };
}

async function run(buildId: string) {
  const lines: string[] = [];
  const outcome = await ctx.app.get(RunBuild).execute(scope, buildId, { onLine: (_, l) => lines.push(l.line) });
  const row = await prisma.build.findUniqueOrThrow({ where: { id: buildId } });
  if (row.imageId) images.add(row.imageId);
  return { outcome, lines, row };
}

beforeAll(async () => {
  ctx = await createDomainTestContext([DbModule, CryptoModule, AuditModule, GitModule, DockerModule, BuildsModule]);
  prisma = ctx.app.get(PrismaService);
  const org = await prisma.organization.create({ data: { slug: 'builds-it', name: 'Builds IT' } });
  scope = { organizationId: org.id };
}, 120_000);

afterAll(async () => {
  const runtime = ctx?.app.get<ContainerRuntime>(CONTAINER_RUNTIME);
  for (const image of images) await runtime?.removeImage(image).catch(() => undefined);
  await ctx?.close();
});

describe('running a build against the real git and Docker', () => {
  it('builds a Node app without a Dockerfile into an immutable release, and reuses the image for the same commit', async () => {
    const { env, commit, build } = await projectWithCommit({ sample: 'node-http' }, 'add server');
    const first = await run(build.id);
    expect(first.outcome, JSON.stringify(first.outcome)).toMatchObject({ status: 'SUCCEEDED', reusedImage: false });
    expect(first.lines).toEqual(expect.arrayContaining(['-----> Build plan', '       builder  Node.js', '       start    node server.js  (package.json scripts.start)']));
    expect(await prisma.buildLogLine.count({ where: { buildId: build.id } })).toBe(first.lines.length);
    const release = await prisma.release.findUniqueOrThrow({ where: { buildId: build.id } });
    expect(release).toMatchObject({ number: 1, commitSha: commit.sha, message: 'add server', authorName: 'Ada', imageId: first.row.imageId });
    expect(release.runtime).toMatchObject({ port: 3000, healthCheckPath: '/healthz', memoryMb: 128 });
    expect(release.buildPlan).toMatchObject({ rows: expect.arrayContaining([{ label: 'start', value: 'node server.js  (package.json scripts.start)' }]), warnings: [] });

    const again = await ctx.app.get(BuildsService).queue(scope, { projectId: env.projectId, environmentId: env.id, branch: 'main' }, commit);
    const second = await run(again.id);
    expect(second.outcome).toMatchObject({ status: 'SUCCEEDED', reusedImage: true });
    expect(second.row.imageId).toBe(first.row.imageId);
    expect((await prisma.release.findUniqueOrThrow({ where: { buildId: again.id } })).number).toBe(2);
  });

  it('installs real dependencies with the lockfile\'s manager, and a one-line change reuses the installed layer', async () => {
    const { env, build } = await projectWithCommit({ sample: 'express-yarn' });
    const first = await run(build.id);
    expect(first.outcome, first.lines.slice(-20).join('\n')).toMatchObject({ status: 'SUCCEEDED' });
    expect(first.lines).toEqual(expect.arrayContaining(['       node     20 (engines.node "20.x")', '       install  yarn install --frozen-lockfile  (yarn.lock)']));

    // The same app with server.js changed: the install step comes from the engine's cache.
    const bare = ctx.app.get(GitRepositories).pathOf(env.projectId);
    const work = mkdtempSync(join(tmpdir(), 'slipway-src-'));
    await exec('git', ['clone', '-q', bare, work], { env: gitEnv });
    writeFileSync(join(work, 'server.js'), `${readFileSync(join(work, 'server.js'), 'utf8')}\n// a one-line change\n`);
    for (const args of [['commit', '-qam', 'one line'], ['push', '-q', 'origin', 'main']]) await exec('git', args, { cwd: work, env: gitEnv });
    const again = await ctx.app.get(BuildsService).queue(scope, { projectId: env.projectId, environmentId: env.id, branch: 'main' }, await readCommit(bare, 'main'));
    const second = await run(again.id);
    expect(second.outcome).toMatchObject({ status: 'SUCCEEDED', reusedImage: false });
    const install = second.lines.findIndex((l) => l.includes('RUN yarn install --frozen-lockfile'));
    expect(second.lines[install + 1]).toBe(' ---> Using cache');
  }, 180_000);

  it('builds a static site, freezing its gateway routing into the release', async () => {
    const gateway = 'gateway:\n  models:\n    chat:\n      routes: [{ provider: mock, model: mock-smart }]\n  budgets:\n    - { scope: project, period: day, limitUsd: 5 }\n';
    const { build } = await projectWithCommit({ sample: 'static-site', files: { 'slipway.yaml': gateway } });
    const { outcome } = await run(build.id);
    expect(outcome, JSON.stringify(outcome)).toMatchObject({ status: 'SUCCEEDED' });
    const release = await prisma.release.findUniqueOrThrow({ where: { buildId: build.id } });
    expect(release.slipwayConfig).toEqual({
      gateway: { models: { chat: { routes: [{ provider: 'mock', model: 'mock-smart' }] } }, budgets: [{ scope: 'project', period: 'day', limitUsd: 5, action: 'block' }] },
    });
  });

  it("fails a Dockerfile error with docker's error line", async () => {
    const { build } = await projectWithCommit({ files: { Dockerfile: 'FROM slipway/node:24\nRUN echo compiling && exit 3\n' } });
    const { outcome, row } = await run(build.id);
    expect(outcome.status).toBe('FAILED');
    expect(row.failureReason).toMatch(/exit 3|non-zero code: 3/);
  });

  it('fails when nothing can be detected, saying how to fix it', async () => {
    const { build } = await projectWithCommit({ files: { 'notes.txt': 'hello' } });
    const { outcome } = await run(build.id);
    expect(outcome).toMatchObject({ status: 'FAILED', reason: expect.stringMatching(/Dockerfile/) });
  });

  it('fails an invalid slipway.yaml naming the line', async () => {
    const { build } = await projectWithCommit({ sample: 'static-site', files: { 'slipway.yaml': 'run:\n  port: 99999\n' } });
    const { outcome } = await run(build.id);
    expect(outcome).toMatchObject({ status: 'FAILED', reason: expect.stringMatching(/line 2/) });
  });

  it('fails an invalid gateway section naming its line', async () => {
    const yaml = 'gateway:\n  models:\n    chat:\n      routes:\n        - { provider: mock, model: mock-smart }\n      fallbackOn: [sometimes]\n';
    const { build } = await projectWithCommit({ sample: 'static-site', files: { 'slipway.yaml': yaml } });
    const { outcome } = await run(build.id);
    expect(outcome).toMatchObject({ status: 'FAILED', reason: expect.stringContaining('slipway.yaml line 6: gateway.models.chat.fallbackOn.0: Use one of:') });
  });

  it('runs one build at a time per project: a second one waits while the first runs', async () => {
    const { env, commit, build } = await projectWithCommit({ sample: 'static-site' });
    const second = await ctx.app.get(BuildsService).queue(scope, { projectId: env.projectId, environmentId: env.id, branch: 'other' }, commit);
    await prisma.build.update({ where: { id: build.id }, data: { status: 'RUNNING', startedAt: new Date() } });
    await expect(ctx.app.get(RunBuild).execute(scope, second.id)).rejects.toBeInstanceOf(BuildBusyError);
    expect((await prisma.build.findUniqueOrThrow({ where: { id: second.id } })).status).toBe('QUEUED');
    await prisma.build.update({ where: { id: build.id }, data: { status: 'FAILED', finishedAt: new Date() } });
    expect((await run(second.id)).outcome.status).toBe('SUCCEEDED');
  });

  it('redacts known secret values from the build log', async () => {
    const secret = 'sk-build-secret-4242';
    const { env, build } = await projectWithCommit({ files: { Dockerfile: `FROM slipway/node:24\nRUN echo token=${secret}\n` } });
    await ctx.app.get(SecretsService).set(scope, { userId: 'u', email: 'u@example.test' }, env.id, 'API_TOKEN', { value: secret, secret: true });
    const { outcome, lines } = await run(build.id);
    expect(outcome.status).toBe('SUCCEEDED');
    const stored = await prisma.buildLogLine.findMany({ where: { buildId: build.id } });
    expect(lines.join('\n')).not.toContain(secret);
    expect(stored.map((l) => l.line).join('\n')).not.toContain(secret);
    expect(stored.map((l) => l.line).join('\n')).toContain('[redacted]');
  });

  it('two copies of one build (its job started again while it ran): the newer attempt owns it; the first stops and adds nothing to its log or its release', async () => {
    // A step that prints for a few seconds, unique to this run so no layer comes from the cache.
    const step = `echo "steps of ${randomBytes(4).toString('hex')}" && for i in 1 2 3 4; do echo "tick $i"; sleep 1; done`;
    const { build } = await projectWithCommit({ files: { Dockerfile: `FROM slipway/node:24\nRUN ${step}\nCMD ["node", "-e", "1"]\n` } });
    const runBuild = ctx.app.get(RunBuild);
    const firstLines: string[] = [];
    const first = runBuild.execute(scope, build.id, { onLine: (_, l) => firstLines.push(l.line) });
    // The first copy is building (its step prints) when its queue lock lapses and the job runs again.
    for (let i = 0; i < 600 && !(await prisma.buildLogLine.count({ where: { buildId: build.id, line: 'tick 1' } })); i++) await new Promise((r) => setTimeout(r, 50));
    const secondLines: string[] = [];
    const second = await runBuild.execute(scope, build.id, { onLine: (_, l) => secondLines.push(l.line) });

    expect(second, JSON.stringify(second)).toMatchObject({ status: 'SUCCEEDED' });
    expect(await first).toEqual({ status: 'SKIPPED' });
    expect(firstLines).toContain('tick 1');
    // The log is the second attempt's, whole and in order; nothing of the first is left in it.
    const stored = await prisma.buildLogLine.findMany({ where: { buildId: build.id }, orderBy: { seq: 'asc' } });
    expect(stored.map((l) => l.line)).toEqual(secondLines);
    expect(stored.map((l) => l.seq)).toEqual(stored.map((_, i) => i));
    expect(secondLines[0]).toBe('-----> The previous attempt stopped with its worker; building again');
    const row = await prisma.build.findUniqueOrThrow({ where: { id: build.id } });
    expect(row).toMatchObject({ status: 'SUCCEEDED', attempt: 2 });
    images.add(row.imageId!);
    expect(await prisma.release.findMany({ where: { buildId: build.id }, select: { imageId: true } })).toEqual([{ imageId: row.imageId }]);
    expect(await ctx.app.get<ContainerRuntime>(CONTAINER_RUNTIME).findImage(row.imageId!)).toBeTruthy();
  }, 120_000);
});
