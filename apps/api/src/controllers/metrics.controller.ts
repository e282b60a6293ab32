import { Controller, Get, Header, Inject, Req } from '@nestjs/common';
import { CONFIG, type Config } from '@slipway/config';
import { unhandledRejectionsMetric } from '@slipway/errors';
import { GatewayMetrics, PROMETHEUS_CONTENT_TYPE, assertMetricsAccess } from '@slipway/gateway';
import { Public } from '../http/route.decorator';
import type { SlipwayRequest } from '../http/request-context';

/**
 * Prometheus scrape endpoint, outside the versioned REST API (bootstrap excludes `metrics`
 * from the /api/v1 prefix). Not a session route: it has its own rule, a bearer METRICS_TOKEN
 * when one is configured, otherwise loopback clients only (see assertMetricsAccess).
 */
@Controller('metrics')
@Public()
export class MetricsController {
  constructor(
    @Inject(CONFIG) private readonly config: Config,
    @Inject(GatewayMetrics) private readonly metrics: GatewayMetrics,
  ) {}

  @Get()
  @Header('content-type', PROMETHEUS_CONTENT_TYPE)
  @Header('cache-control', 'no-store')
  async scrape(@Req() req: SlipwayRequest): Promise<string> {
    assertMetricsAccess(this.config.METRICS_TOKEN, req.headers.authorization, req.ip);
    return (await this.metrics.render()) + unhandledRejectionsMetric();
  }
}
