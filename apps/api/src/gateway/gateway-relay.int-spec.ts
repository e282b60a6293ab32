import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONFIG, loadConfig, type Config } from '@slipway/config';
import { USAGE_STREAM, type UsageEvent } from '@slipway/contracts';
import { PrismaService } from '@slipway/db';
import { GatewayRelays, ProjectTeardown, gatewayRelayOptions, projectNetwork, type DeploymentGateway } from '@slipway/deployments';
import { CONTAINER_RUNTIME, LABELS, type ContainerRuntime } from '@slipway/docker';
import { GatewayAppEnvironment, UsageRecorder } from '@slipway/gateway';
import { JobWorkers } from '@slipway/queue';
import { RedisService } from '@slipway/redis';
import { clientResult, runNodeClient } from '@slipway/testing';
import { startGatewayHarness, type GatewayHarness } from './gateway-harness.int-support';

/**
 * How a deployed app reaches its gateway, against the real api (its gateway socket), the real
 * dockerd and the relay image: a container on project A's network calls
 * http://slipway-gateway:4000 with the environment's key, as every deployed app is told to.
 */
const run = randomBytes(4).toString('hex');
const TEST = { [LABELS.test]: '1', 'slipway.test.run': run };
// A Redis db of its own: the teardown publishes a route table and runs a job queue.
const redis = new URL(loadConfig().REDIS_URL);
redis.pathname = '/12';

let h: GatewayHarness;
let runtime: ContainerRuntime;
let relays: GatewayRelays;
let relayConfig: Config;
let scope: { organizationId: string };
let projectA: string;
let projectB: { id: string; slug: string };
let appEnv: Record<string, string>;
let environmentA: string;

interface Answer {
  status?: number;
  body?: string;
  requestId?: string | null;
  error?: string;
}

/** Node's fetch from inside the container, reduced to what the test compares. */
const CLIENT_LIB = `
const call = (url, init = {}) => fetch(url, { ...init, signal: AbortSignal.timeout(4000) }).then(
  async (r) => ({ status: r.status, body: await r.text(), requestId: r.headers.get('x-slipway-request-id') }),
  (e) => ({ error: e.cause?.code ?? e.name }));
const address = (name) => require('node:dns').promises.lookup(name).then((a) => a.address, (e) => 'lookup failed: ' + e.code);
// Exits at once: a timed-out connect would otherwise keep the process alive for seconds.
const report = (work) => work().then((r) => console.log('RESULT ' + JSON.stringify(r)), (e) => console.log('RESULT ' + JSON.stringify({ crashed: String(e) }))).finally(() => process.exit(0));
`;

beforeAll(async () => {
  h = await startGatewayHarness({ socket: true, config: { REDIS_URL: redis.toString(), GATEWAY_URL_FOR_APPS: undefined } });
  runtime = h.app.get<ContainerRuntime>(CONTAINER_RUNTIME);
  const prisma = h.app.get(PrismaService);
  const a = await prisma.project.findFirstOrThrow({
    where: { slug: h.project, organization: { slug: h.org } },
    include: { environments: true },
  });
  scope = { organizationId: a.organizationId };
  projectA = a.id;
  environmentA = a.environments[0]!.id;
  const created = await h.owner.call('POST', `/api/v1/orgs/${h.org}/projects`, { name: 'Other' });
  projectB = { id: created.body.id, slug: created.body.slug };
  // As the worker does for a deployment: the project network, its relay (the same code path,
  // pointed at this api's socket), and the variables every replica gets.
  relayConfig = { ...h.app.get<Config>(CONFIG), GATEWAY_SOCKET_PATH: h.socketPath! };
  relays = new GatewayRelays(relayConfig, runtime, {} as DeploymentGateway, { extraLabels: TEST });
  for (const id of [projectA, projectB.id]) await runtime.ensureNetwork(projectNetwork(id), { [LABELS.project]: id, ...TEST });
  expect(relays.needed).toBe(true);
  expect(await relays.ensure(projectA)).toBe(true);
  appEnv = (await h.app.get(GatewayAppEnvironment).containerSettings(scope, environmentA)).env;
}, 60_000);

