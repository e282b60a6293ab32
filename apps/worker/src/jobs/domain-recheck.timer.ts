import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { CONFIG, type Config } from '@slipway/config';
import { DomainsService } from '@slipway/deployments';

/**
 * Every DOMAIN_RECHECK_SECONDS: removes custom domains not verified in time and looks up the TXT
 * records of the pending ones, so a domain verifies once its record appears without anyone
 * pressing Verify. Needs no lock: a second worker doing the same pass at once is harmless (the
 * host reservation decides, removals are conditional).
 */
@Injectable()
export class DomainRecheckTimer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('domain-recheck');
  private timer?: NodeJS.Timeout;
  private running = false;

  constructor(
    @Inject(CONFIG) private readonly config: Config,
    private readonly domains: DomainsService,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.tick(), this.config.DOMAIN_RECHECK_SECONDS * 1000);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  private async tick(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      const { verified, expired } = await this.domains.recheckPending();
      if (verified || expired) this.logger.log(`custom domains: ${verified} verified, ${expired} expired and removed`);
    } catch (err) {
      this.logger.warn(`custom domain re-check failed, will retry: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      this.running = false;
    }
  }
}
