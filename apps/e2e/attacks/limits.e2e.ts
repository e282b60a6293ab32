import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { signUp, type ApiClient } from '../support/api-client';
import { E2E } from '../support/env';
import { git, remoteUrl, slowBuildDockerfile, workingCopy } from '../support/git';

/**
 * Attacks on shared capacity by one signed-up tenant: holding open more live log streams than
 * its share, and creating or resizing projects and environments (through the API and through
 * slipway.yaml on a push) past its organization's quotas. Each is refused with a stable code,
 * and nothing is written.
 */

const problem = (res: { status: number; headers: Headers | { get(name: string): string | null }; body: any }) => ({
  status: res.status,
  type: res.headers.get('content-type'),
  code: res.body?.code as string | undefined,
});

async function waitRunningBuild(client: ApiClient, project: string): Promise<string> {
  for (let i = 0; i < 240; i++) {
    const builds = (await client.get(project + '/builds')).body as { id: string; status: string }[];
    const running = builds.find((b) => b.status === 'RUNNING');
    if (running) return running.id;
    await sleep(250);
  }
  throw new Error('no build started');
}

describe('attack: holding open more live log streams than allowed', () => {
  it(`the stream past LOG_STREAMS_PER_USER gets 429 TOO_MANY_STREAMS naming the limit; closing one lets a new one open; another user is not affected`, async () => {
    const limit = E2E.logStreamsPerUser;
    const { client, session } = await signUp('StreamHog');
    const org = session.organizations[0]!.slug;
    expect((await client.post(`/api/v1/orgs/${org}/projects`, { name: 'slow' })).status).toBe(201);
    const project = `/api/v1/orgs/${org}/projects/slow`;
    const token = (await client.post('/api/v1/tokens', { name: 'push', scopes: ['deploy'] })).body.token as string;
    // A build that runs long enough to hold streams open on it.
    const app = await workingCopy({ Dockerfile: slowBuildDockerfile(90) }, 'node-http', 'slow');
    const push = git(['push', remoteUrl(token, org, 'slow'), 'main'], app);
    const buildId = await waitRunningBuild(client, project);
    const logPath = `${project}/builds/${buildId}/log`;

    const streams: AbortController[] = [];
    try {
      for (let i = 0; i < limit; i++) {
        const stop = new AbortController();
        streams.push(stop);
        const res = await client.open(logPath, stop.signal);
        expect(res.status, `stream ${i + 1}`).toBe(200);
        expect(res.headers.get('content-type')).toContain('text/event-stream');
      }
      const refused = await client.get(logPath);
      expect(problem(refused)).toEqual({
        status: 429,
        type: expect.stringContaining('application/problem+json'),
        code: 'TOO_MANY_STREAMS',
      });
      expect(refused.body.detail).toContain(`${limit} live log streams`);
      expect(refused.body.detail).toContain('LOG_STREAMS_PER_USER');
      expect(refused.headers.get('retry-after')).toBeTruthy();

      // The limit is per user: a teammate's stream opens.
      const invite = await client.post(`/api/v1/orgs/${org}/invitations`, { role: 'VIEWER' });
      const mate = await signUp('StreamMate');
      expect((await mate.client.post(`/api/v1/invitations/${invite.body.token}/accept`)).status).toBe(200);
      const mateStop = new AbortController();
      streams.push(mateStop);
      expect((await mate.client.open(logPath, mateStop.signal)).status).toBe(200);

      // Closing one stream (the client goes away) gives its place back.
      streams[0]!.abort();
      let reopened = 0;
      for (let i = 0; i < 40 && reopened !== 200; i++) {
        await sleep(250);
        const stop = new AbortController();
        const res = await client.open(logPath, stop.signal).catch(() => null);
        reopened = res?.status ?? 0;
        if (reopened === 200) streams.push(stop);
        else stop.abort();
      }
      expect(reopened).toBe(200);
    } finally {
      for (const s of streams) s.abort();
      await client.post(`${project}/builds/${buildId}/cancel`);
      await push;
    }
  });
});

