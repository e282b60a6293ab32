import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { ImageRetention } from '@slipway/deployments';
import { JobSchedules } from '@slipway/queue';

const MB = 1024 * 1024;

/**
 * Hourly, once across all workers: release images beyond the rollback window
 * (RELEASE_IMAGES_KEEP per environment) and leftovers of finished builds are removed, and the
 * engine's build cache is trimmed to BUILD_CACHE_MAX_MB (see ImageRetention).
 */
@Injectable()
export class ImagesPruneSchedule implements OnApplicationBootstrap {
  private readonly logger = new Logger('images-prune');

  constructor(
    @Inject(ImageRetention) private readonly retention: ImageRetention,
    @Inject(JobSchedules) private readonly schedules: JobSchedules,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.schedules.schedule('images-prune', async () => {
      const r = await this.retention.run();
      if (r.imagesRemoved || r.releasesPruned || r.buildCacheReclaimedBytes)
        this.logger.log(
          `removed ${r.imagesRemoved} images (${Math.round(r.bytesRemoved / MB)} MB; ${r.releasesPruned} releases can no longer be rolled back to), build cache trimmed by ${Math.round(r.buildCacheReclaimedBytes / MB)} MB`,
        );
      if (r.imagesKept) this.logger.warn(`${r.imagesKept} images beyond the rollback window are still used by a container: kept for now`);
    });
  }
}
