import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { CONFIG, type Config } from '@slipway/config';
import { SCHEDULED_JOBS, type ScheduledJobName } from '@slipway/contracts';

export interface ScheduleOptions {
  /** Replaces the contract's interval (tests). */
  everyMs?: number;
}

/**
 * Periodic work on BullMQ job schedulers, for any number of worker processes:
 *
 * - every process upserts the same scheduler (id = the job's name) at start: BullMQ keeps one
 *   schedule and makes one job per interval, so each interval runs exactly once, on whichever
 *   worker takes it;
 * - the queue's global concurrency is 1, so a pass slower than the interval delays the next
 *   one instead of running beside it;
 * - a pass whose worker stopped renewing its lock (it died, or its event loop stalled) is
 *   failed, not run a second time (`maxStalledCount: 0`): the next interval runs a fresh pass.
 *
 * A pass that throws is logged; the schedule goes on.
 */
@Injectable()
export class JobSchedules implements OnModuleDestroy {
  private readonly logger = new Logger('schedules');
  private readonly closers: Array<() => Promise<void>> = [];

  constructor(@Inject(CONFIG) private readonly config: Pick<Config, 'REDIS_URL'>) {}

  async schedule(name: ScheduledJobName, pass: () => Promise<void>, options: ScheduleOptions = {}): Promise<void> {
    const { queue: queueName, everyMs } = SCHEDULED_JOBS[name];
    // BullMQ needs maxRetriesPerRequest null on its connections (blocking commands).
    const connection = new Redis(this.config.REDIS_URL, { maxRetriesPerRequest: null });
    connection.on('error', () => undefined);
    const queue = new Queue(queueName, { connection });
    queue.on('error', (err) => this.logger.warn(`${name} schedule: ${err.message}`));
    const worker = new Worker(queueName, () => pass(), {
      connection: { url: this.config.REDIS_URL, maxRetriesPerRequest: null },
      concurrency: 1,
      lockDuration: 10_000,
      stalledInterval: 5_000,
      maxStalledCount: 0,
    });
    worker.on('failed', (_job, err) => this.logger.warn(`${name} pass failed, the next interval runs again: ${err.message}`));
    worker.on('error', (err) => this.logger.warn(`${name} worker: ${err.message}`));
    this.closers.push(async () => {
      await worker.close();
      await queue.close();
      connection.disconnect();
    });
    await queue.setGlobalConcurrency(1);
    await queue.upsertJobScheduler(name, { every: options.everyMs ?? everyMs }, { name, data: {}, opts: { removeOnComplete: 50, removeOnFail: 200 } });
  }

  /** Removes the schedule of work turned off by a setting (a scheduler left in Redis would keep making jobs no worker takes). */
  async unschedule(name: ScheduledJobName): Promise<void> {
    const connection = new Redis(this.config.REDIS_URL, { maxRetriesPerRequest: null });
    connection.on('error', () => undefined);
    const queue = new Queue(SCHEDULED_JOBS[name].queue, { connection });
    try {
      await queue.removeJobScheduler(name);
      await queue.drain(true);
    } finally {
      await queue.close();
      connection.disconnect();
    }
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all(this.closers.splice(0).map((close) => close()));
  }
}
