import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { clientResponseHeaders, hostOf, requestIdOf, upstreamRequestHeaders } from './proxy-headers';

const fakeReq = (headers: Record<string, string | string[]>, remoteAddress = '192.0.2.7') => ({ headers, socket: { remoteAddress } }) as unknown as IncomingMessage;

describe('hostOf', () => {
  it.each([
    ['web.localhost', 'web.localhost'],
    ['WEB.Localhost:8080', 'web.localhost'],
    ['shop.example.com.', 'shop.example.com'],
    ['[::1]:8080', '[::1]'],
    ['', ''],
  ])('%s → %s', (host, expected) => expect(hostOf({ host })).toBe(expected));
});

describe('requestIdOf', () => {
  it('keeps a sane id and replaces others', () => {
    expect(requestIdOf(fakeReq({ 'x-request-id': 'abc-123_x.y:z' }))).toBe('abc-123_x.y:z');
    expect(requestIdOf(fakeReq({ 'x-request-id': 'x'.repeat(129) }))).not.toBe('x'.repeat(129));
    expect(requestIdOf(fakeReq({ 'x-request-id': 'bad\u0001id' }))).toMatch(/^[0-9a-f-]{36}$/);
    expect(requestIdOf(fakeReq({}))).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('upstreamRequestHeaders', () => {
  it('strips hop-by-hop headers, including those named by Connection', () => {
    const h = upstreamRequestHeaders(fakeReq({ host: 'a.localhost', connection: 'keep-alive, X-Foo', 'x-foo': '1', 'keep-alive': 'timeout=5', upgrade: 'websocket', accept: 'text/html' }), 'rid');
    expect(h).toEqual({
      host: 'a.localhost',
      accept: 'text/html',
      'x-request-id': 'rid',
      'x-forwarded-for': '192.0.2.7',
      'x-forwarded-proto': 'http',
      'x-forwarded-host': 'a.localhost',
    });
  });

  it('keeps a chunked body chunked and drops a conflicting content-length', () => {
    const h = upstreamRequestHeaders(fakeReq({ 'transfer-encoding': 'chunked', 'content-length': '5' }), 'rid');
    expect(h['transfer-encoding']).toBe('chunked');
    expect(h['content-length']).toBeUndefined();
  });

  it('appends to X-Forwarded-For and replaces -Proto and -Host', () => {
    const h = upstreamRequestHeaders(fakeReq({ host: 'b.localhost', 'x-forwarded-for': '1.1.1.1', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'evil' }), 'rid');
    expect(h['x-forwarded-for']).toBe('1.1.1.1, 192.0.2.7');
    expect(h['x-forwarded-proto']).toBe('http');
    expect(h['x-forwarded-host']).toBe('b.localhost');
  });

  it('keeps Connection/Upgrade for an upgrade request', () => {
    const h = upstreamRequestHeaders(fakeReq({ connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-key': 'k' }), 'rid', true);
    expect(h).toMatchObject({ connection: 'upgrade', upgrade: 'websocket', 'sec-websocket-key': 'k' });
  });
});

describe('clientResponseHeaders', () => {
  it('drops hop-by-hop headers and sets the request id', () => {
    const res = { headers: { 'transfer-encoding': 'chunked', connection: 'close', 'set-cookie': ['a=1', 'b=2'], 'x-request-id': 'app-own' } } as unknown as IncomingMessage;
    expect(clientResponseHeaders(res, 'rid')).toEqual({ 'set-cookie': ['a=1', 'b=2'], 'x-request-id': 'rid' });
  });
});
