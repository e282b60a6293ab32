import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@slipway/config';

// The real Prisma CLI, through the project's schema-engine stand-in (prisma.config.ts), against
// a scratch database: what CI and `npm run db:migrate` do.
const ROOT = resolve(__dirname, '../../../..');
const BASE_URL = loadConfig().DATABASE_URL;
const withDatabase = (name: string) => Object.assign(new URL(BASE_URL), { pathname: `/${name}` }).toString();

const scratch = `slipway_it_migrate_${randomBytes(4).toString('hex')}`;
const url = withDatabase(scratch);

async function prisma(...args: string[]) {
  try {
    const { stdout, stderr } = await promisify(execFile)('npx', ['--no-install', 'prisma', ...args], {
      cwd: ROOT,
      // An engine download attempt would fail fast here instead of hanging on DNS.
      env: { ...process.env, DATABASE_URL: url, PRISMA_ENGINES_MIRROR: 'http://127.0.0.1:9' },
      timeout: 60_000,
    });
    return { code: 0, output: stdout + stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

async function sql(text: string) {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(text);
  } finally {
    await client.end();
  }
}

describe('prisma/migrations', () => {
  beforeAll(async () => {
    const deploy = await prisma('migrate', 'deploy');
    expect(deploy.output).not.toMatch(/ENOTFOUND|ECONNREFUSED|download/i);
    expect(deploy, deploy.output).toMatchObject({ code: 0 });
  });

  afterAll(async () => {
    const admin = new Client({ connectionString: withDatabase('postgres') });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${scratch}" WITH (FORCE)`).finally(() => admin.end());
  });

  it('`migrate deploy` creates the database and applies every migration', async () => {
    const { rows } = await sql('SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL ORDER BY migration_name');
    const folders = readdirSync(resolve(ROOT, 'prisma/migrations'), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
    expect(folders.map((f) => f.replace(/^\d+_/, ''))).toEqual(expect.arrayContaining(['init', 'audit_log_append_only']));
    expect(rows.map((r) => String(r.migration_name))).toEqual(folders);
    expect((await prisma('migrate', 'status')).output).toContain('Database schema is up to date!');
  });

  it('the migrations produce exactly the Prisma schema (the CI drift gate)', async () => {
    const [fromMigrations, fromDatabase] = await Promise.all([
      prisma('migrate', 'diff', '--from-migrations', 'prisma/migrations', '--to-schema', 'prisma', '--exit-code'),
      prisma('migrate', 'diff', '--from-config-datasource', '--to-schema', 'prisma', '--exit-code'),
    ]);
    expect(fromMigrations, fromMigrations.output).toMatchObject({ code: 0 });
    expect(fromDatabase, fromDatabase.output).toMatchObject({ code: 0 });
  });

  it('the drift gate fails when the schema has changes no migration holds', async () => {
    // The single file holds no models, so compared with it every table is "drift".
    const drift = await prisma('migrate', 'diff', '--from-migrations', 'prisma/migrations', '--to-schema', 'prisma/schema.prisma', '--exit-code');
    expect(drift.code).toBe(2);
  });

  describe('AuditLog is append-only', () => {
    beforeAll(async () => {
      await sql(`INSERT INTO "AuditLog" (id, action) VALUES ('a1', 'user.signed_up'), ('a2', 'org.created')`);
    });

    it('accepts inserts', async () => {
      const { rows } = await sql(`SELECT action FROM "AuditLog" ORDER BY id`);
      expect(rows).toEqual([{ action: 'user.signed_up' }, { action: 'org.created' }]);
    });

    it.each([
      ['UPDATE', `UPDATE "AuditLog" SET action = 'forged' WHERE id = 'a1'`],
      ['DELETE', `DELETE FROM "AuditLog" WHERE id = 'a1'`],
      ['TRUNCATE', `TRUNCATE "AuditLog"`],
    ])('rejects %s with a clear error and changes nothing', async (op, statement) => {
      await expect(sql(statement)).rejects.toThrow(`AuditLog is append-only: ${op} is not allowed`);
      const { rows } = await sql(`SELECT action FROM "AuditLog" ORDER BY id`);
      expect(rows).toEqual([{ action: 'user.signed_up' }, { action: 'org.created' }]);
    });
  });
});
