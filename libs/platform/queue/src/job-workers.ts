import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { UnrecoverableError, Worker } from 'bullmq';
import { CONFIG, type Config } from '@slipway/config';
import { JOBS, type JobName } from '@slipway/contracts';
import type { z } from 'zod';

export type JobHandler<N extends JobName> = (payload: z.output<(typeof JOBS)[N]['payload']>) => Promise<void>;

/** Runs job handlers. Handlers are idempotent and read their state from Postgres. */
@Injectable()
export class JobWorkers implements OnModuleDestroy {
  private readonly logger = new Logger('jobs');
  private readonly workers: Worker[] = [];

  constructor(@Inject(CONFIG) private readonly config: Pick<Config, 'REDIS_URL'>) {}

  register<N extends JobName>(name: N, handler: JobHandler<N>, concurrency: number): void {
    const job = JOBS[name];
    const worker = new Worker(
      job.queue,
      async (j) => {
        const payload = job.payload.parse(j.data) as z.output<(typeof JOBS)[N]['payload']>;
        try {
          await handler(payload);
        } catch (err) {
          // Domain errors say whether a retry can help (AppError.retryable); unknown errors may be transient.
          if ((err as { retryable?: unknown } | null)?.retryable === false) throw new UnrecoverableError((err as Error).message);
          throw err;
        }
      },
      // A short lock: when a worker dies its job is re-run within seconds, not half a minute.
      { connection: { url: this.config.REDIS_URL, maxRetriesPerRequest: null }, concurrency, lockDuration: 10_000, stalledInterval: 5_000, maxStalledCount: 3 },
    );
    worker.on('failed', (j, err) => this.logger.error(`${name} job ${j?.id ?? '?'} failed: ${err.message}`));
    worker.on('error', (err) => this.logger.warn(`${name} worker: ${err.message}`));
    this.workers.push(worker);
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.close()));
  }
}
