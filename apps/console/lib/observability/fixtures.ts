import type { EnvironmentTrafficDto, MarkerDto } from '@slipway/contracts';

/** Small DTOs for the specs of this folder. */

export function trafficRelease(number: number, requests: number[], status5xx: number, extra: Partial<EnvironmentTrafficDto['releases'][number]> = {}): EnvironmentTrafficDto['releases'][number] {
  const total = requests.reduce((a, b) => a + b, 0);
  return {
    releaseId: `rel-${number}`,
    number,
    requests,
    requestsPerSecond: requests.map((r) => r / 10),
    rate4xx: requests.map((r) => (r ? 0 : null)),
    rate5xx: requests.map((r) => (r ? status5xx / total : null)),
    p50Ms: requests.map((r) => (r ? 10 : null)),
    p95Ms: requests.map((r) => (r ? 40 : null)),
    p99Ms: requests.map((r) => (r ? 90 : null)),
    totals: { requests: total, status4xx: 0, status5xx, p50Ms: 10, p95Ms: 40, p99Ms: 90 },
    ...extra,
  };
}

export function traffic(releases: EnvironmentTrafficDto['releases']): EnvironmentTrafficDto {
  return { from: '2026-12-07T14:00:00.000Z', to: '2026-12-07T14:00:30.000Z', resolution: 'raw', stepSeconds: 10, time: [1_796_652_000, 1_796_652_010, 1_796_652_020], releases };
}

export function marker(kind: MarkerDto['kind'], at: string, releaseNumber = 2): MarkerDto {
  return {
    at,
    kind,
    releaseId: `rel-${releaseNumber}`,
    releaseNumber,
    commitSha: 'a1b2c3d4e5f6',
    authorName: 'Dana',
    message: 'Second version\n\nbody',
    deploymentId: kind === 'restart' || kind === 'oom-kill' ? null : `dep-${releaseNumber}`,
    replicaIndex: kind === 'restart' || kind === 'oom-kill' ? 0 : null,
    reason: null,
    verdict: null,
  };
}
