// `prisma migrate deploy` costs ~10 s even with nothing to do (it boots the Wasm schema
// engine). A second `npm start` asks the database which migrations it has and skips the
// CLI when every folder under prisma/migrations is applied.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { capture } from './system.mjs';
import { databaseOf, psqlPath, psqlTarget } from './postgres.mjs';

/**
 * Names of migration folders the database has not applied (all of them when it has no
 * _prisma_migrations table yet), or null when the database cannot be asked.
 * @param {{ root: string, databaseUrl: string, log: import('./log.mjs').Log }} options
 */
export async function pendingMigrations({ root, databaseUrl, log }) {
  const dir = path.join(root, 'prisma', 'migrations');
  const folders = existsSync(dir)
    ? readdirSync(dir, { withFileTypes: true })
        .filter((e) => e.isDirectory() && existsSync(path.join(dir, e.name, 'migration.sql')))
        .map((e) => e.name)
    : [];
  const sql = 'SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL';
  const { args, env } = psqlTarget(databaseUrl, databaseOf(databaseUrl));
  const r = capture(await psqlPath(log), [...args, '-X', '-q', '-tA', '-c', sql], { env });
  if (r.code !== 0) return r.stderr.includes('does not exist') ? folders : null;
  const applied = new Set(r.stdout.split('\n').map((l) => l.trim()));
  return folders.filter((f) => !applied.has(f));
}
