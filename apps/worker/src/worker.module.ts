import { Module } from '@nestjs/common';
import { ConfigModule } from '@slipway/config';
import { DbModule } from '@slipway/db';
import { RedisModule } from '@slipway/redis';
import { CryptoModule } from '@slipway/crypto';
import { AuditModule } from '@slipway/audit';
import { IdentityModule } from '@slipway/identity';
import { SessionCleanup } from './session-cleanup';

/** Job processors. Build, deploy and reconcile processors join here with push-to-deploy. */
@Module({
  imports: [ConfigModule, DbModule, RedisModule, CryptoModule, AuditModule, IdentityModule],
  providers: [SessionCleanup],
})
export class WorkerModule {}
