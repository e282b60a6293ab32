export { GatewayDefaultsService } from './gateway-defaults.service';
