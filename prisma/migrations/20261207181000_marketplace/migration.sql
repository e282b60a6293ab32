-- CreateEnum
CREATE TYPE "ApiListingVisibility" AS ENUM ('PUBLIC', 'UNLISTED', 'PRIVATE');

-- CreateEnum
CREATE TYPE "ApiListingStatus" AS ENUM ('DRAFT', 'PUBLISHED', 'ARCHIVED');

-- CreateEnum
CREATE TYPE "ApiSpecSource" AS ENUM ('APP', 'UPLOAD');

-- CreateEnum
CREATE TYPE "ApiSubscriptionStatus" AS ENUM ('ACTIVE', 'PAST_DUE', 'CANCELED');

-- CreateEnum
CREATE TYPE "ApiKeyMode" AS ENUM ('LIVE', 'TEST');

-- CreateEnum
CREATE TYPE "ApiInvoiceStatus" AS ENUM ('DRAFT', 'FINALIZED', 'PAID', 'VOID');

-- CreateEnum
CREATE TYPE "ApiLedgerKind" AS ENUM ('CREDIT_PURCHASE', 'CREDIT_GRANT', 'CREDIT_USAGE', 'INVOICE_FINALIZED', 'INVOICE_PAID', 'CREDIT_NOTE', 'PLATFORM_FEE', 'PAYOUT');

-- CreateEnum
CREATE TYPE "ApiPayoutStatus" AS ENUM ('PENDING', 'PAID');

