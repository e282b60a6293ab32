import { Module } from '@nestjs/common';
import { CallersRepository } from './callers/callers.repository';
import { GatewayCallerResolver } from './callers/gateway-caller-resolver';
import { GatewayDefaultsRepository } from './defaults/gateway-defaults.repository';
import { GatewayDefaultsService } from './defaults/gateway-defaults.service';
import { GatewayAppEnvironment } from './keys/gateway-app-environment';
import { GatewayKeysRepository } from './keys/gateway-keys.repository';
import { GatewayKeysService } from './keys/gateway-keys.service';
import { ProvidersRepository } from './providers/providers.repository';
import { ProvidersService } from './providers/providers.service';

/**
 * The model gateway. Relies on the global Config, Db, Crypto (Envelope), Redis
 * (GatewayInvalidation) and Audit modules.
 */
@Module({
  providers: [
    ProvidersRepository,
    ProvidersService,
    GatewayKeysRepository,
    GatewayKeysService,
    GatewayAppEnvironment,
    GatewayDefaultsRepository,
    GatewayDefaultsService,
    CallersRepository,
    GatewayCallerResolver,
  ],
  exports: [ProvidersService, GatewayKeysService, GatewayAppEnvironment, GatewayDefaultsService, GatewayCallerResolver],
})
export class GatewayModule {}
