import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditModule } from '@slipway/audit';
import { CryptoModule } from '@slipway/crypto';
import { DbModule, PrismaService } from '@slipway/db';
import { DockerModule } from '@slipway/docker';
import { GitModule, GitRepositories, readCommit } from '@slipway/git';
import { createDomainTestContext, type DomainTestContext } from '@slipway/testing';
import type { TenantScope } from '@slipway/contracts';
import { BuildsModule } from './builds.module';
import { BuildsService } from './builds.service';
import { RunBuild } from './run-build';

// A commit stored before push-time checks existed (here: pushed straight into the bare
// repository, as no hook runs for a local push) is refused by the build with the same message.
const exec = promisify(execFile);
const gitEnv = { PATH: process.env.PATH, HOME: tmpdir(), GIT_AUTHOR_NAME: 'Ada', GIT_AUTHOR_EMAIL: 'ada@example.test', GIT_COMMITTER_NAME: 'Ada', GIT_COMMITTER_EMAIL: 'ada@example.test' };

let ctx: DomainTestContext;
let prisma: PrismaService;
let scope: TenantScope;
const dirs: string[] = [];

beforeAll(async () => {
  ctx = await createDomainTestContext([DbModule, CryptoModule, AuditModule, GitModule, DockerModule, BuildsModule]);
  prisma = ctx.app.get(PrismaService);
  const org = await prisma.organization.create({ data: { slug: 'unsafe-source', name: 'Unsafe source' } });
  scope = { organizationId: org.id };
}, 120_000);

afterAll(async () => {
  await ctx?.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('a build of a commit with a link out of the repository', () => {
  it('fails before anything is checked out, with the push-time message in its log, and reads nothing of the host', async () => {
    const secret = join(mkdtempSync(join(tmpdir(), 'slipway-host-')), 'master.key');
    dirs.push(join(secret, '..'));
    writeFileSync(secret, 'MASTER-KEY-BYTES');
    const project = await prisma.project.create({ data: { organizationId: scope.organizationId, slug: 'site', hostLabel: 'site-unsafe', name: 'Site' } });
    const env = await prisma.environment.create({
      data: { organizationId: scope.organizationId, projectId: project.id, name: 'production', branch: 'main', memoryMb: 128, cpuMillis: 500, replicas: 1, healthCheckPath: '/' },
    });
    const bare = await ctx.app.get(GitRepositories).create(project.id);
    const work = mkdtempSync(join(tmpdir(), 'slipway-src-'));
    dirs.push(work);
    symlinkSync(secret, join(work, 'index.html'));
    for (const args of [['init', '-q', '-b', 'main'], ['add', '-A'], ['commit', '-qm', 'site'], ['push', '-q', bare, 'main']]) await exec('git', args, { cwd: work, env: gitEnv });
    const build = await ctx.app.get(BuildsService).queue(scope, { projectId: project.id, environmentId: env.id, branch: 'main' }, await readCommit(bare, 'main'));

    const lines: string[] = [];
    const outcome = await ctx.app.get(RunBuild).execute(scope, build.id, { onLine: (_, l) => lines.push(l.line) });

    const reason = `index.html is a symbolic link to ${secret}, an absolute path outside the repository. Links must point inside the repository: commit the file itself, or a relative link to a file of the repository.`;
    expect(outcome).toEqual({ status: 'FAILED', reason });
    expect(lines.at(-1)).toBe(`-----> Build failed: ${reason}`);
    expect(await prisma.release.count({ where: { projectId: project.id } })).toBe(0);
    expect(lines.join('\n')).not.toContain('MASTER-KEY-BYTES');
    expect(readFileSync(secret, 'utf8')).toBe('MASTER-KEY-BYTES');
  });
});
