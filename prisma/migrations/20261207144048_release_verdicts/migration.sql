-- Automatic rollback opt-in per environment; why (and whether automatically) a deployment was queued.
ALTER TABLE "Environment" ADD COLUMN "autoRollback" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "Deployment" ADD COLUMN "reason" TEXT;
ALTER TABLE "Deployment" ADD COLUMN "automatic" BOOLEAN NOT NULL DEFAULT false;

-- The verdict on each release against the one it replaced.
CREATE TABLE "ReleaseVerdict" (
    "releaseId" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "environmentId" TEXT NOT NULL,
    "previousReleaseId" TEXT,
    "status" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "measures" JSONB NOT NULL,
    "liveAt" TIMESTAMP(3) NOT NULL,
    "windowEndsAt" TIMESTAMP(3) NOT NULL,
    "evaluatedAt" TIMESTAMP(3) NOT NULL,
    "autoRolledBackAt" TIMESTAMP(3),

    CONSTRAINT "ReleaseVerdict_pkey" PRIMARY KEY ("releaseId")
);

CREATE INDEX "ReleaseVerdict_organizationId_environmentId_idx" ON "ReleaseVerdict"("organizationId", "environmentId");
CREATE INDEX "ReleaseVerdict_windowEndsAt_idx" ON "ReleaseVerdict"("windowEndsAt");
