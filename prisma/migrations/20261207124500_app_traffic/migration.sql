-- App traffic (libs/domain/observability): edge samples partitioned by day, 1-minute and 1-hour rollups.
-- Partitions of "AppTrafficSample" are created by the collector (the current day and the next two,
-- and any day a sample falls in) and dropped whole past OBSERVABILITY_RAW_RETENTION_DAYS; none is
-- created here, so migrating never depends on the date.

-- CreateTable
CREATE TABLE "AppTrafficSample" (
    "streamId" TEXT NOT NULL,
    "windowStart" TIMESTAMP(3) NOT NULL,
    "windowEnd" TIMESTAMP(3) NOT NULL,
    "organizationId" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "environmentId" TEXT NOT NULL,
    "releaseId" TEXT NOT NULL,
    "requests" BIGINT NOT NULL,
    "status2xx" BIGINT NOT NULL,
    "status3xx" BIGINT NOT NULL,
    "status4xx" BIGINT NOT NULL,
    "status5xx" BIGINT NOT NULL,
    "latencyCounts" BIGINT[],

    CONSTRAINT "AppTrafficSample_pkey" PRIMARY KEY ("windowStart","streamId")
) PARTITION BY RANGE ("windowStart");

-- CreateTable
CREATE TABLE "AppTrafficMinute" (
    "bucket" TIMESTAMP(3) NOT NULL,
    "organizationId" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "environmentId" TEXT NOT NULL,
    "releaseId" TEXT NOT NULL,
    "requests" BIGINT NOT NULL,
    "status2xx" BIGINT NOT NULL,
    "status3xx" BIGINT NOT NULL,
    "status4xx" BIGINT NOT NULL,
    "status5xx" BIGINT NOT NULL,
    "latencyCounts" BIGINT[],

    CONSTRAINT "AppTrafficMinute_pkey" PRIMARY KEY ("releaseId","bucket")
);

-- CreateTable
CREATE TABLE "AppTrafficHour" (
    "bucket" TIMESTAMP(3) NOT NULL,
    "organizationId" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "environmentId" TEXT NOT NULL,
    "releaseId" TEXT NOT NULL,
    "requests" BIGINT NOT NULL,
    "status2xx" BIGINT NOT NULL,
    "status3xx" BIGINT NOT NULL,
    "status4xx" BIGINT NOT NULL,
    "status5xx" BIGINT NOT NULL,
    "latencyCounts" BIGINT[],

    CONSTRAINT "AppTrafficHour_pkey" PRIMARY KEY ("releaseId","bucket")
);

-- CreateIndex
CREATE INDEX "AppTrafficSample_organizationId_environmentId_windowStart_idx" ON "AppTrafficSample"("organizationId", "environmentId", "windowStart");

-- CreateIndex
CREATE INDEX "AppTrafficMinute_organizationId_environmentId_bucket_idx" ON "AppTrafficMinute"("organizationId", "environmentId", "bucket");

-- CreateIndex
CREATE INDEX "AppTrafficMinute_bucket_idx" ON "AppTrafficMinute"("bucket");

-- CreateIndex
CREATE INDEX "AppTrafficHour_organizationId_environmentId_bucket_idx" ON "AppTrafficHour"("organizationId", "environmentId", "bucket");

-- CreateIndex
CREATE INDEX "AppTrafficHour_bucket_idx" ON "AppTrafficHour"("bucket");


