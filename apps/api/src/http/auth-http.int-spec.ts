import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@slipway/testing';
import { apiTestConfig } from '../gateway/gateway-harness.int-support';
import { createApi } from '../bootstrap';

/**
 * The api's HTTP edge of authentication, in-process through Fastify's inject: the cookies it
 * sets when the console is served over HTTPS, and whose X-Forwarded-For it believes.
 */
let app: NestFastifyApplication;
let db: TestDatabase;
let dataDir: string;
const password = 'correct horse battery staple';
const email = (who: string) => `${who}-${randomBytes(4).toString('hex')}@example.test`;
// Addresses of this run only: the throttling counters live in a Redis shared across runs.
const address = () => `10.${randomBytes(1)[0]}.${randomBytes(1)[0]}.${1 + (randomBytes(1)[0]! % 250)}`;

const inject = (opts: { method: 'GET' | 'POST'; url: string; body?: object; cookie?: string; csrf?: string; from?: string; forwardedFor?: string }) =>
  app
    .getHttpAdapter()
    .getInstance()
    .inject({
      method: opts.method,
      url: `/api/v1${opts.url}`,
      remoteAddress: opts.from ?? '127.0.0.1',
      headers: {
        ...(opts.cookie ? { cookie: opts.cookie } : {}),
        ...(opts.csrf ? { 'x-csrf-token': opts.csrf } : {}),
        ...(opts.forwardedFor ? { 'x-forwarded-for': opts.forwardedFor } : {}),
      },
      ...(opts.body ? { payload: opts.body } : {}),
    });
const setCookies = (res: { headers: Record<string, unknown> }): string[] => {
  const set = res.headers['set-cookie'];
  return Array.isArray(set) ? set : typeof set === 'string' ? [set] : [];
};

beforeAll(async () => {
  db = await createTestDatabase();
  dataDir = mkdtempSync(join(tmpdir(), 'slipway-auth-http-'));
  app = await createApi(apiTestConfig(db.url, dataDir, { PUBLIC_CONSOLE_URL: 'https://console.example.test', LOGIN_MAX_PER_IP: 2 }));
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
});

afterAll(async () => {
  await app?.close();
  await db?.drop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('session cookies when the console is served over HTTPS', () => {
  it('are __Host- prefixed and Secure, with Path=/ and no Domain; the session one HttpOnly, the CSRF one readable', async () => {
    const res = await inject({ method: 'POST', url: '/auth/signup', body: { name: 'Secure', email: email('secure'), password } });
    expect(res.statusCode).toBe(201);
    const cookies = setCookies(res);
    const session = cookies.find((c) => c.startsWith('__Host-slipway_session='));
    const csrf = cookies.find((c) => c.startsWith('__Host-slipway_csrf='));
    for (const c of [session, csrf]) {
      expect(c).toMatch(/; Secure/);
      expect(c).toMatch(/; Path=\/(;|$)/);
      expect(c).not.toMatch(/Domain=/i);
      expect(c).toMatch(/; SameSite=Lax/);
    }
    expect(session).toMatch(/; HttpOnly/);
    expect(csrf).not.toMatch(/HttpOnly/);
    expect(cookies.filter((c) => c.startsWith('slipway_'))).toEqual([]);

    const value = session!.split(';')[0]!.split('=').slice(1).join('=');
    expect((await inject({ method: 'GET', url: '/auth/session', cookie: `__Host-slipway_session=${value}` })).statusCode).toBe(200);
    // The bare name is not a session over HTTPS: a sibling subdomain could have planted it.
    const bare = await inject({ method: 'GET', url: '/auth/session', cookie: `slipway_session=${value}` });
    expect(bare.statusCode).toBe(401);
    expect(bare.json().code).toBe('UNAUTHENTICATED');

    // Logging out clears both with the same attributes (a browser ignores a __Host- clear without Secure).
    const logout = await inject({ method: 'POST', url: '/auth/logout', cookie: `__Host-slipway_session=${value}`, csrf: res.json().csrfToken });
    expect(logout.statusCode).toBe(204);
    const cleared = setCookies(logout);
    expect(cleared.find((c) => c.startsWith('__Host-slipway_session=;'))).toMatch(/Secure/);
    expect(cleared.find((c) => c.startsWith('__Host-slipway_csrf=;'))).toMatch(/Secure/);
  });
});

describe('whose X-Forwarded-For the api believes (TRUSTED_PROXIES, loopback by default)', () => {
  const failLogin = (from: string, forwardedFor?: string) =>
    inject({ method: 'POST', url: '/auth/login', body: { email: email('nobody'), password: 'wrong password' }, from, forwardedFor });

  it('counts a client that is not a trusted proxy under its socket address, whatever it forwards', async () => {
    const client = address();
    expect((await failLogin(client, '198.51.100.1')).statusCode).toBe(401);
    expect((await failLogin(client, '198.51.100.2')).statusCode).toBe(401);
    const third = await failLogin(client, '198.51.100.3');
    expect(third.statusCode).toBe(429);
    expect(third.json().code).toBe('TOO_MANY_ATTEMPTS');
  });

  it('counts what the console (loopback) forwards, so one locked-out browser leaves the others alone', async () => {
    const [attacker, other] = [address(), address()];
    await failLogin('127.0.0.1', attacker);
    await failLogin('127.0.0.1', attacker);
    expect((await failLogin('127.0.0.1', attacker)).statusCode).toBe(429);
    expect((await failLogin('127.0.0.1', other)).statusCode).toBe(401);
  });
});
