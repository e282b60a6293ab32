import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { CONFIG, type Config } from '@slipway/config';
import { JOBS, type JobName, type JobPayload } from '@slipway/contracts';

/** Jobs that will still run (or are running): not failed, completed, or gone. */
const PENDING_STATES = new Set(['waiting', 'active', 'delayed', 'prioritized', 'waiting-children']);

/**
 * Enqueues jobs. The job id names the domain row and its attempt (contracts' `rowJobId`), so a
 * duplicate is a no-op, and work queued again after a lost job takes a new attempt's id.
 */
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

  /**
   * Whether the job will still run, or is running. False when it failed for good, completed, or
   * is not there at all (a Redis flush, or removed after completing or failing).
   */
  async isPending(name: JobName, jobId: string): Promise<boolean> {
    const job = await this.queue(JOBS[name].queue).getJob(jobId);
    return job ? PENDING_STATES.has(await job.getState()) : false;
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
