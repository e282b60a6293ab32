import { describe, expect, it } from 'vitest';
import { appsGatewayUrl, gatewayRelayNeeded, gatewaySocketLocation } from './gateway-socket';
import { ConfigError, loadConfig } from './load-config';

describe('how apps reach the gateway', () => {
  it('is the relay on the project network unless GATEWAY_URL_FOR_APPS says otherwise', () => {
    expect(appsGatewayUrl({})).toBe('http://slipway-gateway:4000');
    expect(gatewayRelayNeeded({})).toBe(true);
    expect(appsGatewayUrl({ GATEWAY_URL_FOR_APPS: 'https://gw.example.com' })).toBe('https://gw.example.com');
    expect(gatewayRelayNeeded({ GATEWAY_URL_FOR_APPS: 'https://gw.example.com' })).toBe(false);
    expect(gatewayRelayNeeded({ GATEWAY_URL_FOR_APPS: 'http://slipway-gateway:4000/' })).toBe(true);
  });

  it('resolves the socket against the working directory; relays mount its folder unless GATEWAY_SOCKET_MOUNT is set', () => {
    expect(gatewaySocketLocation({ GATEWAY_SOCKET_PATH: '.slipway/run/gateway.sock' }, '/srv/slipway')).toEqual({
      path: '/srv/slipway/.slipway/run/gateway.sock',
      folder: '/srv/slipway/.slipway/run',
      name: 'gateway.sock',
      mount: '/srv/slipway/.slipway/run',
    });
    expect(
      gatewaySocketLocation({ GATEWAY_SOCKET_PATH: '/run/slipway/gw.sock', GATEWAY_SOCKET_MOUNT: 'slipway-gateway-socket' }, '/app'),
    ).toMatchObject({
      path: '/run/slipway/gw.sock',
      name: 'gw.sock',
      mount: 'slipway-gateway-socket',
    });
  });

  it('refuses a GATEWAY_SOCKET_MOUNT that is neither an absolute folder nor a volume name, saying which it takes', () => {
    expect(loadConfig({ GATEWAY_SOCKET_MOUNT: 'slipway-gateway-socket' }).GATEWAY_SOCKET_MOUNT).toBe('slipway-gateway-socket');
    expect(loadConfig({ GATEWAY_SOCKET_MOUNT: '/srv/run' }).GATEWAY_SOCKET_MOUNT).toBe('/srv/run');
    for (const bad of ['run/slipway', '../run', 'vol:/x', '/srv/a:b']) {
      expect(() => loadConfig({ GATEWAY_SOCKET_MOUNT: bad }), bad).toThrow(ConfigError);
      expect(() => loadConfig({ GATEWAY_SOCKET_MOUNT: bad }), bad).toThrow(/GATEWAY_SOCKET_MOUNT.*absolute host folder/);
    }
  });
});
