-- Replica resources (libs/domain/observability): Docker stats per replica partitioned by day, a 1-minute rollup,
-- and the replicas' lifecycle events (restarts, OOM kills). Partitions of "ReplicaResourceSample" are created by
-- the sampler (today and the next two days) and dropped whole past OBSERVABILITY_RAW_RETENTION_DAYS; none is
-- created here, so migrating never depends on the date.

-- CreateTable
CREATE TABLE "ReplicaResourceSample" (
    "sampledAt" TIMESTAMP(3) NOT NULL,
    "replica" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "environmentId" TEXT NOT NULL,
    "releaseId" TEXT NOT NULL,
    "replicaIndex" INTEGER NOT NULL,
    "cpuPercent" DOUBLE PRECISION,
    "memoryBytes" BIGINT NOT NULL,
    "cpuLimitMillis" INTEGER NOT NULL,
    "memoryLimitBytes" BIGINT NOT NULL,

    CONSTRAINT "ReplicaResourceSample_pkey" PRIMARY KEY ("sampledAt","replica")
) PARTITION BY RANGE ("sampledAt");

-- CreateTable
CREATE TABLE "ReplicaResourceMinute" (
    "bucket" TIMESTAMP(3) NOT NULL,
    "replica" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "environmentId" TEXT NOT NULL,
    "releaseId" TEXT NOT NULL,
    "replicaIndex" INTEGER NOT NULL,
    "samples" INTEGER NOT NULL,
    "cpuSamples" INTEGER NOT NULL,
    "cpuPercentSum" DOUBLE PRECISION NOT NULL,
    "cpuPercentMax" DOUBLE PRECISION,
    "memoryBytesSum" BIGINT NOT NULL,
    "memoryBytesMax" BIGINT NOT NULL,
    "cpuLimitMillis" INTEGER NOT NULL,
    "memoryLimitBytes" BIGINT NOT NULL,

    CONSTRAINT "ReplicaResourceMinute_pkey" PRIMARY KEY ("replica","bucket")
);

-- CreateTable
CREATE TABLE "ReplicaEvent" (
    "id" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "replica" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "environmentId" TEXT NOT NULL,
    "releaseId" TEXT NOT NULL,
    "replicaIndex" INTEGER NOT NULL,
    "action" TEXT NOT NULL,
    "exitCode" INTEGER,
    "oomKilled" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "ReplicaEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ReplicaResourceSample_organizationId_environmentId_sampledA_idx" ON "ReplicaResourceSample"("organizationId", "environmentId", "sampledAt");

-- CreateIndex
CREATE INDEX "ReplicaResourceSample_releaseId_sampledAt_idx" ON "ReplicaResourceSample"("releaseId", "sampledAt");

-- CreateIndex
CREATE INDEX "ReplicaResourceMinute_organizationId_environmentId_bucket_idx" ON "ReplicaResourceMinute"("organizationId", "environmentId", "bucket");

-- CreateIndex
CREATE INDEX "ReplicaResourceMinute_releaseId_bucket_idx" ON "ReplicaResourceMinute"("releaseId", "bucket");

-- CreateIndex
CREATE INDEX "ReplicaResourceMinute_bucket_idx" ON "ReplicaResourceMinute"("bucket");

-- CreateIndex
CREATE INDEX "ReplicaEvent_organizationId_environmentId_at_idx" ON "ReplicaEvent"("organizationId", "environmentId", "at");

-- CreateIndex
CREATE INDEX "ReplicaEvent_replica_at_idx" ON "ReplicaEvent"("replica", "at");

-- CreateIndex
CREATE INDEX "ReplicaEvent_at_idx" ON "ReplicaEvent"("at");


