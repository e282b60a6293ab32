import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { CONFIG, type Config } from '@slipway/config';
import { JOBS, type JobName, type JobPayload } from '@slipway/contracts';

/** Enqueues jobs. The job id is the domain row's id (see JOBS), so a duplicate is a no-op. */
@Injectable()
export class JobQueue implements OnModuleDestroy {
  private readonly connection: Redis;
  private readonly queues = new Map<string, Queue>();

  constructor(@Inject(CONFIG) config: Pick<Config, 'REDIS_URL'>) {
    // BullMQ needs maxRetriesPerRequest null on its connections (blocking commands).
    this.connection = new Redis(config.REDIS_URL, { maxRetriesPerRequest: null, lazyConnect: true });
    this.connection.on('error', () => undefined);
  }

  async enqueue<N extends JobName>(name: N, jobId: string, payload: JobPayload<N>): Promise<void> {
    const job = JOBS[name];
    const data = job.payload.parse(payload);
    await this.queue(job.queue).add(name, data, {
      jobId,
      attempts: job.attempts,
      backoff: { type: 'exponential', delay: 500, jitter: 0.5 },
      removeOnComplete: 1000,
      removeOnFail: 5000,
    });
  }

  private queue(name: string): Queue {
    let q = this.queues.get(name);
    if (!q) {
      q = new Queue(name, { connection: this.connection });
      this.queues.set(name, q);
    }
    return q;
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    this.connection.disconnect();
  }
}
