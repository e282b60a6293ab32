import { AppError } from '@slipway/errors';
import { describe, expect, it } from 'vitest';
import { assertWithinQuotas, footprintOf, toQuotaDtos, usageOf } from './org-quotas';

const limits = { projects: 3, replicas: 10, memoryMb: 4096 };
const thrown = (fn: () => void): AppError => {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('nothing thrown');
};

describe('organization quotas', () => {
  it('counts an environment as the larger of its settings and the releases it runs, memory as replicas × memory', () => {
    expect(footprintOf({ replicas: 2, memoryMb: 512 })).toEqual({ replicas: 2, memoryMb: 1024 });
    expect(footprintOf({ replicas: 1, memoryMb: 512 }, { replicas: 4, memoryMb: 256 }, null)).toEqual({ replicas: 4, memoryMb: 1024 });
    expect(footprintOf({ replicas: 3, memoryMb: 1024 }, { replicas: 1, memoryMb: 2048 })).toEqual({ replicas: 3, memoryMb: 3072 });
    expect(
      usageOf(2, [
        { replicas: 2, memoryMb: 1024 },
        { replicas: 1, memoryMb: 512 },
      ]),
    ).toEqual({ projects: 2, replicas: 3, memoryMb: 1536 });
  });

  it('allows use up to the limit, and refuses past it with 409 QUOTA_EXCEEDED naming the quota, the use, the limit and the fix', () => {
    const before = { projects: 3, replicas: 8, memoryMb: 2048 };
    expect(() => assertWithinQuotas(before, { ...before, replicas: 10 }, limits)).not.toThrow();
    const err = thrown(() => assertWithinQuotas(before, { ...before, replicas: 12 }, limits));
    expect(err).toMatchObject({ code: 'QUOTA_EXCEEDED', status: 409 });
    expect(err.message).toContain('12 replicas, past its quota of 10 (ORG_MAX_REPLICAS); it uses 8 now');
    expect(err.message).toMatch(/Lower the replicas/);
    expect(err.errors).toEqual([{ path: 'quota.replicas', message: 'uses 8, would use 12, limit 10 (ORG_MAX_REPLICAS)' }]);
    expect(thrown(() => assertWithinQuotas(before, { ...before, projects: 4, memoryMb: 5000 }, limits)).errors?.map((e) => e.path)).toEqual(
      ['quota.projects', 'quota.memoryMb'],
    );
  });

  it('lets an organization already over a lowered quota shrink or stay, never grow', () => {
    const over = { projects: 5, replicas: 20, memoryMb: 9000 };
    expect(() => assertWithinQuotas(over, { ...over, replicas: 18 }, limits)).not.toThrow();
    expect(() => assertWithinQuotas(over, over, limits)).not.toThrow();
    expect(thrown(() => assertWithinQuotas(over, { ...over, memoryMb: 9001 }, limits)).code).toBe('QUOTA_EXCEEDED');
  });

  it('shows each quota with its use, limit and setting', () => {
    expect(toQuotaDtos({ projects: 1, replicas: 2, memoryMb: 1024 }, limits)).toEqual([
      { name: 'projects', used: 1, limit: 3, setting: 'ORG_MAX_PROJECTS' },
      { name: 'replicas', used: 2, limit: 10, setting: 'ORG_MAX_REPLICAS' },
      { name: 'memoryMb', used: 1024, limit: 4096, setting: 'ORG_MAX_MEMORY_MB' },
    ]);
  });
});
