import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, signUp } from '../support/api-client';
import { getViaEdge } from '../support/edge';
import { commitAll, git, remoteUrl, workingCopy } from '../support/git';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Requests through the edge at `perSecond` for at most `ms` (bounded, loopback), until an answer matches `stopOn`; the status counts. */
async function drive(host: string, perSecond: number, ms: number, stopOn?: (r: { status: number; body: string }) => boolean) {
  const statuses = new Map<number, number>();
  const started = Date.now();
  let stopped = false;
  while (Date.now() - started < ms && !stopped) {
    const batch = await Promise.all(Array.from({ length: perSecond }, () => getViaEdge(host, '/', 2000)));
    for (const r of batch) statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
    stopped = !!stopOn && batch.some(stopOn);
    if (!stopped) await sleep(1000);
  }
  return { statuses, stopped, elapsedMs: Date.now() - started };
}

/**
 * A traffic-gated release, end to end: the real git client, the api, the worker (collector,
 * verdict job, deploy job), dockerd and the edge. v1 is healthy; v2 answers 500 to every
 * request; the environment opted into automatic rollback, so the worker judges v2 faulty from
 * the edge's counts and rolls back to v1 on its own, and the markers say why.
 */
describe('automatic rollback on a faulty verdict', () => {
  let owner: ApiClient;
  let org: string;
  let app: string;
  let host: string;
  let envPath: string;

  beforeAll(async () => {
    const u = await signUp('Canary');
    owner = u.client;
    org = u.session.organizations[0]!.slug;
    const project = await owner.post(`/api/v1/orgs/${org}/projects`, { name: 'canary' });
    expect(project.status).toBe(201);
    host = new URL(project.body.environments[0].url).hostname;
    envPath = `/api/v1/orgs/${org}/projects/canary/environments/production`;
    // Opted in; the health check on a path v2 still answers, so v2 goes live and only its traffic shows it is broken.
    const opted = await owner.call('PATCH', envPath, { autoRollback: true, healthCheckPath: '/healthz' });
    expect(opted.status, JSON.stringify(opted.body)).toBe(200);
    expect(opted.body.autoRollback).toBe(true);
    const token = (await owner.post('/api/v1/tokens', { name: 'push', scopes: ['deploy'] })).body.token;
    app = await workingCopy({ VERSION: 'v1\n' }, 'shop', 'v1');
    await git(['remote', 'add', 'slipway', remoteUrl(token, org, 'canary')], app);
  });

  it('rolls back to v1 by itself when v2 raises the 5xx rate, and the markers say why', async () => {
    const first = await git(['push', 'slipway', 'main'], app);
    expect(first.code, first.out).toBe(0);
    // v1's traffic: the baseline v2 is compared with.
    const v1Traffic = await drive(host, 10, 5_000);
    expect(v1Traffic.statuses.get(200)).toBeGreaterThanOrEqual(40);

    // v2: healthy to its health check, 500 to every other request.
    writeFileSync(join(app, 'BROKEN'), 'yes\n');
    writeFileSync(join(app, 'VERSION'), 'v2\n');
    await commitAll(app, 'v2: broken');
    const second = await git(['push', 'slipway', 'main'], app);
    expect(second.code, second.out).toBe(0);
    expect(await getViaEdge(host)).toMatchObject({ status: 500 });

    // Traffic to v2 until the edge serves v1 again (bounded: at most 75 s of 10 requests a second).
    const load = await drive(host, 10, 75_000, (r) => r.status === 200 && r.body === 'shop v1\n');
    expect(load.statuses.get(500)).toBeGreaterThanOrEqual(30);
    expect(load.stopped, `still not v1 after ${load.elapsedMs} ms`).toBe(true);

    // The edge serves v1 once the rollback switched; it finishes after draining v2's replicas.
    type Row = { kind: string; automatic: boolean; reason: string | null; releaseNumber: number; status: string };
    let automatic: Row[] = [];
    for (let i = 0; i < 40; i++) {
      automatic = ((await owner.get(`${envPath}/deployments`)).body as Row[]).filter((d) => d.automatic);
      if (automatic[0]?.status === 'SUCCEEDED') break;
      await sleep(500);
    }
    expect(automatic).toHaveLength(1);
    expect(automatic[0]).toMatchObject({ kind: 'ROLLBACK', releaseNumber: 1, status: 'SUCCEEDED' });
    expect(automatic[0]!.reason).toMatch(
      /^Automatic rollback: v2 raised the 5xx rate from .* to 100 % within \d+ minutes? of its deploy\.$/,
    );

    const from = encodeURIComponent(new Date(Date.now() - 15 * 60_000).toISOString());
    const markers = (await owner.get(`${envPath}/markers?from=${from}`)).body.markers as {
      kind: string;
      releaseNumber: number;
      reason: string | null;
      verdict: { status: string; autoRolledBackAt: string | null } | null;
    }[];
    expect(markers.map((m) => `${m.kind} v${m.releaseNumber}`)).toEqual(['deploy v1', 'deploy v2', 'auto-rollback v1']);
    expect(markers[1]!.verdict).toMatchObject({ status: 'faulty', autoRolledBackAt: expect.any(String) });
    expect(markers[2]!.reason).toBe(automatic[0]!.reason);

    const releases = (await owner.get(`${envPath}/releases`)).body as { id: string; number: number }[];
    const v2 = releases.find((r) => r.number === 2)!;
    const verdict = await owner.get(`${envPath}/releases/${v2.id}/verdict`);
    expect(verdict.body).toMatchObject({ status: 'faulty', releaseNumber: 2, previousReleaseNumber: 1 });
    expect(verdict.body.measures.find((m: { measure: string }) => m.measure === 'rate5xx')).toMatchObject({ current: 1, regressed: true });
  }, 240_000); // two pushes (builds) and up to 75 s of load
});
