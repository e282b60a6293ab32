-- OTLP export: one cursor row per signal, and the order in which gateway requests were stored.

-- CreateTable
CREATE TABLE "OtlpExportCursor" (
    "signal" TEXT NOT NULL,
    "position" TEXT NOT NULL DEFAULT '',
    "failures" INTEGER NOT NULL DEFAULT 0,
    "retryAt" TIMESTAMP(3),
    "lastError" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "OtlpExportCursor_pkey" PRIMARY KEY ("signal")
);

-- AlterTable: a constant default (CURRENT_TIMESTAMP is evaluated once here), so no table
-- rewrite; rows stored before this migration all get its time and are exported first.
ALTER TABLE "GatewayRequest" ADD COLUMN "storedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- CreateIndex
CREATE INDEX "GatewayRequest_storedAt_id_idx" ON "GatewayRequest"("storedAt", "id");
