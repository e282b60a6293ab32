import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Client } from 'pg';
import { loadConfig } from '@slipway/config';

/**
 * Fresh, fully migrated PostgreSQL databases for integration tests (`*.int-spec.ts`).
 *
 * Migrating per test file would cost seconds each; instead the project's migrations are applied
 * once to a template database, and every test database is a `CREATE DATABASE … TEMPLATE` copy
 * of it (tens of milliseconds). The template is rebuilt only when the migrations change: it is
 * tagged with a fingerprint of prisma/migrations. Parallel test files and processes are kept
 * from racing by a PostgreSQL advisory lock held while the template is checked, built and copied.
 *
 * Test databases have the schema but not Prisma's `_prisma_migrations` history: tests that need
 * the real CLI (see libs/platform/db/src/migrations.int-spec.ts) create their own database.
 */
export interface TestDatabase {
  /** Connection URL of the new database: the base URL with the database name replaced. */
  readonly url: string;
  readonly name: string;
  /** Drops the database, closing any connection still open on it. */
  drop(): Promise<void>;
}

const TEMPLATE = 'slipway_it_template';
/** Any constant works: it only has to be the same for every test process. */
const TEMPLATE_LOCK = 0x5115_7a7e;

/**
 * Creates `slipway_it_<random>` from the migrated template.
 * @param baseUrl a URL of the server to use; DATABASE_URL (through @slipway/config) by default.
 */
export async function createTestDatabase(baseUrl: string = loadConfig().DATABASE_URL): Promise<TestDatabase> {
  const name = `slipway_it_${randomBytes(6).toString('hex')}`;
  await withTemplateLock(baseUrl, async (admin) => {
    await ensureTemplate(baseUrl, admin);
    await admin.query(`CREATE DATABASE ${quoteIdent(name)} TEMPLATE ${quoteIdent(TEMPLATE)}`);
  });
  const url = databaseUrl(baseUrl, name);
  return {
    url,
    name,
    drop: () =>
      withMaintenanceClient(baseUrl, async (admin) => {
        await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
      }),
  };
}

/**
 * A database migrated up to, not including, the migration named `before`, for tests of a
 * migration's data steps: write rows as they were with `query`, then `migrate()` applies the
 * rest. Built from scratch (no template), so it takes a second or two.
 */
export async function createDatabaseBefore(before: string, baseUrl: string = loadConfig().DATABASE_URL): Promise<TestDatabase & { query(sql: string, params?: unknown[]): Promise<Record<string, unknown>[]>; migrate(): Promise<void> }> {
  const migrations = readMigrations();
  const at = migrations.findIndex((m) => m.name === before);
  if (at < 0) throw new Error(`No migration named ${before}`);
  const name = `slipway_it_${randomBytes(6).toString('hex')}`;
  await withMaintenanceClient(baseUrl, (admin) => admin.query(`CREATE DATABASE ${quoteIdent(name)}`));
  const url = databaseUrl(baseUrl, name);
  const client = new Client({ connectionString: url });
  await client.connect();
  const apply = async (list: typeof migrations) => {
    for (const m of list) await client.query(m.sql);
  };
  await apply(migrations.slice(0, at));
  return {
    url,
    name,
    query: async (sql, params) => (await client.query(sql, params)).rows as Record<string, unknown>[],
    migrate: () => apply(migrations.slice(at)),
    async drop() {
      await client.end();
      await withMaintenanceClient(baseUrl, (admin) => admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`));
    },
  };
}

/** The migrations in the order Prisma applies them (folder names start with a timestamp). */
export function readMigrations(): { name: string; sql: string }[] {
  const dir = migrationsDir();
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(dir, entry.name, 'migration.sql')))
    .map((entry) => entry.name)
    .sort()
    .map((name) => ({ name, sql: readFileSync(join(dir, name, 'migration.sql'), 'utf8') }));
}

async function ensureTemplate(baseUrl: string, admin: Client): Promise<void> {
  const migrations = readMigrations();
  const fingerprint = createHash('sha256').update(JSON.stringify(migrations)).digest('hex');
  const { rows } = await admin.query<{ fingerprint: string | null }>(
    `SELECT shobj_description(oid, 'pg_database') AS fingerprint FROM pg_database WHERE datname = $1`,
    [TEMPLATE],
  );
  if (rows[0]?.fingerprint === fingerprint) return;

  // Missing, or built from other migrations (or a build that failed half-way): rebuild.
  await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(TEMPLATE)} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${quoteIdent(TEMPLATE)}`);
  const template = new Client({ connectionString: databaseUrl(baseUrl, TEMPLATE) });
  await template.connect();
  try {
    for (const { name, sql } of migrations) {
      // One simple-protocol query per file: all-or-nothing, like `prisma migrate deploy`, and
      // safe for function bodies that contain semicolons.
      await template.query(sql).catch((err: Error) => {
        throw new Error(`Migration ${name} failed on ${TEMPLATE}: ${err.message}`, { cause: err });
      });
    }
  } finally {
    await template.end(); // CREATE DATABASE … TEMPLATE refuses a template with open connections
  }
  // Tag it last, so a template whose build was interrupted is never trusted.
  await admin.query(`COMMENT ON DATABASE ${quoteIdent(TEMPLATE)} IS ${quoteLiteral(fingerprint)}`);
}

async function withTemplateLock<T>(baseUrl: string, fn: (admin: Client) => Promise<T>): Promise<T> {
  return withMaintenanceClient(baseUrl, async (admin) => {
    await admin.query('SELECT pg_advisory_lock($1)', [TEMPLATE_LOCK]);
    try {
      return await fn(admin);
    } finally {
      await admin.query('SELECT pg_advisory_unlock($1)', [TEMPLATE_LOCK]);
    }
  });
}

/** CREATE/DROP DATABASE run from the `postgres` maintenance database, never from a database they touch. */
async function withMaintenanceClient<T>(baseUrl: string, fn: (admin: Client) => Promise<T>): Promise<T> {
  const admin = new Client({ connectionString: databaseUrl(baseUrl, 'postgres') });
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.end();
  }
}

function databaseUrl(baseUrl: string, database: string): string {
  const url = new URL(baseUrl);
  url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
}

/** prisma/migrations of the workspace, found upwards from this file (from src/ or dist/ alike). */
function migrationsDir(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    const candidate = join(dir, 'prisma', 'migrations');
    if (existsSync(candidate)) return candidate;
  }
  throw new Error(`prisma/migrations not found above ${__dirname}`);
}

const quoteIdent = (name: string): string => `"${name.replaceAll('"', '""')}"`;
const quoteLiteral = (value: string): string => `'${value.replaceAll("'", "''")}'`;
