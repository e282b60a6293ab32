import { Global, Module } from '@nestjs/common';
import { RateLimiter } from './rate-limiter';
import { RedisService } from './redis.service';
import { GatewayInvalidation } from './gateway-invalidation';

@Global()
@Module({ providers: [RedisService, RateLimiter, GatewayInvalidation], exports: [RedisService, RateLimiter, GatewayInvalidation] })
export class RedisModule {}