-- CreateTable
CREATE TABLE "ApiListing" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "environmentId" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "visibility" "ApiListingVisibility" NOT NULL,
    "status" "ApiListingStatus" NOT NULL DEFAULT 'DRAFT',
    "termsUrl" TEXT,
    "openApiPath" TEXT,
    "operations" JSONB NOT NULL,
    "billServerErrors" BOOLEAN NOT NULL DEFAULT false,
    "sealedEdgeSecret" TEXT NOT NULL,
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "publishedAt" TIMESTAMP(3),

    CONSTRAINT "ApiListing_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApiSpecVersion" (
    "id" TEXT NOT NULL,
    "listingId" TEXT NOT NULL,
    "releaseId" TEXT,
    "source" "ApiSpecSource" NOT NULL,
    "document" JSONB NOT NULL,
    "sha256" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ApiSpecVersion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApiPlan" (
    "id" TEXT NOT NULL,
    "listingId" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "currentVersionId" TEXT,
    "archivedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ApiPlan_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApiPlanVersion" (
    "id" TEXT NOT NULL,
    "planId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "pricing" JSONB NOT NULL,
    "limits" JSONB NOT NULL,
    "operations" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ApiPlanVersion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApiSubscription" (
    "id" TEXT NOT NULL,
    "listingId" TEXT NOT NULL,
    "planId" TEXT NOT NULL,
    "planVersionId" TEXT NOT NULL,
    "consumerOrganizationId" TEXT NOT NULL,
    "publisherOrganizationId" TEXT NOT NULL,
    "status" "ApiSubscriptionStatus" NOT NULL DEFAULT 'ACTIVE',
    "currentPeriodStart" TIMESTAMP(3) NOT NULL,
    "currentPeriodEnd" TIMESTAMP(3) NOT NULL,
    "spendCapMicros" BIGINT,
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "canceledAt" TIMESTAMP(3),

    CONSTRAINT "ApiSubscription_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApiSubscriptionChange" (
    "id" TEXT NOT NULL,
    "subscriptionId" TEXT NOT NULL,
    "fromPlanVersionId" TEXT NOT NULL,
    "toPlanVersionId" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actorId" TEXT,

    CONSTRAINT "ApiSubscriptionChange_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApiConsumerKey" (
    "id" TEXT NOT NULL,
    "subscriptionId" TEXT NOT NULL,
    "consumerOrganizationId" TEXT NOT NULL,
    "mode" "ApiKeyMode" NOT NULL,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),
    "replacedById" TEXT,
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ApiConsumerKey_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApiUsageEvent" (
    "id" TEXT NOT NULL,
    "time" TIMESTAMP(3) NOT NULL,
    "listingId" TEXT NOT NULL,
    "subscriptionId" TEXT NOT NULL,
    "consumerOrganizationId" TEXT NOT NULL,
    "publisherOrganizationId" TEXT NOT NULL,
    "keyId" TEXT NOT NULL,
    "planVersionId" TEXT NOT NULL,
    "live" BOOLEAN NOT NULL,
    "method" TEXT NOT NULL,
    "operation" TEXT NOT NULL,
    "weight" INTEGER NOT NULL,
    "status" INTEGER NOT NULL,
    "durationMs" DOUBLE PRECISION NOT NULL,
    "releaseId" TEXT NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lateForInvoiceId" TEXT,

    CONSTRAINT "ApiUsageEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApiInvoice" (
    "id" TEXT NOT NULL,
    "number" TEXT,
    "subscriptionId" TEXT NOT NULL,
    "listingId" TEXT NOT NULL,
    "consumerOrganizationId" TEXT NOT NULL,
    "publisherOrganizationId" TEXT NOT NULL,
    "periodStart" TIMESTAMP(3) NOT NULL,
    "periodEnd" TIMESTAMP(3) NOT NULL,
    "status" "ApiInvoiceStatus" NOT NULL DEFAULT 'DRAFT',
    "currency" TEXT NOT NULL DEFAULT 'USD',
    "subtotalMicros" BIGINT NOT NULL DEFAULT 0,
    "taxRateBps" INTEGER NOT NULL DEFAULT 0,
    "taxMicros" BIGINT NOT NULL DEFAULT 0,
    "totalMicros" BIGINT NOT NULL DEFAULT 0,
    "finalizedAt" TIMESTAMP(3),
    "paidAt" TIMESTAMP(3),
    "paymentProvider" TEXT,
    "paymentReference" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ApiInvoice_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApiInvoiceLine" (
    "id" TEXT NOT NULL,
    "invoiceId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "quantity" BIGINT NOT NULL,
    "unitPriceMicros" BIGINT NOT NULL,
    "amountMicros" BIGINT NOT NULL,
    "usageFrom" TIMESTAMP(3),
    "usageTo" TIMESTAMP(3),
    "planVersionId" TEXT,

    CONSTRAINT "ApiInvoiceLine_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApiCreditNote" (
    "id" TEXT NOT NULL,
    "invoiceId" TEXT NOT NULL,
    "amountMicros" BIGINT NOT NULL,
    "reason" TEXT NOT NULL,
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ApiCreditNote_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApiLedgerEntry" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "kind" "ApiLedgerKind" NOT NULL,
    "amountMicros" BIGINT NOT NULL,
    "subscriptionId" TEXT,
    "invoiceId" TEXT,
    "payoutId" TEXT,
    "idempotencyKey" TEXT NOT NULL,
    "memo" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ApiLedgerEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApiPayout" (
    "id" TEXT NOT NULL,
    "publisherOrganizationId" TEXT NOT NULL,
    "periodStart" TIMESTAMP(3) NOT NULL,
    "periodEnd" TIMESTAMP(3) NOT NULL,
    "grossMicros" BIGINT NOT NULL,
    "feeMicros" BIGINT NOT NULL,
    "netMicros" BIGINT NOT NULL,
    "status" "ApiPayoutStatus" NOT NULL DEFAULT 'PENDING',
    "provider" TEXT,
    "providerReference" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "paidAt" TIMESTAMP(3),

    CONSTRAINT "ApiPayout_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ApiListing_slug_key" ON "ApiListing"("slug");

-- CreateIndex
CREATE INDEX "ApiListing_organizationId_idx" ON "ApiListing"("organizationId");

-- CreateIndex
CREATE INDEX "ApiListing_environmentId_idx" ON "ApiListing"("environmentId");

-- CreateIndex
CREATE INDEX "ApiListing_status_visibility_idx" ON "ApiListing"("status", "visibility");

-- CreateIndex
CREATE INDEX "ApiSpecVersion_listingId_createdAt_idx" ON "ApiSpecVersion"("listingId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "ApiSpecVersion_listingId_sha256_key" ON "ApiSpecVersion"("listingId", "sha256");

-- CreateIndex
CREATE UNIQUE INDEX "ApiPlan_listingId_slug_key" ON "ApiPlan"("listingId", "slug");

-- CreateIndex
CREATE UNIQUE INDEX "ApiPlanVersion_planId_version_key" ON "ApiPlanVersion"("planId", "version");

-- CreateIndex
CREATE INDEX "ApiSubscription_consumerOrganizationId_idx" ON "ApiSubscription"("consumerOrganizationId");

-- CreateIndex
CREATE INDEX "ApiSubscription_publisherOrganizationId_idx" ON "ApiSubscription"("publisherOrganizationId");

-- CreateIndex
CREATE INDEX "ApiSubscription_listingId_idx" ON "ApiSubscription"("listingId");

-- CreateIndex
CREATE INDEX "ApiSubscriptionChange_subscriptionId_at_idx" ON "ApiSubscriptionChange"("subscriptionId", "at");

-- CreateIndex
CREATE UNIQUE INDEX "ApiConsumerKey_tokenHash_key" ON "ApiConsumerKey"("tokenHash");

-- CreateIndex
CREATE INDEX "ApiConsumerKey_subscriptionId_idx" ON "ApiConsumerKey"("subscriptionId");

-- CreateIndex
CREATE INDEX "ApiConsumerKey_consumerOrganizationId_idx" ON "ApiConsumerKey"("consumerOrganizationId");

-- CreateIndex
CREATE INDEX "ApiUsageEvent_subscriptionId_time_idx" ON "ApiUsageEvent"("subscriptionId", "time");

-- CreateIndex
CREATE INDEX "ApiUsageEvent_listingId_time_idx" ON "ApiUsageEvent"("listingId", "time");

-- CreateIndex
CREATE INDEX "ApiUsageEvent_publisherOrganizationId_time_idx" ON "ApiUsageEvent"("publisherOrganizationId", "time");

-- CreateIndex
CREATE UNIQUE INDEX "ApiInvoice_number_key" ON "ApiInvoice"("number");

-- CreateIndex
CREATE INDEX "ApiInvoice_consumerOrganizationId_periodStart_idx" ON "ApiInvoice"("consumerOrganizationId", "periodStart");

-- CreateIndex
CREATE INDEX "ApiInvoice_publisherOrganizationId_periodStart_idx" ON "ApiInvoice"("publisherOrganizationId", "periodStart");

-- CreateIndex
CREATE UNIQUE INDEX "ApiInvoice_subscriptionId_periodStart_key" ON "ApiInvoice"("subscriptionId", "periodStart");

-- CreateIndex
CREATE INDEX "ApiInvoiceLine_invoiceId_position_idx" ON "ApiInvoiceLine"("invoiceId", "position");

-- CreateIndex
CREATE INDEX "ApiCreditNote_invoiceId_idx" ON "ApiCreditNote"("invoiceId");

-- CreateIndex
CREATE UNIQUE INDEX "ApiLedgerEntry_idempotencyKey_key" ON "ApiLedgerEntry"("idempotencyKey");

-- CreateIndex
CREATE INDEX "ApiLedgerEntry_organizationId_createdAt_idx" ON "ApiLedgerEntry"("organizationId", "createdAt");

-- CreateIndex
CREATE INDEX "ApiLedgerEntry_subscriptionId_idx" ON "ApiLedgerEntry"("subscriptionId");

-- CreateIndex
CREATE UNIQUE INDEX "ApiPayout_publisherOrganizationId_periodStart_key" ON "ApiPayout"("publisherOrganizationId", "periodStart");

-- AddForeignKey
ALTER TABLE "ApiSpecVersion" ADD CONSTRAINT "ApiSpecVersion_listingId_fkey" FOREIGN KEY ("listingId") REFERENCES "ApiListing"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApiPlan" ADD CONSTRAINT "ApiPlan_listingId_fkey" FOREIGN KEY ("listingId") REFERENCES "ApiListing"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApiPlanVersion" ADD CONSTRAINT "ApiPlanVersion_planId_fkey" FOREIGN KEY ("planId") REFERENCES "ApiPlan"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApiSubscription" ADD CONSTRAINT "ApiSubscription_listingId_fkey" FOREIGN KEY ("listingId") REFERENCES "ApiListing"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApiSubscription" ADD CONSTRAINT "ApiSubscription_planId_fkey" FOREIGN KEY ("planId") REFERENCES "ApiPlan"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApiSubscriptionChange" ADD CONSTRAINT "ApiSubscriptionChange_subscriptionId_fkey" FOREIGN KEY ("subscriptionId") REFERENCES "ApiSubscription"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApiConsumerKey" ADD CONSTRAINT "ApiConsumerKey_subscriptionId_fkey" FOREIGN KEY ("subscriptionId") REFERENCES "ApiSubscription"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApiInvoiceLine" ADD CONSTRAINT "ApiInvoiceLine_invoiceId_fkey" FOREIGN KEY ("invoiceId") REFERENCES "ApiInvoice"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApiCreditNote" ADD CONSTRAINT "ApiCreditNote_invoiceId_fkey" FOREIGN KEY ("invoiceId") REFERENCES "ApiInvoice"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


