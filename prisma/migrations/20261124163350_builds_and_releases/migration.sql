-- CreateEnum
CREATE TYPE "BuildStatus" AS ENUM ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED');

-- CreateTable
CREATE TABLE "Build" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "environmentId" TEXT NOT NULL,
    "commitSha" TEXT NOT NULL,
    "branch" TEXT NOT NULL,
    "authorName" TEXT NOT NULL,
    "authorEmail" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "status" "BuildStatus" NOT NULL DEFAULT 'QUEUED',
    "failureReason" TEXT,
    "cacheKey" TEXT,
    "imageId" TEXT,
    "reusedImage" BOOLEAN NOT NULL DEFAULT false,
    "queuedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "Build_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BuildLogLine" (
    "id" BIGSERIAL NOT NULL,
    "buildId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "line" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "BuildLogLine_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Release" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "environmentId" TEXT NOT NULL,
    "buildId" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "imageId" TEXT NOT NULL,
    "commitSha" TEXT NOT NULL,
    "authorName" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "envVarVersions" JSONB NOT NULL,
    "slipwayConfig" JSONB NOT NULL,
    "runtime" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Release_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Build_environmentId_queuedAt_idx" ON "Build"("environmentId", "queuedAt");

-- CreateIndex
CREATE INDEX "Build_projectId_status_idx" ON "Build"("projectId", "status");

-- CreateIndex
CREATE INDEX "Build_environmentId_cacheKey_idx" ON "Build"("environmentId", "cacheKey");

-- CreateIndex
CREATE UNIQUE INDEX "BuildLogLine_buildId_seq_key" ON "BuildLogLine"("buildId", "seq");

-- CreateIndex
CREATE UNIQUE INDEX "Release_buildId_key" ON "Release"("buildId");

-- CreateIndex
CREATE UNIQUE INDEX "Release_environmentId_number_key" ON "Release"("environmentId", "number");

-- AddForeignKey
ALTER TABLE "Build" ADD CONSTRAINT "Build_environmentId_fkey" FOREIGN KEY ("environmentId") REFERENCES "Environment"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BuildLogLine" ADD CONSTRAINT "BuildLogLine_buildId_fkey" FOREIGN KEY ("buildId") REFERENCES "Build"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Release" ADD CONSTRAINT "Release_environmentId_fkey" FOREIGN KEY ("environmentId") REFERENCES "Environment"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Release" ADD CONSTRAINT "Release_buildId_fkey" FOREIGN KEY ("buildId") REFERENCES "Build"("id") ON DELETE CASCADE ON UPDATE CASCADE;
