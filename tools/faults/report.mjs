// The figures of each fault: kept as JSON lines in FAULTS_REPORT (when set) for
// `npm run bench:faults`, and printed as one table row per fault.
import { appendFileSync, existsSync, readFileSync } from 'node:fs';

/**
 * @typedef {{ fault: string, downMs: number,
 *   edge: { requests: number, failed: number, recoverMs: number | null },
 *   gateway: { requests: number, failed: number, recoverMs: number | null },
 *   workLost: { builds: number, deployments: number, usageMissing: number }, workResumedMs: number | null, note?: string }} FaultFigures
 */

/** Records one fault's figures (and prints them). */
export function record(/** @type {FaultFigures} */ figures, file = process.env.FAULTS_REPORT) {
  if (file) appendFileSync(file, `${JSON.stringify(figures)}\n`);
  console.log(formatTable([figures]));
  for (const side of ['edge', 'gateway']) {
    const f = figures[side];
    if (f.failed)
      console.log(`${side}: failures from ${f.failedFromMs} ms to ${f.failedUntilMs} ms after the fault; ${f.reasons.join(' | ')}`);
  }
}

/** @returns {FaultFigures[]} */
export function readRecords(file) {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
}

const seconds = (ms) => (ms === null || ms === undefined ? 'never' : `${(ms / 1000).toFixed(1)} s`);

/** A Markdown table, as docs/reliability.md shows it. */
export function formatTable(/** @type {FaultFigures[]} */ rows) {
  const head = [
    'fault',
    'down',
    'edge failed',
    'edge recovered',
    'gateway failed',
    'gateway recovered',
    'work lost (builds/deploys/usage)',
    'work resumed',
  ];
  const lines = rows.map((r) => [
    r.fault,
    seconds(r.downMs),
    `${r.edge.failed}/${r.edge.requests}`,
    seconds(r.edge.recoverMs),
    `${r.gateway.failed}/${r.gateway.requests}`,
    seconds(r.gateway.recoverMs),
    `${r.workLost.builds}/${r.workLost.deployments}/${r.workLost.usageMissing}`,
    r.workResumedMs === null ? '—' : seconds(r.workResumedMs),
  ]);
  const row = (cells) => `| ${cells.join(' | ')} |`;
  return [row(head), row(head.map(() => '---')), ...lines.map(row)].join('\n');
}
