import { randomBytes } from 'node:crypto';
import { EXPLAIN_FAILURE_FEATURE, USAGE_STREAM, type UsageEvent } from '@slipway/contracts';
import { PrismaService } from '@slipway/db';
import { UsageRecorder } from '@slipway/gateway';
import { RedisService } from '@slipway/redis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HarnessUser, startGatewayHarness, type GatewayHarness } from '../gateway/gateway-harness.int-support';

/**
 * "Explain this failure" end to end: the real api asks the model through its own gateway (the
 * Anthropic SDK over loopback, the environment's key) and the mock provider answers. The mock
 * echoes the prompt, so a distinctive log line in the answer proves the log tail went through.
 */
let h: GatewayHarness;
let prisma: PrismaService;
let scope: { organizationId: string; projectId: string; environmentId: string };
const base = () => `/api/v1/orgs/${h.org}/projects/${h.project}`;

beforeAll(async () => {
  h = await startGatewayHarness();
  prisma = h.app.get(PrismaService);
  const project = await prisma.project.findFirstOrThrow({
    where: { slug: h.project, organization: { slug: h.org } },
    include: { environments: true },
  });
  scope = { organizationId: project.organizationId, projectId: project.id, environmentId: project.environments[0]!.id };
});
afterAll(async () => h?.close());
beforeEach(() => h.mock.setFaults([]));

async function buildRow(status: 'FAILED' | 'SUCCEEDED' | 'RUNNING', lines: string[] = []) {
  const build = await prisma.build.create({
    data: {
      ...scope,
      commitSha: randomBytes(20).toString('hex'),
      branch: 'main',
      authorName: 'Ada',
      authorEmail: 'ada@example.test',
      message: 'Add the chat page',
      status,
      failureReason: status === 'FAILED' ? 'npm run build exited with code 1.' : null,
    },
  });
  await prisma.buildLogLine.createMany({ data: lines.map((line, seq) => ({ buildId: build.id, seq, line })) });
  return build;
}

async function deploymentRow(status: 'FAILED' | 'SUCCEEDED') {
  const build = await buildRow('SUCCEEDED');
  const number = (await prisma.release.count({ where: { environmentId: scope.environmentId } })) + 1;
  const release = await prisma.release.create({
    data: {
      ...scope,
      buildId: build.id,
      number,
      imageId: 'sha256:abc',
      commitSha: build.commitSha,
      authorName: 'Ada',
      message: 'Add the chat page',
      envVarVersions: {},
      slipwayConfig: {},
      runtime: {},
    },
  });
  return prisma.deployment.create({
    data: {
      ...scope,
      releaseId: release.id,
      kind: 'DEPLOY',
      status,
      failureReason: status === 'FAILED' ? 'The new replica did not pass its health check.' : null,
      failedReplicaLogs: status === 'FAILED' ? 'listening on 3000\nError: connect ECONNREFUSED 10.0.0.9:5432 (quartz-db)' : null,
      events: {
        create: [
          { step: 'start', message: 'Starting 1 replica' },
          { step: 'health', message: 'GET /healthz timed out after 30 s', level: 'error' },
        ],
      },
    },
  });
}

/** The usage event the gateway recorded for a request id (read back from the Redis stream). */
async function usageEvent(requestId: string): Promise<UsageEvent | undefined> {
  await h.app.get(UsageRecorder).flush();
  const entries = await h.app.get(RedisService).client.xrevrange(USAGE_STREAM, '+', '-', 'COUNT', 500);
  // Each entry carries a batch of events (field "events", a JSON array).
  return entries.flatMap(([, fields]) => JSON.parse(fields[1]!) as UsageEvent[]).find((e) => e.id === requestId);
}

