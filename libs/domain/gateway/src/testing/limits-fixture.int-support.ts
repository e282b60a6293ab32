import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { loadConfig, type Config } from '@slipway/config';
import { RedisService } from '@slipway/redis';
import { GatewayLimits } from '../limits/gateway-limits';

export interface LimitsFixture {
  redis: RedisService;
  limits: GatewayLimits;
  /** A fresh organization per test (it prefixes every counter key), so counters never meet. */
  org: string;
}

/** Real Redis (a db index of its own) for the limit specs; call at the top of a spec file. */
export function useLimitsFixture(): LimitsFixture {
  const f = {} as LimitsFixture;
  beforeAll(() => {
    const url = new URL(loadConfig().REDIS_URL);
    url.pathname = '/11';
    f.redis = new RedisService({ REDIS_URL: url.toString() } as Config);
    f.limits = new GatewayLimits(f.redis);
  });
  beforeEach(() => {
    f.org = `org-${randomUUID()}`;
  });
  afterEach(async () => {
    const keys = await f.redis.client.keys(`slipway:gw:{${f.org}}:*`);
    if (keys.length > 0) await f.redis.client.del(...keys);
  });
  afterAll(() => f.redis.onModuleDestroy());
  return f;
}