describe('attack: growing an organization past its quotas', () => {
  it('projects past ORG_MAX_PROJECTS: 409 QUOTA_EXCEEDED with the use, the limit and the fix; parallel creations never pass it; nothing written', async () => {
    const { client, session } = await signUp('ProjectHoarder');
    const org = session.organizations[0]!.slug;
    const projects = `/api/v1/orgs/${org}/projects`;
    const limit = E2E.orgMaxProjects;
    for (let i = 0; i < limit - 2; i++) expect((await client.post(projects, { name: `p${i}` })).status).toBe(201);
    // Five at once for the last two places.
    const racing = await Promise.all(Array.from({ length: 5 }, (_, i) => client.post(projects, { name: `race${i}` })));
    expect(racing.map((r) => r.status).sort()).toEqual([201, 201, 409, 409, 409]);
    const before = ((await client.get(projects)).body as unknown[]).length;
    expect(before).toBe(limit);

    const refused = await client.post(projects, { name: 'one-too-many' });
    expect(problem(refused)).toEqual({ status: 409, type: expect.stringContaining('application/problem+json'), code: 'QUOTA_EXCEEDED' });
    expect(refused.body.detail).toContain(`${limit + 1} projects, past its quota of ${limit} (ORG_MAX_PROJECTS); it uses ${limit} now`);
    expect(refused.body.detail).toContain('Delete a project');
    expect(refused.body.errors).toEqual([expect.objectContaining({ path: 'quota.projects' })]);
    expect(((await client.get(projects)).body as unknown[]).length).toBe(before);
    expect((await client.get(`${projects}/one-too-many`)).status).toBe(404);
    expect((await client.get(`/api/v1/orgs/${org}/quotas`)).body).toContainEqual({
      name: 'projects',
      used: limit,
      limit,
      setting: 'ORG_MAX_PROJECTS',
    });
  });

  it('replicas and memory past ORG_MAX_REPLICAS / ORG_MAX_MEMORY_MB through the API: refused, settings unchanged, no environment created', async () => {
    const { client, session } = await signUp('ReplicaHoarder');
    const org = session.organizations[0]!.slug;
    expect((await client.post(`/api/v1/orgs/${org}/projects`, { name: 'big' })).status).toBe(201);
    const project = `/api/v1/orgs/${org}/projects/big`;
    const envs = async () =>
      ((await client.get(project)).body as { environments: { name: string; replicas: number; memoryMb: number }[] }).environments;
    const perEnv = 20; // the most one environment may ask for
    const fits = Math.floor(E2E.orgMaxReplicas / perEnv); // environments of 20 replicas that fit (production counts 1 until resized)
    expect((await client.patch(`${project}/environments/production`, { replicas: perEnv, memoryMb: 64 })).status).toBe(200);
    for (let i = 1; i < fits; i++)
      expect(
        (await client.post(`${project}/environments`, { name: `e${i}`, branch: `e${i}`, replicas: perEnv, memoryMb: 64 })).status,
      ).toBe(201);
    const before = await envs();

    const tooMany = await client.post(`${project}/environments`, { name: 'overflow', branch: 'overflow', replicas: perEnv, memoryMb: 64 });
    expect(problem(tooMany)).toMatchObject({ status: 409, code: 'QUOTA_EXCEEDED' });
    expect(tooMany.body.detail).toContain(`past its quota of ${E2E.orgMaxReplicas} (ORG_MAX_REPLICAS)`);
    expect(tooMany.body.detail).toContain('Lower the replicas');

    // Memory: one environment asking for more than the organization may hold.
    const memoryPerReplica = Math.min(65536, Math.ceil((E2E.orgMaxMemoryMb + 1) / perEnv));
    const tooBig = await client.patch(`${project}/environments/production`, { memoryMb: memoryPerReplica });
    expect(problem(tooBig)).toMatchObject({ status: 409, code: 'QUOTA_EXCEEDED' });
    expect(tooBig.body.detail).toContain('(ORG_MAX_MEMORY_MB)');
    expect(await envs()).toEqual(before);
    // Shrinking is always allowed.
    expect((await client.patch(`${project}/environments/production`, { replicas: 1 })).status).toBe(200);
  });

  it('a push whose slipway.yaml resources pass the memory quota: the build fails with QUOTA_EXCEEDED before building, no release', async () => {
    const { client, session } = await signUp('YamlHoarder');
    const org = session.organizations[0]!.slug;
    expect((await client.post(`/api/v1/orgs/${org}/projects`, { name: 'yaml' })).status).toBe(201);
    const token = (await client.post('/api/v1/tokens', { name: 'push', scopes: ['deploy'] })).body.token as string;
    const memoryMb = Math.min(65536, Math.ceil((E2E.orgMaxMemoryMb + 1) / 20));
    const app = await workingCopy({ 'slipway.yaml': `resources:\n  replicas: 20\n  memoryMb: ${memoryMb}\n` }, 'node-http', 'greedy');
    const push = await git(['push', remoteUrl(token, org, 'yaml'), 'main'], app);
    expect(push.code, push.out).not.toBe(0);
    expect(push.out).toContain('QUOTA_EXCEEDED');
    expect(push.out).toContain('ORG_MAX_MEMORY_MB');
    const builds = (await client.get(`/api/v1/orgs/${org}/projects/yaml/builds`)).body as { status: string; failureReason: string }[];
    expect(builds).toEqual([expect.objectContaining({ status: 'FAILED', failureReason: expect.stringContaining('QUOTA_EXCEEDED') })]);
    expect((await client.get(`/api/v1/orgs/${org}/projects/yaml/environments/production/releases`)).body).toEqual([]);
  });
});