describe('Explain this failure', () => {
  it('explains a failed build from its log tail, through the gateway with the environment’s key, billed to explain-failure', async () => {
    const lines = [
      ...Array.from({ length: 200 }, (_, i) => `step ${i}: ok`),
      "Type error: Property 'zebra42' does not exist on type 'Chat'.",
    ];
    const build = await buildRow('FAILED', lines);
    const res = await h.owner.call('POST', `${base()}/builds/${build.id}/explain`);
    expect(res.status).toBe(200);
    expect(res.body.explanation).toContain("Type error: Property 'zebra42' does not exist on type 'Chat'.");
    expect(res.body.explanation).toContain('npm run build exited with code 1.');
    // The tail only: the oldest lines stay out.
    expect(res.body.explanation).not.toContain('step 0: ok');
    expect(res.body.model).toBe('mock-smart');
    expect(res.body.requestId).toMatch(/^[0-9a-f-]{36}$/);

    const seen = h.mock.requests.at(-1)!;
    expect(seen.body).toMatchObject({ model: 'mock-smart', system: expect.stringContaining('Explain the most likely cause') });
    // The feature header is the gateway's to read, not the provider's.
    expect(seen.headers['x-slipway-feature']).toBeUndefined();

    const event = await usageEvent(res.body.requestId);
    expect(event).toMatchObject({
      feature: EXPLAIN_FAILURE_FEATURE,
      environmentId: scope.environmentId,
      projectId: scope.projectId,
      modelRequested: 'default',
      modelServed: 'mock-smart',
      status: 200,
    });
    const key = await prisma.gatewayKey.findUniqueOrThrow({ where: { id: event!.keyId } });
    expect(key).toMatchObject({ kind: 'ENVIRONMENT', environmentId: scope.environmentId });
  });

  it('explains a failed deployment from its timeline and the failing container’s last lines', async () => {
    const deployment = await deploymentRow('FAILED');
    const res = await h.owner.call('POST', `${base()}/environments/production/deployments/${deployment.id}/explain`);
    expect(res.status).toBe(200);
    expect(res.body.explanation).toContain('Error: connect ECONNREFUSED 10.0.0.9:5432 (quartz-db)');
    expect(res.body.explanation).toContain('health [error]: GET /healthz timed out after 30 s');
    expect(res.body.model).toBe('mock-smart');
  });

  it('answers 409 NOT_FAILED for a build or deployment that did not fail', async () => {
    for (const status of ['SUCCEEDED', 'RUNNING'] as const) {
      const build = await buildRow(status, ['all good']);
      const res = await h.owner.call('POST', `${base()}/builds/${build.id}/explain`);
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({
        code: 'NOT_FAILED',
        detail: `Only a failed build can be explained; this build is ${status.toLowerCase()}.`,
      });
    }
    const deployment = await deploymentRow('SUCCEEDED');
    const res = await h.owner.call('POST', `${base()}/environments/production/deployments/${deployment.id}/explain`);
    expect(res).toMatchObject({ status: 409, body: { code: 'NOT_FAILED' } });
  });

  it('answers 404 for an unknown id and for another organization’s build or deployment', async () => {
    expect((await h.owner.call('POST', `${base()}/builds/00000000-0000-7000-8000-000000000000/explain`)).status).toBe(404);
    const build = await buildRow('FAILED', ['boom']);
    const deployment = await deploymentRow('FAILED');
    const stranger = new HarnessUser(h.url);
    const signup = await stranger.call('POST', '/api/v1/auth/signup', {
      name: 'Stranger',
      email: `s-${randomBytes(4).toString('hex')}@example.test`,
      password: 'correct horse battery staple',
    });
    const theirOrg: string = signup.body.organizations[0].slug;
    const theirProject: string = (await stranger.call('POST', `/api/v1/orgs/${theirOrg}/projects`, { name: 'Chatbot' })).body.slug;
    const theirs = `/api/v1/orgs/${theirOrg}/projects/${theirProject}`;
    const modelCalls = h.mock.requests.length;
    expect(await stranger.call('POST', `${theirs}/builds/${build.id}/explain`)).toMatchObject({ status: 404, body: { code: 'NOT_FOUND' } });
    expect(await stranger.call('POST', `${theirs}/environments/production/deployments/${deployment.id}/explain`)).toMatchObject({
      status: 404,
      body: { code: 'NOT_FOUND' },
    });
    expect((await stranger.call('POST', `${base()}/builds/${build.id}/explain`)).status).toBe(404);
    // Nothing was asked of a model (and nothing billed) for a build the caller cannot see.
    expect(h.mock.requests.length).toBe(modelCalls);
  });

  it('turns a gateway error into 502 EXPLAIN_UNAVAILABLE with the gateway’s message', async () => {
    h.mock.setFaults([{ fault: { kind: 'status', status: 400, message: 'prompt is too long: 250000 tokens > 200000 maximum' }, count: 1 }]);
    const build = await buildRow('FAILED', ['boom']);
    const res = await h.owner.call('POST', `${base()}/builds/${build.id}/explain`);
    expect(res.status).toBe(502);
    expect(res.body).toMatchObject({
      code: 'EXPLAIN_UNAVAILABLE',
      detail: expect.stringContaining('prompt is too long: 250000 tokens > 200000 maximum'),
    });
  });
});
