import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { AutoRollback, ReleaseVerdictsService } from '@slipway/observability';
import { JobSchedules } from '@slipway/queue';

/**
 * Every few seconds (SCHEDULED_JOBS['release-verdicts']), once across all workers: every
 * release still in its watch window (VERDICT_WINDOW_MINUTES from its deploy) is judged against
 * the release it replaced and the verdict stored; a faulty live release of an environment that
 * opted in is rolled back to the previous release, once.
 */
@Injectable()
export class ReleaseVerdictsSchedule implements OnApplicationBootstrap {
  private readonly logger = new Logger('release-verdicts');

  constructor(
    @Inject(ReleaseVerdictsService) private readonly verdicts: ReleaseVerdictsService,
    @Inject(AutoRollback) private readonly autoRollback: AutoRollback,
    @Inject(JobSchedules) private readonly schedules: JobSchedules,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.schedules.schedule('release-verdicts', async () => {
      const evaluated = await this.verdicts.evaluateDue();
      const outcomes = await this.autoRollback.apply(evaluated);
      const refused = outcomes.filter((o) => o.result === 'refused').length;
      if (refused > 0) this.logger.warn(`${refused} faulty release(s) could not be rolled back automatically (see above)`);
    });
  }
}
