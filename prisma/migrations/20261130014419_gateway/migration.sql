-- CreateEnum
CREATE TYPE "ProviderKind" AS ENUM ('ANTHROPIC', 'OPENAI', 'OPENAI_COMPATIBLE');

-- CreateEnum
CREATE TYPE "GatewayKeyKind" AS ENUM ('ENVIRONMENT', 'USER');

-- CreateEnum
CREATE TYPE "GatewayDrillStatus" AS ENUM ('RUNNING', 'SUCCEEDED', 'FAILED');

-- CreateTable
CREATE TABLE "Provider" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "ProviderKind" NOT NULL,
    "baseUrl" TEXT NOT NULL,
    "sealedCredential" TEXT NOT NULL,
    "credentialHint" TEXT NOT NULL,
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Provider_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "GatewayKey" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "environmentId" TEXT,
    "kind" "GatewayKeyKind" NOT NULL,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "sealedToken" TEXT,
    "scopes" TEXT[],
    "monthlyBudgetMicros" BIGINT,
    "expiresAt" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),
    "lastUsedAt" TIMESTAMP(3),
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "GatewayKey_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "GatewayDefaults" (
    "organizationId" TEXT NOT NULL,
    "config" JSONB NOT NULL,
    "updatedById" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "GatewayDefaults_pkey" PRIMARY KEY ("organizationId")
);

-- CreateTable
CREATE TABLE "GatewayRequest" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "environmentId" TEXT,
    "releaseId" TEXT,
    "keyId" TEXT NOT NULL,
    "feature" TEXT,
    "customer" TEXT,
    "api" TEXT NOT NULL,
    "modelRequested" TEXT NOT NULL,
    "modelServed" TEXT,
    "provider" TEXT,
    "status" INTEGER NOT NULL,
    "errorCategory" TEXT,
    "latencyMs" INTEGER NOT NULL,
    "ttftMs" INTEGER,
    "inputTokens" INTEGER NOT NULL,
    "outputTokens" INTEGER NOT NULL,
    "cacheReadTokens" INTEGER NOT NULL,
    "cacheWriteTokens" INTEGER NOT NULL,
    "costMicros" BIGINT NOT NULL,
    "retries" INTEGER NOT NULL,
    "fallbackChain" TEXT[],
    "streamed" BOOLEAN NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "GatewayRequest_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "GatewayUsageMinute" (
    "minute" TIMESTAMP(3) NOT NULL,
    "organizationId" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "environmentId" TEXT NOT NULL DEFAULT '',
    "releaseId" TEXT NOT NULL DEFAULT '',
    "keyId" TEXT NOT NULL,
    "model" TEXT NOT NULL,
    "provider" TEXT NOT NULL DEFAULT '',
    "feature" TEXT NOT NULL DEFAULT '',
    "customer" TEXT NOT NULL DEFAULT '',
    "requests" INTEGER NOT NULL DEFAULT 0,
    "errors" INTEGER NOT NULL DEFAULT 0,
    "streamed" INTEGER NOT NULL DEFAULT 0,
    "inputTokens" BIGINT NOT NULL DEFAULT 0,
    "outputTokens" BIGINT NOT NULL DEFAULT 0,
    "cacheReadTokens" BIGINT NOT NULL DEFAULT 0,
    "cacheWriteTokens" BIGINT NOT NULL DEFAULT 0,
    "costMicros" BIGINT NOT NULL DEFAULT 0,
    "latencyMsSum" BIGINT NOT NULL DEFAULT 0,
    "ttftMsSum" BIGINT NOT NULL DEFAULT 0,
    "retries" INTEGER NOT NULL DEFAULT 0,
    "fallbacks" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "GatewayUsageMinute_pkey" PRIMARY KEY ("minute","organizationId","projectId","environmentId","releaseId","keyId","model","provider","feature","customer")
);

-- CreateTable
CREATE TABLE "GatewayDrill" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "environmentId" TEXT,
    "status" "GatewayDrillStatus" NOT NULL,
    "plan" JSONB NOT NULL,
    "report" JSONB,
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "GatewayDrill_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Provider_organizationId_name_key" ON "Provider"("organizationId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "GatewayKey_tokenHash_key" ON "GatewayKey"("tokenHash");

-- CreateIndex
CREATE INDEX "GatewayKey_organizationId_projectId_idx" ON "GatewayKey"("organizationId", "projectId");

-- CreateIndex
CREATE INDEX "GatewayKey_environmentId_idx" ON "GatewayKey"("environmentId");

-- CreateIndex
CREATE INDEX "GatewayRequest_organizationId_projectId_createdAt_idx" ON "GatewayRequest"("organizationId", "projectId", "createdAt");

-- CreateIndex
CREATE INDEX "GatewayRequest_keyId_createdAt_idx" ON "GatewayRequest"("keyId", "createdAt");

-- CreateIndex
CREATE INDEX "GatewayUsageMinute_organizationId_projectId_minute_idx" ON "GatewayUsageMinute"("organizationId", "projectId", "minute");

-- CreateIndex
CREATE INDEX "GatewayDrill_organizationId_projectId_createdAt_idx" ON "GatewayDrill"("organizationId", "projectId", "createdAt");

-- AddForeignKey
ALTER TABLE "GatewayKey" ADD CONSTRAINT "GatewayKey_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GatewayDrill" ADD CONSTRAINT "GatewayDrill_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;
