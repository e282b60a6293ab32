import { Controller, Get, HttpCode, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { PrismaService } from '@slipway/db';
import { RedisService } from '@slipway/redis';
import { Public } from '../http/route.decorator';

/** Liveness says the process runs; readiness says it can serve (database and Redis answer). */
@Controller()
@Public()
export class HealthController {
  constructor(
    private readonly prisma: PrismaService,
    private readonly redis: RedisService,
  ) {}

  @Get('healthz')
  @HttpCode(200)
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('readyz')
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<{ status: string; checks: Record<string, 'ok' | 'down'> }> {
    const [database, redis] = await Promise.all([
      this.prisma.$queryRaw`SELECT 1`.then(() => 'ok' as const, () => 'down' as const),
      this.redis.ping().then((ok) => (ok ? ('ok' as const) : ('down' as const))),
    ]);
    const ready = database === 'ok' && redis === 'ok';
    void reply.status(ready ? 200 : 503);
    return { status: ready ? 'ready' : 'not ready', checks: { database, redis } };
  }
}
