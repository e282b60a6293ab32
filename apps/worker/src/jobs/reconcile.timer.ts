import { randomUUID } from 'node:crypto';
import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Reconciler } from '@slipway/deployments';
import { RedisService } from '@slipway/redis';

const EVERY_MS = 5_000;
const LOCK_KEY = 'slipway:reconcile:lock';

/**
 * Runs the reconciler at start and every few seconds. A short Redis lock keeps several
 * workers from repairing the same thing at once.
 */
@Injectable()
export class ReconcileTimer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('reconcile');
  private readonly id = randomUUID();
  private timer?: NodeJS.Timeout;
  private running = false;

  constructor(
    private readonly reconciler: Reconciler,
    private readonly redis: RedisService,
  ) {}

  onApplicationBootstrap(): void {
    void this.tick();
    this.timer = setInterval(() => void this.tick(), EVERY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  private async tick(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      if ((await this.redis.client.set(LOCK_KEY, this.id, 'PX', EVERY_MS * 2, 'NX')) !== 'OK') return;
      await this.reconciler.run();
      await this.redis.client.eval("if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0", 1, LOCK_KEY, this.id);
    } catch (err) {
      this.logger.warn(`reconcile failed, will retry: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      this.running = false;
    }
  }
}
