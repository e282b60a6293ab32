import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { CONFIG, type Config } from '@slipway/config';
import { DomainsService } from '@slipway/deployments';
import { JobSchedules } from '@slipway/queue';

/**
 * Every DOMAIN_RECHECK_SECONDS, once across all workers: removes custom domains not verified in
 * time and looks up the TXT records of the pending ones, so a domain verifies once its record
 * appears without anyone pressing Verify (the host reservation decides a race).
 */
@Injectable()
export class DomainRecheckSchedule implements OnApplicationBootstrap {
  private readonly logger = new Logger('domain-recheck');

  constructor(
    @Inject(CONFIG) private readonly config: Pick<Config, 'DOMAIN_RECHECK_SECONDS'>,
    private readonly domains: DomainsService,
    private readonly schedules: JobSchedules,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.schedules.schedule(
      'domain-recheck',
      async () => {
        const { verified, expired } = await this.domains.recheckPending();
        if (verified || expired) this.logger.log(`custom domains: ${verified} verified, ${expired} expired and removed`);
      },
      { everyMs: this.config.DOMAIN_RECHECK_SECONDS * 1000 },
    );
  }
}
