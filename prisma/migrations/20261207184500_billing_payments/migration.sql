-- Payments and payouts of published APIs: provider accounts, provider events applied once, and
-- the credit notes and invoice count of a payout statement.

-- AlterTable
ALTER TABLE "ApiPayout" ADD COLUMN     "creditNotesMicros" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "invoiceCount" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "ApiPaymentAccount" (
    "organizationId" TEXT NOT NULL,
    "stripeCustomerId" TEXT,
    "stripeConnectAccountId" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ApiPaymentAccount_pkey" PRIMARY KEY ("organizationId")
);

-- CreateTable
CREATE TABLE "ApiPaymentEvent" (
    "id" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "invoiceId" TEXT,
    "outcome" TEXT NOT NULL,
    "detail" TEXT,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ApiPaymentEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ApiPaymentAccount_stripeCustomerId_key" ON "ApiPaymentAccount"("stripeCustomerId");

-- CreateIndex
CREATE INDEX "ApiPaymentEvent_invoiceId_idx" ON "ApiPaymentEvent"("invoiceId");
