-- One reservation table for every host the edge serves (generated hosts and verified custom
-- domains), unique across organizations; custom domains are verified by a DNS TXT record before
-- they are routed, and several organizations may have the same name pending.

-- CreateEnum
CREATE TYPE "HostKind" AS ENUM ('APP', 'DOMAIN');

-- AlterTable
ALTER TABLE "Domain" ADD COLUMN     "expiresAt" TIMESTAMP(3),
ADD COLUMN     "lastCheckProblem" TEXT,
ADD COLUMN     "lastCheckedAt" TIMESTAMP(3),
ADD COLUMN     "verificationToken" TEXT,
ADD COLUMN     "verifiedAt" TIMESTAMP(3);

-- Custom domains added before verification existed were routed as soon as they were added:
-- they keep working (verified as of their creation) and get a token like every other domain.
UPDATE "Domain" SET "verificationToken" = 'slipway-' || replace(gen_random_uuid()::text, '-', ''), "verifiedAt" = "createdAt";
ALTER TABLE "Domain" ALTER COLUMN "verificationToken" SET NOT NULL;

-- DropIndex: a pending name no longer blocks other organizations (the first to verify wins).
DROP INDEX "Domain_hostname_key";

-- CreateIndex
CREATE UNIQUE INDEX "Domain_organizationId_hostname_key" ON "Domain"("organizationId", "hostname");

-- CreateIndex
CREATE INDEX "Domain_hostname_idx" ON "Domain"("hostname");

-- CreateIndex
CREATE INDEX "Domain_expiresAt_idx" ON "Domain"("expiresAt");

-- CreateTable
CREATE TABLE "HostReservation" (
    "id" TEXT NOT NULL,
    "host" TEXT NOT NULL,
    "kind" "HostKind" NOT NULL,
    "organizationId" TEXT NOT NULL,
    "environmentId" TEXT NOT NULL,
    "domainId" TEXT,
    "note" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "HostReservation_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "HostReservation_host_key" ON "HostReservation"("host");

-- CreateIndex
CREATE UNIQUE INDEX "HostReservation_domainId_key" ON "HostReservation"("domainId");

-- CreateIndex
CREATE INDEX "HostReservation_environmentId_idx" ON "HostReservation"("environmentId");

-- AddForeignKey
ALTER TABLE "HostReservation" ADD CONSTRAINT "HostReservation_environmentId_fkey" FOREIGN KEY ("environmentId") REFERENCES "Environment"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HostReservation" ADD CONSTRAINT "HostReservation_domainId_fkey" FOREIGN KEY ("domainId") REFERENCES "Domain"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Existing generated hosts keep answering where they did: production at `<hostLabel>`, other
-- environments at `<hostLabel>-<env>` (the rule until now). Where two environments computed the
-- same host (environment `staging` of project `shop` and production of project `shop-staging`),
-- the edge served the older one: it keeps the host.
WITH legacy AS (
  SELECT e.id, e."organizationId",
         lower(CASE WHEN e.name = 'production' THEN p."hostLabel" ELSE p."hostLabel" || '-' || e.name END) AS host
  FROM "Environment" e JOIN "Project" p ON p.id = e."projectId"
), ranked AS (
  SELECT legacy.*, row_number() OVER (PARTITION BY legacy.host ORDER BY e."createdAt", e.id) AS rank
  FROM legacy JOIN "Environment" e ON e.id = legacy.id
)
INSERT INTO "HostReservation" ("id", "host", "kind", "organizationId", "environmentId")
SELECT gen_random_uuid()::text, host, 'APP', "organizationId", id FROM ranked WHERE rank = 1;

-- The younger of two colliding environments is renamed to the new rule (`<hostLabel>--<env>`,
-- which no other environment can produce), with a note the console and the API show.
INSERT INTO "HostReservation" ("id", "host", "kind", "organizationId", "environmentId", "note")
SELECT gen_random_uuid()::text, lower(p."hostLabel" || '--' || e.name), 'APP', e."organizationId", e.id,
       'Renamed from ' || lower(CASE WHEN e.name = 'production' THEN p."hostLabel" ELSE p."hostLabel" || '-' || e.name END)
         || ' when host names became unique: an older environment already answered at that host.'
FROM "Environment" e JOIN "Project" p ON p.id = e."projectId"
WHERE NOT EXISTS (SELECT 1 FROM "HostReservation" r WHERE r."environmentId" = e.id)
ON CONFLICT ("host") DO NOTHING;

-- Last resort (a legacy label that itself contains `--`): the environment id makes it unique.
INSERT INTO "HostReservation" ("id", "host", "kind", "organizationId", "environmentId", "note")
SELECT gen_random_uuid()::text, lower(p."hostLabel" || '--' || e.name || '-' || right(e.id, 8)), 'APP', e."organizationId", e.id,
       'Renamed from ' || lower(CASE WHEN e.name = 'production' THEN p."hostLabel" ELSE p."hostLabel" || '-' || e.name END)
         || ' when host names became unique: an older environment already answered at that host.'
FROM "Environment" e JOIN "Project" p ON p.id = e."projectId"
WHERE NOT EXISTS (SELECT 1 FROM "HostReservation" r WHERE r."environmentId" = e.id)
ON CONFLICT ("host") DO NOTHING;

-- Existing custom domains (unique across organizations until now) keep their routes.
INSERT INTO "HostReservation" ("id", "host", "kind", "organizationId", "environmentId", "domainId")
SELECT gen_random_uuid()::text, lower(d."hostname"), 'DOMAIN', d."organizationId", d."environmentId", d.id FROM "Domain" d
ON CONFLICT ("host") DO NOTHING;
