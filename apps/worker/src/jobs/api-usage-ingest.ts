import { hostname } from 'node:os';
import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { UsageIngestFactory, type UsageIngest } from '@slipway/billing';

/**
 * `api-usage-ingest`: stores the edge's usage events of published APIs for as long as the worker
 * runs (a stream consumer, like the gateway's usage consumer, not a scheduled job: it waits on
 * XREADGROUP). Named after the host, so a worker restarted here takes its unacked batch back at
 * once; other workers claim it after a minute of idleness.
 */
@Injectable()
export class ApiUsageIngestJob implements OnApplicationBootstrap, OnModuleDestroy {
  private meter?: UsageIngest;

  constructor(@Inject(UsageIngestFactory) private readonly meters: UsageIngestFactory) {}

  onApplicationBootstrap(): void {
    this.meter = this.meters.create({ consumer: `worker-${hostname()}` });
    this.meter.start();
  }

  // Stopped while PostgreSQL and Redis are still connected, so the batch in hand is committed and acked.
  async onModuleDestroy(): Promise<void> {
    await this.meter?.stop();
  }
}
