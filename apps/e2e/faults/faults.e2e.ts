import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness } from '../../../tools/faults/harness.mjs';
import { edgeGet, steadyLoad, summarize } from '../../../tools/faults/load.mjs';
import { record } from '../../../tools/faults/report.mjs';
import { cleanUpDocker, databaseProbe, type DatabaseProbe } from './figures';
import { E2E } from '../support/env';
import { signUpTenant, type Tenant } from './tenant';

/**
 * Faults to survive. A Slipway of its own (tools/faults/harness.mjs: its own PostgreSQL,
 * Redis, Docker engine when one can run, api, worker, edge) serves a deployed app; under a
 * steady load through the edge (20 GET/s) and the gateway (5 Anthropic SDK calls/s), each test
 * kills or stops one part and starts it again. What a user would notice is asserted: the edge
 * never fails while the api, worker, Redis or PostgreSQL is down, no build, deployment or usage
 * record is lost, and service comes back within a bound. The figures go to docs/reliability.md
 * (`npm run bench:faults`).
 */
const ROOT = resolve(__dirname, '../../..');
const SLOT = E2E.testSlot;
const NODE_IMAGE = (E2E.nodeBaseImage ?? 'slipway/node:{major}').replace('{major}', '24');
const RELAY_IMAGE = E2E.relayImage;
/** How long a part stays down. */
const DOWN_MS = 3000;
/** Recovery bound: from the fault to service again (the part's own restart included). */
const RECOVER_BOUND_MS = 30_000;
/** Per fault: a build, a deployment and the load around them take 15–30 s on 2 busy cores. */
const FAULT_TIMEOUT_MS = 180_000;

let harness: Awaited<ReturnType<typeof startHarness>>;
let tenant: Tenant;
let db: DatabaseProbe;
let version = 1;

const edgeAnswers = async (body: string) => {
  const r = await edgeGet(harness.urls.edge, tenant.host);
  return r.status === 200 && r.body.trim() === body;
};
const until = async (what: string, check: () => Promise<boolean>, timeoutMs = 120_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
};

/**
 * Runs `fault` under the steady load (2 s of load before it, 3 s after) and records its figures.
 * `fault` returns when the part is back (downMs) and its work is done (workResumedMs, from the fault).
 */
async function underLoad(name: string, fault: (faultAt: number) => Promise<{ downMs: number; workResumedMs: number | null }>) {
  const load = steadyLoad({ edgeUrl: harness.urls.edge, host: tenant.host, apiUrl: harness.urls.api, gatewayKey: tenant.gatewayKey });
  await sleep(2000);
  const faultAt = Date.now();
  const timing = await fault(faultAt).catch(async (err: Error) => {
    await load.stop();
    throw err;
  });
  await sleep(3000);
  const { edge, gateway } = await load.stop();
  const usageIds = gateway.flatMap((s) => (s.ok && s.requestId ? [s.requestId] : []));
  const figures = {
    fault: name,
    ...timing,
    edge: summarize(edge, faultAt),
    gateway: summarize(gateway, faultAt),
    workLost: await db.workLost(tenant.projectId, usageIds),
  };
  record(figures);
  return figures;
}

beforeAll(async () => {
  harness = await startHarness({
    root: ROOT,
    slot: SLOT,
    images: [NODE_IMAGE, RELAY_IMAGE],
    logDir: resolve(ROOT, '.slipway', SLOT ? `test-${SLOT}` : 'test', 'faults-logs'),
  });
  db = databaseProbe(harness.databaseUrl);
  tenant = await signUpTenant(harness.urls.api, harness.dir);
  const first = await tenant.push(`v${version}`);
  expect(first.code, first.out).toBe(0);
  await until('v1 to be live', () => edgeAnswers('node-http v1'), 30_000);
}, 240_000);

afterAll(async () => {
  await db?.close();
  if (harness && tenant && !harness.engine) await cleanUpDocker(harness, tenant.projectId);
  await harness?.stop();
}, 120_000);

