#!/usr/bin/env node
// `npm run bench:faults`: the fault matrix of apps/e2e/faults (worker SIGKILL mid-build and
// mid-deploy, api SIGKILL, Redis, PostgreSQL and dockerd stopped and restarted, each under a
// steady load through the edge and the gateway) on a platform the tests start for themselves
// (tools/faults/harness.mjs), then the table of figures that docs/reliability.md shows.
// SLIPWAY_TEST_SLOT picks the harness's ports (24000 + 10 × slot), as for `npm test`.
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLog } from '../lib/log.mjs';
import { ensureBaseImages } from '../lib/base-images.mjs';
import { run } from '../lib/system.mjs';
import { formatTable, readRecords } from '../faults/report.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const log = createLog('bench');
const report = path.join(root, '.slipway', 'bench', 'faults.jsonl');
mkdirSync(path.dirname(report), { recursive: true });
rmSync(report, { force: true });

await ensureBaseImages({ log, root }); // the harness's builds and relays start from them
log.step('fault matrix (apps/e2e/faults), each fault under 20 edge GET/s and 5 gateway calls/s');
const code = await run('npx', ['vitest', 'run', '--project', 'e2e', 'apps/e2e/faults'], {
  cwd: root,
  env: { ...process.env, FAULTS_REPORT: report },
});
const rows = readRecords(report);
console.log(`\n${formatTable(rows)}\n`);
log.info(`figures of ${rows.length} faults in ${path.relative(root, report)}; method and limits in docs/reliability.md`);
process.exit(code);
