-- Image retention (the worker's `images-prune` job) records when it removed a release's image:
-- such a release can no longer be rolled back to, and the api refuses it up front.
ALTER TABLE "Release" ADD COLUMN "imageRemovedAt" TIMESTAMP(3);
