import { randomUUID } from 'node:crypto';
import type { PrismaService } from '@slipway/db';

/** The observability and gateway usage tables a project has rows in (Prisma delegate names), as `ProjectDataPurge` clears them. */
export const TABLES = [
  'appTrafficSample',
  'appTrafficMinute',
  'appTrafficHour',
  'appTrafficPathMinute',
  'appTrafficPathHour',
  'replicaResourceSample',
  'replicaResourceMinute',
  'replicaEvent',
  'appLogLine',
  'gatewayRequest',
  'gatewayUsageMinute',
] as const;

export type Table = (typeof TABLES)[number];

// Prisma's delegates differ per model; counting and creating through one signature keeps the test short.
const delegate = (prisma: PrismaService, t: Table) =>
  prisma[t] as unknown as { count(a: object): Promise<number>; create(a: object): Promise<unknown> };
export const countOf = (prisma: PrismaService, t: Table, projectId: string) => delegate(prisma, t).count({ where: { projectId } });

export interface SeededProject {
  organizationId: string;
  id: string;
  environmentId: string;
  releaseIds: string[];
}

/** One row in each observability table for a project's release, as the collectors write them. */
export async function observabilityRows(prisma: PrismaService, p: SeededProject, replica: string) {
  const now = new Date();
  const minute = new Date(Math.floor(now.getTime() / 60_000) * 60_000);
  const ids = { organizationId: p.organizationId, projectId: p.id, environmentId: p.environmentId, releaseId: p.releaseIds[0]! };
  const counts = { requests: 3n, status2xx: 3n, status3xx: 0n, status4xx: 0n, status5xx: 0n, latencyCounts: [3n] };
  const rows: Record<Table, object> = {
    appTrafficSample: { ...ids, ...counts, streamId: `${p.id}-1`, windowStart: minute, windowEnd: now },
    appTrafficMinute: { ...ids, ...counts, bucket: minute },
    appTrafficHour: { ...ids, ...counts, bucket: minute },
    appTrafficPathMinute: { ...ids, bucket: minute, path: '/', requests: 3n, status4xx: 0n, status5xx: 0n, latencyCounts: [3n] },
    appTrafficPathHour: { ...ids, bucket: minute, path: '/', requests: 3n, status4xx: 0n, status5xx: 0n, latencyCounts: [3n] },
    replicaResourceSample: {
      ...ids,
      sampledAt: now,
      replica,
      replicaIndex: 0,
      cpuPercent: 1,
      memoryBytes: 1n,
      cpuLimitMillis: 100,
      memoryLimitBytes: 2n,
    },
    replicaResourceMinute: {
      ...ids,
      bucket: minute,
      replica,
      replicaIndex: 0,
      samples: 1,
      cpuSamples: 1,
      cpuPercentSum: 1,
      cpuPercentMax: 1,
      memoryBytesSum: 1n,
      memoryBytesMax: 1n,
      cpuLimitMillis: 100,
      memoryLimitBytes: 2n,
    },
    replicaEvent: { ...ids, id: randomUUID(), at: now, replica, replicaIndex: 0, action: 'start' },
    appLogLine: { ...ids, at: now, replica, stream: 'stdout', level: 'info', message: 'hello' },
    gatewayRequest: {
      ...ids,
      id: randomUUID(),
      keyId: 'key-1',
      api: 'anthropic',
      modelRequested: 'claude-test',
      status: 200,
      latencyMs: 40,
      inputTokens: 10,
      outputTokens: 5,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      costMicros: 12n,
      retries: 0,
      fallbackChain: ['mock/claude-test:ok'],
      streamed: false,
      createdAt: now,
    },
    gatewayUsageMinute: { ...ids, minute, keyId: 'key-1', model: 'claude-test', requests: 1, costMicros: 12n },
  };
  for (const t of TABLES) await delegate(prisma, t).create({ data: rows[t] });
  await prisma.appLogCursor.create({
    data: { containerId: replica, environmentId: p.environmentId, lastTimestamp: now.toISOString(), linesAtLast: 1 },
  });
}
