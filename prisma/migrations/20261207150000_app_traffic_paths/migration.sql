-- Top paths: per-path minute and hour rollups of the edge's samples (see prisma/models/observability-paths.prisma).

-- CreateTable
CREATE TABLE "AppTrafficPathMinute" (
    "bucket" TIMESTAMP(3) NOT NULL,
    "organizationId" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "environmentId" TEXT NOT NULL,
    "releaseId" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "requests" BIGINT NOT NULL,
    "status4xx" BIGINT NOT NULL,
    "status5xx" BIGINT NOT NULL,
    "latencyCounts" BIGINT[],

    CONSTRAINT "AppTrafficPathMinute_pkey" PRIMARY KEY ("releaseId","bucket","path")
);

-- CreateTable
CREATE TABLE "AppTrafficPathHour" (
    "bucket" TIMESTAMP(3) NOT NULL,
    "organizationId" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "environmentId" TEXT NOT NULL,
    "releaseId" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "requests" BIGINT NOT NULL,
    "status4xx" BIGINT NOT NULL,
    "status5xx" BIGINT NOT NULL,
    "latencyCounts" BIGINT[],

    CONSTRAINT "AppTrafficPathHour_pkey" PRIMARY KEY ("releaseId","bucket","path")
);

-- CreateIndex
CREATE INDEX "AppTrafficPathMinute_organizationId_environmentId_bucket_idx" ON "AppTrafficPathMinute"("organizationId", "environmentId", "bucket");

-- CreateIndex
CREATE INDEX "AppTrafficPathMinute_bucket_idx" ON "AppTrafficPathMinute"("bucket");

-- CreateIndex
CREATE INDEX "AppTrafficPathHour_organizationId_environmentId_bucket_idx" ON "AppTrafficPathHour"("organizationId", "environmentId", "bucket");

-- CreateIndex
CREATE INDEX "AppTrafficPathHour_bucket_idx" ON "AppTrafficPathHour"("bucket");
