-- A verdict goes with its release (and so with its environment or project).
ALTER TABLE "ReleaseVerdict" ADD CONSTRAINT "ReleaseVerdict_releaseId_fkey" FOREIGN KEY ("releaseId") REFERENCES "Release"("id") ON DELETE CASCADE ON UPDATE CASCADE;
