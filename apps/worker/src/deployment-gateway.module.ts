import { Global, Module } from '@nestjs/common';
import { DEPLOYMENT_GATEWAY, type DeploymentGateway } from '@slipway/deployments';
import { GatewayAppEnvironment, GatewayModule } from '@slipway/gateway';

/**
 * Gives deployments the model gateway through their DEPLOYMENT_GATEWAY port (global, so
 * DeployRelease inside DeploymentsModule sees it): containers get the environment's gateway
 * key and URL, and a switched release reaches every api's cached callers.
 */
@Global()
@Module({
  imports: [GatewayModule],
  providers: [
    {
      provide: DEPLOYMENT_GATEWAY,
      useFactory: (gateway: GatewayAppEnvironment): DeploymentGateway => gateway,
      inject: [GatewayAppEnvironment],
    },
  ],
  exports: [DEPLOYMENT_GATEWAY],
})
export class DeploymentGatewayModule {}
