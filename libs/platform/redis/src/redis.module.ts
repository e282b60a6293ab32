import { Global, Module } from '@nestjs/common';
import { ConcurrencyLeases } from './concurrency-leases';
import { RateLimiter } from './rate-limiter';
import { RedisService } from './redis.service';
import { GatewayInvalidation } from './gateway-invalidation';

@Global()
@Module({ providers: [RedisService, RateLimiter, ConcurrencyLeases, GatewayInvalidation], exports: [RedisService, RateLimiter, ConcurrencyLeases, GatewayInvalidation] })
export class RedisModule {}
