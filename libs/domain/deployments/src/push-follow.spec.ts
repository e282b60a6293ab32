import { describe, expect, it } from 'vitest';
import type { TenantScope } from '@slipway/contracts';
import { PushFollow, type FollowOutcome } from './push-follow';

/**
 * The push's wait is bounded: what a user sees in `git push` when no worker takes the build,
 * when a built release gets no deployment, when the deadline passes mid-deployment, and when a
 * build restarts under a new attempt. Builds and deployments are fakes at the service ports.
 */
const scope = { organizationId: 'o1' } as TenantScope;
const links = {
  build: (id: string) => `/builds/${id}`,
  environment: (e: string) => `/env/${e}`,
  deployment: (e: string, id: string) => `/env/${e}/deployments/${id}`,
};

type BuildState = { status: string; attempt: number; failureReason?: string | null };
type Line = { seq: number; line: string };

function follow(options: {
  build: () => BuildState;
  lines?: () => Line[];
  release?: { id: string; number: number } | null;
  deployment?: () => { id: string } | null;
  progress?: () => {
    status: string;
    events: { id: bigint; message: string }[];
    failureReason?: string | null;
    failedReplicaLogs?: string | null;
  };
  queueWaitMs?: number;
  deadlineMs?: number;
}): Promise<{ outcome: FollowOutcome; said: string[] }> {
  const said: string[] = [];
  const builds = {
    find: async () => ({ id: 'b1', ...options.build() }),
    logLines: async (_s: TenantScope, _id: string, after: number) => (options.lines?.() ?? []).filter((l) => l.seq > after),
    releaseOfBuild: async () => (options.release === undefined ? { id: 'r1', number: 7 } : options.release),
  };
  const deployments = {
    forRelease: async () => options.deployment?.() ?? null,
    progress: async () => options.progress?.() ?? { status: 'RUNNING', events: [] },
  };
  const waits = { deadline: Date.now() + (options.deadlineMs ?? 10_000), queueWaitMs: options.queueWaitMs ?? 10_000 };
  const follower = new PushFollow(scope, builds as never, deployments as never, (line) => said.push(line), links, waits);
  return follower.follow('b1', 'production', 'https://app.example.test').then((outcome) => ({ outcome, said }));
}

describe('PushFollow', () => {
  it('a build and deployment that finish: the build output, the steps and where the app is live', async () => {
    const { outcome, said } = await follow({
      build: () => ({ status: 'SUCCEEDED', attempt: 1 }),
      lines: () => [{ seq: 0, line: '-----> Building' }],
      deployment: () => ({ id: 'd1' }),
      progress: () => ({ status: 'SUCCEEDED', events: [{ id: 1n, message: 'Replica 1 healthy' }] }),
    });
    expect(outcome).toBe('ok');
    expect(said).toEqual(['-----> Building', '-----> Replica 1 healthy', '-----> production is live at https://app.example.test']);
  });

  it('a build no worker starts: the push ends after PUSH_QUEUE_WAIT_SECONDS, says why and where to follow it, and fails nothing', async () => {
    const { outcome, said } = await follow({ build: () => ({ status: 'QUEUED', attempt: 0 }), queueWaitMs: 50 });
    expect(outcome).toBe('left');
    expect(said[0]).toMatch(
      /^-----> No worker has started this build after \d+ s \(all busy, or none running\)\. It stays queued, and builds and deploys when a worker takes it\.$/,
    );
    expect(said.slice(1)).toEqual([
      '-----> Follow it at /builds/b1',
      '-----> This push stops waiting here; nothing failed, so the commit is stored.',
    ]);
  });

  it('a release whose deployment never appears: the push ends, naming the release and the environment page', async () => {
    const { outcome, said } = await follow({ build: () => ({ status: 'SUCCEEDED', attempt: 1 }), deployment: () => null, queueWaitMs: 50 });
    expect(outcome).toBe('left');
    expect(said[0]).toMatch(/^-----> v7 is built, but its deployment was not queued within \d+ s/);
    expect(said[1]).toBe('-----> Follow it at /env/production');
  });

  it('a deployment still running at PUSH_WAIT_SECONDS: the push ends and links the deployment', async () => {
    const { outcome, said } = await follow({
      build: () => ({ status: 'SUCCEEDED', attempt: 1 }),
      deployment: () => ({ id: 'd9' }),
      deadlineMs: 200,
    });
    expect(outcome).toBe('left');
    expect(said).toContain('-----> The deployment of v7 is still running; it goes on.');
    expect(said).toContain('-----> Follow it at /env/production/deployments/d9');
  });

  it('a failed build: its reason, and the push fails', async () => {
    const { outcome, said } = await follow({ build: () => ({ status: 'FAILED', attempt: 1, failureReason: 'npm ci exited with 1' }) });
    expect(outcome).toBe('failed');
    expect(said).toEqual(['Build failed: npm ci exited with 1']);
  });

  it('a failed deployment: the reason, the replica lines, and that the previous release keeps serving', async () => {
    const { outcome, said } = await follow({
      build: () => ({ status: 'SUCCEEDED', attempt: 1 }),
      deployment: () => ({ id: 'd1' }),
      progress: () => ({
        status: 'FAILED',
        events: [],
        failureReason: 'health check timed out',
        failedReplicaLogs: 'Error: boom\n    at main',
      }),
    });
    expect(outcome).toBe('failed');
    expect(said).toEqual([
      '-----> Deployment failed: health check timed out. The previous release keeps serving.',
      '       | Error: boom',
      '       |     at main',
    ]);
  });

  it('a build restarted under a new attempt (its worker stopped): its log is followed again from the start', async () => {
    let polls = 0;
    const { outcome, said } = await follow({
      // Attempt 1 prints a line; the worker dies; attempt 2 logs from seq 0 again and succeeds.
      build: () => (++polls < 3 ? { status: 'RUNNING', attempt: 1 } : { status: polls < 4 ? 'RUNNING' : 'SUCCEEDED', attempt: 2 }),
      lines: () => (polls < 3 ? [{ seq: 0, line: 'attempt 1 line' }] : [{ seq: 0, line: 'attempt 2 line' }]),
      deployment: () => ({ id: 'd1' }),
      progress: () => ({ status: 'SUCCEEDED', events: [] }),
    });
    expect(outcome).toBe('ok');
    expect(said.slice(0, 2)).toEqual(['attempt 1 line', 'attempt 2 line']);
  });
});
