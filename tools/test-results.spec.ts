import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { addCounts, readVitestJson, summaryLine } from './lib/test-results.mjs';

describe('test totals', () => {
  it('counts a suite that failed to load as a failure', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'results-')), 'unit.json');
    writeFileSync(
      file,
      JSON.stringify({
        numPassedTests: 4,
        numFailedTests: 1,
        numPendingTests: 2,
        numTodoTests: 0,
        testResults: [
          { status: 'failed', assertionResults: [{ status: 'failed' }] },
          { status: 'failed', assertionResults: [] },
        ],
      }),
    );
    expect(readVitestJson(file)).toEqual({ passed: 4, failed: 2, skipped: 2 });
    expect(readVitestJson(`${file}.missing`)).toBeNull();
  });

  it('prints "N passed, N failed" and skipped only when there are any', () => {
    expect(summaryLine(addCounts([{ passed: 3, failed: 0, skipped: 0 }, { passed: 2, failed: 1, skipped: 0 }]))).toBe('5 passed, 1 failed');
    expect(summaryLine({ passed: 1, failed: 0, skipped: 2 })).toBe('1 passed, 0 failed, 2 skipped');
  });
});
