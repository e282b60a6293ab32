-- Attempt fencing: every claim of a build or deployment (and every re-queue of a lost job) bumps
-- its attempt; the running attempt's writes are conditional on it, so a second copy of a job can
-- never write over (or remove) the work of the copy that owns the row.
ALTER TABLE "Build" ADD COLUMN "attempt" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "Deployment" ADD COLUMN "attempt" INTEGER NOT NULL DEFAULT 0;
