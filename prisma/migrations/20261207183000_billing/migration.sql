-- Billing of published APIs: a publisher's tax rate, and the link from a gateway request to
-- the published-API call it served (per-token plans sum the gateway tokens of their calls).

-- CreateTable
CREATE TABLE "ApiPublisherSettings" (
    "organizationId" TEXT NOT NULL,
    "taxRateBps" INTEGER NOT NULL DEFAULT 0,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ApiPublisherSettings_pkey" PRIMARY KEY ("organizationId")
);

-- AlterTable: nullable, no default, so existing rows are not rewritten.
ALTER TABLE "GatewayRequest" ADD COLUMN "apiCallId" TEXT;

-- CreateIndex
CREATE INDEX "GatewayRequest_apiCallId_idx" ON "GatewayRequest"("apiCallId");
