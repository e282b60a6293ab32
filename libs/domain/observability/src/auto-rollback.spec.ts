import { describe, expect, it } from 'vitest';
import type { AuditService } from '@slipway/audit';
import type { DeploymentsService } from '@slipway/deployments';
import { AppError } from '@slipway/errors';
import type { JobQueue } from '@slipway/queue';
import { AutoRollback } from './auto-rollback';
import type { ReleaseVerdictsRepository, StoredVerdict, WatchedDeploy } from './release-verdicts.repository';
import type { EvaluatedRelease } from './release-verdicts.service';

/** The decisions around the rollback use case, with recording stand-ins (the int-spec runs the real ones). */
function setup(rollback: () => Promise<{ id: string }> = async () => ({ id: 'dep-rb' })) {
  const calls: string[] = [];
  let claimed = false;
  const verdicts = {
    claimAutoRollback: async () => {
      calls.push('claim');
      if (claimed) return false;
      return (claimed = true);
    },
    releaseAutoRollbackClaim: async () => {
      calls.push('unclaim');
      claimed = false;
    },
  } as unknown as ReleaseVerdictsRepository;
  const deployments = {
    rollback: async (...args: unknown[]) => {
      calls.push(`rollback ${JSON.stringify(args.slice(2))}`);
      return rollback();
    },
  } as unknown as DeploymentsService;
  const queue = { enqueue: async (name: string, id: string) => void calls.push(`enqueue ${name} ${id}`) } as unknown as JobQueue;
  const audit = { record: async (e: { action: string }) => void calls.push(`audit ${e.action}`) } as unknown as AuditService;
  return { calls, auto: new AutoRollback(verdicts, deployments, queue, audit) };
}

const deploy: WatchedDeploy = {
  organizationId: 'org',
  environmentId: 'env',
  releaseId: 'v2',
  releaseNumber: 2,
  previousReleaseId: 'v1',
  previousReleaseNumber: 1,
  liveAt: new Date(0),
  environmentAutoRollback: true,
  environmentLiveReleaseId: 'v2',
  environmentPath: 'web/production',
};
const verdict = { status: 'faulty', summary: 'v2 raised the 5xx rate from 0 % to 50 % within 2 minutes of its deploy.', autoRolledBackAt: null } as StoredVerdict;
const evaluated = (d: Partial<WatchedDeploy> = {}, v: Partial<StoredVerdict> = {}): EvaluatedRelease[] => [{ deploy: { ...deploy, ...d }, verdict: { ...verdict, ...v } }];

describe('AutoRollback', () => {
  it('claims, queues the rollback to the previous release with the verdict as its reason, audits, enqueues: in that order', async () => {
    const { calls, auto } = setup();
    expect(await auto.apply(evaluated())).toEqual([{ releaseId: 'v2', result: 'rolled-back', deploymentId: 'dep-rb' }]);
    expect(calls).toEqual([
      'claim',
      `rollback ["v1",null,{"reason":"Automatic rollback: ${verdict.summary}","automatic":true}]`,
      'audit deployment.auto_rolled_back',
      'enqueue deploy dep-rb',
    ]);
  });

  it('does nothing unless the release is faulty, not yet rolled back, live, and its environment opted in with a release to go back to', async () => {
    for (const input of [
      evaluated({}, { status: 'pending' }),
      evaluated({}, { status: 'healthy' }),
      evaluated({}, { autoRolledBackAt: new Date() }),
      evaluated({ environmentAutoRollback: false }),
      evaluated({ environmentLiveReleaseId: 'v3' }),
      evaluated({ previousReleaseId: null }),
    ]) {
      const { calls, auto } = setup();
      expect(await auto.apply(input)).toEqual([]);
      expect(calls).toEqual([]);
    }
  });

  it('rolls back once when two passes see the same faulty verdict', async () => {
    const { calls, auto } = setup();
    await auto.apply(evaluated());
    await auto.apply(evaluated());
    expect(calls.filter((c) => c.startsWith('rollback'))).toHaveLength(1);
  });

  it('keeps the claim when the rollback is refused (a decision), gives it back when the platform failed (tried next pass)', async () => {
    const refused = setup(async () => {
      throw new AppError('NOT_FOUND', 'Release was not found.');
    });
    expect(await refused.auto.apply(evaluated())).toEqual([{ releaseId: 'v2', result: 'refused', reason: 'Release was not found.' }]);
    expect(refused.calls).not.toContain('unclaim');
    const broken = setup(async () => {
      throw new Error('connection refused');
    });
    await expect(broken.auto.apply(evaluated())).rejects.toThrow('connection refused');
    expect(broken.calls.at(-1)).toBe('unclaim');
  });
});
