import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { AuthService } from '@slipway/identity';

const EVERY_MS = 10 * 60_000;

/** Deletes expired sessions periodically; expiry is also enforced on every request. */
@Injectable()
export class SessionCleanup implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('session-cleanup');
  private timer?: NodeJS.Timeout;

  constructor(private readonly auth: AuthService) {}

  onApplicationBootstrap(): void {
    void this.run();
    this.timer = setInterval(() => void this.run(), EVERY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  private async run(): Promise<void> {
    try {
      const removed = await this.auth.purgeExpiredSessions();
      if (removed) this.logger.log(`removed ${removed} expired session(s)`);
    } catch (err) {
      this.logger.warn(`session cleanup failed, will retry: ${String(err)}`);
    }
  }
}