afterAll(async () => {
  if (runtime) {
    for (const id of [projectA, projectB?.id].filter(Boolean)) {
      for (const c of await runtime.listContainers({ [LABELS.project]: id, 'slipway.test.run': run }, { all: true }))
        await runtime.removeContainer(c.id, { force: true });
      await runtime.removeNetwork(projectNetwork(id)).catch(() => undefined);
    }
  }
  await h?.close();
}, 60_000);

/** The usage event the gateway recorded for a request id (read back from the Redis stream). */
async function usageEvent(requestId: string): Promise<UsageEvent | undefined> {
  await h.app.get(UsageRecorder).flush();
  const entries = await h.app.get(RedisService).client.xrevrange(USAGE_STREAM, '+', '-', 'COUNT', 500);
  return entries.flatMap(([, fields]) => JSON.parse(fields[1]!) as UsageEvent[]).find((e) => e.id === requestId);
}

describe('deployed apps reach their own gateway through the relay on their project network', () => {
  type Calls = 'models' | 'messages' | 'chat' | 'noKey' | 'badKey' | 'orgs' | 'metrics' | 'healthz' | 'git' | 'hook';
  let fromA: Record<Calls, Answer> & { relayAddress: string };

  beforeAll(async () => {
    const script = `${CLIENT_LIB}
report(async () => {
  const base = process.env.ANTHROPIC_BASE_URL, key = process.env.ANTHROPIC_API_KEY;
  const json = { 'content-type': 'application/json' };
  return {
    relayAddress: await address('slipway-gateway'),
    models: await call(base + '/v1/models', { headers: { authorization: 'Bearer ' + key } }),
    messages: await call(base + '/v1/messages', { method: 'POST', headers: { ...json, 'x-api-key': key, 'anthropic-version': '2023-06-01' }, body: JSON.stringify({ model: 'default', max_tokens: 64, messages: [{ role: 'user', content: 'hello from a container' }] }) }),
    chat: await call(process.env.OPENAI_BASE_URL + '/chat/completions', { method: 'POST', headers: { ...json, authorization: 'Bearer ' + process.env.OPENAI_API_KEY }, body: JSON.stringify({ model: 'default', messages: [{ role: 'user', content: 'hi' }] }) }),
    noKey: await call(base + '/v1/models'),
    badKey: await call(base + '/v1/models', { headers: { 'x-api-key': 'sk-slw-not-a-real-key' } }),
    orgs: await call(base + '/api/v1/orgs', { headers: { authorization: 'Bearer ' + key } }),
    metrics: await call(base + '/metrics'),
    healthz: await call(base + '/healthz'),
    git: await call(base + '/git/${h.org}/${h.project}.git/info/refs?service=git-upload-pack'),
    hook: await call(base + '/internal/git/pre-receive', { method: 'POST', headers: json, body: '{}' }),
  };
});`;
    fromA = clientResult(
      await runNodeClient(runtime, {
        network: projectNetwork(projectA),
        script,
        env: appEnv,
        labels: { [LABELS.project]: projectA, ...TEST },
      }),
    );
  }, 60_000);

  it('gives apps the relay URL and the environment key', () => {
    expect(appEnv).toMatchObject({
      ANTHROPIC_BASE_URL: 'http://slipway-gateway:4000',
      OPENAI_BASE_URL: 'http://slipway-gateway:4000/v1',
      ANTHROPIC_API_KEY: expect.stringMatching(/^sk-slw-/),
    });
  });

  it("answers /v1/models, /v1/messages and /v1/chat/completions with the environment's key, and records each call, costed", async () => {
    expect(fromA.models.status).toBe(200);
    expect(JSON.parse(fromA.models.body!).data.map((m: { id: string }) => m.id)).toContain('default');
    expect(fromA.messages.status, fromA.messages.body).toBe(200);
    expect(JSON.parse(fromA.messages.body!)).toMatchObject({
      type: 'message',
      role: 'assistant',
      content: [expect.objectContaining({ type: 'text', text: expect.any(String) })],
    });
    expect(fromA.chat.status, fromA.chat.body).toBe(200);
    expect(JSON.parse(fromA.chat.body!).choices[0].message.content).toEqual(expect.any(String));

    for (const answer of [fromA.messages, fromA.chat]) {
      const event = await usageEvent(answer.requestId!);
      expect(event).toMatchObject({ projectId: projectA, environmentId: environmentA, status: 200, provider: 'mock' });
      expect(event!.costMicros).toBeGreaterThan(0);
    }
  });

  it('checks keys as on TCP', () => {
    expect(fromA.noKey.status).toBe(401);
    expect(fromA.badKey.status).toBe(401);
  });

  it('answers nothing but the gateway: REST, /metrics, health, git and the push hook are 404 through the relay', () => {
    for (const name of ['orgs', 'metrics', 'healthz', 'git', 'hook'] as const) {
      expect(fromA[name], name).toMatchObject({ status: 404 });
      expect(JSON.parse(fromA[name].body!), name).toMatchObject({ code: 'ROUTE_NOT_FOUND' });
    }
  });

  it("keeps project B's containers away from A's relay: the name does not resolve there and its address does not answer", async () => {
    expect(fromA.relayAddress).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    const probe = `${CLIENT_LIB}
report(async () => {
  const [byName, byAddress] = await Promise.all([address('slipway-gateway'), call('http://${fromA.relayAddress}:4000/v1/models', { headers: { authorization: 'Bearer ' + process.env.ANTHROPIC_API_KEY } })]);
  return { byName, byAddress };
});`;
    const fromB = clientResult<{ byName: string; byAddress: Answer }>(
      await runNodeClient(runtime, {
        network: projectNetwork(projectB.id),
        script: probe,
        env: appEnv,
        labels: { [LABELS.project]: projectB.id, ...TEST },
      }),
    );
    expect(fromB.byName).toMatch(/^lookup failed: (ENOTFOUND|EAI_AGAIN)$/);
    expect(fromB.byAddress.status).toBeUndefined();
    expect(fromB.byAddress.error).toMatch(/TimeoutError|ECONNREFUSED|EHOSTUNREACH|ENETUNREACH/);

    // With a relay of its own, B's "slipway-gateway" is that relay, not A's.
    await relays.ensure(projectB.id);
    const byName = `${CLIENT_LIB}\nreport(async () => ({ byName: await address('slipway-gateway') }));`;
    const withRelay = clientResult<{ byName: string }>(
      await runNodeClient(runtime, {
        network: projectNetwork(projectB.id),
        script: byName,
        env: appEnv,
        labels: { [LABELS.project]: projectB.id, ...TEST },
      }),
    );
    expect(withRelay.byName).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(withRelay.byName).not.toBe(fromA.relayAddress);
  }, 60_000);

  it("removes a deleted project's relay and network (the worker's teardown job)", async () => {
    h.app.get(JobWorkers).register(
      'teardown',
      (job) =>
        h.app
          .get(ProjectTeardown)
          .execute({ organizationId: job.organizationId }, job.projectId)
          .then(() => undefined),
      1,
    );
    const relayOfB = () => runtime.listContainers({ [LABELS.project]: projectB.id, [LABELS.role]: 'gateway-relay' }, { all: true });
    expect(await relayOfB()).toHaveLength(1);
    const deleted = await h.owner.call('DELETE', `/api/v1/orgs/${h.org}/projects/${projectB.slug}`);
    expect(deleted.status).toBe(204);
    for (let i = 0; i < 100 && (await relayOfB()).length > 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(await relayOfB()).toEqual([]);
    // The network went too: a relay can no longer join it.
    await expect(runtime.ensureGatewayRelay(gatewayRelayOptions(relayConfig, projectB.id, TEST))).rejects.toThrow(/network .*not found/);
    // A's relay is untouched.
    expect(await runtime.listContainers({ [LABELS.project]: projectA, [LABELS.role]: 'gateway-relay' }, { all: false })).toHaveLength(1);
  }, 30_000);
});
