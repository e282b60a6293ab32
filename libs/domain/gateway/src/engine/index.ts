export { GatewayEngine, UPSTREAM_CLIENT } from './gateway-engine';
export { GatewaySideEndpoints } from './side-endpoints';
export { FaultInjector, type InjectedFault } from './fault-injector';
export { sendGatewayError } from './client-response';
export { circuitKey, routeKeyOf } from './circuit-key';