describe('faults to survive, under a steady load through the edge and the gateway', () => {
  it(
    'a worker SIGKILLed mid-build: the build restarts on the next worker and deploys; the edge never fails',
    async () => {
      const next = `node-http v${++version}`;
      const f = await underLoad('worker SIGKILL mid-build', async (faultAt) => {
        const push = tenant.push(`v${version}`, { buildSeconds: 6 });
        await until('the build to run', () =>
          db.has(`SELECT 1 FROM "Build" WHERE "projectId" = $1 AND message = $2 AND status = 'RUNNING'`, [tenant.projectId, `v${version}`]),
        );
        const killedAt = Date.now();
        await harness.kill('worker');
        await harness.start('worker');
        const downMs = Date.now() - killedAt;
        const pushed = await push;
        expect(pushed.code, pushed.out).toBe(0);
        await until(`${next} to be live`, () => edgeAnswers(next));
        return { downMs, workResumedMs: Date.now() - faultAt };
      });
      expect(f.edge.failed, f.edge.reasons.join('; ')).toBe(0);
      expect(f.workLost).toEqual({ builds: 0, deployments: 0, usageMissing: 0 });
    },
    FAULT_TIMEOUT_MS,
  );

  it(
    'a worker SIGKILLed mid-deploy: the deployment finishes on the next worker; the edge never fails',
    async () => {
      const next = `node-http v${++version}`;
      const f = await underLoad('worker SIGKILL mid-deploy', async (faultAt) => {
        const push = tenant.push(`v${version}`, { startSeconds: 3 });
        await until('the deployment to run', () =>
          db.has(
            `SELECT 1 FROM "Deployment" d JOIN "Release" r ON r.id = d."releaseId" WHERE d."projectId" = $1 AND r.message = $2 AND d.status = 'RUNNING'`,
            [tenant.projectId, `v${version}`],
          ),
        );
        const killedAt = Date.now();
        await harness.kill('worker');
        await harness.start('worker');
        const downMs = Date.now() - killedAt;
        await push; // the push may end before the deployment does: its result is the row's, checked below
        await until(`${next} to be live`, () => edgeAnswers(next));
        return { downMs, workResumedMs: Date.now() - faultAt };
      });
      expect(f.edge.failed, f.edge.reasons.join('; ')).toBe(0);
      expect(f.workLost).toEqual({ builds: 0, deployments: 0, usageMissing: 0 });
      expect(await db.finalStatuses(tenant.projectId, `v${version}`)).toEqual({ build: 'SUCCEEDED', deployment: 'SUCCEEDED' });
    },
    FAULT_TIMEOUT_MS,
  );

  it(
    'the api SIGKILLed: the edge keeps serving, gateway calls fail only while it is down, a push after the restart deploys',
    async () => {
      const f = await underLoad(
        'api SIGKILL',
        bounce(
          () => harness.kill('api'),
          () => harness.start('api'),
        ),
      );
      expect(f.edge.failed, f.edge.reasons.join('; ')).toBe(0);
      expect(f.gateway.failed).toBeGreaterThan(0); // the api is the gateway: its calls fail while it is down…
      expect(f.gateway.failedUntilMs ?? Infinity).toBeLessThanOrEqual(f.downMs); // …and only then (sent before it was ready again)
      expect(f.gateway.recoverMs ?? Infinity).toBeLessThan(f.downMs + RECOVER_BOUND_MS);
      expect(f.workLost).toEqual({ builds: 0, deployments: 0, usageMissing: 0 });
    },
    FAULT_TIMEOUT_MS,
  );

  it(
    'Redis stopped and restarted with the same data: the edge keeps serving, queued work and usage records survive',
    async () => {
      const f = await underLoad(
        'Redis stop/start',
        bounce(
          () => harness.stopRedis(),
          () => harness.startRedis(),
        ),
      );
      expect(f.edge.failed, f.edge.reasons.join('; ')).toBe(0);
      expect(f.gateway.recoverMs ?? Infinity).toBeLessThan(f.downMs + RECOVER_BOUND_MS);
      expectNothingLostNorExited(f);
    },
    FAULT_TIMEOUT_MS,
  );

  it(
    'PostgreSQL stopped (immediate) and restarted: the edge keeps serving, nothing is lost, a push after it deploys',
    async () => {
      const f = await underLoad(
        'PostgreSQL stop/start',
        bounce(
          async () => harness.stopPostgres(),
          () => harness.startPostgres(),
        ),
      );
      expect(f.edge.failed, f.edge.reasons.join('; ')).toBe(0);
      expect(f.gateway.recoverMs ?? Infinity).toBeLessThan(f.downMs + RECOVER_BOUND_MS);
      expectNothingLostNorExited(f);
    },
    FAULT_TIMEOUT_MS,
  );

  it(
    'dockerd stopped and restarted (the harness own engine, --live-restore): the app comes back without a redeploy, a push after it deploys',
    async (ctx) => {
      if (!harness.engine)
        ctx.skip(
          `the harness cannot run a Docker engine of its own here (${harness.engineWhy}), and the machine's engine is never restarted`,
        );
      const engine = harness.engine!;
      const f = await underLoad('dockerd stop/start', async (faultAt) => {
        await engine.stop();
        await sleep(DOWN_MS);
        await engine.start();
        const downMs = Date.now() - faultAt;
        await until('the app to answer again', () => edgeAnswers(`node-http v${version}`), RECOVER_BOUND_MS);
        await deployNext();
        return { downMs, workResumedMs: Date.now() - faultAt };
      });
      expect(f.edge.recoverMs ?? Infinity).toBeLessThan(f.downMs + RECOVER_BOUND_MS);
      expectNothingLostNorExited(f);
    },
    FAULT_TIMEOUT_MS,
  );
});

/** A fault that stops a part for DOWN_MS and starts it again; work resumes when the next push deploys. */
function bounce(stop: () => Promise<unknown>, start: () => Promise<unknown>) {
  return async (faultAt: number) => {
    await stop();
    await sleep(DOWN_MS);
    await start();
    const downMs = Date.now() - faultAt;
    await deployNext();
    return { downMs, workResumedMs: Date.now() - faultAt };
  };
}

/** No build, deployment or usage record lost, and no platform process gone. */
function expectNothingLostNorExited(f: { workLost: unknown }): void {
  expect(f.workLost).toEqual({ builds: 0, deployments: 0, usageMissing: 0 });
  for (const app of ['api', 'worker', 'edge']) expect(harness.exited(app), `${app} exited`).toBe(false);
}

/** Pushes the next version and waits until the edge serves it: work resumed. */
async function deployNext(): Promise<void> {
  const next = `node-http v${++version}`;
  const pushed = await tenant.push(`v${version}`);
  expect(pushed.code, pushed.out).toBe(0);
  await until(`${next} to be live`, () => edgeAnswers(next), 60_000);
}
