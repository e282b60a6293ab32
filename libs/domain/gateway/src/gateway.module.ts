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
import { GatewayEngine, GatewaySideEndpoints, upstreamProviders } from './engine';
import { GatewayLimits } from './limits';
import { UsageModule } from './usage';
import { GatewayDrillsRepository, GatewayDrillsService } from './drills';
import { FailureExplainer, FailureReadsRepository, MODEL_CLIENT_FACTORY, defaultModelClientFactory } from './explain';

/**
 * The model gateway. Relies on the global Config, Db, Crypto (Envelope), Redis
 * (GatewayInvalidation) and Audit modules.
 */
@Module({
  imports: [UsageModule],
  providers: [
    ...upstreamProviders,
    GatewayLimits,
    GatewayEngine,
    GatewaySideEndpoints,
    ProvidersRepository,
    ProvidersService,
    GatewayKeysRepository,
    GatewayKeysService,
    GatewayAppEnvironment,
    GatewayDefaultsRepository,
    GatewayDefaultsService,
    CallersRepository,
    GatewayCallerResolver,
    GatewayDrillsRepository,
    GatewayDrillsService,
    FailureReadsRepository,
    FailureExplainer,
    { provide: MODEL_CLIENT_FACTORY, useValue: defaultModelClientFactory },
  ],
  exports: [UsageModule, GatewayEngine, GatewaySideEndpoints, ProvidersService, GatewayKeysService, GatewayAppEnvironment, GatewayDefaultsService, GatewayCallerResolver, GatewayLimits, FailureExplainer, GatewayDrillsService],
})
export class GatewayModule {}
