import { Module } from '@nestjs/common';
import { GatewayMetrics } from './gateway-metrics';
import { GatewayUsageService } from './gateway-usage.service';
import { UsageConsumerFactory } from './usage-consumer';
import { UsageRecorder } from './usage-recorder';
import { UsageRepository } from './usage.repository';

/**
 * Usage of the gateway: the recorder and metrics the request path feeds (api), the stream
 * consumer that writes rows and rollups (worker), and the reads the console makes. Needs
 * DbModule and RedisModule (global) from the app.
 */
@Module({
  providers: [GatewayMetrics, UsageRecorder, UsageRepository, UsageConsumerFactory, GatewayUsageService],
  exports: [GatewayMetrics, UsageRecorder, UsageConsumerFactory, GatewayUsageService],
})
export class UsageModule {}
