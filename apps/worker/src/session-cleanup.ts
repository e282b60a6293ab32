import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { AuthService } from '@slipway/identity';
import { JobSchedules } from '@slipway/queue';

/**
 * Deletes expired sessions periodically (SCHEDULED_JOBS['session-cleanup'], one run per
 * interval across all workers); expiry is also enforced on every request.
 */
@Injectable()
export class SessionCleanup implements OnApplicationBootstrap {
  private readonly logger = new Logger('session-cleanup');

  constructor(
    private readonly auth: AuthService,
    private readonly schedules: JobSchedules,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.schedules.schedule('session-cleanup', async () => {
      const removed = await this.auth.purgeExpiredSessions();
      if (removed) this.logger.log(`removed ${removed} expired session(s)`);
    });
  }
}
