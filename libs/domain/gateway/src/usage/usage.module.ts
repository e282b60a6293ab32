import { Module } from '@nestjs/common';
import { DurableSpend } from './durable-spend';
import { GatewayMetrics } from './gateway-metrics';
import { GatewayUsageService } from './gateway-usage.service';
import { UsageConsumerFactory } from './usage-consumer';
import { UsageRecorder } from './usage-recorder';
import { UsageRepository } from './usage.repository';

/**
 * Usage of the gateway: the recorder and metrics the request path feeds (api), the stream
 * consumer that writes rows and rollups (worker), the reads the console makes, and the durable
 * spend budget counters are rebuilt from. Needs
 * DbModule and RedisModule (global) from the app.
 */
@Module({
  providers: [GatewayMetrics, UsageRecorder, UsageRepository, UsageConsumerFactory, GatewayUsageService, DurableSpend],
  exports: [GatewayMetrics, UsageRecorder, UsageConsumerFactory, GatewayUsageService, DurableSpend],
})
export class UsageModule {}
