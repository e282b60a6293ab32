import { hostname } from 'node:os';
import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { UsageConsumerFactory, type UsageConsumer } from '@slipway/gateway';

/**
 * Writes gateway usage events from the Redis stream to Postgres for as long as the worker
 * runs. The consumer is named after the host, so a worker restarted on the same host takes its
 * unacked batch back at once; other workers take it over after a minute of idleness.
 */
@Injectable()
export class UsageConsumerJob implements OnApplicationBootstrap, OnModuleDestroy {
  private consumer?: UsageConsumer;

  constructor(@Inject(UsageConsumerFactory) private readonly consumers: UsageConsumerFactory) {}

  onApplicationBootstrap(): void {
    this.consumer = this.consumers.create({ consumer: `worker-${hostname()}` });
    this.consumer.start();
  }

  // Stopped while Postgres and Redis are still connected (the root module is destroyed first),
  // so the batch in hand is committed and acked rather than redelivered.
  async onModuleDestroy(): Promise<void> {
    await this.consumer?.stop();
  }
}
