export { GatewayKeysService, environmentKeyAad } from './gateway-keys.service';
export { GatewayAppEnvironment, gatewayContainerSettings, type GatewayContainerSettings } from './gateway-app-environment';
