import { describe, expect, it } from 'vitest';
import { connectTarget, parseTryCall } from './try-call';

describe('parseTryCall', () => {
  it('takes a plain path with its query', () => {
    expect(parseTryCall({ method: 'GET', path: '/forecast?city=lisbon', apiKey: 'swk_test_x' })).toEqual({
      ok: true,
      call: { method: 'GET', path: '/forecast?city=lisbon', apiKey: 'swk_test_x', body: undefined },
    });
  });
  it('refuses paths that could name another host', () => {
    for (const path of ['//evil.example/x', 'http://evil.example/', '/x@evil.example', '/\\evil', 'forecast', '/a b'])
      expect(parseTryCall({ method: 'GET', path }).ok, path).toBe(false);
  });
  it('refuses other methods and unknown fields', () => {
    expect(parseTryCall({ method: 'CONNECT', path: '/' })).toEqual({ ok: false, problems: ['Use one of GET, POST, PUT, PATCH, DELETE.'] });
    expect(parseTryCall({ method: 'GET', path: '/', host: 'evil' })).toEqual({ ok: false, problems: ['Unknown field "host".'] });
    expect(parseTryCall({ method: 'POST', path: '/', body: 'x'.repeat(70_000) }).ok).toBe(false);
  });
});

describe('connectTarget', () => {
  it('connects to loopback for *.localhost listings and keeps their host header', () => {
    expect(connectTarget('http://weather.api.localhost:8080')).toEqual({
      protocol: 'http:',
      connectHost: '127.0.0.1',
      port: 8080,
      hostHeader: 'weather.api.localhost:8080',
    });
  });
  it('resolves other names normally, default ports included', () => {
    expect(connectTarget('https://weather.api.example.com')).toEqual({
      protocol: 'https:',
      connectHost: 'weather.api.example.com',
      port: 443,
      hostHeader: 'weather.api.example.com',
    });
  });
});
