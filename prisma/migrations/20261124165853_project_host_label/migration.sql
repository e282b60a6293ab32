-- Host labels are unique across organizations, so two tenants' projects named alike can never
-- answer at the same host. Existing projects get their slug plus an id suffix (always free).
ALTER TABLE "Project" ADD COLUMN "hostLabel" TEXT;
UPDATE "Project" SET "hostLabel" = "slug" || '-' || right("id", 8);
ALTER TABLE "Project" ALTER COLUMN "hostLabel" SET NOT NULL;

-- CreateIndex
CREATE UNIQUE INDEX "Project_hostLabel_key" ON "Project"("hostLabel");
