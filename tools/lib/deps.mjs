// `npm ci` when node_modules is missing or older than package-lock.json, so a fresh clone
// and a pulled lock file both "just work" and an up-to-date checkout costs nothing.
import { statSync } from 'node:fs';
import path from 'node:path';
import { SetupError } from './log.mjs';
import { run } from './system.mjs';

const mtime = (file) => {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return null;
  }
};

/** @param {{ root: string, log: import('./log.mjs').Log }} options */
export async function ensureDeps({ root, log }) {
  const installed = mtime(path.join(root, 'node_modules', '.package-lock.json'));
  const lock = mtime(path.join(root, 'package-lock.json'));
  if (installed !== null && lock !== null && installed >= lock) {
    log.info('dependencies up to date');
    return;
  }
  log.step(installed === null ? 'installing dependencies (npm ci)' : 'package-lock.json changed: npm ci');
  const code = await run('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root });
  if (code !== 0) throw new SetupError('npm ci failed (see above).');
}
