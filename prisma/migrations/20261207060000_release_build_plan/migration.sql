-- The build plan each release was made with (builder, Node version, install/build/start commands and why).
ALTER TABLE "Release" ADD COLUMN "buildPlan" JSONB;
