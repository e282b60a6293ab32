// The master key wraps every data key (envelope encryption). Losing it makes every stored
// secret unreadable, so generating one is loud.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Writes base64(32 random bytes) to `file` (mode 600) when SLIPWAY_MASTER_KEY is unset and
 * the file is absent. Returns true when a key was generated.
 * @param {{ root: string, env: NodeJS.ProcessEnv, log?: import('./log.mjs').Log, quiet?: boolean }} options
 */
export function ensureMasterKey({ root, env, log, quiet = false }) {
  if (env.SLIPWAY_MASTER_KEY) return false;
  const file = path.resolve(root, env.SLIPWAY_MASTER_KEY_FILE || '.slipway/master.key');
  if (existsSync(file)) return false;
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  if (!quiet && log) {
    const bar = '!'.repeat(78);
    log.warn(bar);
    log.warn(`Generated a new master key in ${file}`);
    log.warn('It encrypts every secret Slipway stores. Back it up outside the database backups:');
    log.warn('without it, stored secrets cannot be decrypted. In production set SLIPWAY_MASTER_KEY.');
    log.warn(bar);
  }
  return true;
}
