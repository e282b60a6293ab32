import { randomBytes } from 'node:crypto';
import { LATENCY_BUCKETS_MS, type EdgeMetrics, type EdgePathMetrics } from '@slipway/contracts';
import type { PrismaService } from '@slipway/db';

export interface TrafficTenant {
  organizationId: string;
  projectId: string;
  environmentId: string;
  /** Release ids, release 1 first. */
  releaseIds: string[];
}

/** An organization with one project, one environment and `releases` releases of it (rows only: nothing runs). */
export async function seedTrafficTenant(prisma: PrismaService, releases = 2): Promise<TrafficTenant> {
  const tag = randomBytes(4).toString('hex');
  const org = await prisma.organization.create({ data: { slug: `org-${tag}`, name: `Org ${tag}` } });
  const project = await prisma.project.create({ data: { organizationId: org.id, slug: 'web', hostLabel: `web-${tag}`, name: 'web' } });
  const env = await prisma.environment.create({
    data: {
      organizationId: org.id,
      projectId: project.id,
      name: 'production',
      branch: 'main',
      memoryMb: 256,
      cpuMillis: 500,
      replicas: 2,
      healthCheckPath: '/',
    },
  });
  const releaseIds: string[] = [];
  for (let number = 1; number <= releases; number++) {
    const build = await prisma.build.create({
      data: {
        organizationId: org.id,
        projectId: project.id,
        environmentId: env.id,
        commitSha: `c0ffee${number}`,
        branch: 'main',
        authorName: 'Ada',
        authorEmail: 'ada@example.test',
        message: `v${number}`,
        status: 'SUCCEEDED',
      },
    });
    const release = await prisma.release.create({
      data: {
        organizationId: org.id,
        projectId: project.id,
        environmentId: env.id,
        buildId: build.id,
        number,
        imageId: `sha256:${tag}${number}`,
        commitSha: build.commitSha,
        authorName: 'Ada',
        message: build.message,
        envVarVersions: {},
        slipwayConfig: {},
        runtime: {},
      },
    });
    releaseIds.push(release.id);
  }
  return { organizationId: org.id, projectId: project.id, environmentId: env.id, releaseIds };
}

/** The edge's counters for one release over one window, from raw latencies (ms) and statuses. */
export function edgeMetricsOf(input: {
  releaseId: string;
  environmentId: string;
  from: Date;
  seconds?: number;
  /** With `path`, the entry also carries per-path counters (as an edge counting paths sends). */
  requests: { ms: number; status: number; path?: string }[];
}): EdgeMetrics {
  const counts = new Array<number>(LATENCY_BUCKETS_MS.length + 1).fill(0);
  const status = { '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0 };
  const paths = new Map<string, EdgePathMetrics>();
  for (const r of input.requests) {
    let i = 0;
    while (i < LATENCY_BUCKETS_MS.length && r.ms > LATENCY_BUCKETS_MS[i]!) i++;
    counts[i]!++;
    const cls = `${Math.floor(r.status / 100)}xx` as keyof typeof status;
    if (cls in status) status[cls]++;
    if (r.path === undefined) continue;
    let p = paths.get(r.path);
    if (!p) paths.set(r.path, (p = { path: r.path, requests: 0, status4xx: 0, status5xx: 0, latencyCounts: new Array<number>(LATENCY_BUCKETS_MS.length + 1).fill(0) }));
    p.requests++;
    if (cls === '4xx') p.status4xx++;
    if (cls === '5xx') p.status5xx++;
    p.latencyCounts[i]!++;
  }
  return {
    releaseId: input.releaseId,
    environmentId: input.environmentId,
    from: input.from.toISOString(),
    to: new Date(input.from.getTime() + (input.seconds ?? 10) * 1000).toISOString(),
    requests: input.requests.length,
    status,
    latencyBucketsMs: [...LATENCY_BUCKETS_MS],
    latencyCounts: counts,
    ...(paths.size ? { paths: [...paths.values()] } : {}),
  };
}

/** A deterministic pseudo-random generator (mulberry32). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
