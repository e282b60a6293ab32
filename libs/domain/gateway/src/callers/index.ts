export { GatewayCallerResolver, CALLER_CACHE_OPTIONS, type CallerCacheOptions } from './gateway-caller-resolver';
export { MOCK_API_KEY } from './build-caller';
export type { GatewayCaller, GatewayCallerRejection, GatewayCallerResolution, ProviderTarget } from './gateway-caller';
