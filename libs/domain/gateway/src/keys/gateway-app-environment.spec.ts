import { describe, expect, it } from 'vitest';
import { gatewayContainerSettings } from './gateway-app-environment';

describe('gatewayContainerSettings', () => {
  it('points both SDKs at the relay on the project network, with no hosts entry', () => {
    expect(gatewayContainerSettings('http://slipway-gateway:4000', 'sk-slw-x')).toEqual({
      env: {
        ANTHROPIC_BASE_URL: 'http://slipway-gateway:4000',
        ANTHROPIC_API_KEY: 'sk-slw-x',
        OPENAI_BASE_URL: 'http://slipway-gateway:4000/v1',
        OPENAI_API_KEY: 'sk-slw-x',
        SLIPWAY_GATEWAY_URL: 'http://slipway-gateway:4000',
      },
      extraHosts: [],
      secrets: ['sk-slw-x'],
    });
  });

  it("honours an operator's URL, adding the host-gateway entry only for host.docker.internal", () => {
    expect(gatewayContainerSettings('https://gateway.example.com/', 'k')).toMatchObject({
      env: { OPENAI_BASE_URL: 'https://gateway.example.com/v1' },
      extraHosts: [],
    });
    expect(gatewayContainerSettings('http://host.docker.internal:4000', 'k').extraHosts).toEqual(['host.docker.internal:host-gateway']);
  });
});
