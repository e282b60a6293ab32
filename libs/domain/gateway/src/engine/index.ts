export { GatewayEngine } from './gateway-engine';
export { UPSTREAM_ADDRESS_POLICY, UPSTREAM_CLIENT, upstreamProviders } from './upstream-wiring';
export { GatewaySideEndpoints } from './side-endpoints';
export { FaultInjector, type InjectedFault } from './fault-injector';
export { sendGatewayError } from './client-response';
export { circuitKey, routeKeyOf } from './circuit-key';
