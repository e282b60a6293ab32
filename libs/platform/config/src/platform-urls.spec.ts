import { describe, expect, it } from 'vitest';
import { cookiesSecure, platformGatewayUrl } from './platform-urls';

describe('platformGatewayUrl', () => {
  it('is the api on loopback by default and when it binds every interface', () => {
    expect(platformGatewayUrl({ API_HOST: '127.0.0.1', API_PORT: 4000 })).toBe('http://127.0.0.1:4000');
    expect(platformGatewayUrl({ API_HOST: '0.0.0.0', API_PORT: 4100 })).toBe('http://127.0.0.1:4100');
    expect(platformGatewayUrl({ API_HOST: '::', API_PORT: 4100 })).toBe('http://127.0.0.1:4100');
  });

  it('uses a specific bound address, bracketing IPv6', () => {
    expect(platformGatewayUrl({ API_HOST: '10.0.0.5', API_PORT: 4000 })).toBe('http://10.0.0.5:4000');
    expect(platformGatewayUrl({ API_HOST: '::1', API_PORT: 4000 })).toBe('http://[::1]:4000');
  });
});

describe('cookiesSecure', () => {
  it('follows the console URL, and COOKIE_SECURE forces it behind a TLS-terminating proxy', () => {
    expect(cookiesSecure({ COOKIE_SECURE: false, PUBLIC_CONSOLE_URL: 'http://localhost:3000' })).toBe(false);
    expect(cookiesSecure({ COOKIE_SECURE: false, PUBLIC_CONSOLE_URL: 'https://console.example.com' })).toBe(true);
    expect(cookiesSecure({ COOKIE_SECURE: true, PUBLIC_CONSOLE_URL: 'http://localhost:3000' })).toBe(true);
  });
});
