-- The subnet of PROJECT_NETWORK_POOL each project's Docker network uses; no foreign key to
-- "Project" on purpose (the row is freed when the network is removed, not when the project is).
CREATE TABLE "ProjectNetwork" (
    "projectId" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "subnet" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ProjectNetwork_pkey" PRIMARY KEY ("projectId")
);

CREATE UNIQUE INDEX "ProjectNetwork_subnet_key" ON "ProjectNetwork"("subnet");
CREATE INDEX "ProjectNetwork_organizationId_idx" ON "ProjectNetwork"("organizationId");
