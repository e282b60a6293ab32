import { randomBytes } from 'node:crypto';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditModule } from '@slipway/audit';
import type { Actor, LogsPageDto } from '@slipway/contracts';
import { CryptoModule } from '@slipway/crypto';
import { DbModule, PrismaService } from '@slipway/db';
import { CONTAINER_RUNTIME, DockerModule, LABELS } from '@slipway/docker';
import { RedisModule, RedisService } from '@slipway/redis';
import { SecretsModule, SecretsService } from '@slipway/secrets';
import { createDomainTestContext, type DomainTestContext } from '@slipway/testing';
import { LogsCollector } from './logs-collector';
import { LogsService } from './logs.service';
import { LogsCollectorModule, ObservabilityModule } from './observability.module';
import { logPartitionName, LogsStorageRepository } from './logs-storage.repository';
import { seedTrafficTenant, type TrafficTenant } from './testing/traffic-fixture.int-support';

// Against the real dockerd and PostgreSQL: small containers from the local base image, labelled
// as replicas of this file's releases (and slipway.test=1), removed in afterAll.
const BASE_IMAGE = (process.env.SLIPWAY_BASE_IMAGE_NODE || 'slipway/node:{major}').replace('{major}', '24');
const run = randomBytes(4).toString('hex');
const docker = new Docker({ socketPath: (process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock').replace(/^unix:\/\//, '') });
const SECRET = `sk-live-${randomBytes(12).toString('hex')}`;

let ctx: DomainTestContext;
let prisma: PrismaService;
let collector: LogsCollector;
let logs: LogsService;
let tenant: TrafficTenant;
const created: string[] = [];

/** A container labelled as replica `index` of `releaseId`, running `script` with node. */
async function replica(releaseId: string, name: string, script: string, of: TrafficTenant = tenant): Promise<Docker.Container> {
  const container = await docker.createContainer({
    name: `slipway-test-${run}-${name}`,
    Image: BASE_IMAGE,
    Cmd: ['node', '-e', script],
    Labels: {
      [LABELS.managed]: '1',
      [LABELS.test]: '1',
      [LABELS.project]: of.projectId,
      [LABELS.environment]: of.environmentId,
      [LABELS.release]: releaseId,
      [LABELS.deployment]: 'd-' + run,
      [LABELS.replica]: '0',
    },
    HostConfig: { Memory: 128 * 1024 * 1024, NetworkMode: 'none' },
  });
  created.push(container.id);
  await container.start();
  return container;
}

async function waitExited(container: Docker.Container, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while ((await container.inspect()).State.Running) {
    if (Date.now() > until) throw new Error('the container did not exit in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

const scope = () => ({ organizationId: tenant.organizationId });
const since = () => new Date(Date.now() - 3_600_000).toISOString();
const search = (query: Partial<Parameters<LogsService['environmentLogs']>[2]> = {}) =>
  logs.environmentLogs(scope(), tenant.environmentId, { from: since(), limit: 1000, ...query });

beforeAll(async () => {
  ctx = await createDomainTestContext(
    [DbModule, RedisModule, DockerModule, CryptoModule, AuditModule, SecretsModule, LogsCollectorModule, ObservabilityModule],
    {
      LOGS_MAX_BYTES_PER_MINUTE: 4 * 1024 * 1024,
    },
  );
  prisma = ctx.app.get(PrismaService);
  collector = ctx.app.get(LogsCollector);
  logs = ctx.app.get(LogsService);
  tenant = await seedTrafficTenant(prisma, 2);
  const user = await prisma.user.create({ data: { email: `dev-${run}@example.test`, name: 'Dev', passwordHash: 'x' } });
  const actor: Actor = { userId: user.id, email: user.email, ip: '127.0.0.1' };
  await ctx.app.get(SecretsService).set(scope(), actor, tenant.environmentId, 'API_KEY', { value: SECRET, secret: true });
}, 60_000);

afterAll(async () => {
  await Promise.all(
    created.map((id) =>
      docker
        .getContainer(id)
        .remove({ force: true })
        .catch(() => undefined),
    ),
  );
  await ctx?.close();
});

describe('logs collector', () => {
  it('stores each line of a running container once, in order, stdout and stderr apart, across passes', async () => {
    const container = await replica(
      tenant.releaseIds[0]!,
      'steady',
      `let i = 0; const t = setInterval(() => { console.log('out ' + i); console.error('err ' + i); if (++i === 150) { clearInterval(t); setTimeout(() => {}, 60000); } }, 10);`,
    );
    // Passes while the container writes: each reads from its cursor.
    for (let pass = 0; pass < 6; pass++) {
      await collector.collect();
      await new Promise((r) => setTimeout(r, 300));
    }
    await waitForLines(container.id, 300);
    await collector.collect();
    await collector.collect();
    const rows = await prisma.appLogLine.findMany({
      where: { environmentId: tenant.environmentId, replica: `slipway-test-${run}-steady` },
      orderBy: { seq: 'asc' },
    });
    const out = rows.filter((r) => r.stream === 'stdout').map((r) => r.message);
    const err = rows.filter((r) => r.stream === 'stderr').map((r) => r.message);
    expect(out).toEqual(Array.from({ length: 150 }, (_, i) => `out ${i}`));
    expect(err).toEqual(Array.from({ length: 150 }, (_, i) => `err ${i}`));
    expect(new Set(rows.filter((r) => r.stream === 'stdout').map((r) => r.level))).toEqual(new Set(['info']));
    expect(new Set(rows.filter((r) => r.stream === 'stderr').map((r) => r.level))).toEqual(new Set(['warn']));
    expect(rows.every((r) => r.releaseId === tenant.releaseIds[0] && r.organizationId === tenant.organizationId)).toBe(true);
  }, 60_000);

  it('reads a container that wrote more than a pass takes over several passes, also long after it exited', async () => {
    const container = await replica(tenant.releaseIds[0]!, 'burst', `for (let i = 0; i < 12000; i++) console.log('burst ' + i);`);
    await waitExited(container);
    await new Promise((r) => setTimeout(r, 6_000)); // past the moment an exited container counts as read
    for (let pass = 0; pass < 4; pass++) await collector.collect();
    const rows = await prisma.appLogLine.findMany({
      where: { replica: `slipway-test-${run}-burst` },
      orderBy: { seq: 'asc' },
      select: { message: true },
    });
    expect(rows.length).toBe(12_000);
    expect(rows.map((r) => r.message)).toEqual(Array.from({ length: 12_000 }, (_, i) => `burst ${i}`));
  }, 60_000);

  it('keeps the last lines of a container that crashed at start, searchable after it is removed', async () => {
    const container = await replica(
      tenant.releaseIds[1]!,
      'crash',
      `console.log('booting v2'); console.error('Error: connect ECONNREFUSED 10.0.0.1:5432 (crash-${run})'); process.exit(1);`,
    );
    await waitExited(container);
    // What deployments and the reconciler do before removing a replica.
    await collector.flushContainer(container.id);
    await container.remove({ force: true });
    const page = await search({ q: `ecONNrefused 10.0.0.1:5432 (CRASH-${run}` });
    expect(page.lines).toHaveLength(1);
    expect(page.lines[0]).toMatchObject({
      stream: 'stderr',
      level: 'error',
      releaseId: tenant.releaseIds[1],
      releaseNumber: 2,
      replica: `slipway-test-${run}-crash`,
    });
    const all = await search({ release: tenant.releaseIds[1] });
    // Docker copies stdout and stderr separately: their relative order is not kept, only each stream's.
    expect(all.lines.map((l) => l.message).sort()).toEqual([`Error: connect ECONNREFUSED 10.0.0.1:5432 (crash-${run})`, 'booting v2']);
  }, 60_000);

  it('redacts the environment’s secret values before storing a line', async () => {
    const container = await replica(
      tenant.releaseIds[1]!,
      'leak',
      `console.log('calling with key ${SECRET} now'); console.log(JSON.stringify({ level: 'error', msg: 'bad key', key: '${SECRET}' }));`,
    );
    await waitExited(container);
    await collector.collect();
    const stored = await prisma.appLogLine.findMany({ where: { replica: `slipway-test-${run}-leak` }, orderBy: { seq: 'asc' } });
    expect(stored).toHaveLength(2);
    expect(stored.map((l) => l.message).join('\n')).not.toContain(SECRET);
    expect(stored[0]!.message).toMatch(/^calling with key \S+ now$/);
    expect(stored[1]!.level).toBe('error'); // from the JSON line's `level`
    expect((await search({ q: SECRET })).lines).toHaveLength(0);
  }, 60_000);

  it('searches by text and level and above, filters by release, pages back and tails', async () => {
    const container = await replica(
      tenant.releaseIds[0]!,
      'levels',
      `for (const l of ['DEBUG cache warm', '[info] listening on 3000', 'WARN slow query 812ms', '{"level":50,"msg":"payment failed"}', 'ERROR: upstream 502 on /checkout']) console.log(l);`,
    );
    await waitExited(container);
    await collector.collect();
    const replicaName = `slipway-test-${run}-levels`;
    const mine = (page: LogsPageDto) => page.lines.filter((l) => l.replica === replicaName);
    expect(mine(await search({ level: 'error' })).map((l) => l.message)).toEqual([
      'ERROR: upstream 502 on /checkout',
      '{"level":50,"msg":"payment failed"}',
    ]);
    expect(mine(await search({ level: 'warn' }))).toHaveLength(3);
    expect(mine(await search({ level: 'debug' }))).toHaveLength(5);
    expect((await search({ q: '/CHECKOUT' })).lines.map((l) => l.message)).toEqual(['ERROR: upstream 502 on /checkout']);
    // A common text fills the page from the newest lines; the same answer as the full search.
    expect((await search({ q: 'OUT 1', limit: 2 })).lines.map((l) => l.message)).toEqual(['out 149', 'out 148']);
    // `%` and `_` are text, not patterns.
    expect((await search({ q: 'slow_query' })).lines).toHaveLength(0);
    expect((await search({ q: '%' })).lines).toHaveLength(0);
    // Release filter: release 1's lines only.
    const v1 = await search({ release: tenant.releaseIds[0] });
    expect(v1.lines.length).toBeGreaterThan(300);
    expect(v1.lines.every((l) => l.releaseId === tenant.releaseIds[0] && l.releaseNumber === 1)).toBe(true);

    // Page back, newest first: pages of 2 chain without gap or overlap.
    const first = await search({ release: tenant.releaseIds[0], limit: 2 });
    const second = await search({ release: tenant.releaseIds[0], limit: 2, cursor: first.nextCursor! });
    expect(first.lines.map((l) => l.message)).toEqual(['ERROR: upstream 502 on /checkout', '{"level":50,"msg":"payment failed"}']);
    expect(second.lines.map((l) => l.message)).toEqual(['WARN slow query 812ms', '[info] listening on 3000']);

    // Tail: nothing after the newest line, then exactly the lines stored since, oldest first.
    const newest = (await search({ limit: 1 })).lines[0]!.cursor;
    expect(await search({ after: newest })).toEqual({ lines: [], nextCursor: newest });
    const later = await replica(tenant.releaseIds[1]!, 'tail', `console.log('tail one'); console.log('tail two');`);
    await waitExited(later);
    await collector.collect();
    const tail = await search({ after: newest });
    expect(tail.lines.map((l) => l.message)).toEqual(['tail one', 'tail two']);
    expect(tail.nextCursor).toBe(tail.lines[1]!.cursor);
  }, 60_000);

  it('cuts long lines and keeps to LOGS_MAX_BYTES_PER_MINUTE, saying what it dropped', async () => {
    const small = await seedTrafficTenant(prisma, 1);
    const limited = new LogsCollector(
      ctx.app.get(CONTAINER_RUNTIME),
      ctx.app.get(LogsStorageRepository),
      ctx.app.get(RedisService),
      ctx.app.get(SecretsService),
      { LOGS_RETENTION_DAYS: 7, LOGS_MAX_BYTES_PER_MINUTE: 2048, LOGS_LINE_MAX_CHARS: 300 },
    );
    const container = await replica(
      small.releaseIds[0]!,
      'budget',
      `console.log('x'.repeat(1000)); for (let i = 0; i < 100; i++) console.log('line ' + i + ' ' + 'y'.repeat(90));`,
      small,
    );
    await waitExited(container);
    await limited.collect();
    const rows = await prisma.appLogLine.findMany({ where: { environmentId: small.environmentId }, orderBy: { seq: 'asc' } });
    expect(rows[0]!.message.length).toBeLessThanOrEqual(300);
    expect(rows[0]!.message).toMatch(/line cut: [\d,]+ more characters; lines are cut at 300 \(LOGS_LINE_MAX_CHARS\)\]$/);
    const note = rows.at(-1)!;
    expect(note).toMatchObject({ level: 'warn', stream: 'stderr' });
    expect(note.message).toMatch(/^\[slipway\] \d+ lines \([\d,]+ bytes\) of this replica were dropped: .*LOGS_MAX_BYTES_PER_MINUTE/);
    const kept = rows.slice(0, -1);
    expect(kept.reduce((sum, r) => sum + Buffer.byteLength(r.message), 0)).toBeLessThanOrEqual(2048);
    expect(kept.length + Number(/(\d+) lines/.exec(note.message)![1])).toBe(101);
    // The cursor moved past the dropped lines: the next pass stores nothing more of them.
    await limited.collect();
    expect(await prisma.appLogLine.count({ where: { environmentId: small.environmentId } })).toBe(rows.length);
  }, 60_000);

  it('sees nothing of another organization’s environment', async () => {
    const other = await seedTrafficTenant(prisma, 1);
    const page = await logs.environmentLogs({ organizationId: other.organizationId }, tenant.environmentId, { from: since(), limit: 1000 });
    expect(page.lines).toEqual([]);
    const crossed = await logs.environmentLogs(scope(), other.environmentId, { from: since(), limit: 1000 });
    expect(crossed.lines).toEqual([]);
  });

  it('drops a day past LOGS_RETENTION_DAYS as a whole partition', async () => {
    const old = new Date(Date.UTC(2026, 0, 1));
    await prisma.$executeRawUnsafe(
      `CREATE TABLE "${logPartitionName(old)}" PARTITION OF "AppLogLine" FOR VALUES FROM ('2026-01-01') TO ('2026-01-02')`,
    );
    await prisma.$executeRawUnsafe(
      `INSERT INTO "AppLogLine" (at, "organizationId", "projectId", "environmentId", "releaseId", replica, stream, level, message) VALUES ('2026-01-01T12:00:00', $1, $2, $3, $4, 'r', 'stdout', 'info', 'old line')`,
      tenant.organizationId,
      tenant.projectId,
      tenant.environmentId,
      tenant.releaseIds[0],
    );
    const partitions = async () =>
      (
        await prisma.$queryRawUnsafe<{ name: string }[]>(
          `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = 'AppLogLine'`,
        )
      ).map((r) => r.name);
    expect(await partitions()).toContain(logPartitionName(old));
    const { dropped } = await collector.maintain();
    expect(dropped.map((d) => d.toISOString())).toEqual([old.toISOString()]);
    const left = await partitions();
    expect(left).not.toContain(logPartitionName(old));
    expect(left).toContain(
      logPartitionName(new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate()))),
    );
    expect(await prisma.appLogLine.count({ where: { message: 'old line' } })).toBe(0);
  });
});

/** Waits until the container has written `count` lines (Docker's own count), so the last pass sees them all. */
async function waitForLines(id: string, count: number): Promise<void> {
  const until = Date.now() + 20_000;
  for (;;) {
    const body = (await docker.getContainer(id).logs({ stdout: true, stderr: true, follow: false })) as unknown as Buffer;
    let lines = 0;
    for (let offset = 0; offset + 8 <= body.length; offset += 8 + body.readUInt32BE(offset + 4)) {
      lines +=
        body
          .subarray(offset + 8, offset + 8 + body.readUInt32BE(offset + 4))
          .toString()
          .split('\n').length - 1;
    }
    if (lines >= count) return;
    if (Date.now() > until) throw new Error(`only ${lines} of ${count} lines were written`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
