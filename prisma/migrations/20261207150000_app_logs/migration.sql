-- Replica logs (libs/domain/observability): lines partitioned by day, and the collector's
-- per-container cursors. Partitions of "AppLogLine" are created by the logs collector (the
-- current day and the next two, and any day a line falls in) and dropped whole past
-- LOGS_RETENTION_DAYS; none is created here, so migrating never depends on the date.

-- Case-insensitive substring search (ILIKE '%q%') through a trigram GIN index. pg_trgm ships
-- with PostgreSQL (contrib) and is a trusted extension since PostgreSQL 13: the database
-- owner may create it without being a superuser.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- CreateTable
CREATE TABLE "AppLogLine" (
    "at" TIMESTAMP(6) NOT NULL,
    "seq" BIGSERIAL NOT NULL,
    "organizationId" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "environmentId" TEXT NOT NULL,
    "releaseId" TEXT NOT NULL,
    "replica" TEXT NOT NULL,
    "stream" TEXT NOT NULL,
    "level" TEXT NOT NULL,
    "message" TEXT NOT NULL,

    CONSTRAINT "AppLogLine_pkey" PRIMARY KEY ("at","seq")
) PARTITION BY RANGE ("at");

-- CreateTable
CREATE TABLE "AppLogCursor" (
    "containerId" TEXT NOT NULL,
    "environmentId" TEXT NOT NULL,
    "lastTimestamp" TEXT NOT NULL,
    "linesAtLast" INTEGER NOT NULL,
    "complete" BOOLEAN NOT NULL DEFAULT false,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AppLogCursor_pkey" PRIMARY KEY ("containerId")
);

-- CreateIndex
CREATE INDEX "AppLogLine_organizationId_environmentId_seq_idx" ON "AppLogLine"("organizationId", "environmentId", "seq");

-- CreateIndex
CREATE INDEX "AppLogLine_releaseId_seq_idx" ON "AppLogLine"("releaseId", "seq");

-- CreateIndex
CREATE INDEX "AppLogLine_message_idx" ON "AppLogLine" USING GIN ("message" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "AppLogCursor_updatedAt_idx" ON "AppLogCursor"("updatedAt");
