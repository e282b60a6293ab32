-- A call whose provider never reported its usage (a stream cut, aborted or broken, a non-streamed
-- call the client gave up on) is recorded with estimated tokens and cost, and marked as such.
ALTER TABLE "GatewayRequest" ADD COLUMN "usageEstimated" BOOLEAN NOT NULL DEFAULT false;
