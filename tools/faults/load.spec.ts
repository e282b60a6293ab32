import { describe, expect, it } from 'vitest';
import { summarize } from './load.mjs';
import { formatTable } from './report.mjs';

const sample = (at: number, ok: boolean) => ({ at, ok, why: ok ? undefined : 'refused' });

describe('summarize', () => {
  it('counts failures and measures recovery from the fault to the first success after the last failure', () => {
    const s = summarize([sample(900, true), sample(1000, false), sample(1500, false), sample(1600, true), sample(1700, true)], 1000);
    expect(s).toMatchObject({ requests: 5, failed: 2, failedFromMs: 0, failedUntilMs: 500, recoverMs: 600 });
    expect(s.reasons).toEqual(['0 ms: refused', '500 ms: refused']);
  });

  it('says 0 when nothing failed, and null when nothing succeeded after the last failure', () => {
    expect(summarize([sample(10, true)], 0)).toMatchObject({ failed: 0, recoverMs: 0, failedUntilMs: null });
    expect(summarize([sample(10, true), sample(20, false)], 0).recoverMs).toBeNull();
  });
});

describe('formatTable', () => {
  it('prints one Markdown row per fault, "never" for a stream that did not recover', () => {
    const row = {
      fault: 'api SIGKILL',
      downMs: 4200,
      edge: { requests: 10, failed: 0, recoverMs: 0 },
      gateway: { requests: 5, failed: 2, recoverMs: null },
      workLost: { builds: 0, deployments: 0, usageMissing: 0 },
      workResumedMs: 9000,
    };
    expect(formatTable([row]).split('\n')[2]).toBe('| api SIGKILL | 4.2 s | 0/10 | 0.0 s | 2/5 | never | 0/0/0 | 9.0 s |');
  });
});
