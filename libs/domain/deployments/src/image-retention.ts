import { Inject, Injectable, Logger } from '@nestjs/common';
import { CONFIG, type Config } from '@slipway/config';
import { CONTAINER_RUNTIME, LABELS, type ContainerRuntime, type ImageInfo } from '@slipway/docker';
import { removeImageAndTags } from './image-removal';
import { ImageRetentionRepository } from './image-retention.repository';

export interface ImageRetentionResult {
  /** Images removed from the engine. */
  imagesRemoved: number;
  /** Their size as the engine reported it (shared layers counted in each). */
  bytesRemoved: number;
  /** Releases that can no longer be rolled back to (their image removed now or found gone). */
  releasesPruned: number;
  /** Images the engine refused to remove (in use by a container): kept, tried again next pass. */
  imagesKept: number;
  buildCacheReclaimedBytes: number;
}

const MB = 1024 * 1024;
/** After a build, the build cache is trimmed at most this often per worker (the hourly pass does it too). */
export const BUILD_CACHE_TRIM_EVERY_MS = 10 * 60_000;
const IN_PROGRESS = new Set(['QUEUED', 'RUNNING']);

/**
 * Image retention and the build cache budget (the worker's `images-prune` job).
 *
 * Kept: the images of the last RELEASE_IMAGES_KEEP releases of each environment (the rollback
 * window), of its live release whatever its age, of releases a deployment is about to start,
 * every image a container (running or stopped) uses, and every image of a project with a build in
 * progress. Removed: any other image that is managed (`slipway.managed=1`) and whose
 * `slipway.build` label names a build of THIS database that has finished — release images beyond
 * the window, and the leftovers of superseded or failed builds. An image another installation
 * built on the same engine names a build this database does not have, and is never touched.
 * A release is marked (`imageRemovedAt`) before its image goes, so a rollback to it is refused
 * with RELEASE_IMAGE_REMOVED instead of failing to start; if the engine keeps the image, the mark
 * is undone.
 */
@Injectable()
export class ImageRetention {
  private readonly logger = new Logger('image-retention');
  private trimming: Promise<void> | null = null;
  private trimmedAt = -Infinity;

  constructor(
    @Inject(CONTAINER_RUNTIME) private readonly runtime: ContainerRuntime,
    @Inject(ImageRetentionRepository) private readonly repository: ImageRetentionRepository,
    @Inject(CONFIG) private readonly config: Pick<Config, 'RELEASE_IMAGES_KEEP' | 'BUILD_CACHE_MAX_MB'>,
  ) {}

  async run(): Promise<ImageRetentionResult> {
    const result = await this.pruneReleaseImages();
    const { reclaimedBytes } = await this.runtime.pruneBuildCache(this.config.BUILD_CACHE_MAX_MB * MB);
    return { ...result, buildCacheReclaimedBytes: reclaimedBytes };
  }

  /**
   * After a build: trims the build cache to BUILD_CACHE_MAX_MB in the background, so a burst of
   * builds does not wait for the hourly pass. The check that decides is in memory (one trim at a
   * time, at most every BUILD_CACHE_TRIM_EVERY_MS); the size itself is the engine's to compare
   * (keep-storage): asking for it first (`docker system df`) took 12–17 s on an engine with
   * 1,000 images, the trim 5–8 s (docs/capacity.md). Never throws and never delays the build.
   */
  trimBuildCacheSoon(now = Date.now()): Promise<void> | null {
    if (this.trimming || now - this.trimmedAt < BUILD_CACHE_TRIM_EVERY_MS) return null;
    this.trimmedAt = now;
    this.trimming = this.runtime
      .pruneBuildCache(this.config.BUILD_CACHE_MAX_MB * MB)
      .then(({ reclaimedBytes }) => {
        if (reclaimedBytes) this.logger.log(`build cache trimmed by ${Math.round(reclaimedBytes / MB)} MB after a build (BUILD_CACHE_MAX_MB=${this.config.BUILD_CACHE_MAX_MB})`);
      })
      .catch((err: unknown) => this.logger.warn(`build cache trim after a build failed (the hourly pass tries again): ${err instanceof Error ? err.message : String(err)}`))
      .finally(() => (this.trimming = null));
    return this.trimming;
  }

  private async pruneReleaseImages(): Promise<Omit<ImageRetentionResult, 'buildCacheReclaimedBytes'>> {
    const releases = await this.repository.releasesOfAllTenants(this.config.RELEASE_IMAGES_KEEP);
    const keptImages = new Set(releases.filter((r) => r.keep).map((r) => r.imageId));
    for (const c of await this.runtime.listContainers({}, { all: true })) keptImages.add(c.image);
    // Read after the containers: an image a replica started with since is in this list or in keptImages.
    const images = await this.runtime.listImages({});
    const builds = new Map(
      (await this.repository.buildsOfAllTenants(unique(images.map((i) => i.labels[LABELS.build])))).map((b) => [b.id, b]),
    );
    const building = await this.repository.projectsBuildingOfAllTenants();
    const releasesByImage = groupBy(
      releases.filter((r) => !r.keep),
      (r) => r.imageId,
    );

    const result = { imagesRemoved: 0, bytesRemoved: 0, releasesPruned: 0, imagesKept: 0 };
    const seen = new Set<string>();
    for (const image of images) {
      seen.add(image.id);
      const build = builds.get(image.labels[LABELS.build] ?? '');
      if (!build || IN_PROGRESS.has(build.status) || building.has(build.projectId) || keptImages.has(image.id)) continue;
      const releaseIds = (releasesByImage.get(image.id) ?? []).map((r) => r.id);
      const marked = await this.repository.markImageRemoved(releaseIds);
      if (marked.length < releaseIds.length) {
        // One of them became live or got a deployment since it was read: keep the image.
        await this.repository.unmarkImageRemoved(marked);
        continue;
      }
      if (await this.remove(image)) {
        result.imagesRemoved++;
        result.bytesRemoved += image.sizeBytes;
        result.releasesPruned += marked.length;
      } else {
        await this.repository.unmarkImageRemoved(marked);
        result.imagesKept++;
      }
    }
    // Releases beyond the window whose image is already gone (removed by hand, another engine):
    // marked too, so the console and the api stop offering them.
    const gone = [...releasesByImage].filter(([imageId]) => !seen.has(imageId) && !keptImages.has(imageId));
    for (const [imageId, rs] of gone) {
      if (await this.runtime.findImage(imageId)) continue; // present but not ours to judge (no managed label)
      result.releasesPruned += (await this.repository.markImageRemoved(rs.map((r) => r.id))).length;
    }
    return result;
  }

  private async remove(image: ImageInfo): Promise<boolean> {
    try {
      await removeImageAndTags(this.runtime, image);
      return true;
    } catch (err) {
      this.logger.warn(`image ${image.id.slice(7, 19)} kept: ${(err as Error).message}`);
      return false;
    }
  }
}

const unique = (values: (string | undefined)[]): string[] => [...new Set(values.filter((v): v is string => !!v))];

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}
