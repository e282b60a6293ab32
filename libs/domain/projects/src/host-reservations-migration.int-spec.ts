import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabaseBefore } from '@slipway/testing';

const MIGRATION = '20261207070000_host_reservations';

/**
 * The migration that introduced host reservations, on rows as they were before it: existing
 * hosts keep answering where they did, and where two environments had one host the older keeps
 * it and the younger is renamed with a note.
 */
describe(`migration ${MIGRATION}`, () => {
  let db: Awaited<ReturnType<typeof createDatabaseBefore>>;
  const rows: Record<string, string> = {};

  beforeAll(async () => {
    db = await createDatabaseBefore(MIGRATION);
    const insert = async (key: string, sql: string, params: unknown[]) => (rows[key] = String((await db.query(`${sql} RETURNING id`, params))[0]!.id));
    await insert('orgA', `INSERT INTO "Organization" (id, slug, name, "updatedAt") VALUES ('org-a', 'a', 'A', now())`, []);
    await insert('orgB', `INSERT INTO "Organization" (id, slug, name, "updatedAt") VALUES ('org-b', 'b', 'B', now())`, []);
    await insert('shop', `INSERT INTO "Project" (id, "organizationId", slug, "hostLabel", name, "updatedAt") VALUES ('p-shop', 'org-a', 'shop', 'shop', 'Shop', now())`, []);
    await insert('shopStaging', `INSERT INTO "Project" (id, "organizationId", slug, "hostLabel", name, "updatedAt") VALUES ('p-shop-staging', 'org-b', 'shop-staging', 'shop-staging', 'Shop Staging', now())`, []);
    const env = (id: string, org: string, project: string, name: string, createdAt: string) =>
      insert(id, `INSERT INTO "Environment" (id, "organizationId", "projectId", name, branch, "memoryMb", "cpuMillis", replicas, "healthCheckPath", "createdAt", "updatedAt") VALUES ($1, $2, $3, $4, 'main', 128, 500, 1, '/', $5, now())`, [id, org, project, name, createdAt]);
    await env('e-shop-prod', 'org-a', 'p-shop', 'production', '2026-01-01T00:00:00Z');
    await env('e-shop-staging', 'org-a', 'p-shop', 'staging', '2026-01-02T00:00:00Z'); // older than B's project
    await env('e-b-prod', 'org-b', 'p-shop-staging', 'production', '2026-01-03T00:00:00Z');
    await insert('domain', `INSERT INTO "Domain" (id, "organizationId", "environmentId", hostname) VALUES ('d-1', 'org-a', 'e-shop-prod', 'www.shop.example')`, []);
    await db.migrate();
  }, 120_000);
  afterAll(() => db?.drop());

  it('reserves every existing host where it answered, the older of two colliding environments keeping it', async () => {
    const reserved = await db.query(`SELECT host, kind::text, "environmentId", "domainId", note FROM "HostReservation" ORDER BY host`);
    expect(reserved).toEqual([
      { host: 'shop', kind: 'APP', environmentId: 'e-shop-prod', domainId: null, note: null },
      { host: 'shop-staging', kind: 'APP', environmentId: 'e-shop-staging', domainId: null, note: null },
      { host: 'shop-staging--production', kind: 'APP', environmentId: 'e-b-prod', domainId: null, note: expect.stringContaining('Renamed from shop-staging') },
      { host: 'www.shop.example', kind: 'DOMAIN', environmentId: 'e-shop-prod', domainId: 'd-1', note: null },
    ]);
  });

  it('keeps existing custom domains verified, with a token, and lets another organization have the name pending', async () => {
    const [domain] = await db.query(`SELECT "verificationToken", "verifiedAt" IS NOT NULL AS verified, "expiresAt" FROM "Domain" WHERE id = 'd-1'`);
    expect(domain).toEqual({ verificationToken: expect.stringMatching(/^slipway-[0-9a-f]{32}$/), verified: true, expiresAt: null });
    await db.query(`INSERT INTO "Domain" (id, "organizationId", "environmentId", hostname, "verificationToken") VALUES ('d-2', 'org-b', 'e-b-prod', 'www.shop.example', 't')`);
    await expect(db.query(`INSERT INTO "Domain" (id, "organizationId", "environmentId", hostname, "verificationToken") VALUES ('d-3', 'org-b', 'e-b-prod', 'www.shop.example', 't')`)).rejects.toThrow(/unique/);
  });

  it('cascades: deleting an environment releases its hosts', async () => {
    await db.query(`DELETE FROM "Environment" WHERE id = 'e-shop-staging'`);
    expect(await db.query(`SELECT host FROM "HostReservation" WHERE host = 'shop-staging'`)).toEqual([]);
  });
});
