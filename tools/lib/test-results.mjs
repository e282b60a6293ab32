// Totals across test tiers, from vitest's JSON reporter (jest-compatible fields), plus the
// non-test steps (lint, build, drift) that count as one failure each when they fail.
import { readFileSync } from 'node:fs';

/** @typedef {{ passed: number, failed: number, skipped: number }} Counts */

/**
 * Reads a vitest JSON report. A suite that failed to load has no failed tests but is a failure.
 * @returns {Counts | null} null when the file is missing or unreadable
 */
export function readVitestJson(file) {
  let report;
  try {
    report = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
  const suitesFailedOutsideTests = (report.testResults ?? []).filter(
    (s) => s.status === 'failed' && !(s.assertionResults ?? []).some((a) => a.status === 'failed'),
  ).length;
  return {
    passed: report.numPassedTests ?? 0,
    failed: (report.numFailedTests ?? 0) + suitesFailedOutsideTests,
    skipped: (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0),
  };
}

/** @param {Counts[]} all */
export const addCounts = (all) =>
  all.reduce((t, c) => ({ passed: t.passed + c.passed, failed: t.failed + c.failed, skipped: t.skipped + c.skipped }), {
    passed: 0,
    failed: 0,
    skipped: 0,
  });

/** The last line of `npm test`: "N passed, N failed" and ", N skipped" when any. */
export const summaryLine = ({ passed, failed, skipped }) => `${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`;
